import type { Kysely } from 'kysely';
import type { ClientDirectory } from '../domain/clients/clientDirectory.js';
import type { SigningKeys } from '../domain/keys/signingKeys.js';
import type { PersonDirectory } from '../domain/people/personDirectory.js';
import type { Federation } from '../domain/connections/federation.js';
import type { Consents } from '../domain/sessions/consents.js';
import type { LoginSessions } from '../domain/sessions/loginSessions.js';
import type { LoginThrottle } from '../domain/sessions/loginThrottle.js';
import type { AccessTokens } from '../domain/tokens/accessTokens.js';
import type { IdTokens } from '../domain/tokens/idTokens.js';
import type { TokenGrants } from '../domain/grants/grants.js';
import type { TokenRevocations } from '../domain/grants/revocations.js';
import type { Database } from '../store/schema.js';
import type { Outbound } from '../platform/outbound/index.js';

/** What the token service's actions and grants need. */
export interface OAuthContext {
  issuer: string;
  /** Cookies get `Secure` when the issuer is https. */
  secureCookies: boolean;
  db: Kysely<Database>;
  clients: ClientDirectory;
  tokens: AccessTokens;
  idTokens: IdTokens;
  keys: SigningKeys;
  grants: TokenGrants;
  revocations: TokenRevocations;
  sessions: LoginSessions;
  throttle: LoginThrottle;
  consents: Consents;
  people: PersonDirectory;
  /** Login through upstream identity providers (connections); absent = password login only. */
  federation?: Federation;
  /** Outbound HTTP (back-channel logout tokens); absent = none sent. */
  outbound?: Outbound;
}
