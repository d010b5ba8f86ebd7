import { createHash, randomBytes } from 'node:crypto';
import type { SigningKeys } from '../keys/signingKeys.js';
import { signJwt, type JwtAlg } from './jwt.js';
import {
  personClaims,
  requestedClaimNames,
  type ClaimsPerson,
  type ClaimsRequest,
} from '../identity/claims.js';

export type IdTokenPerson = ClaimsPerson;

export interface IssueIdToken {
  clientId: string;
  person: IdTokenPerson;
  scopes: readonly string[];
  authTime: number;
  nonce?: string | null;
  accessToken: string;
  ttlSeconds: number;
  /** The `claims` request of the authorization (its id_token part adds claims). */
  claims?: ClaimsRequest;
  /** The acr asserted, when the client asked for one. */
  acr?: string | null;
  /** The login session (OIDC Back-Channel Logout §2.1). */
  sid?: string | null;
}

/** OIDC Core §3.1.3.6: left half of the hash of the access token; Ed25519 pairs with SHA-512. */
export function atHash(accessToken: string, alg: JwtAlg): string {
  const digest = createHash(alg === 'EdDSA' ? 'sha512' : 'sha256')
    .update(accessToken)
    .digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
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
        ...(input.acr ? { acr: input.acr } : {}),
        ...(input.sid ? { sid: input.sid } : {}),
        ...personClaims(input.person, input.scopes, requestedClaimNames(input.claims, 'id_token')),
      },
      key.privateKey,
    );
  }
}
