import { IDENTITY_SCOPES } from '../../../domain/identity/claims.js';
import { MANAGEMENT_SCOPES, parseScope } from '../../../domain/access/scopes.js';
import type { OAuthContext } from '../../context.js';
import { AuthorizeError, type AuthorizeRequest } from '../request.js';

/**
 * Identity scopes are always allowed; management scopes and offline_access only when the client
 * holds them (offline_access: OFFLINE clients), else invalid_scope. Any other value is ignored
 * (OIDC Core §3.1.2.1: unknown scope values SHOULD be ignored). No scope: the client's own scopes.
 */
export function checkScope(_ctx: OAuthContext, req: AuthorizeRequest): void {
  const client = req.client!;
  const requested = parseScope(req.params.scope);
  const checked = (s: string) => MANAGEMENT_SCOPES.includes(s) || s === 'offline_access';
  const allowed = (s: string) =>
    client.scopes.includes(s) ||
    IDENTITY_SCOPES.includes(s) ||
    (s === 'offline_access' && client.accessType === 'OFFLINE');
  const refused = requested.filter((s) => checked(s) && !allowed(s));
  if (refused.length)
    throw new AuthorizeError('invalid_scope', `The client may not request: ${refused.join(' ')}.`);
  const kept = requested.filter(allowed);
  req.scopes = requested.length ? kept : [...client.scopes];
}
