/**
 * Every scope Keyward grants, in each family's own vocabulary. A client holds a subset; a token
 * carries a subset of its client's. Endpoints name the scope they need (see access/matrix.ts).
 */
export const WEBEX_SCOPES = [
  'spark:people_read',
  'spark-admin:people_read',
  'spark-admin:people_write',
  'spark-admin:organizations_read',
  'spark-admin:organizations_write',
  'spark-admin:roles_read',
  'spark-admin:licenses_read',
  'spark-admin:locations_read',
  'spark-admin:locations_write',
  'spark-admin:workspaces_read',
  'spark-admin:workspaces_write',
  'audit:events_read',
  'identity:tokens_read',
  'identity:tokens_write',
] as const;

export const SAILPOINT_SCOPES = ['sp:oauth-client:read', 'sp:oauth-client:manage'] as const;

export const TRIVORE_SCOPES = [
  'AUTHORISATION_VIEW',
  'AUTHORISATION_CREATE',
  'AUTHORISATION_MODIFY',
  'AUTHORISATION_DELETE',
  'AUTHORISATION_REVOKE',
  'AUTHORISATION_TYPE_VIEW',
  'AUTHORISATION_TYPE_CREATE',
  'AUTHORISATION_TYPE_MODIFY',
  'AUTHORISATION_TYPE_DELETE',
  'AUTHORISATION_SOURCE_VIEW',
  'AUTHORISATION_SOURCE_CREATE',
  'AUTHORISATION_SOURCE_MODIFY',
  'AUTHORISATION_SOURCE_DELETE',
] as const;

export const AUTHRESS_SCOPES = ['connections:read', 'connections:write'] as const;

export const OIDC_SCOPES = ['openid', 'profile', 'email', 'phone', 'address', 'offline_access'] as const;

/** Everything a management (service) client can hold. */
export const MANAGEMENT_SCOPES: readonly string[] = [
  ...WEBEX_SCOPES,
  ...SAILPOINT_SCOPES,
  ...TRIVORE_SCOPES,
  ...AUTHRESS_SCOPES,
];

export const ALL_SCOPES: readonly string[] = [...MANAGEMENT_SCOPES, ...OIDC_SCOPES];

export function isKnownScope(scope: string): boolean {
  return ALL_SCOPES.includes(scope);
}

/** Parses a space-delimited scope string (RFC 6749 §3.3). */
export function parseScope(value: string | undefined | null): string[] {
  if (!value) return [];
  return [...new Set(value.split(' ').filter(Boolean))];
}
