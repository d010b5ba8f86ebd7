import type { Transaction } from 'kysely';
import type { Database, PersonRow } from '../../store/schema.js';
import type { Holder } from './licenseAssignments.js';

/**
 * A license or site account assigned by email to an address that has no account yet is an
 * invitation: it is held, pending, by `invite:<email>` (no organization), exactly like a pending
 * license of a person of another organization. So PATCH /v1/licenses/users answers the same whether
 * or not an account exists elsewhere (issue 13 §6: no account enumeration across tenants). When the
 * account is created, its invitations become its pending licenses (claimInvitations).
 */
const PREFIX = 'invite:';

export function invitationHolder(email: string): Holder {
  return { kind: 'person', id: `${PREFIX}${email}`, orgId: '', label: `user ${email}` };
}

/** The invited address of an invitation holder id, else undefined. */
export function invitedEmail(holderId: string): string | undefined {
  return holderId.startsWith(PREFIX) ? holderId.slice(PREFIX.length) : undefined;
}

/**
 * Hands the invitations of the new person's address over to them, in the creating transaction:
 * pending from other organizations (they accept or decline), active from their own.
 */
export async function claimInvitations(trx: Transaction<Database>, person: PersonRow): Promise<void> {
  const holderId = `${PREFIX}${person.email}`;
  for (const own of [true, false]) {
    await trx
      .updateTable('license_assignments')
      .set({ holder_id: person.id, holder_org_id: person.org_id, status: own ? 'active' : 'pending' })
      .where('holder_id', '=', holderId)
      .where('org_id', own ? '=' : '<>', person.org_id)
      .execute();
    await trx
      .updateTable('site_accounts')
      .set({ person_id: person.id, status: own ? 'active' : 'pending' })
      .where('person_id', '=', holderId)
      .where('org_id', own ? '=' : '<>', person.org_id)
      .execute();
  }
}
