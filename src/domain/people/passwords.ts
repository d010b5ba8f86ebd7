import { hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';

// argon2id (the library's default algorithm) with OWASP's minimum-memory profile: 19 MiB, t=2.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

let verifications = 0;
/** Password verifications done by this process (argon2 runs): observable proof of the throttle. */
export const passwordVerifications = (): number => verifications;

export async function passwordMatches(password: string, stored: string | null): Promise<boolean> {
  if (!stored) return false;
  verifications++;
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** A generated password people can type: 20 characters from a 64-symbol alphabet (120 bits). */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}
