import type { JsonText, Millis } from '../schema.js';

/**
 * Upstream identity providers (Authress-style "connections"), keyed per organization: the same
 * connectionId may exist in two organizations without either learning of the other.
 */
export interface ConnectionsTable {
  org_id: string;
  /** The connectionId (client-chosen or server-assigned). */
  id: string;
  /** OAUTH2 | SAML2 */
  type: string;
  authentication_url: string;
  token_url: string | null;
  issuer_url: string | null;
  /** PEM, validated as an X.509 certificate (SAML2). */
  provider_certificate: string | null;
  client_id: string | null;
  /** The upstream client secret, sealed with the master key; never returned. */
  client_secret_enc: string | null;
  /** `{tenantId, name, supportedContentType, oidcUserEndpointUrl}` as given. */
  data: JsonText;
  default_scope: string | null;
  /** Lowercased text fields joined, for the case-insensitive `filter` (one LIKE in SQL). */
  search_text: string;
  created_at: Millis;
  updated_at: Millis;
}

/** A person's upstream tokens from their latest login through a connection, sealed. */
export interface ConnectionCredentialsTable {
  org_id: string;
  connection_id: string;
  person_id: string;
  /** The upstream `sub`, for the record. */
  upstream_subject: string | null;
  access_token_enc: string;
  refresh_token_enc: string | null;
  id_token_enc: string | null;
  token_type: string | null;
  scope: string | null;
  /** When the upstream access token expires (from expires_in), if the provider said. */
  expires_at: Millis | null;
  created_at: Millis;
  updated_at: Millis;
}

/** Ed25519 public keys of service clients' access keys (the private half is shown once). */
export interface ClientKeysTable {
  /** The keyId (JWT `kid`). */
  kid: string;
  client_id: string;
  org_id: string;
  public_jwk: JsonText;
  created_by: string;
  created_at: Millis;
  revoked_at: Millis | null;
}

/**
 * A federation login in flight, keyed by the SHA-256 of the upstream `state`: the original
 * authorization request, the PKCE verifier (sealed), the nonce and the browser binding. Single
 * use, short-lived.
 */
export interface FederationLoginsTable {
  state_hash: string;
  org_id: string;
  connection_id: string;
  client_id: string;
  /** The original /oauth/authorize parameters, JSON. */
  params: JsonText;
  code_verifier_enc: string;
  nonce: string;
  /** SHA-256 of the browser-binding cookie value (login CSRF defence). */
  browser_hash: string;
  created_at: Millis;
  expires_at: Millis;
  used_at: Millis | null;
}

export interface ConnectionTables {
  connections: ConnectionsTable;
  connection_credentials: ConnectionCredentialsTable;
  client_keys: ClientKeysTable;
  federation_logins: FederationLoginsTable;
}
