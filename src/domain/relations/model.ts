/**
 * An authorisation as the domain sees it, and the rules computed from time: `active` (not
 * revoked and the instant is inside [validFrom, validTo)) and `effectiveValidTo` (the end actually
 * in force: validTo, or the revocation time when that came first).
 */
import { Invalid } from '../../platform/errors.js';
import { parseDateTime } from '../../platform/filters/scim.js';
import type { AuthorisationRow } from '../../store/tables/authorisations.js';

/** Subject and object kinds Trivore documents; values of other kinds are opaque strings. */
export const PARTY_TYPES = ['User', 'Group', 'String', 'Contact', 'Target'] as const;
export type PartyType = (typeof PARTY_TYPES)[number];

export interface Party {
  type: string;
  value: string;
}

export interface Authorisation {
  id: string;
  orgId: string;
  nsCode: string;
  /** The type's code. */
  type: string;
  /** The source's code, when set. */
  authSource: string | null;
  subject: Party;
  object: Party;
  validFrom: number;
  validTo: number | null;
  revokedAt: number | null;
  revocationCause: string | null;
  creator: { type: string; id: string };
  created: number;
  lastModified: number;
  active: boolean;
  effectiveValidTo: number | null;
}

/** What create and replace accept (the API layer maps `authType`/`source` aliases onto these). */
export interface AuthorisationInput {
  type?: string;
  nsCode?: string;
  /** Omitted = none on create, unchanged on replace; null = none. */
  authSource?: string | null;
  subject?: Partial<Party> | null;
  object?: Partial<Party> | null;
  /** ISO 8601. Omitted: now on create, unchanged on replace. */
  validFrom?: string | null;
  /** ISO 8601. Omitted: open-ended on create, unchanged on replace; null = open-ended. */
  validTo?: string | null;
  /** Read-only; only `true` on a live authorisation is refused (revoke has its own endpoint). */
  revoked?: boolean;
}

type Window = Pick<AuthorisationRow, 'valid_from' | 'valid_to' | 'revoked_at'>;

export function isActiveAt(row: Window, at: number): boolean {
  return (
    (row.revoked_at === null || row.revoked_at > at) &&
    row.valid_from <= at &&
    (row.valid_to === null || row.valid_to > at)
  );
}

export function effectiveValidTo(row: Window): number | null {
  if (row.revoked_at === null) return row.valid_to;
  return row.valid_to === null ? row.revoked_at : Math.min(row.valid_to, row.revoked_at);
}

export interface Codes {
  nsCode: string;
  type: string;
  authSource: string | null;
}

export function toAuthorisation(row: AuthorisationRow, codes: Codes, now: number): Authorisation {
  return {
    id: row.id,
    orgId: row.org_id,
    nsCode: codes.nsCode,
    type: codes.type,
    authSource: codes.authSource,
    subject: { type: row.subject_type, value: row.subject_value },
    object: { type: row.object_type, value: row.object_value },
    validFrom: row.valid_from,
    validTo: row.valid_to,
    revokedAt: row.revoked_at,
    revocationCause: row.revocation_cause,
    creator: { type: row.creator_type, id: row.creator_id },
    created: row.created_at,
    lastModified: row.updated_at,
    active: isActiveAt(row, now),
    effectiveValidTo: effectiveValidTo(row),
  };
}

/** An ISO 8601 date-time, or Invalid naming the field. */
export function parseInstant(field: string, value: unknown): number {
  const ms = typeof value === 'string' ? parseDateTime(value.trim()) : undefined;
  if (ms === undefined) {
    throw new Invalid(
      field,
      `must be an ISO 8601 date-time such as 2022-05-23T13:03:21.711Z (got ${JSON.stringify(value)})`,
    );
  }
  return ms;
}

/** A subject or object: a known type (any case, stored canonical) and a non-empty value. */
export function parseParty(field: 'subject' | 'object', party: Partial<Party> | null | undefined): Party {
  if (party === undefined || party === null) throw new Invalid(field, 'is required');
  if (typeof party !== 'object') throw new Invalid(field, 'must be an object {type, value}');
  const { type, value } = party;
  if (type === undefined || type === null || type === '') throw new Invalid(`${field}.type`, 'is required');
  const canonical = PARTY_TYPES.find((t) => t.toLowerCase() === String(type).toLowerCase());
  if (!canonical) throw new Invalid(`${field}.type`, `must be one of ${PARTY_TYPES.join(', ')}`);
  if (typeof value !== 'string' || value.trim() === '') throw new Invalid(`${field}.value`, 'is required');
  if (value.length > 255) throw new Invalid(`${field}.value`, 'must be at most 255 characters');
  return { type: canonical, value };
}
