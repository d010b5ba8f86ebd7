import type { Flag, JsonText, Millis } from '../schema.js';

/**
 * Person-bound tokens (and revoked machine tokens): the Webex "authorizations". A refresh grant
 * and the access grants issued under it (parent_id); refresh rotation keeps one family_id.
 */
export interface TokenGrantsTable {
  id: string;
  org_id: string;
  client_id: string;
  /** Null only for a revoked client_credentials token (kept so its jti stays refused). */
  person_id: string | null;
  /** refresh | access */
  type: string;
  parent_id: string | null;
  /** The first refresh grant of a rotation chain; reuse of any rotated member revokes the family. */
  family_id: string | null;
  /** SHA-256 of the refresh token (refresh grants). */
  token_hash: string | null;
  /** The access token's jti (access grants). */
  jti: string | null;
  scope: string;
  /** The OIDC `claims` request (JSON) of the authorization, carried along refreshes. */
  claims?: JsonText | null;
  auth_time: Millis | null;
  created_at: Millis;
  expires_at: Millis;
  /** Set when a refresh token was exchanged for its successor. */
  rotated_at: Millis | null;
  revoked_at: Millis | null;
}

export interface AuthorizationCodesTable {
  /** SHA-256 of the code. */
  code_hash: string;
  org_id: string;
  client_id: string;
  person_id: string;
  redirect_uri: string;
  scope: string;
  code_challenge: string | null;
  nonce: string | null;
  /** The OIDC `claims` request (JSON), validated at the authorization endpoint. */
  claims?: JsonText | null;
  /** The acr satisfied, when acr_values asked for one. */
  acr?: string | null;
  /** The login session's sid (OIDC Back-Channel Logout). */
  sid?: string | null;
  auth_time: Millis;
  created_at: Millis;
  expires_at: Millis;
  used_at: Millis | null;
  /** The grant the code was exchanged for: revoked if the code is replayed. */
  grant_id: string | null;
}

/** Remembered consent, per client and person, until revoked. */
export interface ConsentsTable {
  client_id: string;
  person_id: string;
  org_id: string;
  scope: string;
  created_at: Millis;
  updated_at: Millis;
}

/** Browser login sessions at Keyward (cookie value stored hashed). */
export interface LoginSessionsTable {
  id_hash: string;
  person_id: string;
  org_id: string;
  auth_time: Millis;
  created_at: Millis;
  expires_at: Millis;
  revoked_at: Millis | null;
}

/** Failed-login counters per account and per client IP, for the slowing lockout. */
export interface LoginThrottleTable {
  key: string;
  failures: number;
  first_failure_at: Millis;
  locked_until: Millis | null;
}

/** Not-before per client and org: every token issued earlier is revoked (Webex DELETE ?clientId). */
export interface ClientRevocationsTable {
  client_id: string;
  org_id: string;
  not_before: Millis;
}

export interface TokenServiceTables {
  token_grants: TokenGrantsTable;
  authorization_codes: AuthorizationCodesTable;
  consents: ConsentsTable;
  login_sessions: LoginSessionsTable;
  login_throttle: LoginThrottleTable;
  client_revocations: ClientRevocationsTable;
}

export type { Flag, JsonText };
