import type { OAuthContext } from '../../context.js';
import { AuthorizeError, type AuthorizeRequest } from '../request.js';

export const RESPONSE_MODES = ['query', 'form_post'] as const;

/**
 * `response_mode` (OAuth 2.0 Multiple Response Types, Form Post Response Mode): `query` (the
 * default for code) or `form_post`. `fragment` is refused rather than silently answered in the
 * query: a client asking for it would not read the query. Runs right after the redirect URI check,
 * so every later error travels the way the client asked.
 */
export function checkResponseMode(_ctx: OAuthContext, req: AuthorizeRequest): void {
  const mode = req.params.response_mode;
  if (mode === undefined || mode === 'query') return;
  if (mode === 'form_post') {
    req.responseMode = 'form_post';
    return;
  }
  throw new AuthorizeError('invalid_request', `Unsupported response_mode: ${mode} (query or form_post).`);
}
