import type { OAuthContext } from '../../context.js';
import { AuthorizeError, type AuthorizeRequest } from '../request.js';

/** Only the authorization code flow (RFC 9700 §2.1.2: no implicit grant). */
export function checkResponseType(_ctx: OAuthContext, req: AuthorizeRequest): void {
  const type = req.params.response_type;
  if (!type) throw new AuthorizeError('invalid_request', 'response_type is required.');
  if (type !== 'code')
    throw new AuthorizeError('unsupported_response_type', 'Only response_type=code is supported.');
  if (!req.client!.grantTypes.includes('AUTHORIZATION_CODE')) {
    throw new AuthorizeError('unauthorized_client', 'This client may not use the authorization code flow.');
  }
}
