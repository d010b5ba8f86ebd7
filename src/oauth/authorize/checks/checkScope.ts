import { parseScope } from '../../../domain/access/scopes.js';
import type { OAuthContext } from '../../context.js';
import { AuthorizeError, type AuthorizeRequest } from '../request.js';

const IDENTITY_SCOPES = ['openid', 'profile', 'email'];

/**
 * Each requested scope must be one the client holds, an identity scope, or offline_access for
 * OFFLINE clients. No scope: the client's own scopes.
 */
export function checkScope(_ctx: OAuthContext, req: AuthorizeRequest): void {
  const client = req.client!;
  const requested = parseScope(req.params.scope);
  const allowed = (s: string) =>
    client.scopes.includes(s) ||
    IDENTITY_SCOPES.includes(s) ||
    (s === 'offline_access' && client.accessType === 'OFFLINE');
  const refused = requested.filter((s) => !allowed(s));
  if (refused.length)
    throw new AuthorizeError('invalid_scope', `The client may not request: ${refused.join(' ')}.`);
  req.scopes = requested.length ? requested : [...client.scopes];
}
