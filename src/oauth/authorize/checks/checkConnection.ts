import { Invalid } from '../../../platform/errors.js';
import type { OAuthContext } from '../../context.js';
import { AuthorizeError, type AuthorizeRequest } from '../request.js';

/**
 * `connection_id` (federation): a connection of the application's organization that can sign
 * people in (OAUTH2; SAML2 answers a clear error). Sign-in then goes to that provider.
 */
export async function checkConnection(ctx: OAuthContext, req: AuthorizeRequest): Promise<void> {
  const id = req.params.connection_id;
  if (!id) return;
  if (!ctx.federation)
    throw new AuthorizeError('invalid_request', 'Sign-in through connections is not available.');
  try {
    req.connection = await ctx.federation.usable(req.client!.orgId, id);
  } catch (error) {
    if (error instanceof Invalid) throw new AuthorizeError('invalid_request', error.reason);
    throw error;
  }
}
