import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readCookie, SESSION_COOKIE, setCookie } from '../../http/cookies.js';
import { errorPage, loggedOutPage, logoutConfirmPage, PAGE_CSP } from '../ui/pages.js';
import type { OAuthContext } from '../context.js';
import { sendLogoutTokens } from '../backchannelLogout.js';
import { verifyIdTokenHint } from '../idTokenHint.js';
import { csrfToken, csrfValid, html } from './authorize.js';

/**
 * RP-initiated logout: ends the Keyward session; redirects only to a URI registered for the
 * client named by client_id or id_token_hint (never an open redirect). Without a valid
 * id_token_hint anyone could make a browser sign out (a cross-site link), so nothing ends until
 * the person confirms on a page whose form carries the CSRF double-submit token (OpenID
 * RP-Initiated Logout 1.0, section 2 and 6).
 */
export function logoutAction(app: FastifyInstance, ctx: OAuthContext): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const body = (request.body as Record<string, unknown>) ?? {};
    const params = { ...(request.query as Record<string, unknown>), ...body };
    const str = (k: string) => (typeof params[k] === 'string' ? (params[k] as string) : undefined);
    const target = str('post_logout_redirect_uri');
    const hinted = (await verifyIdTokenHint(ctx, str('id_token_hint')))?.aud;
    let redirect: URL | undefined;
    if (target) {
      const clientId = str('client_id') ?? hinted;
      const client = clientId ? await ctx.clients.find(clientId) : undefined;
      if (!client || !client.postLogoutRedirectUris.includes(target)) {
        return reply
          .status(400)
          .header('Content-Security-Policy', PAGE_CSP)
          .type('text/html; charset=utf-8')
          .send(errorPage('Cannot sign out', 'post_logout_redirect_uri is not registered for the client.'));
      }
      redirect = new URL(target);
      if (str('state')) redirect.searchParams.set('state', str('state')!);
    }
    const confirmed = request.method === 'POST' && body.confirm === 'yes' && csrfValid(request, body);
    if (!hinted && !confirmed) {
      const fields = {
        post_logout_redirect_uri: target,
        client_id: str('client_id'),
        state: str('state'),
        confirm: 'yes',
        csrf: csrfToken(ctx, request, reply),
      };
      return html(reply, 200, logoutConfirmPage(fields));
    }
    const cookie = readCookie(request, SESSION_COOKIE);
    const ending = await ctx.sessions.find(cookie);
    await ctx.sessions.end(cookie);
    if (ending) await sendLogoutTokens(ctx, ending, request.log);
    setCookie(reply, SESSION_COOKIE, '', ctx.secureCookies, 0);
    if (redirect) return reply.redirect(redirect.href, 303);
    return reply
      .header('Content-Security-Policy', PAGE_CSP)
      .type('text/html; charset=utf-8')
      .send(loggedOutPage());
  };
  const schema = {
    tags: ['oauth'],
    summary: 'RP-initiated logout (confirmed on a page without a valid id_token_hint)',
  };
  app.get('/oauth/logout', { schema }, handler);
  app.post('/oauth/logout', { schema }, handler);
}
