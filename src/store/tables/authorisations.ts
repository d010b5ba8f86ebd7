/**
 * Trivore-style authorisations (migration 0004): typed relations in which an object grants a
 * subject a permission, with a validity window and revocation. Times are epoch ms.
 */
import type { Selectable } from 'kysely';
import type { JsonText, Millis } from '../schema.js';

/** Authorisation types and sources share one shape; `code` is unique within a namespace (org). */
export interface AuthorisationCatalogTable {
  id: string;
  org_id: string;
  code: string;
  name: string | null;
  /** JSON array of {locale, value}. */
  names: JsonText;
  description: string | null;
  /** Free-form JSON object kept for the caller, or null. */
  metadata: JsonText | null;
  created_at: Millis;
  updated_at: Millis;
}

export interface AuthorisationsTable {
  id: string;
  /** The owning namespace (organizations.id; its code is the nsCode). */
  org_id: string;
  type_id: string;
  source_id: string | null;
  subject_type: string;
  subject_value: string;
  object_type: string;
  object_value: string;
  valid_from: Millis;
  /** null = open-ended. */
  valid_to: Millis | null;
  /** Set once, never cleared: revocation is final. */
  revoked_at: Millis | null;
  revocation_cause: string | null;
  creator_type: string;
  creator_id: string;
  created_at: Millis;
  updated_at: Millis;
}

/**
 * Every state an authorisation has been in, with the interval of system time during which it was
 * the current state: [recorded_from, recorded_to), recorded_to null for the current one. Rows are
 * only ever appended or closed; deleting an authorisation closes its last state. This answers
 * "was it active at instant T" exactly, with one indexed query.
 */
export interface AuthorisationHistoryTable {
  authorisation_id: string;
  /** 1, 2, … per authorisation. */
  version: number;
  org_id: string;
  type_id: string;
  source_id: string | null;
  subject_type: string;
  subject_value: string;
  object_type: string;
  object_value: string;
  valid_from: Millis;
  valid_to: Millis | null;
  revoked_at: Millis | null;
  recorded_from: Millis;
  recorded_to: Millis | null;
}

export interface AuthorisationTables {
  authorisation_types: AuthorisationCatalogTable;
  authorisation_sources: AuthorisationCatalogTable;
  authorisations: AuthorisationsTable;
  authorisation_history: AuthorisationHistoryTable;
}

export type AuthorisationCatalogRow = Selectable<AuthorisationCatalogTable>;
export type AuthorisationRow = Selectable<AuthorisationsTable>;
