import type { Kysely } from 'kysely';
import { Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import type { Database } from '../../store/schema.js';
import { authorize } from '../access/matrix.js';
import { actorOf, type Principal } from '../access/principal.js';
import type { AdminRole } from '../access/roles.js';
import { recordAudit } from '../audit/auditLog.js';
import type { Organizations } from '../organizations/organizations.js';
import type { RevokedAccess, TokenGrants } from './grants.js';

/** No paging (the vendor has none): a person's newest live grants, at most this many. */
export const AUTHORIZATIONS_LIST_BOUND = 1000;

/** The admin roles this API serves in one's own org (a partner org: full_admin only, see mayActIn). */
const TOKEN_ADMIN_ROLES: readonly AdminRole[] = ['full_admin', 'user_admin', 'device_admin'];

const GRANT_ID = /^[0-9a-hjkmnp-tv-z]{26}$/;
const OPAQUE_ID = /^[A-Za-z0-9_-]{1,128}$/;
const CLIENT_ID = /^[A-Za-z0-9._~-]{1,128}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

/** A live person-bound grant as the Webex "authorizations" API shows it. */
export interface AuthorizationView {
  id: string;
  applicationId: string;
  applicationName: string | null;
  orgId: string;
  personId: string;
  clientId: string;
  /** Epoch ms. */
  created: number;
  type: 'refresh' | 'access';
}

export interface AuthorizationList {
  items: AuthorizationView[];
  /** More live grants exist than AUTHORIZATIONS_LIST_BOUND. */
  truncated: boolean;
}

const given = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);

function checkFormat(field: string, value: string | undefined, pattern: RegExp, what: string): void {
  if (value !== undefined && !pattern.test(value)) throw new Invalid(field, `is not a valid ${what}`);
}

/**
 * The Webex "authorizations": people's live token grants (refresh grants and access grants) per
 * application, listed and revoked by admins of the person's org (a partner's full admins too) or
 * by the person. Revocations are committed, then published, so a revoked token is refused on this
 * node before the call returns and on other nodes once their NOTIFY arrives.
 */
export class Authorizations {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly organizations: Organizations,
    private readonly grants: TokenGrants,
    private readonly now: () => number = Date.now,
  ) {}

  async list(
    principal: Principal,
    query: { personId?: string; personEmail?: string },
  ): Promise<AuthorizationList> {
    const personId = given(query.personId);
    const personEmail = given(query.personEmail);
    if ((personId === undefined) === (personEmail === undefined)) {
      throw new Invalid(
        undefined,
        `Exactly one of the query parameters personId or personEmail is required (${personId ? 'both were' : 'neither was'} given).`,
      );
    }
    checkFormat('personId', personId, OPAQUE_ID, 'person id');
    checkFormat('personEmail', personEmail, EMAIL, 'email address');
    refuseReadOnlyAdmins(principal);
    authorize(principal, 'authorizations.readOwn');
    const person = await this.db
      .selectFrom('people')
      .select(['id', 'org_id'])
      .$if(personId !== undefined, (q) => q.where('id', '=', personId!))
      .$if(personEmail !== undefined, (q) => q.where('email', '=', personEmail!.trim().toLowerCase()))
      .executeTakeFirst();
    if (!isTokenAdmin(principal)) {
      // Decided without regard to whether the person exists: nothing leaks to ordinary users.
      if (!principal.personId || person?.id !== principal.personId) {
        throw new Forbidden('Users may list only their own authorizations.');
      }
    } else {
      authorize(principal, 'authorizations.read');
      // Unknown people and people of orgs the caller does not administer look alike: no items.
      if (!person || !(await this.organizations.mayActIn(principal, person.org_id)))
        return { items: [], truncated: false };
    }
    const rows = await this.db
      .selectFrom('token_grants as g')
      .leftJoin('oauth_clients as c', 'c.id', 'g.client_id')
      .select(['g.id', 'g.client_id', 'g.org_id', 'g.person_id', 'g.created_at', 'g.type', 'c.name'])
      .where('g.person_id', '=', person!.id)
      .where('g.org_id', '=', person!.org_id)
      .where('g.revoked_at', 'is', null)
      .where('g.rotated_at', 'is', null)
      .where('g.expires_at', '>', this.now())
      .orderBy('g.created_at', 'desc')
      .orderBy('g.id', 'desc')
      .limit(AUTHORIZATIONS_LIST_BOUND + 1)
      .execute();
    return {
      items: rows.slice(0, AUTHORIZATIONS_LIST_BOUND).map((r) => ({
        id: r.id,
        applicationId: r.client_id,
        applicationName: r.name,
        orgId: r.org_id,
        personId: r.person_id!,
        clientId: r.client_id,
        created: r.created_at,
        type: r.type as 'refresh' | 'access',
      })),
      truncated: rows.length > AUTHORIZATIONS_LIST_BOUND,
    };
  }

  /** Revokes one grant: a refresh grant with every access grant of its family, an access grant alone. */
  async delete(principal: Principal, authorizationId: string): Promise<void> {
    checkFormat('authorizationId', authorizationId, GRANT_ID, 'authorization id');
    refuseReadOnlyAdmins(principal);
    authorize(principal, 'authorizations.deleteOwn');
    const notFound = () => new NotFound(`Authorization ${authorizationId} was not found.`);
    const grant = await this.db
      .selectFrom('token_grants')
      .selectAll()
      .where('id', '=', authorizationId)
      .where('person_id', 'is not', null)
      .executeTakeFirst();
    if (!grant) throw notFound();
    if (grant.person_id === principal.personId) {
      // Seed 000: an admin deleting its own token must call through the application that holds it.
      if (isTokenAdmin(principal) && principal.clientId !== grant.client_id) {
        throw new Forbidden(
          'An administrator deleting its own authorization must call with a token of the same client (clientId) as that authorization.',
        );
      }
    } else {
      if (!isTokenAdmin(principal)) throw notFound();
      authorize(principal, 'authorizations.delete');
      if (!(await this.organizations.mayActIn(principal, grant.org_id))) throw notFound();
    }
    if (grant.revoked_at !== null || grant.rotated_at !== null || grant.expires_at <= this.now())
      throw notFound();

    const revoked = await this.db.transaction().execute(async (trx) => {
      const now = this.now();
      // Claim the row: of two concurrent deletes exactly one wins, the other answers 404. A refresh
      // grant rotated since it was read still names the same authorization: its family goes too.
      const claimed = await trx
        .updateTable('token_grants')
        .set({ revoked_at: now })
        .where('id', '=', grant.id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) throw notFound();
      const revokedAccess: RevokedAccess[] =
        grant.type === 'refresh'
          ? await this.grants.revokeFamily(trx, grant.family_id ?? grant.id, now)
          : [{ jti: grant.jti, expires_at: grant.expires_at }];
      await recordAudit(trx, {
        orgId: grant.org_id,
        actor: actorOf(principal),
        action: 'authorization.delete',
        target: `authorization:${grant.id}`,
        detail: {
          type: grant.type,
          clientId: grant.client_id,
          personId: grant.person_id,
          revokedAccessTokens: revokedAccess.length,
        },
      });
      return revokedAccess;
    });
    await this.grants.publish(revoked);
  }

  /**
   * Revokes every grant of a client in an org (default: the caller's): its people's refresh and
   * access grants, its pending authorization codes there, and, through a per-client not-before,
   * every access token it was issued in that org, client_credentials tokens included.
   */
  async deleteByClient(principal: Principal, query: { clientId?: string; orgId?: string }): Promise<void> {
    const clientId = given(query.clientId);
    if (clientId === undefined)
      throw new Invalid('clientId', 'is required (or give an authorizationId in the path)');
    checkFormat('clientId', clientId, CLIENT_ID, 'client id');
    checkFormat('orgId', given(query.orgId), OPAQUE_ID, 'organization id');
    refuseReadOnlyAdmins(principal);
    authorize(principal, 'authorizations.delete');
    const orgId = await this.organizations.resolveTarget(principal, given(query.orgId));
    const client = await this.db
      .selectFrom('oauth_clients')
      .select(['id', 'org_id'])
      .where('id', '=', clientId)
      .executeTakeFirst();
    const knownHere =
      client !== undefined &&
      (client.org_id === orgId ||
        (await this.db
          .selectFrom('token_grants')
          .select('id')
          .where('client_id', '=', clientId)
          .where('org_id', '=', orgId)
          .limit(1)
          .executeTakeFirst()) !== undefined);
    if (!knownHere) throw new NotFound(`Client ${clientId} has no authorizations in organization ${orgId}.`);

    const { notBefore, revoked } = await this.db.transaction().execute(async (trx) => {
      const now = this.now();
      // Whole seconds, strictly after now: every token issued so far (iat <= this second) is
      // covered, and new ones start at the next second (AccessTokens.minimumIat).
      const notBefore = (Math.floor(now / 1000) + 1) * 1000;
      const live = await trx
        .selectFrom('token_grants')
        .select(['jti', 'expires_at'])
        .where('client_id', '=', clientId)
        .where('org_id', '=', orgId)
        .where('type', '=', 'access')
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .execute();
      const updated = await trx
        .updateTable('token_grants')
        .set({ revoked_at: now })
        .where('client_id', '=', clientId)
        .where('org_id', '=', orgId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      await trx
        .deleteFrom('authorization_codes')
        .where('client_id', '=', clientId)
        .where('org_id', '=', orgId)
        .where('used_at', 'is', null)
        .execute();
      await trx
        .insertInto('client_revocations')
        .values({ client_id: clientId, org_id: orgId, not_before: notBefore })
        .onConflict((oc) =>
          oc
            .columns(['client_id', 'org_id'])
            .doUpdateSet({ not_before: (eb) => eb.ref('excluded.not_before') })
            .where('client_revocations.not_before', '<', notBefore),
        )
        .execute();
      await recordAudit(trx, {
        orgId,
        actor: actorOf(principal),
        action: 'authorizations.deleteByClient',
        target: `client:${clientId}`,
        detail: { notBefore, revokedGrants: Number(updated.numUpdatedRows) },
      });
      return { notBefore, revoked: live };
    });
    await this.grants.revocations.publishClientNotBefore(clientId, orgId, notBefore);
    // The not-before already covers these; their jtis too guard against clocks skewed between nodes.
    await this.grants.publish(revoked);
  }

  /** When the calling access token expires, epoch ms (Webex `tokenExpiry`). */
  tokenExpiry(principal: Principal): { exp: number } {
    if (principal.method !== 'bearer' || principal.tokenExpiresAt === undefined) {
      throw new Invalid(
        undefined,
        'tokenExpiry describes the calling access token; this request carries no Bearer token.',
      );
    }
    return { exp: principal.tokenExpiresAt * 1000 };
  }
}

function isTokenAdmin(principal: Principal): boolean {
  return principal.roles.some((r) => TOKEN_ADMIN_ROLES.includes(r));
}

/** Seed 000: "Read-only admins are not supported" — refused for reads as well. */
function refuseReadOnlyAdmins(principal: Principal): void {
  if (!isTokenAdmin(principal) && principal.roles.includes('read_only_admin')) {
    throw new Forbidden('Read-only administrators are not supported by the authorizations API.');
  }
}
