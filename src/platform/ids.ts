import { randomBytes } from 'node:crypto';

// Crockford base32, lowercase: URL-safe, unambiguous, and lexical order = numeric order.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * A time-ordered opaque id (ULID layout: 48-bit ms timestamp + 80 random bits, 26 chars).
 * Ordered ids let lists page by keyset on `id` and stay stable while rows are added.
 */
export function newId(now = Date.now()): string {
  let out = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[t % 32] + out;
    t = Math.floor(t / 32);
  }
  const random = randomBytes(10);
  let bits = 0;
  let value = 0;
  for (const byte of random) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}

/** An OAuth client id: 32 hex characters, the shape SailPoint clients have. */
export function newClientId(): string {
  return randomBytes(16).toString('hex');
}

/** A request tracking id (Webex `TrackingID`, SailPoint `trackingId`): 32 hex characters. */
export function newTrackingId(): string {
  return randomBytes(16).toString('hex');
}
