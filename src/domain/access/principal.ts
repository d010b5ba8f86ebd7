import type { AdminRole } from './roles.js';

/** Who is calling: resolved once per request by the authenticator, passed to every domain call. */
export interface Principal {
  kind: 'client' | 'person';
  /** The organization the caller belongs to. */
  orgId: string;
  /** The OAuth client acting: the service client itself, or the application a person signed in to. */
  clientId: string;
  personId?: string;
  /** Admin roles in `orgId`. A partner org's full admin may also act in customer orgs. */
  roles: readonly AdminRole[];
  /** Granted scopes (the token's `scope`; for Basic auth, everything the client holds). */
  scopes: ReadonlySet<string>;
  /** How the caller authenticated. */
  method: 'bearer' | 'basic' | 'access_key';
  /** The access token's jti and exp (bearer only). */
  tokenId?: string;
  tokenExpiresAt?: number;
}

export function actorOf(principal: Principal): string {
  return principal.personId ? `person:${principal.personId}` : `client:${principal.clientId}`;
}
