/** Helpers of the Webex people tests: person tokens without a browser, quick people. */
import { insertClient, insertPerson } from '../support/fixtures.js';
import type { Harness } from '../support/harness.js';

/** A person-bound access token issued by the token service's own code (what the code flow ends with). */
export async function personToken(
  k: Harness,
  person: { id: string },
  scopes: string[] = ['spark:people_read', 'spark-admin:people_read', 'spark-admin:people_write'],
): Promise<string> {
  const row = await k.services.store.db
    .selectFrom('people')
    .select('org_id')
    .where('id', '=', person.id)
    .executeTakeFirstOrThrow();
  const app = await insertClient(k, { orgId: row.org_id, scopes, name: 'People app' });
  const client = await k.services.clients.find(app.id);
  const issued = await k.services.grants.issueForPerson(k.services.store.db, {
    client: client!,
    personId: person.id,
    orgId: row.org_id,
    scopes,
    authTime: Date.now(),
    withRefresh: true,
  });
  return issued.accessToken;
}

export async function personWithRoles(k: Harness, roles: string[], orgId?: string) {
  const person = await insertPerson(k, { roles, orgId });
  return { ...person, token: await personToken(k, person) };
}

export function newPerson(overrides: Record<string, unknown> = {}) {
  const tag = Math.random().toString(36).slice(2, 10);
  return {
    emails: [`Person.${tag}@Example.COM`],
    displayName: `Person ${tag}`,
    firstName: 'Pat',
    lastName: tag,
    ...overrides,
  };
}
