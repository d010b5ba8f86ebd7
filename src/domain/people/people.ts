import type { Kysely, Transaction } from 'kysely';
import { newId } from '../../platform/ids.js';
import { Conflict, Invalid, NotFound, RateLimited } from '../../platform/errors.js';
import { isUniqueViolation, type Dialect } from '../../store/db.js';
import type { Database, PersonRow } from '../../store/schema.js';
import { assertWithinCeiling } from '../access/ceiling.js';
import { authorize } from '../access/matrix.js';
import { actorOf, type Principal } from '../access/principal.js';
import { parseRoles, type AdminRole } from '../access/roles.js';
import { recordAudit } from '../audit/auditLog.js';
import type { Organizations } from '../organizations/organizations.js';
import type { RevokedAccess, TokenGrants } from '../grants/grants.js';
import { claimInvitations } from '../licenses/invitations.js';
import { hashPassword, passwordMatches } from './passwords.js';
import { listPeople, type PeopleListing, type PeopleQuery } from './peopleListing.js';
import type { PersonDirectory } from './personDirectory.js';
import type { LoginThrottle } from '../sessions/loginThrottle.js';
import { checkPassword, checkRoles, name, PERSON_ID, singleEmail, type PersonStatus } from './personRules.js';

/** The editable fields of a person (create; PUT replaces all of them). */
export interface PersonInput {
  emails: string[];
  displayName?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  roles?: string[];
  orgId?: string;
  /** Absent on PUT keeps the current status. */
  status?: PersonStatus;
}

/** Runs inside the deleting transaction (e.g. to release a person's licenses). */
export type PersonDeletionStep = (trx: Transaction<Database>, person: PersonRow) => Promise<void>;

const sameRoles = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((r) => b.includes(r));

/**
 * People of an organization (Webex /v1/people): create, replace, delete, passwords. Every write is
 * one transaction with its audit event; changes to roles or status and deletions are announced to
 * the authenticator's cache on every node (PersonDirectory.changed) after commit.
 */
export class PeopleAdmin {
  /** Other areas (licenses …) clean up their rows of a deleted person in the same transaction. */
  private readonly deletionSteps: readonly PersonDeletionStep[];
  /** The login lockout also guards password changes: a stolen token must not test passwords. */
  private readonly throttle?: LoginThrottle;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly organizations: Organizations,
    private readonly directory: PersonDirectory,
    private readonly grants: TokenGrants,
    private readonly dialect: Dialect,
    options: { onDelete?: PersonDeletionStep[]; throttle?: LoginThrottle } = {},
  ) {
    this.deletionSteps = options.onDelete ?? [];
    this.throttle = options.throttle;
  }

  list(principal: Principal, query: PeopleQuery): Promise<PeopleListing> {
    return listPeople(this.db, this.dialect, this.organizations, principal, query);
  }

  /** A person the caller may see: itself, or (with the read scope) anyone of an org it may act in. */
  async get(principal: Principal, personId: string): Promise<PersonRow> {
    if (personId === principal.personId) {
      authorize(principal, 'people.readSelf');
      return this.me(principal);
    }
    authorize(principal, 'people.search');
    return this.visible(principal, personId);
  }

  async me(principal: Principal): Promise<PersonRow> {
    authorize(principal, 'people.readSelf');
    if (!principal.personId) throw new NotFound('The caller is a service client, not a person.');
    const row = await this.find(principal.personId);
    if (!row) throw new NotFound('The calling person no longer exists.');
    return row;
  }

  async create(principal: Principal, input: PersonInput): Promise<PersonRow> {
    authorize(principal, 'people.write');
    const email = singleEmail(input.emails);
    const roles = checkRoles('roles', input.roles ?? []);
    if (roles.length > 0) authorize(principal, 'people.assignRoles');
    const names = this.names(input);
    const orgId = await this.organizations.resolveTarget(principal, input.orgId);
    this.withinCeiling(principal, orgId, roles, `a person with roles ${roles.join(', ')}`);
    const now = Date.now();
    const row: PersonRow = {
      id: newId(now),
      org_id: orgId,
      email,
      ...names,
      password_hash: null,
      phone_numbers: null,
      addresses: null,
      roles: JSON.stringify(roles),
      status: input.status ?? 'active',
      created_at: now,
      updated_at: now,
    };
    await this.write(async (trx) => {
      await trx.insertInto('people').values(row).execute();
      await claimInvitations(trx, row);
      await this.audit(trx, principal, row, 'person.create', { email, roles, status: row.status });
    });
    return row;
  }

  /** PUT: a full replace of the editable fields (left out = removed), in the person's own org. */
  async replace(principal: Principal, personId: string, input: PersonInput): Promise<PersonRow> {
    authorize(principal, 'people.write');
    const current = await this.visible(principal, personId);
    if (input.orgId !== undefined && input.orgId !== current.org_id) {
      throw new Invalid('orgId', 'a person cannot move to another organization');
    }
    const email = singleEmail(input.emails);
    const roles = checkRoles('roles', input.roles ?? []);
    const names = this.names(input);
    const before = parseRoles(current.roles);
    const rolesChange = !sameRoles(before, roles);
    const status = input.status ?? (current.status as PersonStatus);
    this.guardAdmins(principal, current, before, rolesChange);
    this.withinCeiling(principal, current.org_id, roles, `person ${personId} with roles ${roles.join(', ')}`);
    if (personId === principal.personId && (rolesChange || status !== 'active')) {
      throw new Invalid(undefined, 'You cannot change your own roles or deactivate yourself.');
    }
    const next: PersonRow = {
      ...current,
      email,
      ...names,
      roles: JSON.stringify(roles),
      status,
      updated_at: Math.max(Date.now(), current.updated_at + 1),
    };
    await this.write(async (trx) => {
      const { id, created_at, org_id, password_hash, ...changes } = next;
      const done = await trx.updateTable('people').set(changes).where('id', '=', personId).executeTakeFirst();
      if (done.numUpdatedRows === 0n) throw new NotFound(`Person ${personId} was not found.`);
      await this.audit(trx, principal, next, 'person.update', {
        email,
        ...(rolesChange ? { roles: { from: before, to: roles } } : {}),
        ...(status !== current.status ? { status: { from: current.status, to: status } } : {}),
      });
    });
    if (rolesChange || status !== current.status) await this.directory.changed(personId);
    return next;
  }

  /** Deletes the person and ends everything they hold: token grants, sessions, consents, upstream credentials. */
  async delete(principal: Principal, personId: string): Promise<void> {
    authorize(principal, 'people.delete');
    const person = await this.visible(principal, personId);
    this.guardAdmins(principal, person, parseRoles(person.roles), false);
    if (personId === principal.personId) throw new Invalid(undefined, 'You cannot delete yourself.');
    const now = Date.now();
    let revoked: RevokedAccess[] = [];
    await this.db.transaction().execute(async (trx) => {
      for (const step of this.deletionSteps) await step(trx, person);
      revoked = await trx
        .selectFrom('token_grants')
        .select(['jti', 'expires_at'])
        .where('person_id', '=', personId)
        .where('type', '=', 'access')
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .execute();
      await trx
        .updateTable('token_grants')
        .set({ revoked_at: now })
        .where('person_id', '=', personId)
        .where('revoked_at', 'is', null)
        .execute();
      await trx
        .updateTable('login_sessions')
        .set({ revoked_at: now })
        .where('person_id', '=', personId)
        .where('revoked_at', 'is', null)
        .execute();
      await trx.deleteFrom('consents').where('person_id', '=', personId).execute();
      await trx.deleteFrom('authorization_codes').where('person_id', '=', personId).execute();
      await trx.deleteFrom('connection_credentials').where('person_id', '=', personId).execute();
      const done = await trx.deleteFrom('people').where('id', '=', personId).executeTakeFirst();
      if (done.numDeletedRows === 0n) throw new NotFound(`Person ${personId} was not found.`);
      await this.audit(trx, principal, person, 'person.delete', {
        email: person.email,
        revokedTokens: revoked.length,
      });
    });
    await this.directory.changed(personId);
    await this.grants.publish(revoked);
  }

  /** Keyward extension: an admin sets a person's password (e.g. the initial one); their sessions end. */
  async setPassword(principal: Principal, personId: string, password: string): Promise<void> {
    authorize(principal, 'people.setPassword');
    checkPassword('password', password);
    const person = await this.visible(principal, personId);
    this.guardAdmins(principal, person, parseRoles(person.roles), false);
    const hash = await hashPassword(password);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('people')
        .set({ password_hash: hash, updated_at: Date.now() })
        .where('id', '=', personId)
        .execute();
      if (personId !== principal.personId) {
        await trx
          .updateTable('login_sessions')
          .set({ revoked_at: Date.now() })
          .where('person_id', '=', personId)
          .where('revoked_at', 'is', null)
          .execute();
      }
      await this.audit(trx, principal, person, 'person.setPassword', {});
    });
  }

  /** Keyward extension: a person changes their own password, proving the current one. */
  async changeOwnPassword(principal: Principal, currentPassword: string, newPassword: string): Promise<void> {
    authorize(principal, 'people.changeOwnPassword');
    const person = await this.me(principal);
    const keys = [`account:${person.email}`];
    // Counted before the verification, so parallel tries cannot outrun the lockout.
    const wait = this.throttle ? await this.throttle.attempt(keys) : 0;
    if (wait > 0) throw new RateLimited(Math.ceil(wait / 1000), 'Too many wrong passwords; try again later.');
    if (!(await passwordMatches(currentPassword, person.password_hash))) {
      throw new Invalid('currentPassword', 'is not the current password');
    }
    await this.throttle?.succeeded(keys);
    checkPassword('newPassword', newPassword);
    const hash = await hashPassword(newPassword);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('people')
        .set({ password_hash: hash, updated_at: Date.now() })
        .where('id', '=', person.id)
        .execute();
      await this.audit(trx, principal, person, 'person.changeOwnPassword', {});
    });
  }

  private find(personId: string): Promise<PersonRow | undefined> {
    return this.db.selectFrom('people').selectAll().where('id', '=', personId).executeTakeFirst();
  }

  /** The person if it exists in an org the caller may act in; else 404 (no existence leak). */
  private async visible(principal: Principal, personId: string): Promise<PersonRow> {
    const row = PERSON_ID.test(personId) ? await this.find(personId) : undefined;
    if (!row || !(await this.organizations.mayActIn(principal, row.org_id))) {
      throw new NotFound(`Person ${personId} was not found.`);
    }
    return row;
  }

  /**
   * Touching an admin (or changing roles) is for full admins: a user admin could else take one over.
   * And the person must be within the caller's privilege ceiling (access/ceiling.ts).
   */
  private guardAdmins(
    principal: Principal,
    person: PersonRow,
    targetRoles: readonly AdminRole[],
    rolesChange: boolean,
  ): void {
    if (rolesChange || targetRoles.length > 0) authorize(principal, 'people.assignRoles');
    this.withinCeiling(principal, person.org_id, targetRoles, `person ${person.id}`);
  }

  /** A person's power is their roles in their org; their scopes come from the application they use. */
  private withinCeiling(
    principal: Principal,
    orgId: string,
    roles: readonly AdminRole[],
    what: string,
  ): void {
    assertWithinCeiling(principal, { orgId, scopes: [], roles }, what);
  }

  private names(input: PersonInput) {
    const firstName = name('firstName', input.firstName);
    const lastName = name('lastName', input.lastName);
    let displayName = name('displayName', input.displayName);
    if (!displayName && !firstName && !lastName) {
      throw new Invalid('displayName', 'is required (or firstName/lastName)');
    }
    displayName ??= [firstName, lastName].filter(Boolean).join(' ');
    return { display_name: displayName, first_name: firstName, last_name: lastName };
  }

  private async write(change: (trx: Transaction<Database>) => Promise<void>): Promise<void> {
    try {
      await this.db.transaction().execute(change);
    } catch (error) {
      if (isUniqueViolation(error)) throw new Conflict('A person with this email address already exists.');
      throw error;
    }
  }

  private audit(
    trx: Transaction<Database>,
    principal: Principal,
    person: PersonRow,
    action: string,
    detail: Record<string, unknown>,
  ) {
    return recordAudit(trx, {
      orgId: person.org_id,
      actor: actorOf(principal),
      action,
      target: `person:${person.id}`,
      detail,
    });
  }
}
