import type { Kysely, Transaction } from 'kysely';
import { hashSecret, newSecret } from '../../platform/crypto/secrets.js';
import type { SecretBox } from '../../platform/crypto/masterKey.js';
import { newId } from '../../platform/ids.js';
import type { Database } from '../../store/schema.js';
import type { TokenGrantsTable } from '../../store/tables/tokenService.js';
import type { ClientRecord } from '../clients/clientRecord.js';
import type { AccessTokenClaims, AccessTokens } from '../tokens/accessTokens.js';
import type { TokenRevocations } from './revocations.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface PersonTokensInput {
  client: ClientRecord;
  personId: string;
  orgId: string;
  scopes: readonly string[];
  authTime: number;
  /** The OIDC claims request (JSON) of the authorization, kept on the grants for userinfo. */
  claims?: string | null;
  /** Issue a refresh token too (OFFLINE clients with the REFRESH_TOKEN grant). */
  withRefresh: boolean;
  /** Continue a rotation chain (refresh_token grant). */
  familyId?: string;
  /** Keep the chain's absolute expiry instead of starting a new one. */
  refreshExpiresAt?: number;
  /** The refresh token being rotated: its successor is derived from it (see successorOf). */
  predecessor?: string;
}

export interface TokenGrantsOptions {
  /** Derives rotated refresh tokens (the master key's MAC); absent: successors are random. */
  box?: SecretBox;
  /** KEYWARD_REFRESH_REUSE_GRACE_SECONDS in ms: 0 = any reuse revokes the family. */
  reuseGraceMs?: number;
}

type GrantRow = TokenGrantsTable;

export interface PersonTokens {
  accessToken: string;
  claims: AccessTokenClaims;
  accessGrantId: string;
  refreshToken?: string;
  refreshGrantId?: string;
  refreshExpiresAt?: number;
}

export interface RevokedAccess {
  jti: string | null;
  expires_at: number;
}

/**
 * Person-bound token grants (the rows behind Webex "authorizations"). Creation and revocation run
 * inside the caller's transaction; callers publish the returned revoked jtis after commit.
 */
export class TokenGrants {
  constructor(
    private readonly tokens: AccessTokens,
    readonly revocations: TokenRevocations,
    private readonly options: TokenGrantsOptions = {},
  ) {}

  /**
   * The successor of a rotated refresh token is a MAC of the token under a master-key subkey: the
   * server can compute it again from the presented token (for the reuse grace window) while the
   * database keeps only hashes, and nobody without the master key can compute it.
   */
  private successorOf(refreshToken: string | undefined): string {
    const { box } = this.options;
    return refreshToken && box ? box.mac('refresh-token successor', refreshToken) : newSecret();
  }

  /**
   * A rotated refresh grant presented again by its client within the grace window: its live
   * successor (same family), to be returned again instead of revoking the family. Undefined =
   * outside the window (or no grace, or the successor moved on): the caller treats it as reuse.
   */
  async graceSuccessor(
    db: Db,
    grant: GrantRow,
    refreshToken: string,
    now = Date.now(),
  ): Promise<{ row: GrantRow; token: string } | undefined> {
    const grace = this.options.reuseGraceMs ?? 0;
    if (!grace || !this.options.box || grant.rotated_at === null || grant.revoked_at !== null)
      return undefined;
    if (now - grant.rotated_at > grace) return undefined;
    const token = this.successorOf(refreshToken);
    const row = await this.findRefresh(db, token);
    const live =
      row &&
      row.family_id === grant.family_id &&
      row.client_id === grant.client_id &&
      row.revoked_at === null &&
      row.rotated_at === null &&
      row.expires_at > now;
    return live ? { row, token } : undefined;
  }

  /** A new access token under an existing refresh grant (the grace window's "same successor"). */
  async issueAccessUnder(
    db: Db,
    input: Omit<PersonTokensInput, 'withRefresh'>,
    refresh: { row: GrantRow; token: string },
  ): Promise<PersonTokens> {
    const now = Date.now();
    const access = await this.insertAccess(db, input, refresh.row.id, refresh.row.family_id!, now);
    return {
      ...access,
      refreshToken: refresh.token,
      refreshGrantId: refresh.row.id,
      refreshExpiresAt: refresh.row.expires_at,
    };
  }

  /** A refresh grant (optional) and an access grant under it, and the tokens themselves. */
  async issueForPerson(db: Db, input: PersonTokensInput): Promise<PersonTokens> {
    const now = Date.now();
    let refreshToken: string | undefined;
    let refreshGrantId: string | undefined;
    let refreshExpiresAt: number | undefined;
    if (input.withRefresh) {
      refreshToken = input.predecessor ? this.successorOf(input.predecessor) : newSecret();
      refreshGrantId = newId(now);
      refreshExpiresAt = input.refreshExpiresAt ?? now + input.client.refreshTokenTtl * 1000;
      await db
        .insertInto('token_grants')
        .values({
          id: refreshGrantId,
          org_id: input.orgId,
          client_id: input.client.id,
          person_id: input.personId,
          type: 'refresh',
          parent_id: null,
          family_id: input.familyId ?? refreshGrantId,
          token_hash: hashSecret(refreshToken),
          jti: null,
          scope: input.scopes.join(' '),
          claims: input.claims ?? null,
          auth_time: input.authTime,
          created_at: now,
          expires_at: refreshExpiresAt,
          rotated_at: null,
          revoked_at: null,
        })
        .execute();
    }
    const family = refreshGrantId ? (input.familyId ?? refreshGrantId) : null;
    const access = await this.insertAccess(db, input, refreshGrantId ?? null, family, now);
    return { ...access, refreshToken, refreshGrantId, refreshExpiresAt };
  }

  private async insertAccess(
    db: Db,
    input: Omit<PersonTokensInput, 'withRefresh'>,
    refreshGrantId: string | null,
    familyId: string | null,
    now: number,
  ): Promise<{ accessToken: string; claims: AccessTokenClaims; accessGrantId: string }> {
    const accessGrantId = newId(now);
    const { token, claims } = this.tokens.issue({
      subject: input.personId,
      clientId: input.client.id,
      orgId: input.orgId,
      scopes: input.scopes,
      ttlSeconds: input.client.accessTokenTtl,
      personId: input.personId,
      grantId: accessGrantId,
    });
    await db
      .insertInto('token_grants')
      .values({
        id: accessGrantId,
        org_id: input.orgId,
        client_id: input.client.id,
        person_id: input.personId,
        type: 'access',
        parent_id: refreshGrantId,
        family_id: familyId,
        token_hash: null,
        jti: claims.jti,
        scope: claims.scope,
        claims: input.claims ?? null,
        auth_time: input.authTime,
        created_at: now,
        expires_at: claims.exp * 1000,
        rotated_at: null,
        revoked_at: null,
      })
      .execute();
    return { accessToken: token, claims, accessGrantId };
  }

  findRefresh(db: Db, refreshToken: string) {
    return db
      .selectFrom('token_grants')
      .selectAll()
      .where('token_hash', '=', hashSecret(refreshToken))
      .where('type', '=', 'refresh')
      .executeTakeFirst();
  }

  /** Revokes every grant of a rotation family (refresh tokens and their access tokens). */
  async revokeFamily(db: Db, familyId: string, now = Date.now()): Promise<RevokedAccess[]> {
    const live = await db
      .selectFrom('token_grants')
      .select(['jti', 'expires_at'])
      .where('family_id', '=', familyId)
      .where('type', '=', 'access')
      .where('revoked_at', 'is', null)
      .execute();
    await db
      .updateTable('token_grants')
      .set({ revoked_at: now })
      .where('family_id', '=', familyId)
      .where('revoked_at', 'is', null)
      .execute();
    return live;
  }

  /** Revokes one grant: a refresh grant takes its whole family with it; an access grant only itself. */
  async revokeGrant(
    db: Db,
    grant: { id: string; type: string; family_id: string | null; jti: string | null; expires_at: number },
  ) {
    if (grant.type === 'refresh' && grant.family_id) return this.revokeFamily(db, grant.family_id);
    await db
      .updateTable('token_grants')
      .set({ revoked_at: Date.now() })
      .where('id', '=', grant.id)
      .where('revoked_at', 'is', null)
      .execute();
    return [{ jti: grant.jti, expires_at: grant.expires_at }];
  }

  /**
   * Remembers a revoked client_credentials token (no grant row existed): a row keeps its jti
   * refused on every node until it expires.
   */
  async revokeMachineToken(db: Db, claims: AccessTokenClaims): Promise<RevokedAccess[]> {
    const now = Date.now();
    await db
      .insertInto('token_grants')
      .values({
        id: newId(now),
        org_id: claims.org,
        client_id: claims.client_id,
        person_id: null,
        type: 'access',
        parent_id: null,
        family_id: null,
        token_hash: null,
        jti: claims.jti,
        scope: claims.scope,
        auth_time: null,
        created_at: now,
        expires_at: claims.exp * 1000,
        rotated_at: null,
        revoked_at: now,
      })
      .onConflict((oc) => oc.column('jti').doUpdateSet({ revoked_at: now }))
      .execute();
    return [{ jti: claims.jti, expires_at: claims.exp * 1000 }];
  }

  async publish(revoked: readonly RevokedAccess[]): Promise<void> {
    await this.revocations.publishRevokedJtis(revoked);
  }
}
