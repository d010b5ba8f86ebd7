/**
 * The editable settings of an OAuth client and the rules every create and patch must satisfy.
 * Field names follow the SailPoint-style API that manages clients, so a JSON Patch path is a
 * settings field. Input is untrusted JSON: every type is checked here, not only by the route.
 */
import { Invalid } from '../../platform/errors.js';
import type { PatchLimits } from '../../platform/jsonPatch.js';
import type { Principal } from '../access/principal.js';
import { ADMIN_ROLES, isAdminRole, type AdminRole } from '../access/roles.js';
import { isKnownScope, MANAGEMENT_SCOPES, OIDC_SCOPES } from '../access/scopes.js';
import { GRANT_TYPES, type AccessType, type ClientType, type GrantType } from './clientRecord.js';

export const CLIENT_TYPES: readonly ClientType[] = ['CONFIDENTIAL', 'PUBLIC'];
export const ACCESS_TYPES: readonly AccessType[] = ['ONLINE', 'OFFLINE'];

/** SailPoint's "every right of the creating owner"; expanded to the creator's scopes when stored. */
export const ALL_SCOPES_ALIAS = 'sp:scopes:all';

export const LIMITS = {
  name: 255,
  description: 2000,
  businessName: 255,
  url: 2048,
  redirectUris: 50,
  accessTtl: { min: 60, max: 86_400 },
  refreshTtl: { min: 60, max: 31_536_000 },
} as const;

export const DEFAULT_REFRESH_TTL = 86_400;

/**
 * What a JSON Patch of a client may do, from the client's own limits: 100 operations; each array
 * no longer than a valid client's (50 redirect URIs of up to 2048 characters; 64 scopes, 16 grant
 * types or roles, of up to 64 characters); the whole document never past 128 Ki characters or
 * 1024 values (a valid client holds at most ~110 Ki and ~200). Checked before each operation.
 */
export const PATCH_LIMITS: PatchLimits = {
  maxOperations: 100,
  maxChars: 131_072,
  maxNodes: 1024,
  arrays: {
    redirectUris: { maxItems: LIMITS.redirectUris, maxItemChars: LIMITS.url },
    postLogoutRedirectUris: { maxItems: LIMITS.redirectUris, maxItemChars: LIMITS.url },
    scope: { maxItems: 64, maxItemChars: 64 },
    grantTypes: { maxItems: 16, maxItemChars: 64 },
    roles: { maxItems: 16, maxItemChars: 64 },
  },
};

export interface ClientSettings {
  name: string;
  description: string | null;
  businessName: string | null;
  homepageUrl: string | null;
  accessTokenValiditySeconds: number;
  refreshTokenValiditySeconds: number;
  redirectUris: string[];
  /** Where RP-initiated logout may send the browser back (OIDC RP-Initiated Logout §3); Keyward extension. */
  postLogoutRedirectUris: string[];
  /** OIDC Back-Channel Logout 1.0: where logout tokens go (Keyward extension). */
  backchannelLogoutUri: string | null;
  backchannelLogoutSessionRequired: boolean;
  grantTypes: GrantType[];
  accessType: AccessType;
  type: ClientType;
  internal: boolean;
  enabled: boolean;
  strongAuthSupported: boolean;
  claimsSupported: boolean;
  /** Scopes the client may be granted (management scopes and OIDC identity scopes). */
  scope: string[];
  /** Admin roles a client_credentials token of this client acts with (Keyward extension). */
  roles: AdminRole[];
}

/** Fields a PATCH may change: SailPoint's documented list plus Keyward's scope and roles. */
export const PATCHABLE: ReadonlySet<string> = new Set([
  'businessName',
  'homepageUrl',
  'name',
  'description',
  'accessTokenValiditySeconds',
  'refreshTokenValiditySeconds',
  'redirectUris',
  'postLogoutRedirectUris',
  'backchannelLogoutUri',
  'backchannelLogoutSessionRequired',
  'grantTypes',
  'accessType',
  'enabled',
  'strongAuthSupported',
  'claimsSupported',
  'scope',
  'roles',
]);

const IDENTITY_SCOPES: ReadonlySet<string> = new Set(OIDC_SCOPES);
// RFC 3986 absolute URI without a fragment (RFC 6749 §3.1.2); a private-use scheme is allowed for
// native apps (RFC 8252). Syntax only, like SailPoint's own example `http://localhost:67890`.
const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s#"<>\\^`{|}]+$/;
const HTTP_URI = /^https?:\/\/[^\s#"<>\\^`{|}/?]+(?:[/?][^\s#"<>\\^`{|}]*)?$/i;

/**
 * What a create request may leave out gets its default here: CONFIDENTIAL, refresh lifetime one
 * day, no redirect URIs, flags false, the creator's own scopes and no admin role.
 */
export function settingsForCreate(
  input: Record<string, unknown>,
  creator: Principal,
): Record<string, unknown> {
  const given = (key: string) => input[key] !== undefined;
  for (const key of [
    'name',
    'description',
    'accessTokenValiditySeconds',
    'grantTypes',
    'accessType',
    'enabled',
  ]) {
    if (!given(key)) throw new Invalid(key, 'is required');
  }
  return {
    ...input,
    businessName: input.businessName ?? null,
    homepageUrl: input.homepageUrl ?? null,
    refreshTokenValiditySeconds: input.refreshTokenValiditySeconds ?? DEFAULT_REFRESH_TTL,
    redirectUris: input.redirectUris ?? [],
    postLogoutRedirectUris: input.postLogoutRedirectUris ?? [],
    backchannelLogoutUri: input.backchannelLogoutUri ?? null,
    backchannelLogoutSessionRequired: input.backchannelLogoutSessionRequired ?? false,
    type: input.type ?? 'CONFIDENTIAL',
    internal: input.internal ?? false,
    strongAuthSupported: input.strongAuthSupported ?? false,
    claimsSupported: input.claimsSupported ?? false,
    scope: input.scope ?? [ALL_SCOPES_ALIAS],
    // Least privilege: admin roles only when asked for (and allowed), never inherited from the creator.
    roles: input.roles ?? [],
  };
}

/**
 * Validates a complete settings document (a create request with defaults, or a patched client).
 * `previous` is the client before a patch: scopes and roles it already had may stay even if the
 * caller does not hold them; anything new must be held by the caller (no privilege escalation).
 */
export function checkSettings(
  doc: Record<string, unknown>,
  caller: Principal,
  previous?: ClientSettings,
): ClientSettings {
  const settings: ClientSettings = {
    name: text(doc, 'name', LIMITS.name, false)!,
    description: text(doc, 'description', LIMITS.description, true),
    businessName: text(doc, 'businessName', LIMITS.businessName, true),
    homepageUrl: homepage(doc.homepageUrl),
    backchannelLogoutUri: homepage(doc.backchannelLogoutUri, 'backchannelLogoutUri'),
    backchannelLogoutSessionRequired: flag(
      { backchannelLogoutSessionRequired: doc.backchannelLogoutSessionRequired ?? false },
      'backchannelLogoutSessionRequired',
    ),
    accessTokenValiditySeconds: seconds(doc, 'accessTokenValiditySeconds', LIMITS.accessTtl),
    refreshTokenValiditySeconds: seconds(doc, 'refreshTokenValiditySeconds', LIMITS.refreshTtl),
    redirectUris: redirectUris(doc.redirectUris, 'redirectUris'),
    postLogoutRedirectUris: redirectUris(doc.postLogoutRedirectUris ?? [], 'postLogoutRedirectUris'),
    grantTypes: oneOfEach(doc, 'grantTypes', GRANT_TYPES),
    accessType: oneOf(doc, 'accessType', ACCESS_TYPES),
    type: oneOf(doc, 'type', CLIENT_TYPES),
    internal: flag(doc, 'internal'),
    enabled: flag(doc, 'enabled'),
    strongAuthSupported: flag(doc, 'strongAuthSupported'),
    claimsSupported: flag(doc, 'claimsSupported'),
    scope: scopes(doc.scope, caller, previous?.scope ?? []),
    roles: roles(doc.roles, caller, previous?.roles ?? []),
  };
  const grants = new Set(settings.grantTypes);
  if (grants.size === 0) throw new Invalid('grantTypes', 'must name at least one grant type');
  if (grants.has('AUTHORIZATION_CODE') && settings.redirectUris.length === 0) {
    throw new Invalid('redirectUris', 'must list at least one URI when AUTHORIZATION_CODE is granted');
  }
  if (grants.has('REFRESH_TOKEN') && !grants.has('AUTHORIZATION_CODE')) {
    throw new Invalid('grantTypes', 'REFRESH_TOKEN needs AUTHORIZATION_CODE (refresh tokens come from it)');
  }
  if (grants.has('REFRESH_TOKEN') && settings.accessType !== 'OFFLINE') {
    throw new Invalid('accessType', 'must be OFFLINE when REFRESH_TOKEN is granted');
  }
  if (settings.type === 'PUBLIC' && grants.has('CLIENT_CREDENTIALS')) {
    throw new Invalid('grantTypes', 'a PUBLIC client has no secret and cannot use CLIENT_CREDENTIALS');
  }
  return settings;
}

function text(doc: Record<string, unknown>, key: string, max: number, nullable: boolean): string | null {
  const value = doc[key];
  if (value === null || value === undefined) {
    if (nullable) return null;
    throw new Invalid(key, 'is required');
  }
  if (typeof value !== 'string') throw new Invalid(key, 'must be a string');
  const trimmed = value.trim();
  if (!nullable && trimmed === '') throw new Invalid(key, 'must not be empty');
  if ([...trimmed].length > max) throw new Invalid(key, `must be at most ${max} characters`);
  return trimmed;
}

/** An absolute http(s) URL without a fragment, or null. */
function homepage(value: unknown, field = 'homepageUrl'): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value !== 'string') throw new Invalid(field, 'must be a string');
  if (value.length > LIMITS.url || !HTTP_URI.test(value)) {
    throw new Invalid(field, 'must be an absolute http(s) URL');
  }
  return value;
}

function seconds(doc: Record<string, unknown>, key: string, range: { min: number; max: number }): number {
  const value = doc[key];
  if (value === null || value === undefined) throw new Invalid(key, 'is required');
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new Invalid(key, 'must be an integer');
  if (value < range.min || value > range.max) {
    throw new Invalid(key, `must be from ${range.min} to ${range.max} seconds`);
  }
  return value;
}

function flag(doc: Record<string, unknown>, key: string): boolean {
  const value = doc[key];
  if (typeof value !== 'boolean')
    throw new Invalid(key, value == null ? 'is required' : 'must be true or false');
  return value;
}

function oneOf<T extends string>(doc: Record<string, unknown>, key: string, allowed: readonly T[]): T {
  const value = doc[key];
  if (value === null || value === undefined) throw new Invalid(key, 'is required');
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new Invalid(key, `must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

/** A JSON array of distinct strings; each checked by `check` (which names its own error). */
function stringList(value: unknown, key: string, check: (item: string, at: string) => void): string[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw new Invalid(key, 'must be an array of strings');
  const seen = new Set<string>();
  value.forEach((item, i) => {
    const at = `${key}[${i}]`;
    if (typeof item !== 'string') throw new Invalid(at, 'must be a string');
    check(item, at);
    if (seen.has(item)) throw new Invalid(at, `repeats ${JSON.stringify(item)}`);
    seen.add(item);
  });
  return [...seen];
}

function oneOfEach<T extends string>(doc: Record<string, unknown>, key: string, allowed: readonly T[]): T[] {
  if (doc[key] === null || doc[key] === undefined) throw new Invalid(key, 'is required');
  return stringList(doc[key], key, (item, at) => {
    if (!allowed.includes(item as T)) throw new Invalid(at, `must be one of ${allowed.join(', ')}`);
  }) as T[];
}

function redirectUris(value: unknown, field: string): string[] {
  const list = stringList(value, field, (uri, at) => {
    if (uri.length > LIMITS.url || !ABSOLUTE_URI.test(uri)) {
      throw new Invalid(at, 'must be an absolute URI without a fragment');
    }
  });
  if (list.length > LIMITS.redirectUris) {
    throw new Invalid(field, `must list at most ${LIMITS.redirectUris} URIs`);
  }
  return list;
}

/**
 * Known scopes only. A management scope must be held by the caller unless the client already had
 * it; `sp:scopes:all` stands for every management scope the caller holds. Identity scopes
 * (openid, profile, email, offline_access) grant no management right and are always allowed.
 */
function scopes(value: unknown, caller: Principal, kept: readonly string[]): string[] {
  const held = MANAGEMENT_SCOPES.filter((s) => caller.scopes.has(s));
  const out = new Set<string>();
  for (const scope of stringList(value, 'scope', (s, at) => {
    if (s !== ALL_SCOPES_ALIAS && !isKnownScope(s))
      throw new Invalid(at, `${JSON.stringify(s)} is not a known scope`);
  })) {
    if (scope === ALL_SCOPES_ALIAS) held.forEach((s) => out.add(s));
    else out.add(scope);
  }
  const beyond = [...out].filter(
    (s) => !IDENTITY_SCOPES.has(s) && !caller.scopes.has(s) && !kept.includes(s),
  );
  if (beyond.length) {
    throw new Invalid('scope', `the caller does not hold, so cannot grant: ${beyond.join(', ')}`);
  }
  return [...out];
}

function roles(value: unknown, caller: Principal, kept: readonly AdminRole[]): AdminRole[] {
  const list = stringList(value, 'roles', (r, at) => {
    if (!isAdminRole(r)) throw new Invalid(at, `must be one of ${ADMIN_ROLES.join(', ')}`);
  }) as AdminRole[];
  // A full admin may hand out any role (it may do everything they allow); others only their own.
  const mayGrant = (r: AdminRole) =>
    caller.roles.includes('full_admin') || caller.roles.includes(r) || kept.includes(r);
  const beyond = list.filter((r) => !mayGrant(r));
  if (beyond.length) {
    throw new Invalid('roles', `the caller does not hold, so cannot grant: ${beyond.join(', ')}`);
  }
  return list;
}
