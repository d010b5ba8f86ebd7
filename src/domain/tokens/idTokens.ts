import { createHash, randomBytes } from 'node:crypto';
import type { SigningKeys } from '../keys/signingKeys.js';
import { signJwt, type JwtAlg } from './jwt.js';

export interface IdTokenPerson {
  id: string;
  email: string;
  displayName: string | null;
  firstName: string | null;
  lastName: string | null;
}

export interface IssueIdToken {
  clientId: string;
  person: IdTokenPerson;
  scopes: readonly string[];
  authTime: number;
  nonce?: string | null;
  accessToken: string;
  ttlSeconds: number;
}

/** OIDC Core §3.1.3.6: left half of the hash of the access token; Ed25519 pairs with SHA-512. */
export function atHash(accessToken: string, alg: JwtAlg): string {
  const digest = createHash(alg === 'EdDSA' ? 'sha512' : 'sha256')
    .update(accessToken)
    .digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

/** Claims a person's scopes release, shared by ID tokens and /oauth/userinfo. */
export function personClaims(person: IdTokenPerson, scopes: readonly string[]): Record<string, unknown> {
  const claims: Record<string, unknown> = { sub: person.id };
  if (scopes.includes('email')) Object.assign(claims, { email: person.email, email_verified: true });
  if (scopes.includes('profile')) {
    if (person.displayName) claims.name = person.displayName;
    if (person.firstName) claims.given_name = person.firstName;
    if (person.lastName) claims.family_name = person.lastName;
  }
  return claims;
}

/** ID tokens: RS256 by default for interoperability, EdDSA when configured. */
export class IdTokens {
  constructor(
    private readonly keys: SigningKeys,
    private readonly issuer: string,
    readonly alg: JwtAlg = 'RS256',
  ) {}

  issue(input: IssueIdToken): string {
    const iat = Math.floor(Date.now() / 1000);
    const key = this.keys.current(this.alg);
    return signJwt(
      { alg: this.alg, kid: key.kid, typ: 'JWT' },
      {
        iss: this.issuer,
        aud: input.clientId,
        azp: input.clientId,
        iat,
        exp: iat + input.ttlSeconds,
        auth_time: Math.floor(input.authTime / 1000),
        jti: randomBytes(12).toString('base64url'),
        ...(input.nonce ? { nonce: input.nonce } : {}),
        at_hash: atHash(input.accessToken, this.alg),
        ...personClaims(input.person, input.scopes),
      },
      key.privateKey,
    );
  }
}
