/**
 * OpenID Connect claims (OIDC Core §5): which claims a person's scopes release, the `claims`
 * request parameter (§5.5) and the `acr` Keyward can assert. Shared by ID tokens and userinfo.
 */

/** Claims each identity scope releases (OIDC Core §5.4). */
export const SCOPE_CLAIMS: Record<string, readonly string[]> = {
  profile: ['name', 'given_name', 'family_name'],
  email: ['email', 'email_verified'],
  phone: ['phone_number', 'phone_number_verified'],
  address: ['address'],
};

export const IDENTITY_SCOPES = ['openid', ...Object.keys(SCOPE_CLAIMS)];

export const SUPPORTED_CLAIMS = [
  'sub',
  'iss',
  'aud',
  'exp',
  'iat',
  'auth_time',
  'nonce',
  'acr',
  'at_hash',
  'sid',
  ...Object.values(SCOPE_CLAIMS).flat(),
];

/**
 * The only authentication context Keyward asserts until MFA lands: a password login. Returned as
 * `acr` whenever a client asks for one (acr_values or the claims request); OIDC Core §3.1.2.1
 * makes acr_values voluntary, so other requested values are not an error.
 */
export const ACR_PASSWORD = 'urn:keyward:acr:pwd';
export const ACR_VALUES_SUPPORTED = [ACR_PASSWORD];

export interface PhoneNumber {
  type?: string;
  value: string;
  primary?: boolean;
}

export interface PostalAddress {
  type?: string;
  streetAddress?: string;
  locality?: string;
  region?: string;
  postalCode?: string;
  country?: string;
}

export interface ClaimsPerson {
  id: string;
  email: string;
  displayName: string | null;
  firstName: string | null;
  lastName: string | null;
  phoneNumbers?: readonly PhoneNumber[];
  addresses?: readonly PostalAddress[];
}

/** A member of a claims request: null (voluntary) or {essential?, value?, values?}. */
type ClaimSpec = null | { essential?: boolean; value?: unknown; values?: unknown[] };

/** The parsed `claims` parameter: requested claim names for userinfo and for the ID token. */
export interface ClaimsRequest {
  userinfo?: Record<string, ClaimSpec>;
  id_token?: Record<string, ClaimSpec>;
}

export class ClaimsRequestError extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses and checks the `claims` parameter; throws ClaimsRequestError with the reason. */
export function parseClaimsRequest(text: string | undefined | null): ClaimsRequest | undefined {
  if (!text) return undefined;
  if (text.length > 4096) throw new ClaimsRequestError('claims is too long.');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ClaimsRequestError('claims is not valid JSON.');
  }
  if (!isObject(value)) throw new ClaimsRequestError('claims must be a JSON object.');
  const request: ClaimsRequest = {};
  for (const target of ['userinfo', 'id_token'] as const) {
    const members = value[target];
    if (members === undefined) continue;
    if (!isObject(members)) throw new ClaimsRequestError(`claims.${target} must be an object.`);
    const out: Record<string, ClaimSpec> = {};
    for (const [name, spec] of Object.entries(members)) {
      if (spec !== null && !isObject(spec))
        throw new ClaimsRequestError(`claims.${target}.${name} must be null or an object.`);
      if (spec && 'essential' in spec && typeof spec.essential !== 'boolean')
        throw new ClaimsRequestError(`claims.${target}.${name}.essential must be a boolean.`);
      if (spec && 'values' in spec && !Array.isArray(spec.values))
        throw new ClaimsRequestError(`claims.${target}.${name}.values must be an array.`);
      out[name] = spec as ClaimSpec;
    }
    request[target] = out;
  }
  return request;
}

/** Names asked for in one part of a claims request. */
export function requestedClaimNames(request: ClaimsRequest | undefined, target: keyof ClaimsRequest) {
  return Object.keys(request?.[target] ?? {});
}

const primaryPhone = (phones: readonly PhoneNumber[] | undefined) =>
  phones?.find((p) => p.primary) ?? phones?.[0];

function addressClaim(address: PostalAddress): Record<string, string> {
  const out: Record<string, string> = {};
  if (address.streetAddress) out.street_address = address.streetAddress;
  if (address.locality) out.locality = address.locality;
  if (address.region) out.region = address.region;
  if (address.postalCode) out.postal_code = address.postalCode;
  if (address.country) out.country = address.country;
  const formatted = [
    address.streetAddress,
    [address.postalCode, address.locality].filter(Boolean).join(' '),
    address.region,
    address.country,
  ].filter(Boolean);
  if (formatted.length) out.formatted = formatted.join('\n');
  return out;
}

/** Every person claim Keyward knows, by name (absent facts are left out). */
function allClaims(person: ClaimsPerson): Record<string, unknown> {
  const claims: Record<string, unknown> = { email: person.email, email_verified: true };
  if (person.displayName) claims.name = person.displayName;
  if (person.firstName) claims.given_name = person.firstName;
  if (person.lastName) claims.family_name = person.lastName;
  const phone = primaryPhone(person.phoneNumbers);
  if (phone) {
    claims.phone_number = phone.value;
    // Webex numbers are set by administrators, never verified by the person.
    claims.phone_number_verified = false;
  }
  const address = person.addresses?.[0];
  if (address) claims.address = addressClaim(address);
  return claims;
}

/**
 * The claims released for a person: `sub`, those of the granted identity scopes, and those named
 * by the claims request (essential or voluntary alike; ones Keyward does not hold are omitted,
 * which §5.5.1 allows).
 */
export function personClaims(
  person: ClaimsPerson,
  scopes: readonly string[],
  requested: readonly string[] = [],
): Record<string, unknown> {
  const known = allClaims(person);
  const names = new Set([...scopes.flatMap((s) => SCOPE_CLAIMS[s] ?? []), ...requested]);
  const claims: Record<string, unknown> = { sub: person.id };
  for (const name of names) if (name in known) claims[name] = known[name];
  return claims;
}
