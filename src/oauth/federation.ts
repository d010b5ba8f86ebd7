import type { FastifyReply, FastifyRequest } from 'fastify';
import { readCookie, setCookie } from '../http/cookies.js';
import type { AuthorizeRequest } from './authorize/request.js';
import type { OAuthContext } from './context.js';

/**
 * Binds a federation login to the browser that started it (login CSRF): the callback must come
 * with this cookie, whose hash the pending login stored. SameSite=Lax: the upstream's redirect back
 * is a top-level GET, which carries it.
 */
export const FEDERATION_COOKIE = 'kw_fed';
const FEDERATION_COOKIE_SECONDS = 15 * 60;

/** Keyward's redirect_uri at every upstream provider. */
export function callbackUrl(ctx: OAuthContext): string {
  return `${ctx.issuer}/sso/callback`;
}

/** The login page's "Sign in with …" links: the same authorization request plus connection_id. */
export async function loginConnections(
  ctx: OAuthContext,
  req: AuthorizeRequest,
): Promise<{ name: string; href: string }[]> {
  if (!ctx.federation || !req.client) return [];
  const choices = await ctx.federation.loginChoices(req.client.orgId);
  return choices.map((c) => {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(req.params))
      if (v !== undefined && k !== 'connection_id') query.set(k, v);
    query.set('connection_id', c.connectionId);
    return { name: c.name, href: `/oauth/authorize?${query.toString()}` };
  });
}

/** Stores the pending request (keyed by the upstream state) and sends the browser upstream. */
export async function redirectToUpstream(
  ctx: OAuthContext,
  request: FastifyRequest,
  reply: FastifyReply,
  req: AuthorizeRequest,
) {
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.params)) if (v !== undefined) params[k] = v;
  const { redirectUrl, browserBinding } = await ctx.federation!.begin({
    connection: req.connection!,
    clientId: req.client!.id,
    params,
    browserBinding: readCookie(request, FEDERATION_COOKIE),
    callbackUrl: callbackUrl(ctx),
  });
  setCookie(reply, FEDERATION_COOKIE, browserBinding, ctx.secureCookies, FEDERATION_COOKIE_SECONDS);
  return reply.status(303).header('Cache-Control', 'no-store').redirect(redirectUrl, 303);
}
