import { Invalid } from '../../platform/errors.js';
import { isAdminRole, type AdminRole } from '../access/roles.js';

/** Field rules of a person, shared by create, replace and the list filters. */

// One address per person (Webex uses only the first); a pragmatic RFC 5321 shape, ≤ 320 chars.
const EMAIL =
  /^[^\s@"(),:;<>[\\\]]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
export const PERSON_ID = /^[0-9a-hjkmnp-tv-z]{26}$/;
export const MAX_IDS = 85;
export const MAX_PAGE = 1000;
export const PERSON_STATUSES = ['active', 'inactive'] as const;
export type PersonStatus = (typeof PERSON_STATUSES)[number];
export const MIN_PASSWORD = 12;
export const MAX_PASSWORD = 256;

export function normaliseEmail(field: string, value: string): string {
  const email = value.trim().toLowerCase();
  if (email.length > 320 || !EMAIL.test(email)) throw new Invalid(field, 'is not a valid email address');
  return email;
}

/** `emails` of a create or replace: exactly one address. */
export function singleEmail(emails: readonly string[] | undefined): string {
  if (!emails || emails.length === 0) throw new Invalid('emails', 'is required (one email address)');
  if (emails.length > 1) throw new Invalid('emails', 'must hold exactly one address (Webex uses only one)');
  return normaliseEmail('emails[0]', emails[0]!);
}

export function checkRoles(field: string, roles: readonly string[]): AdminRole[] {
  const unique = [...new Set(roles)];
  for (const role of unique) {
    if (!isAdminRole(role)) {
      throw new Invalid(field, `unknown role ${JSON.stringify(role)} (see GET /v1/roles)`);
    }
  }
  return unique as AdminRole[];
}

/** A name field: trimmed; blank means absent; at most 256 characters. */
export function name(field: string, value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  const trimmed = value.trim();
  if (trimmed.length > 256) throw new Invalid(field, 'must be at most 256 characters');
  return trimmed === '' ? null : trimmed;
}

export function checkPassword(field: string, password: string): void {
  // Never echo the value: messages and logs name the field only.
  if (password.length < MIN_PASSWORD || password.length > MAX_PASSWORD) {
    throw new Invalid(field, `must be ${MIN_PASSWORD} to ${MAX_PASSWORD} characters long`);
  }
}

/** `id` filter: a comma list of at most 85 person ids. */
export function idList(value: string | undefined): string[] | undefined {
  if (value === undefined || value === '') return undefined;
  const ids = [
    ...new Set(
      value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  if (ids.length > MAX_IDS) throw new Invalid('id', `lists at most ${MAX_IDS} ids (got ${ids.length})`);
  return ids;
}

export function roleList(value: string | undefined): AdminRole[] | undefined {
  if (value === undefined || value === '') return undefined;
  return checkRoles(
    'roles',
    value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
}
