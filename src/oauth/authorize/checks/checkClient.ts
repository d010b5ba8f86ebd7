import type { OAuthContext } from '../../context.js';
import { AuthorizeError, type AuthorizeRequest } from '../request.js';

/** The client must exist and be enabled; failures show a page, never redirect (unverified URI). */
export async function checkClient(ctx: OAuthContext, req: AuthorizeRequest): Promise<void> {
  if (req.repeated.includes('client_id'))
    throw new AuthorizeError('invalid_request', 'client_id is repeated.', false);
  const id = req.params.client_id;
  if (!id) throw new AuthorizeError('invalid_request', 'client_id is required.', false);
  const client = await ctx.clients.find(id);
  if (!client || !client.enabled)
    throw new AuthorizeError('invalid_client', 'Unknown or disabled client.', false);
  req.client = client;
}
