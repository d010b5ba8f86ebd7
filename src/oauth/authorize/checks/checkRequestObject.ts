import type { OAuthContext } from '../../context.js';
import { AuthorizeError, type AuthorizeRequest } from '../request.js';

/**
 * Request objects (OIDC Core §6, RFC 9101) are not processed: refused with the errors of OIDC Core
 * §3.1.2.6 rather than ignored, since ignoring one would drop the state, nonce or redirect_uri it
 * carries. Runs after the redirect URI check, so the error goes back to the client.
 */
export function checkRequestObject(_ctx: OAuthContext, req: AuthorizeRequest): void {
  if (req.params.request !== undefined || req.repeated.includes('request'))
    throw new AuthorizeError(
      'request_not_supported',
      'The request parameter (request object) is not supported.',
    );
  if (req.params.request_uri !== undefined || req.repeated.includes('request_uri'))
    throw new AuthorizeError('request_uri_not_supported', 'The request_uri parameter is not supported.');
}
