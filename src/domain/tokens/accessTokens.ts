import { randomTokenId } from '../../platform/crypto/randomPool.js';
import { Unauthenticated } from '../../platform/errors.js';
import type { SigningKeys } from '../keys/signingKeys.js';
import { decodeJwt, signJwt, SUPPORTED_ALGS, verifyJwtSignature, type JwtAlg } from './jwt.js';

/** Claims of a Keyward access token (RFC 9068 profile, `typ: at+jwt`). */
export interface AccessTokenClaims {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
  iat: number;
  nbf?: number;
  jti: string;
  client_id: string;
  scope: string;
  org: string;
  /** The person the token acts for (person tokens only). */
  person_id?: string;
  /** The refresh grant it was issued under (person tokens only). */
  grant_id?: string;
}

export interface IssueAccessToken {
  subject: string;
  clientId: string;
  orgId: string;
  scopes: readonly string[];
  ttlSeconds: number;
  personId?: string;
  grantId?: string;
}

const CLOCK_SKEW_S = 30;
const MAX_VERIFIED = 50_000;

export class AccessTokens {
  /** Verified tokens by their exact string, until exp: verification is the dominant cost per request. */
  private verified = new Map<string, AccessTokenClaims>();

  /** From the revocation service: see TokenRevocations.minimumIat. */
  private readonly minimumIat: (clientId: string, orgId: string) => number;

  constructor(
    private readonly keys: SigningKeys,
    private readonly issuer: string,
    private readonly alg: JwtAlg = 'EdDSA',
    options: { minimumIat?: (clientId: string, orgId: string) => number } = {},
  ) {
    this.minimumIat = options.minimumIat ?? (() => 0);
  }

  /** The `aud` of access tokens: Keyward's own management APIs. */
  get audience(): string {
    return this.issuer;
  }

  issue(input: IssueAccessToken): { token: string; claims: AccessTokenClaims } {
    const iat = Math.max(Math.floor(Date.now() / 1000), this.minimumIat(input.clientId, input.orgId));
    const claims: AccessTokenClaims = {
      iss: this.issuer,
      sub: input.subject,
      aud: this.audience,
      exp: iat + input.ttlSeconds,
      iat,
      jti: randomTokenId(),
      client_id: input.clientId,
      scope: input.scopes.join(' '),
      org: input.orgId,
      ...(input.personId ? { person_id: input.personId } : {}),
      ...(input.grantId ? { grant_id: input.grantId } : {}),
    };
    const key = this.keys.current(this.alg);
    const token = signJwt({ alg: this.alg, kid: key.kid, typ: 'at+jwt' }, { ...claims }, key.privateKey);
    return { token, claims };
  }

  /**
   * Verifies signature (allow-listed algs, key by kid), typ, iss, aud, exp and nbf (30 s skew).
   * Revocation is NOT checked here: the authenticator does that on every request, cache or not.
   */
  async verify(token: string): Promise<AccessTokenClaims> {
    const now = Math.floor(Date.now() / 1000);
    const cached = this.verified.get(token);
    if (cached) {
      if (cached.exp + CLOCK_SKEW_S > now) return cached;
      this.verified.delete(token);
    }
    const decoded = decodeJwt(token);
    if (!decoded) throw new Unauthenticated('The access token is malformed.');
    const { header, payload } = decoded;
    if (!SUPPORTED_ALGS.includes(header.alg as JwtAlg)) {
      throw new Unauthenticated(
        `The access token's algorithm ${JSON.stringify(header.alg)} is not accepted.`,
      );
    }
    if (header.typ !== 'at+jwt') throw new Unauthenticated('The token is not an access token.');
    const key = typeof header.kid === 'string' ? await this.keys.verificationKey(header.kid) : undefined;
    if (!key || key.alg !== header.alg || !verifyJwtSignature(decoded, key.alg, key.key)) {
      throw new Unauthenticated('The access token signature is invalid.');
    }
    const claims = payload as unknown as AccessTokenClaims;
    if (claims.iss !== this.issuer)
      throw new Unauthenticated('The access token was issued by another issuer.');
    if (claims.aud !== this.audience) throw new Unauthenticated('The access token is for another audience.');
    if (typeof claims.exp !== 'number' || claims.exp + CLOCK_SKEW_S <= now) {
      throw new Unauthenticated('The access token has expired.');
    }
    if (typeof claims.nbf === 'number' && claims.nbf - CLOCK_SKEW_S > now) {
      throw new Unauthenticated('The access token is not valid yet.');
    }
    if (typeof claims.iat === 'number' && claims.iat - CLOCK_SKEW_S > now) {
      throw new Unauthenticated('The access token was issued in the future.');
    }
    if (
      typeof claims.client_id !== 'string' ||
      typeof claims.org !== 'string' ||
      typeof claims.jti !== 'string'
    ) {
      throw new Unauthenticated('The access token lacks required claims.');
    }
    if (this.verified.size >= MAX_VERIFIED) this.verified.clear();
    this.verified.set(token, claims);
    return claims;
  }
}
