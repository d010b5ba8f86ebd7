/** Helpers of the license tests: rows inserted through the store (no dependency on other APIs). */
import assert from 'node:assert/strict';
import { newId } from '../../src/platform/ids.js';
import { insertClient } from '../support/fixtures.js';
import type { Harness } from '../support/harness.js';
import type { Call, Caller } from '../support/tenants.js';

export function ok(res: Call, status: number, what = 'call'): any {
  assert.equal(res.status, status, `${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A Webex error body with the status and a message matching `pattern`. */
export function webexError(res: Call, status: number, pattern: RegExp): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.match(res.body.message, pattern);
  assert.equal(res.body.errors[0].errorCode, status);
  assert.equal(typeof res.body.trackingId, 'string');
}

export async function createLicense(
  as: Caller,
  fields: { name?: string; totalUnits?: number; orgId?: string; siteUrl?: string; siteType?: string } = {},
): Promise<any> {
  return ok(
    await as('POST', '/v1/licenses', { name: 'Meeting - Webex Meeting Center', totalUnits: 10, ...fields }),
    201,
    'create license',
  );
}

export async function insertLocation(k: Harness, orgId: string, name = `Site ${newId()}`): Promise<string> {
  const id = newId();
  const now = Date.now();
  await k.services.store.db
    .insertInto('locations')
    .values({
      id,
      org_id: orgId,
      name,
      address: '{}',
      time_zone: 'Europe/Helsinki',
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

export async function insertWorkspace(
  k: Harness,
  orgId: string,
  locationId: string | null = null,
): Promise<string> {
  const id = newId();
  const now = Date.now();
  await k.services.store.db
    .insertInto('workspaces')
    .values({
      id,
      org_id: orgId,
      display_name: `Room ${id}`,
      location_id: locationId,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

/** The license's counters and its assignment rows agree (the invariant every test ends with). */
export async function assertCountsAddUp(
  k: Harness,
  licenseId: string,
): Promise<{ users: number; workspaces: number }> {
  const db = k.services.store.db;
  const row = await db
    .selectFrom('licenses')
    .selectAll()
    .where('id', '=', licenseId)
    .executeTakeFirstOrThrow();
  const count = async (kind: string) =>
    Number(
      (
        await db
          .selectFrom('license_assignments')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('license_id', '=', licenseId)
          .where('holder_kind', '=', kind)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const users = await count('person');
  const workspaces = await count('workspace');
  assert.equal(row.consumed_by_users, users, 'consumed_by_users = person assignments');
  assert.equal(row.consumed_by_workspaces, workspaces, 'consumed_by_workspaces = workspace assignments');
  assert.ok(users + workspaces <= row.total_units, 'consumption within totalUnits');
  return { users, workspaces };
}

/** A person-bound access token issued by the token service's own code. */
export async function personToken(k: Harness, person: { id: string; orgId: string }): Promise<string> {
  const scopes = ['spark:people_read'];
  const app = await insertClient(k, { orgId: person.orgId, scopes, name: 'Licenses app' });
  const issued = await k.services.grants.issueForPerson(k.services.store.db, {
    client: (await k.services.clients.find(app.id))!,
    personId: person.id,
    orgId: person.orgId,
    scopes,
    authTime: Date.now(),
    withRefresh: false,
  });
  return issued.accessToken;
}

export async function auditActions(k: Harness, orgId: string): Promise<string[]> {
  const rows = await k.services.store.db
    .selectFrom('audit_events')
    .select('action')
    .where('org_id', '=', orgId)
    .where('action', 'like', 'license.%')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.action);
}
