import type { OAuthClientRow } from '../../store/schema.js';
import { parseRoles, type AdminRole } from '../access/roles.js';

export const GRANT_TYPES = ['CLIENT_CREDENTIALS', 'AUTHORIZATION_CODE', 'REFRESH_TOKEN'] as const;
export type GrantType = (typeof GRANT_TYPES)[number];
export type ClientType = 'CONFIDENTIAL' | 'PUBLIC';
export type AccessType = 'ONLINE' | 'OFFLINE';

/** An OAuth client as the token service and the authenticator see it (parsed, cacheable). */
export interface ClientRecord {
  id: string;
  orgId: string;
  name: string;
  secretHash: string | null;
  type: ClientType;
  accessType: AccessType;
  grantTypes: readonly GrantType[];
  redirectUris: readonly string[];
  postLogoutRedirectUris: readonly string[];
  backchannelLogoutUri: string | null;
  backchannelLogoutSessionRequired: boolean;
  scopes: readonly string[];
  roles: readonly AdminRole[];
  accessTokenTtl: number;
  refreshTokenTtl: number;
  enabled: boolean;
}

function jsonArray(text: string | null): string[] {
  if (text === null) return [];
  try {
    const value = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

export function toClientRecord(row: OAuthClientRow): ClientRecord {
  return {
    id: row.id,
    orgId: row.org_id,
    name: row.name,
    secretHash: row.secret_hash,
    type: row.type as ClientType,
    accessType: row.access_type as AccessType,
    grantTypes: jsonArray(row.grant_types) as GrantType[],
    redirectUris: jsonArray(row.redirect_uris),
    postLogoutRedirectUris: jsonArray(row.post_logout_redirect_uris),
    backchannelLogoutUri: row.backchannel_logout_uri ?? null,
    backchannelLogoutSessionRequired: row.backchannel_logout_session_required === 1,
    scopes: jsonArray(row.scope),
    roles: parseRoles(row.roles),
    accessTokenTtl: row.access_token_ttl,
    refreshTokenTtl: row.refresh_token_ttl,
    enabled: row.enabled === 1,
  };
}
