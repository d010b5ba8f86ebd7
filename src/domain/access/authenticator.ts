import { secretMatches } from '../../platform/crypto/secrets.js';
import { Unauthenticated } from '../../platform/errors.js';
import type { AccessKeys } from '../clients/accessKeys.js';
import type { ClientDirectory } from '../clients/clientDirectory.js';
import type { ClientRecord } from '../clients/clientRecord.js';
import type { PersonDirectory } from '../people/personDirectory.js';
import type { AccessTokenClaims, AccessTokens } from '../tokens/accessTokens.js';
import type { Principal } from './principal.js';

/** A check run on every bearer request after the signature (revocations, person status...). */
export type BearerCheck = (claims: AccessTokenClaims, client: ClientRecord) => void | Promise<void>;

const IDENTITY_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);

/**
 * The one authenticator of every management API: `Authorization: Bearer <Keyward JWT>` or
 * `Authorization: Basic base64(client_id:client_secret)`. Throws Unauthenticated.
 */
export class Authenticator {
  private readonly bearerChecks: BearerCheck[] = [];

  constructor(
    private readonly tokens: AccessTokens,
    private readonly clients: ClientDirectory,
    private readonly people: PersonDirectory,
  ) {}

  addBearerCheck(check: BearerCheck): void {
    this.bearerChecks.push(check);
  }

  private accessKeys?: AccessKeys;

  /** Authress-style access keys: Bearer JWTs a service client signs itself (src/domain/clients/accessKeys.ts). */
  useAccessKeys(keys: AccessKeys): void {
    this.accessKeys = keys;
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

  async authenticate(authorization: string | undefined): Promise<Principal> {
    if (!authorization) throw new Unauthenticated('The request has no Authorization header.');
    const space = authorization.indexOf(' ');
    const scheme = authorization.slice(0, space).toLowerCase();
    const value = authorization.slice(space + 1).trim();
    if (space < 0 || !value) throw new Unauthenticated('The Authorization header is malformed.');
    if (scheme === 'bearer') return this.bearer(value);
    if (scheme === 'basic') return this.basic(value);
    throw new Unauthenticated(`The Authorization scheme ${JSON.stringify(scheme)} is not supported.`);
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

  private async basic(encoded: string): Promise<Principal> {
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) throw new Unauthenticated('The Basic credentials are malformed.');
    const rawId = decoded.slice(0, colon);
    const rawSecret = decoded.slice(colon + 1);
    const client = (await this.clients.find(rawId)) ?? (await this.clients.find(formDecode(rawId)));
    if (!client || !basicSecretMatches(rawSecret, client.secretHash)) {
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

/**
 * RFC 6749 §2.3.1 form-encodes id and secret inside Basic, but most clients send them raw:
 * accept either spelling.
 */
export function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, '%20'));
  } catch {
    return value;
  }
}

export function basicSecretMatches(raw: string, storedHash: string | null): boolean {
  if (secretMatches(raw, storedHash)) return true;
  const decoded = formDecode(raw);
  return decoded !== raw && secretMatches(decoded, storedHash);
}
