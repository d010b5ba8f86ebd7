import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A 256-bit random secret (client secrets, refresh tokens, codes), base64url. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Hash of a high-entropy secret for storage. SHA-256 is enough for 256-bit random values (no
 * dictionary to attack) and keeps the token hot path cheap; people's passwords use argon2id instead.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}

/** Constant-time comparison of a presented secret with a stored hash. */
export function secretMatches(presented: string, storedHash: string | null | undefined): boolean {
  if (!storedHash) return false;
  const a = Buffer.from(hashSecret(presented));
  const b = Buffer.from(storedHash);
  return a.length === b.length && timingSafeEqual(a, b);
}
