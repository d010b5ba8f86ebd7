import type { Kysely } from 'kysely';
import { Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { Dialect } from '../../store/db.js';
import type { Database, PersonRow } from '../../store/schema.js';
import { authorize } from '../access/matrix.js';
import { actorOf, type Principal } from '../access/principal.js';
import type { Organizations } from '../organizations/organizations.js';
import { invitationHolder } from './invitations.js';
import {
  applyLicenseChanges,
  audit,
  inTransaction,
  releaseHolder,
  type Holder,
  type LicenseChange,
  type Operation,
} from './licenseAssignments.js';

export interface SiteUrlChange {
  siteUrl?: string;
  accountType?: string;
  operation?: Operation;
}

export interface UserLicensesInput {
  email?: string;
  personId?: string;
  orgId?: string;
  licenses?: LicenseChange[];
  siteUrls?: SiteUrlChange[];
}

export interface SiteAccount {
  siteUrl: string;
  accountType: string;
}

/** Webex UserLicensesResponse. */
export interface UserLicenses {
  orgId: string;
  /** Omitted for users outside the organization: their id is theirs to reveal (by accepting). */
  personId?: string;
  email: string;
  licenses: string[];
  siteUrls: SiteAccount[];
  pendingLicenses: string[];
  pendingSiteUrls: SiteAccount[];
}

/** A person, or the address of an invitation (id `invite:<email>`, no organization). */
type Account = Pick<PersonRow, 'id' | 'org_id' | 'email'>;

export const personHolder = (row: Pick<PersonRow, 'id' | 'org_id'>): Holder => ({
  kind: 'person',
  id: row.id,
  orgId: row.org_id,
  label: `person ${row.id}`,
});

/**
 * PATCH /v1/licenses/users: licenses and attendee site URLs of one existing person, all or nothing
 * in one transaction. A person of another organization (found by email) gets them as pending until
 * they accept; pending licenses take their unit at once (Control Hub counts invited users' licenses
 * as consumed), and declining gives it back.
 */
export class UserLicenseAssignments {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly organizations: Organizations,
    private readonly dialect: Dialect,
  ) {}

  async assign(principal: Principal, input: UserLicensesInput): Promise<UserLicenses> {
    authorize(principal, 'licenses.assign');
    if (!input.email && !input.personId) throw new Invalid('email', 'one of email or personId is required');
    const orgId = await this.organizations.resolveTarget(principal, input.orgId);
    const { person, holder } = await this.findHolder(orgId, input);
    const actor = actorOf(principal);
    await inTransaction(this.db, async (trx) => {
      await applyLicenseChanges(trx, { orgId, actor, dialect: this.dialect }, holder, input.licenses ?? []);
      for (const [index, change] of (input.siteUrls ?? []).entries()) {
        const field = `siteUrls[${index}]`;
        const siteUrl = change.siteUrl?.trim().toLowerCase();
        if (!siteUrl) throw new Invalid(`${field}.siteUrl`, 'is required');
        const accountType = (change.accountType ?? 'attendee').toLowerCase();
        if (accountType === 'host') {
          throw new Invalid(
            `${field}.accountType`,
            `only attendee accounts can be assigned; for a host account on ${siteUrl}, remove the attendee account and assign the license of that site instead`,
          );
        }
        if (accountType !== 'attendee') throw new Invalid(`${field}.accountType`, 'must be attendee');
        const site = await trx
          .selectFrom('licenses')
          .select('id')
          .where('org_id', '=', orgId)
          .where('site_url', '=', siteUrl)
          .executeTakeFirst();
        if (!site) throw new Invalid(`${field}.siteUrl`, `${siteUrl} is not a site of organization ${orgId}`);
        const held = await trx
          .selectFrom('site_accounts')
          .select('id')
          .where('person_id', '=', person.id)
          .where('site_url', '=', siteUrl)
          .executeTakeFirst();
        if ((change.operation ?? 'add') === 'remove') {
          if (!held)
            throw new Invalid(`${field}.siteUrl`, `${holder.label} has no attendee account on ${siteUrl}`);
          await trx.deleteFrom('site_accounts').where('id', '=', held.id).execute();
          await audit(trx, orgId, actor, 'license.siteUrl.remove', holder, { siteUrl });
        } else if (!held) {
          const status = person.org_id === orgId ? 'active' : 'pending';
          await trx
            .insertInto('site_accounts')
            .values({
              id: newId(),
              org_id: orgId,
              person_id: person.id,
              site_url: siteUrl,
              account_type: accountType,
              status,
              created_at: Date.now(),
            })
            .execute();
          await audit(trx, orgId, actor, 'license.siteUrl.assign', holder, { siteUrl, status });
        }
      }
    });
    return this.holdings(orgId, person);
  }

  /** Keyward extension: the calling person accepts or declines what other organizations assigned. */
  async respond(principal: Principal, accept: boolean, orgId?: string): Promise<UserLicenses[]> {
    authorize(principal, 'licenses.respond');
    if (!principal.personId) throw new Forbidden('Only a person can accept or decline their licenses.');
    const person = await this.db
      .selectFrom('people')
      .selectAll()
      .where('id', '=', principal.personId)
      .executeTakeFirst();
    if (!person) throw new NotFound('The calling person no longer exists.');
    const holder = personHolder(person);
    const actor = actorOf(principal);
    let q = this.db.selectFrom('license_assignments').select('org_id').where('holder_id', '=', person.id);
    q = q.where('status', '=', 'pending');
    if (orgId) q = q.where('org_id', '=', orgId);
    let orgs = (await q.distinct().execute()).map((r) => r.org_id);
    let s = this.db.selectFrom('site_accounts').select('org_id').where('person_id', '=', person.id);
    s = s.where('status', '=', 'pending');
    if (orgId) s = s.where('org_id', '=', orgId);
    orgs = [...new Set([...orgs, ...(await s.distinct().execute()).map((r) => r.org_id)])].sort();
    await inTransaction(this.db, async (trx) => {
      for (const org of orgs) {
        if (!accept) {
          await releaseHolder(trx, holder, actor, { status: 'pending', orgId: org });
          continue;
        }
        const changed = await trx
          .updateTable('license_assignments')
          .set({ status: 'active' })
          .where('holder_id', '=', person.id)
          .where('org_id', '=', org)
          .where('status', '=', 'pending')
          .returning('license_id')
          .execute();
        await trx
          .updateTable('site_accounts')
          .set({ status: 'active' })
          .where('person_id', '=', person.id)
          .where('org_id', '=', org)
          .where('status', '=', 'pending')
          .execute();
        await audit(trx, org, actor, 'license.accept', holder, {
          licenseIds: changed.map((r) => r.license_id),
        });
      }
    });
    return Promise.all(orgs.map((org) => this.holdings(org, person, true)));
  }

  /**
   * personId must be of the target org. An email may name a person of any org, or nobody yet: both
   * get pending licenses (an invitation to the address), told apart by nothing in the answer, so the
   * route reveals no account of another tenant. Outside the org the label is the typed email.
   */
  private async findHolder(
    orgId: string,
    input: UserLicensesInput,
  ): Promise<{ person: Account; holder: Holder }> {
    const email = input.email?.trim().toLowerCase();
    if (email && !/^[^@\s]+@[^@\s]+$/.test(email)) throw new Invalid('email', 'is not an email address');
    const person = await this.findPerson(orgId, input, email);
    if (!person) {
      const holder = invitationHolder(email!);
      return { person: { id: holder.id, org_id: '', email: email! }, holder };
    }
    if (person.org_id === orgId) return { person, holder: personHolder(person) };
    return { person, holder: { ...personHolder(person), label: `user ${person.email}` } };
  }

  private async findPerson(
    orgId: string,
    input: UserLicensesInput,
    email: string | undefined,
  ): Promise<PersonRow | undefined> {
    let person: PersonRow | undefined;
    if (input.personId) {
      person = await this.db
        .selectFrom('people')
        .selectAll()
        .where('id', '=', input.personId)
        .executeTakeFirst();
      if (!person || (person.org_id !== orgId && person.email !== email)) {
        throw new NotFound(`Person ${input.personId} was not found.`);
      }
    }
    if (email) {
      const byEmail = await this.db
        .selectFrom('people')
        .selectAll()
        .where('email', '=', email)
        .executeTakeFirst();
      // The person given by id must own the address; an unknown address is an invitation.
      if (person && person.id !== byEmail?.id)
        throw new Invalid('email', `does not belong to person ${person.id}`);
      person = byEmail;
    }
    return person;
  }

  /** What the person holds from `orgId`'s licenses and sites, split into active and pending. */
  async holdings(orgId: string, person: Account, self = false): Promise<UserLicenses> {
    const held = await this.db
      .selectFrom('license_assignments')
      .select(['license_id', 'status'])
      .where('holder_id', '=', person.id)
      .where('org_id', '=', orgId)
      .orderBy('license_id')
      .execute();
    const sites = await this.db
      .selectFrom('site_accounts')
      .select(['site_url', 'account_type', 'status'])
      .where('person_id', '=', person.id)
      .where('org_id', '=', orgId)
      .orderBy('site_url')
      .execute();
    const site = (r: (typeof sites)[number]) => ({ siteUrl: r.site_url, accountType: r.account_type });
    return {
      orgId,
      ...(person.org_id === orgId || self ? { personId: person.id } : {}),
      email: person.email,
      licenses: held.filter((r) => r.status === 'active').map((r) => r.license_id),
      siteUrls: sites.filter((r) => r.status === 'active').map(site),
      pendingLicenses: held.filter((r) => r.status === 'pending').map((r) => r.license_id),
      pendingSiteUrls: sites.filter((r) => r.status === 'pending').map(site),
    };
  }
}
