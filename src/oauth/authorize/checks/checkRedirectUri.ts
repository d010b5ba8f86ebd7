import type { OAuthContext } from '../../context.js';
import { AuthorizeError, type AuthorizeRequest } from '../request.js';

/**
 * Exact string match against the registered list (RFC 9700 §2.1: no patterns, no partial
 * matches, a changed query is a different URI). Until it matches nothing is redirected anywhere.
 */
export function checkRedirectUri(_ctx: OAuthContext, req: AuthorizeRequest): void {
  if (req.repeated.includes('redirect_uri'))
    throw new AuthorizeError('invalid_request', 'redirect_uri is repeated.', false);
  const uri = req.params.redirect_uri;
  if (!uri) throw new AuthorizeError('invalid_request', 'redirect_uri is required.', false);
  if (!req.client!.redirectUris.includes(uri)) {
    throw new AuthorizeError('invalid_request', 'redirect_uri is not registered for this client.', false);
  }
  req.redirectUri = uri;
  if (req.repeated.length)
    throw new AuthorizeError('invalid_request', `Repeated parameter: ${req.repeated.join(', ')}.`);
}
