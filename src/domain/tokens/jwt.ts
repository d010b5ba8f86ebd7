import { sign, verify, type KeyObject } from 'node:crypto';

/**
 * Compact JWS with node:crypto directly. jose goes through WebCrypto and the libuv pool, which
 * costs more than the signature itself on the token hot path (docs/perf-notes.md).
 */
export type JwtAlg = 'EdDSA' | 'RS256';
export const SUPPORTED_ALGS: readonly JwtAlg[] = ['EdDSA', 'RS256'];

export interface JwtHeader {
  alg: string;
  kid?: string;
  typ?: string;
}

export interface DecodedJwt {
  header: JwtHeader;
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

function b64json(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function signJwt(header: JwtHeader, payload: Record<string, unknown>, key: KeyObject): string {
  const input = `${b64json(header)}.${b64json(payload)}`;
  const digest = header.alg === 'RS256' ? 'sha256' : null;
  return `${input}.${sign(digest, Buffer.from(input), key).toString('base64url')}`;
}

/** Splits and parses a compact JWS; undefined when it is not one. Does NOT verify. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[0] || !parts[1]) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    if (typeof header !== 'object' || header === null || typeof payload !== 'object' || payload === null)
      return undefined;
    return {
      header,
      payload,
      signingInput: `${parts[0]}.${parts[1]}`,
      signature: Buffer.from(parts[2], 'base64url'),
    };
  } catch {
    return undefined;
  }
}

export function verifyJwtSignature(decoded: DecodedJwt, alg: JwtAlg, key: KeyObject): boolean {
  try {
    return verify(
      alg === 'RS256' ? 'sha256' : null,
      Buffer.from(decoded.signingInput),
      key,
      decoded.signature,
    );
  } catch {
    return false;
  }
}
