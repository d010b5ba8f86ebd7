import type { Kysely, Transaction } from 'kysely';
import type { SecretBox } from '../../platform/crypto/masterKey.js';
import { DomainError, NotFound } from '../../platform/errors.js';
import type { Database } from '../../store/schema.js';
import { assertWithinCeiling } from '../access/ceiling.js';
import { authorize } from '../access/matrix.js';
import type { Principal } from '../access/principal.js';
import { parseRoles } from '../access/roles.js';
import type { Organizations } from '../organizations/organizations.js';
import type { Connections } from './connections.js';
import { UpstreamError, type UpstreamClient, type UpstreamTokens } from './upstream.js';

/** The upstream provider could not be reached or failed (not the caller's fault). */
export class UpstreamUnavailable extends DomainError {
  readonly status = 502;
  readonly code = 'upstream_unavailable';
  constructor(
    message: string,
    /** What the upstream said (redacted), for the server log (the error logger serialises it). */
    readonly upstream?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** Refresh a little before the provider's expiry, so the token handed out still works when used. */
export const REFRESH_MARGIN_MS = 5_000;

export interface StoreCredentials {
  orgId: string;
  connectionId: string;
  personId: string;
  subject: string | null;
  tokens: UpstreamTokens;
}

/**
 * People's upstream tokens from their latest login through a connection, sealed with the master
 * key. The credentials endpoint hands out the current access token, refreshing it upstream with
 * the stored refresh token once it has expired.
 */
export class ConnectionCredentials {
  /** One refresh at a time per (org, connection, person) in this process. */
  private refreshing = new Map<string, Promise<string>>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly box: SecretBox,
    private readonly organizations: Organizations,
    private readonly connections: Connections,
    private readonly upstream: UpstreamClient,
  ) {}

  /** Another person's upstream token is their credential: only for a caller at least as powerful. */
  private async withinCeiling(principal: Principal, orgId: string, personId: string): Promise<void> {
    const person = await this.db
      .selectFrom('people')
      .select('roles')
      .where('id', '=', personId)
      .where('org_id', '=', orgId)
      .executeTakeFirst();
    if (person)
      assertWithinCeiling(
        principal,
        { orgId, scopes: [], roles: parseRoles(person.roles) },
        `person ${personId}`,
      );
  }

  private seal(value: string | undefined): string | null {
    return value ? this.box.encrypt(value) : null;
  }

  /** Inside the login transaction: the latest login's tokens replace the previous ones. */
  async store(trx: Transaction<Database>, input: StoreCredentials, now = Date.now()): Promise<void> {
    const { tokens } = input;
    const values = {
      upstream_subject: input.subject,
      access_token_enc: this.box.encrypt(tokens.accessToken),
      refresh_token_enc: this.seal(tokens.refreshToken),
      id_token_enc: this.seal(tokens.idToken),
      token_type: tokens.tokenType ?? null,
      scope: tokens.scope ?? null,
      expires_at: tokens.expiresIn ? now + tokens.expiresIn * 1000 : null,
      updated_at: now,
    };
    await trx
      .insertInto('connection_credentials')
      .values({
        org_id: input.orgId,
        connection_id: input.connectionId,
        person_id: input.personId,
        created_at: now,
        ...values,
      })
      .onConflict((oc) => oc.columns(['org_id', 'connection_id', 'person_id']).doUpdateSet(values))
      .execute();
  }

  /**
   * GET …/users/{userId}/credentials: the person themself, or an admin allowed
   * `connections.credentials` (connections:read + full or user admin) in the organization.
   */
  async current(
    principal: Principal,
    connectionId: string,
    userId: string,
    orgId?: string,
  ): Promise<{ accessToken: string }> {
    const target = await this.organizations.resolveTarget(principal, orgId);
    const self = principal.kind === 'person' && principal.personId === userId && principal.orgId === target;
    if (!self) {
      authorize(principal, 'connections.credentials');
      await this.withinCeiling(principal, target, userId);
    }
    const connection = await this.connections.upstream(target, connectionId);
    if (!connection) throw new NotFound(`Connection ${connectionId} was not found.`);
    const key = `${target}\n${connectionId}\n${userId}`;
    const row = await this.read(target, connectionId, userId);
    if (!row)
      throw new NotFound(
        `User ${userId} has no credentials for connection ${connectionId} (never signed in through it).`,
      );
    if (row.expires_at === null || row.expires_at - REFRESH_MARGIN_MS > Date.now()) {
      return { accessToken: this.box.decrypt(row.access_token_enc) };
    }
    let pending = this.refreshing.get(key);
    if (!pending) {
      pending = this.refresh(connection, row).finally(() => this.refreshing.delete(key));
      this.refreshing.set(key, pending);
    }
    return { accessToken: await pending };
  }

  private read(orgId: string, connectionId: string, personId: string) {
    return this.db
      .selectFrom('connection_credentials')
      .innerJoin('people', 'people.id', 'connection_credentials.person_id')
      .selectAll('connection_credentials')
      .where('connection_credentials.org_id', '=', orgId)
      .where('connection_credentials.connection_id', '=', connectionId)
      .where('connection_credentials.person_id', '=', personId)
      .where('people.org_id', '=', orgId)
      .executeTakeFirst();
  }

  private async refresh(
    connection: NonNullable<Awaited<ReturnType<Connections['upstream']>>>,
    row: NonNullable<Awaited<ReturnType<ConnectionCredentials['read']>>>,
  ): Promise<string> {
    const expired = () =>
      new NotFound(
        `The credentials of user ${row.person_id} for connection ${connection.connectionId} have expired and cannot be refreshed; the user must sign in through it again.`,
      );
    if (!row.refresh_token_enc || !connection.tokenUrl || !connection.clientId) throw expired();
    let tokens: UpstreamTokens;
    try {
      tokens = await this.upstream.tokenRequest(
        {
          tokenUrl: connection.tokenUrl,
          clientId: connection.clientId,
          clientSecret: connection.clientSecret,
          contentType: connection.data.supportedContentType,
        },
        { grant_type: 'refresh_token', refresh_token: this.box.decrypt(row.refresh_token_enc) },
      );
    } catch (error) {
      if (!(error instanceof UpstreamError)) throw error;
      // Another node may have refreshed (and rotated the refresh token) first: use its result.
      const again = await this.read(row.org_id, row.connection_id, row.person_id);
      if (
        again &&
        again.updated_at !== row.updated_at &&
        (again.expires_at === null || again.expires_at - REFRESH_MARGIN_MS > Date.now())
      ) {
        return this.box.decrypt(again.access_token_enc);
      }
      if (error.refused) throw expired();
      throw new UpstreamUnavailable(error.message, error.detail);
    }
    const now = Date.now();
    await this.db
      .updateTable('connection_credentials')
      .set({
        access_token_enc: this.box.encrypt(tokens.accessToken),
        // Providers that rotate send a new refresh token; the others keep the old one valid.
        ...(tokens.refreshToken ? { refresh_token_enc: this.box.encrypt(tokens.refreshToken) } : {}),
        ...(tokens.idToken ? { id_token_enc: this.box.encrypt(tokens.idToken) } : {}),
        expires_at: tokens.expiresIn ? now + tokens.expiresIn * 1000 : null,
        updated_at: now,
      })
      .where('org_id', '=', row.org_id)
      .where('connection_id', '=', row.connection_id)
      .where('person_id', '=', row.person_id)
      .execute();
    return tokens.accessToken;
  }
}
