import type { ClientDirectory } from '../domain/clients/clientDirectory.js';
import type { SigningKeys } from '../domain/keys/signingKeys.js';
import type { AccessTokens } from '../domain/tokens/accessTokens.js';

/** What the token service's actions and grants need. */
export interface OAuthContext {
  issuer: string;
  clients: ClientDirectory;
  tokens: AccessTokens;
  keys: SigningKeys;
}
