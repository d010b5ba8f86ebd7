import { X509Certificate } from 'node:crypto';
import { Invalid } from '../../platform/errors.js';
import type { UpstreamPolicy } from '../../platform/outbound/index.js';
import type { Selectable } from 'kysely';
import type { ConnectionsTable } from '../../store/tables/connections.js';

export const CONNECTION_TYPES = ['OAUTH2', 'SAML2'] as const;
export type ConnectionType = (typeof CONNECTION_TYPES)[number];
export const CONTENT_TYPES = ['application/json', 'application/x-www-form-urlencoded'] as const;
export type TokenContentType = (typeof CONTENT_TYPES)[number];
/** Authress's defaults when a connection leaves them out. */
export const DEFAULT_SCOPE = 'openid profile email';
export const DEFAULT_CONTENT_TYPE: TokenContentType = 'application/json';

export type ConnectionRow = Selectable<ConnectionsTable>;

/** What a caller may send (every field optional at this level; `validateConnection` decides). */
export interface ConnectionInput {
  connectionId?: string | null;
  type?: string | null;
  authenticationUrl?: string | null;
  tokenUrl?: string | null;
  issuerUrl?: string | null;
  providerCertificate?: string | null;
  clientId?: string | null;
  /** Write-only. On replace: absent keeps the stored secret, null clears it, a string replaces it. */
  clientSecret?: string | null;
  data?: {
    tenantId?: string | null;
    name?: string | null;
    supportedContentType?: string | null;
    oidcUserEndpointUrl?: string | null;
  } | null;
  defaultConnectionProperties?: { scope?: string | null } | null;
}

export interface ConnectionData {
  tenantId?: string;
  name?: string;
  supportedContentType?: TokenContentType;
  /** Keyward/Authress extension: where to read the user's email when the provider is not OIDC. */
  oidcUserEndpointUrl?: string;
}

/** A connection as the domain hands it out: never the client secret itself. */
export interface Connection {
  orgId: string;
  connectionId: string;
  type: ConnectionType;
  authenticationUrl: string;
  tokenUrl: string | null;
  issuerUrl: string | null;
  providerCertificate: string | null;
  clientId: string | null;
  hasClientSecret: boolean;
  data: ConnectionData;
  scope: string | null;
  createdAt: number;
  updatedAt: number;
}

/** Validated, normalised values ready to store (the secret still in clear: sealed by the writer). */
export interface ValidConnection {
  type: ConnectionType;
  authenticationUrl: string;
  tokenUrl: string | null;
  issuerUrl: string | null;
  providerCertificate: string | null;
  clientId: string | null;
  clientSecret: string | null | undefined;
  data: ConnectionData;
  scope: string | null;
}

const CONNECTION_ID = /^[a-zA-Z0-9\-_.:]{1,64}$/;
const TENANT_ID = /^[a-zA-Z0-9\-_.:]{0,128}$/;

export function isValidConnectionId(id: string): boolean {
  return CONNECTION_ID.test(id);
}

function text(field: string, value: unknown, max: number): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new Invalid(field, 'must be a string');
  const trimmed = value.trim();
  if (trimmed.length > max) throw new Invalid(field, `must be at most ${max} characters`);
  return trimmed === '' ? null : trimmed;
}

/**
 * An absolute https URL Keyward may send secrets and codes to: the outbound policy decides
 * (no loopback, private or other internal address in any spelling; plain http only for hosts the
 * operator listed in KEYWARD_UPSTREAM_ALLOW). The browser-facing authenticationUrl is held to the
 * same rule: all of a connection's URLs name one provider.
 */
function url(field: string, value: unknown, policy: UpstreamPolicy): string | null {
  const raw = text(field, value, 1024);
  if (raw === null) return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new Invalid(field, 'must be an absolute URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new Invalid(field, 'must be an http(s) URL');
  if (parsed.hash) throw new Invalid(field, 'must not have a fragment');
  const refused = policy.urlRefusal(parsed);
  if (refused) throw new Invalid(field, refused);
  return raw;
}

/** A PEM certificate, or the bare base64 DER SAML metadata carries; stored as PEM. */
export function normaliseCertificate(field: string, value: unknown): string | null {
  const raw = text(field, value, 8192);
  if (raw === null) return null;
  const body = raw.includes('-----BEGIN CERTIFICATE-----')
    ? raw
    : `-----BEGIN CERTIFICATE-----\n${(raw.replace(/\s+/g, '').match(/.{1,64}/g) ?? []).join('\n')}\n-----END CERTIFICATE-----\n`;
  try {
    return new X509Certificate(body).toString();
  } catch {
    throw new Invalid(field, 'must be an X.509 certificate (PEM, or base64 DER)');
  }
}

function object(field: string, value: unknown): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new Invalid(field, 'must be an object');
  return value as Record<string, unknown>;
}

export function validateConnectionId(value: unknown): string {
  if (typeof value !== 'string' || !CONNECTION_ID.test(value)) {
    throw new Invalid('connectionId', 'must be 1-64 characters of letters, digits, - _ . :');
  }
  return value;
}

/** The whole connection, as POST and PUT (full replace) take it. */
export function validateConnection(input: ConnectionInput, policy: UpstreamPolicy): ValidConnection {
  const rawType = input.type ?? 'OAUTH2';
  const type = typeof rawType === 'string' ? rawType.trim().toUpperCase() : rawType;
  if (!CONNECTION_TYPES.includes(type as ConnectionType)) {
    throw new Invalid(
      'type',
      `must be one of ${CONNECTION_TYPES.join(', ')} (got ${JSON.stringify(rawType)})`,
    );
  }
  const authenticationUrl = url('authenticationUrl', input.authenticationUrl, policy);
  if (!authenticationUrl) throw new Invalid('authenticationUrl', 'is required');
  const tokenUrl = url('tokenUrl', input.tokenUrl, policy);
  const issuerUrl = url('issuerUrl', input.issuerUrl, policy);
  const clientId = text('clientId', input.clientId, 128);
  const clientSecret =
    input.clientSecret === undefined ? undefined : text('clientSecret', input.clientSecret, 2048);
  const providerCertificate = normaliseCertificate('providerCertificate', input.providerCertificate);
  const rawData = object('data', input.data);
  const data: ConnectionData = {};
  const tenantId = text('data.tenantId', rawData.tenantId, 128);
  if (tenantId !== null) {
    if (!TENANT_ID.test(tenantId))
      throw new Invalid('data.tenantId', 'may hold only letters, digits, - _ . :');
    data.tenantId = tenantId;
  }
  const name = text('data.name', rawData.name, 64);
  if (name !== null) data.name = name;
  const contentType = text('data.supportedContentType', rawData.supportedContentType, 100);
  if (contentType !== null) {
    if (!CONTENT_TYPES.includes(contentType as TokenContentType)) {
      throw new Invalid('data.supportedContentType', `must be one of ${CONTENT_TYPES.join(', ')}`);
    }
    data.supportedContentType = contentType as TokenContentType;
  }
  const userEndpoint = url('data.oidcUserEndpointUrl', rawData.oidcUserEndpointUrl, policy);
  if (userEndpoint !== null) data.oidcUserEndpointUrl = userEndpoint;
  const scope = text(
    'defaultConnectionProperties.scope',
    object('defaultConnectionProperties', input.defaultConnectionProperties).scope,
    384,
  );

  if (type === 'OAUTH2') {
    if (!tokenUrl) throw new Invalid('tokenUrl', 'is required for OAUTH2 connections');
    if (!clientId) throw new Invalid('clientId', 'is required for OAUTH2 connections');
  } else if (!providerCertificate) {
    throw new Invalid('providerCertificate', 'is required for SAML2 connections');
  }
  return {
    type: type as ConnectionType,
    authenticationUrl,
    tokenUrl,
    issuerUrl,
    providerCertificate,
    clientId,
    clientSecret,
    data,
    scope,
  };
}

/** The lowercased text the `filter` searches: every text field except the secret and certificate. */
export function searchText(id: string, c: ValidConnection): string {
  return [
    id,
    c.type,
    c.authenticationUrl,
    c.tokenUrl,
    c.issuerUrl,
    c.clientId,
    c.data.tenantId,
    c.data.name,
    c.data.supportedContentType,
    c.data.oidcUserEndpointUrl,
    c.scope,
  ]
    .filter((v): v is string => typeof v === 'string' && v !== '')
    .join('\n')
    .toLowerCase();
}

function parseData(json: string): ConnectionData {
  try {
    const value = JSON.parse(json);
    return value && typeof value === 'object' ? (value as ConnectionData) : {};
  } catch {
    return {};
  }
}

export function toConnection(row: ConnectionRow): Connection {
  return {
    orgId: row.org_id,
    connectionId: row.id,
    type: row.type as ConnectionType,
    authenticationUrl: row.authentication_url,
    tokenUrl: row.token_url,
    issuerUrl: row.issuer_url,
    providerCertificate: row.provider_certificate,
    clientId: row.client_id,
    hasClientSecret: row.client_secret_enc !== null,
    data: parseData(row.data),
    scope: row.default_scope,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
