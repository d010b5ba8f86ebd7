import type { Kysely, Transaction } from 'kysely';
import { hashSecret, newSecret } from '../../platform/crypto/secrets.js';
import { newId } from '../../platform/ids.js';
import type { Database } from '../../store/schema.js';
import type { ClientRecord } from '../clients/clientRecord.js';
import type { AccessTokenClaims, AccessTokens } from './accessTokens.js';
import type { TokenRevocations } from './tokenRevocations.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface PersonTokensInput {
  client: ClientRecord;
  personId: string;
  orgId: string;
  scopes: readonly string[];
  authTime: number;
  /** Issue a refresh token too (OFFLINE clients with the REFRESH_TOKEN grant). */
  withRefresh: boolean;
  /** Continue a rotation chain (refresh_token grant). */
  familyId?: string;
  /** Keep the chain's absolute expiry instead of starting a new one. */
  refreshExpiresAt?: number;
}

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
  ) {}

  /** A refresh grant (optional) and an access grant under it, and the tokens themselves. */
  async issueForPerson(db: Db, input: PersonTokensInput): Promise<PersonTokens> {
    const now = Date.now();
    let refreshToken: string | undefined;
    let refreshGrantId: string | undefined;
    let refreshExpiresAt: number | undefined;
    if (input.withRefresh) {
      refreshToken = newSecret();
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
          auth_time: input.authTime,
          created_at: now,
          expires_at: refreshExpiresAt,
          rotated_at: null,
          revoked_at: null,
        })
        .execute();
    }
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
        parent_id: refreshGrantId ?? null,
        family_id: refreshGrantId ? (input.familyId ?? refreshGrantId) : null,
        token_hash: null,
        jti: claims.jti,
        scope: claims.scope,
        auth_time: input.authTime,
        created_at: now,
        expires_at: claims.exp * 1000,
        rotated_at: null,
        revoked_at: null,
      })
      .execute();
    return { accessToken: token, claims, accessGrantId, refreshToken, refreshGrantId, refreshExpiresAt };
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
