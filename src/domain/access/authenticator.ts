import { secretMatches } from '../../platform/crypto/secrets.js';
import { Unauthenticated } from '../../platform/errors.js';
import type { AccessKeys } from '../clients/accessKeys.js';
import type { ClientDirectory } from '../clients/clientDirectory.js';
import type { ClientRecord } from '../clients/clientRecord.js';
import type { PersonDirectory } from '../people/personDirectory.js';
import type { AccessTokenClaims, AccessTokens } from '../tokens/accessTokens.js';
import type { BasicCredentials, Credentials } from './credentials.js';
import type { Principal } from './principal.js';

/** A check run on every bearer request after the signature (revocations, person status...). */
export type BearerCheck = (claims: AccessTokenClaims, client: ClientRecord) => void | Promise<void>;

const IDENTITY_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);

/**
 * The one authenticator of every management API: a Bearer Keyward JWT or access key, or a client's
 * Basic id and secret (parsed from the header by src/http/credentials.ts). Throws Unauthenticated.
 */
export class Authenticator {
  private readonly bearerChecks: readonly BearerCheck[];
  /** Authress-style access keys: Bearer JWTs a service client signs itself (src/domain/clients/accessKeys.ts). */
  private readonly accessKeys?: AccessKeys;

  constructor(
    private readonly tokens: AccessTokens,
    private readonly clients: ClientDirectory,
    private readonly people: PersonDirectory,
    options: { bearerChecks?: BearerCheck[]; accessKeys?: AccessKeys } = {},
  ) {
    this.bearerChecks = options.bearerChecks ?? [];
    this.accessKeys = options.accessKeys;
  }

  private async accessKey(token: string): Promise<Principal> {
    const { client, exp } = await this.accessKeys!.verify(token);
    return {
      kind: 'client',
      orgId: client.orgId,
      clientId: client.id,
      roles: client.roles,
      scopes: new Set(client.scopes),
      method: 'access_key',
      tokenExpiresAt: exp,
    };
  }

  async authenticate(credentials: Credentials): Promise<Principal> {
    return credentials.kind === 'bearer' ? this.bearer(credentials.token) : this.basic(credentials);
  }

  private async bearer(token: string): Promise<Principal> {
    if (this.accessKeys?.recognises(token)) return this.accessKey(token);
    const claims = await this.tokens.verify(token);
    const client = await this.usableClient(claims.client_id);
    // A client's own tokens carry its org; person tokens carry the person's (apps serve many orgs).
    if (!claims.person_id && client.orgId !== claims.org)
      throw new Unauthenticated('The access token is no longer valid.');
    for (const check of this.bearerChecks) await check(claims, client);
    // A person token acts with the person's current roles; it dies with the person.
    const person = claims.person_id ? await this.people.access(claims.person_id) : undefined;
    if (claims.person_id && (!person || person.orgId !== claims.org)) {
      throw new Unauthenticated('The access token is no longer valid.');
    }
    // Scopes removed from the client since issuance stop working at once. A person token may
    // also carry the identity scopes (openid, email...) the client need not hold itself.
    const scopes = new Set(
      claims.scope
        .split(' ')
        .filter((s) => s && (client.scopes.includes(s) || (person && IDENTITY_SCOPES.has(s)))),
    );
    return {
      kind: claims.person_id ? 'person' : 'client',
      orgId: claims.org,
      clientId: client.id,
      personId: claims.person_id,
      roles: person ? person.roles : client.roles,
      scopes,
      method: 'bearer',
      tokenId: claims.jti,
      tokenExpiresAt: claims.exp,
    };
  }

  private async basic(credentials: BasicCredentials): Promise<Principal> {
    const client =
      (await this.clients.find(credentials.id)) ?? (await this.clients.find(credentials.decodedId));
    if (!client || !basicSecretMatches(credentials, client.secretHash)) {
      throw new Unauthenticated('The client credentials are invalid.');
    }
    if (!client.enabled) throw new Unauthenticated('The client is disabled.');
    return {
      kind: 'client',
      orgId: client.orgId,
      clientId: client.id,
      roles: client.roles,
      scopes: new Set(client.scopes),
      method: 'basic',
    };
  }

  private async usableClient(clientId: string): Promise<ClientRecord> {
    const client = await this.clients.find(clientId);
    if (!client || !client.enabled) throw new Unauthenticated('The access token is no longer valid.');
    return client;
  }
}

/** The secret as sent, or form-decoded (RFC 6749 §2.3.1) when that spelling differs. */
export function basicSecretMatches(credentials: BasicCredentials, storedHash: string | null): boolean {
  if (secretMatches(credentials.secret, storedHash)) return true;
  return (
    credentials.decodedSecret !== credentials.secret && secretMatches(credentials.decodedSecret, storedHash)
  );
}
