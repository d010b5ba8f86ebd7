import type { OAuthContext } from '../../context.js';
import { AuthorizeError, type AuthorizeRequest } from '../request.js';

const CHALLENGE = /^[A-Za-z0-9._~-]{43,128}$/;

/**
 * PKCE (RFC 7636), S256 only — `plain` is refused (RFC 9700 §2.1.1). Required for public
 * clients, honoured for every client that sends it.
 */
export function checkPkce(_ctx: OAuthContext, req: AuthorizeRequest): void {
  const { code_challenge: challenge, code_challenge_method: method } = req.params;
  if (!challenge) {
    if (method) throw new AuthorizeError('invalid_request', 'code_challenge_method without code_challenge.');
    if (req.client!.type === 'PUBLIC')
      throw new AuthorizeError(
        'invalid_request',
        'PKCE (code_challenge, S256) is required for public clients.',
      );
    return;
  }
  if (method !== 'S256') {
    throw new AuthorizeError(
      'invalid_request',
      'code_challenge_method must be S256 (plain is not supported).',
    );
  }
  if (!CHALLENGE.test(challenge)) throw new AuthorizeError('invalid_request', 'code_challenge is malformed.');
}
