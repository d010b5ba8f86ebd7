import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';

/** Consent a person gave an application, remembered per client and person until revoked. */
export class Consents {
  constructor(private readonly db: Kysely<Database>) {}

  async covers(clientId: string, personId: string, scopes: readonly string[]): Promise<boolean> {
    const row = await this.db
      .selectFrom('consents')
      .select('scope')
      .where('client_id', '=', clientId)
      .where('person_id', '=', personId)
      .executeTakeFirst();
    if (!row) return false;
    const granted = new Set(row.scope.split(' '));
    return scopes.every((s) => granted.has(s));
  }

  /** Adds `scopes` to what the person has consented to for this client. */
  async remember(
    clientId: string,
    personId: string,
    orgId: string,
    scopes: readonly string[],
  ): Promise<void> {
    const now = Date.now();
    await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('consents')
        .select('scope')
        .where('client_id', '=', clientId)
        .where('person_id', '=', personId)
        .executeTakeFirst();
      const merged = [...new Set([...(row?.scope.split(' ').filter(Boolean) ?? []), ...scopes])].join(' ');
      if (row) {
        await trx
          .updateTable('consents')
          .set({ scope: merged, updated_at: now })
          .where('client_id', '=', clientId)
          .where('person_id', '=', personId)
          .execute();
      } else {
        await trx
          .insertInto('consents')
          .values({
            client_id: clientId,
            person_id: personId,
            org_id: orgId,
            scope: merged,
            created_at: now,
            updated_at: now,
          })
          .execute();
      }
    });
  }

  async revoke(clientId: string, personId: string): Promise<void> {
    await this.db
      .deleteFrom('consents')
      .where('client_id', '=', clientId)
      .where('person_id', '=', personId)
      .execute();
  }
}
