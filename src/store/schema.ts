/**
 * Table types: what Kysely knows of the SQL. Conventions, identical on SQLite and PostgreSQL:
 * times are epoch milliseconds (bigint), booleans are 0/1 integers, lists and objects are JSON text.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { TokenServiceTables } from './tables/tokenService.js';
import type { PlacesTables } from './tables/places.js';
import type { AuthorisationTables } from './tables/authorisations.js';
import type { ConnectionTables } from './tables/connections.js';
import type { LicenseTables } from './tables/licenses.js';

/** Epoch milliseconds. */
export type Millis = number;
/** 0 or 1. */
export type Flag = number;
/** A JSON document serialised as text. */
export type JsonText = string;

export interface OrganizationsTable {
  id: string;
  /** Trivore's nsCode; `root` for the bootstrap organization. */
  code: string;
  name: string;
  /** The partner organization that manages this customer organization. */
  parent_id: string | null;
  /** The operator's (root) organization for top-level organizations made by `keyward org create`. */
  managed_by: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Millis;
  updated_at: Millis;
}

export interface PeopleTable {
  id: string;
  org_id: string;
  /** Lowercased; unique across the server (one login identity). */
  email: string;
  display_name: string | null;
  first_name: string | null;
  last_name: string | null;
  /** argon2id PHC string, or null when the person cannot log in with a password. */
  password_hash: string | null;
  /** JSON: Webex-style [{type, value, primary?}] (OIDC `phone` claims); null = none. */
  phone_numbers: JsonText | null;
  /** JSON: Webex-style [{type?, country, locality, region, streetAddress, postalCode}] (OIDC `address`). */
  addresses: JsonText | null;
  /** JSON array of admin roles (full_admin, user_admin, device_admin, read_only_admin). */
  roles: JsonText;
  status: string;
  created_at: Millis;
  updated_at: Millis;
}

export interface OAuthClientsTable {
  /** The client_id. */
  id: string;
  org_id: string;
  secret_hash: string | null;
  name: string;
  description: string | null;
  business_name: string | null;
  homepage_url: string | null;
  /** CONFIDENTIAL | PUBLIC */
  type: string;
  /** ONLINE | OFFLINE */
  access_type: string;
  /** JSON array of CLIENT_CREDENTIALS | AUTHORIZATION_CODE | REFRESH_TOKEN */
  grant_types: JsonText;
  redirect_uris: JsonText;
  /** JSON array: where RP-initiated logout may send the browser back (null = none). */
  post_logout_redirect_uris: JsonText | null;
  /** OIDC Back-Channel Logout: where logout tokens are POSTed (null = none). */
  backchannel_logout_uri: string | null;
  /** Logout tokens to this client must carry sid (it is in ID tokens anyway). */
  backchannel_logout_session_required: Generated<Flag>;
  /** JSON array of the scopes this client may be granted. */
  scope: JsonText;
  /** JSON array of the admin roles a service client acts with in its org. */
  roles: JsonText;
  access_token_ttl: number;
  refresh_token_ttl: number;
  internal: Flag;
  enabled: Flag;
  strong_auth_supported: Flag;
  claims_supported: Flag;
  metadata: JsonText | null;
  created_by: string | null;
  created_at: Millis;
  updated_at: Millis;
  last_used_at: Millis | null;
}

export interface SigningKeysTable {
  kid: string;
  /** EdDSA | RS256 */
  alg: string;
  /** The private JWK, sealed with the master key. */
  private_jwk_enc: string;
  public_jwk: JsonText;
  /** active | retiring | retired */
  state: string;
  created_at: Millis;
  /** When a retiring key may be retired (every token it signed has expired). */
  retire_at: Millis | null;
}

export interface AuditEventsTable {
  id: string;
  org_id: string;
  /** `person:<id>` or `client:<id>` or `system`. */
  actor: string;
  action: string;
  target: string;
  detail: JsonText | null;
  at: Millis;
}

/** Tables of the foundation migration (0001). */
export interface FoundationTables {
  organizations: OrganizationsTable;
  people: PeopleTable;
  oauth_clients: OAuthClientsTable;
  signing_keys: SigningKeysTable;
  audit_events: AuditEventsTable;
}

/**
 * Every table Kysely can query. Each area declares its tables in src/store/tables/<area>.ts
 * and is added to this list.
 */
export interface Database
  extends
    FoundationTables,
    PlacesTables,
    AuthorisationTables,
    TokenServiceTables,
    ConnectionTables,
    LicenseTables {}

export type OrganizationRow = Selectable<OrganizationsTable>;
export type PersonRow = Selectable<PeopleTable>;
export type NewPerson = Insertable<PeopleTable>;
export type OAuthClientRow = Selectable<OAuthClientsTable>;
export type NewOAuthClient = Insertable<OAuthClientsTable>;
export type OAuthClientUpdate = Updateable<OAuthClientsTable>;
export type SigningKeyRow = Selectable<SigningKeysTable>;
