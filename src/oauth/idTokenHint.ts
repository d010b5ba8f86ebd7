import { decodeJwt, verifyJwtSignature } from '../domain/tokens/jwt.js';
import type { OAuthContext } from './context.js';

export interface IdTokenHint {
  sub: string;
  /** The client it was issued to. */
  aud: string | undefined;
  sid?: string;
}

/**
 * An ID token Keyward issued, presented back as `id_token_hint` (authorize, logout): signature
 * checked with our keys and the issuer compared; expiry is not (OIDC Core §3.1.2.1 allows an
 * expired hint). Undefined when it is not one of ours.
 */
export async function verifyIdTokenHint(
  ctx: OAuthContext,
  hint: string | undefined,
): Promise<IdTokenHint | undefined> {
  const decoded = hint ? decodeJwt(hint) : undefined;
  if (!decoded || typeof decoded.header.kid !== 'string') return undefined;
  const key = await ctx.keys.verificationKey(decoded.header.kid);
  if (!key || key.alg !== decoded.header.alg || !verifyJwtSignature(decoded, key.alg, key.key))
    return undefined;
  const { iss, sub, aud, sid } = decoded.payload;
  if (iss !== ctx.issuer || typeof sub !== 'string') return undefined;
  return {
    sub,
    aud: typeof aud === 'string' ? aud : undefined,
    ...(typeof sid === 'string' ? { sid } : {}),
  };
}
