import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { SecretBox } from '../../platform/crypto/masterKey.js';
import { hashSecret, newSecret } from '../../platform/crypto/secrets.js';
import { Invalid } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { isUniqueViolation } from '../../store/db.js';
import type { Database, PersonRow } from '../../store/schema.js';
import { claimInvitations } from '../licenses/invitations.js';
import { recordAudit } from '../audit/auditLog.js';
import { DEFAULT_SCOPE, type Connection } from './connectionModel.js';
import type { Connections, UpstreamConnection } from './connections.js';
import type { ConnectionCredentials } from './credentials.js';
import {
  identityFrom,
  redactUpstreamText,
  UpstreamError,
  type UpstreamClient,
  type UpstreamIdentity,
  type UpstreamTokens,
} from './upstream.js';

/** A federation login in flight lives 10 minutes, and is used once. */
export const FEDERATION_TTL_MS = 10 * 60_000;
const BINDING = /^[A-Za-z0-9_-]{43}$/;

/**
 * The login could not complete. `params` is the original authorization request when it is known
 * and trustworthy (the state matched this browser), so the caller may send the error back to the
 * application; otherwise it can only show a page. Messages are safe to show.
 */
export class FederationFailed extends Error {
  constructor(
    message: string,
    readonly params?: Record<string, string>,
    /** For the server log only (what the upstream said, redacted); never shown. */
    readonly detail?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** Error codes an upstream may send back to the callback (RFC 6749 §4.1.2.1, OIDC Core §3.1.2.6). */
const CALLBACK_ERRORS = new Set([
  'invalid_request',
  'unauthorized_client',
  'access_denied',
  'unsupported_response_type',
  'invalid_scope',
  'server_error',
  'temporarily_unavailable',
  'interaction_required',
  'login_required',
  'account_selection_required',
  'consent_required',
  'invalid_request_uri',
  'invalid_request_object',
  'request_not_supported',
  'request_uri_not_supported',
  'registration_not_supported',
]);

export interface BeginFederation {
  connection: Connection;
  clientId: string;
  /** The original /oauth/authorize parameters, to continue with after the callback. */
  params: Record<string, string>;
  /** The browser's existing binding cookie, reused so that several tabs can log in at once. */
  browserBinding?: string;
  /** Keyward's /sso/callback URL (the upstream redirect_uri). */
  callbackUrl: string;
}

export interface CompleteFederation {
  state?: string;
  code?: string;
  error?: string;
  browserBinding?: string;
  callbackUrl: string;
}

/**
 * Login through an upstream OAuth 2.0 / OpenID Connect provider (an OAUTH2 connection): PKCE,
 * state and nonce out; code exchange, ID token validation, person linking (by verified email) or
 * creation in the connection's organization, and sealed upstream credentials back in.
 */
export class Federation {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly box: SecretBox,
    private readonly connections: Connections,
    private readonly credentials: ConnectionCredentials,
    private readonly upstream: UpstreamClient,
  ) {}

  /** A connection usable for login in `orgId`; Invalid (with a clear reason) otherwise. */
  async usable(orgId: string, connectionId: string): Promise<Connection> {
    const connection = await this.connections.upstream(orgId, connectionId);
    if (!connection)
      throw new Invalid(
        'connection_id',
        `Unknown connection ${connectionId} for this application's organization.`,
      );
    if (connection.type === 'SAML2') {
      throw new Invalid(
        'connection_id',
        `Connection ${connectionId} is a SAML2 connection; SAML sign-in is not supported by Keyward (only OAUTH2/OpenID Connect connections can be used to sign in).`,
      );
    }
    return connection;
  }

  /** Connections offered as buttons on the login page of an application of `orgId`. */
  async loginChoices(orgId: string): Promise<{ connectionId: string; name: string }[]> {
    const list = await this.connections.forLoginPage(orgId);
    return list.map((c) => ({ connectionId: c.connectionId, name: c.data.name ?? c.connectionId }));
  }

  async begin(input: BeginFederation): Promise<{ redirectUrl: string; browserBinding: string }> {
    const { connection } = input;
    const state = newSecret();
    const nonce = newSecret();
    const verifier = newSecret(); // 43 characters: RFC 7636's minimum length, 256 bits
    const browserBinding =
      input.browserBinding && BINDING.test(input.browserBinding) ? input.browserBinding : newSecret();
    const now = Date.now();
    await this.db
      .deleteFrom('federation_logins')
      .where('expires_at', '<', now - FEDERATION_TTL_MS)
      .execute();
    await this.db
      .insertInto('federation_logins')
      .values({
        state_hash: hashSecret(state),
        org_id: connection.orgId,
        connection_id: connection.connectionId,
        client_id: input.clientId,
        params: JSON.stringify(input.params),
        code_verifier_enc: this.box.encrypt(verifier),
        nonce,
        browser_hash: hashSecret(browserBinding),
        created_at: now,
        expires_at: now + FEDERATION_TTL_MS,
        used_at: null,
      })
      .execute();
    const url = new URL(connection.authenticationUrl);
    const set = (k: string, v: string | undefined) => v !== undefined && url.searchParams.set(k, v);
    set('response_type', 'code');
    set('client_id', connection.clientId ?? undefined);
    set('redirect_uri', input.callbackUrl);
    set('scope', connection.scope ?? DEFAULT_SCOPE);
    set('state', state);
    set('nonce', nonce);
    set('code_challenge', createHash('sha256').update(verifier).digest('base64url'));
    set('code_challenge_method', 'S256');
    set('login_hint', input.params.login_hint);
    return { redirectUrl: url.href, browserBinding };
  }

  /** The callback: everything is checked before anything is stored; a failure stores nothing. */
  async complete(
    input: CompleteFederation,
  ): Promise<{ params: Record<string, string>; personId: string; orgId: string }> {
    if (!input.state) throw new FederationFailed('The sign-in response has no state.');
    const stateHash = hashSecret(input.state);
    const pending = await this.db
      .selectFrom('federation_logins')
      .selectAll()
      .where('state_hash', '=', stateHash)
      .executeTakeFirst();
    const now = Date.now();
    if (!pending || pending.expires_at <= now || pending.used_at !== null) {
      throw new FederationFailed(
        'This sign-in response does not match a sign-in in progress (unknown, expired or already used state). Start again from the application.',
      );
    }
    if (!input.browserBinding || hashSecret(input.browserBinding) !== pending.browser_hash) {
      throw new FederationFailed(
        'This sign-in was started in another browser. Start again from the application.',
      );
    }
    // Single use, even when two callbacks race: only one update wins.
    const claimed = await this.db
      .updateTable('federation_logins')
      .set({ used_at: now })
      .where('state_hash', '=', stateHash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1)
      throw new FederationFailed('This sign-in response was already used. Start again from the application.');
    const params = JSON.parse(pending.params) as Record<string, string>;
    const fail = (message: string, detail?: Record<string, unknown>) =>
      new FederationFailed(message, params, detail);
    if (input.error) {
      // Only a registered code is repeated; the upstream's own text stays in the server log.
      const code = CALLBACK_ERRORS.has(input.error) ? input.error : 'unknown_error';
      throw fail(`The identity provider did not sign you in (${code}).`, {
        error: redactUpstreamText(input.error, 64),
      });
    }
    if (!input.code) throw fail('The identity provider answered without an authorization code.');
    const connection = await this.connections.upstream(pending.org_id, pending.connection_id);
    if (!connection || connection.type !== 'OAUTH2' || !connection.tokenUrl || !connection.clientId) {
      throw fail('The connection used for this sign-in no longer exists or cannot be used.');
    }
    try {
      const tokens = await this.upstream.tokenRequest(
        {
          tokenUrl: connection.tokenUrl,
          clientId: connection.clientId,
          clientSecret: connection.clientSecret,
          contentType: connection.data.supportedContentType,
        },
        {
          grant_type: 'authorization_code',
          code: input.code,
          redirect_uri: input.callbackUrl,
          code_verifier: this.box.decrypt(pending.code_verifier_enc),
        },
      );
      const identity = await this.identify(connection, tokens, pending.nonce);
      if (!identity.email)
        throw new FederationFailed('The identity provider did not tell Keyward your email address.', params);
      if (!identity.emailVerified)
        throw new FederationFailed(
          'The identity provider did not confirm that your email address is verified.',
          params,
        );
      const personId = await this.linkAndStore(connection, identity, tokens);
      return { params, personId, orgId: connection.orgId };
    } catch (error) {
      if (error instanceof UpstreamError) throw fail(error.message, error.detail);
      if (error instanceof FederationFailed && !error.params) throw fail(error.message);
      throw error;
    }
  }

  /** OIDC (issuerUrl set): a validated ID token, completed by userinfo. Plain OAuth 2.0: the user endpoint. */
  private async identify(
    connection: UpstreamConnection,
    tokens: UpstreamTokens,
    nonce: string,
  ): Promise<UpstreamIdentity> {
    if (connection.issuerUrl) {
      if (!tokens.idToken)
        throw new UpstreamError('The identity provider returned no ID token (openid scope missing?).');
      const { claims, discovery } = await this.upstream.validateIdToken(
        tokens.idToken,
        connection.issuerUrl,
        connection.clientId!,
        nonce,
      );
      let identity = identityFrom(claims as Record<string, unknown>);
      const endpoint = connection.data.oidcUserEndpointUrl ?? discovery.userinfoEndpoint;
      if (!identity.email && endpoint) {
        const info = await this.upstream.userinfo(endpoint, tokens.accessToken);
        // OIDC Core §5.3.2: userinfo must be about the ID token's subject.
        if (info.sub !== identity.subject)
          throw new UpstreamError(
            "The identity provider's userinfo is about another subject than its ID token.",
          );
        identity = {
          ...identityFrom({ ...info, sub: identity.subject }),
          name: identity.name ?? identityFrom(info).name,
        };
      }
      return identity;
    }
    if (!connection.data.oidcUserEndpointUrl) {
      throw new UpstreamError(
        'The connection has neither an issuerUrl (OpenID Connect) nor data.oidcUserEndpointUrl, so Keyward cannot learn who signed in.',
      );
    }
    const info = await this.upstream.userinfo(connection.data.oidcUserEndpointUrl, tokens.accessToken);
    return identityFrom({ ...info, sub: info.sub ?? info.id });
  }

  /**
   * Links the person with this verified email in the connection's organization, or creates them
   * there; stores the upstream tokens. One transaction. A person of ANOTHER organization is never
   * linked: one tenant's identity provider must not sign people of another tenant in.
   */
  private async linkAndStore(
    connection: UpstreamConnection,
    identity: UpstreamIdentity,
    tokens: UpstreamTokens,
  ): Promise<string> {
    const email = identity.email!;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        return await this.db.transaction().execute(async (trx) => {
          const now = Date.now();
          const existing = await trx
            .selectFrom('people')
            .select(['id', 'org_id', 'status'])
            .where('email', '=', email)
            .executeTakeFirst();
          let personId: string;
          if (existing) {
            if (existing.org_id !== connection.orgId)
              throw new FederationFailed(
                `The account ${email} belongs to another organization and cannot sign in through this connection.`,
              );
            if (existing.status !== 'active')
              throw new FederationFailed(`The account ${email} is not active.`);
            personId = existing.id;
          } else {
            personId = newId(now);
            const person: PersonRow = {
              id: personId,
              org_id: connection.orgId,
              email,
              display_name: identity.name ?? null,
              first_name: identity.givenName ?? null,
              last_name: identity.familyName ?? null,
              password_hash: null,
              phone_numbers: null,
              addresses: null,
              roles: '[]',
              status: 'active',
              created_at: now,
              updated_at: now,
            };
            await trx.insertInto('people').values(person).execute();
            await claimInvitations(trx, person);
            await recordAudit(trx, {
              orgId: connection.orgId,
              actor: `connection:${connection.connectionId}`,
              action: 'person.create',
              target: `person:${personId}`,
              detail: { via: 'federation' },
            });
          }
          await this.credentials.store(
            trx,
            {
              orgId: connection.orgId,
              connectionId: connection.connectionId,
              personId,
              subject: identity.subject || null,
              tokens,
            },
            now,
          );
          await recordAudit(trx, {
            orgId: connection.orgId,
            actor: `person:${personId}`,
            action: 'connection.login',
            target: `connection:${connection.connectionId}`,
          });
          return personId;
        });
      } catch (error) {
        // Two first logins of one person at once: the loser links to the winner's row.
        if (attempt === 0 && isUniqueViolation(error)) continue;
        throw error;
      }
    }
    throw new FederationFailed('The sign-in could not be completed; try again.');
  }
}
