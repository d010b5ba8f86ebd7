import type { Problem } from '../http/problems.js';

/** An RFC 6749 §5.2 error: `{error, error_description}` with the status it calls for. */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
    /** Set for failed HTTP Basic client authentication (RFC 6749 §5.2). */
    readonly wwwAuthenticate?: string,
  ) {
    super(description);
  }
}

export const invalidRequest = (d: string) => new OAuthError('invalid_request', d);
export const invalidClient = (d: string, basic: boolean) =>
  new OAuthError('invalid_client', d, 401, basic ? 'Basic realm="keyward", charset="UTF-8"' : undefined);
export const invalidGrant = (d: string) => new OAuthError('invalid_grant', d);
export const invalidScope = (d: string) => new OAuthError('invalid_scope', d);
export const unauthorizedClient = (d: string) => new OAuthError('unauthorized_client', d);
export const unsupportedGrantType = (d: string) => new OAuthError('unsupported_grant_type', d);

/** Errors that reach the OAuth endpoints from the HTTP platform (bad body, too large...). */
export function renderOAuthProblem(problem: Problem): { error: string; error_description: string } {
  const error =
    problem.status === 401 ? 'invalid_client' : problem.status >= 500 ? 'server_error' : 'invalid_request';
  return { error, error_description: problem.message };
}
