import type { FastifyInstance } from 'fastify';
import { FederationFailed } from '../../domain/connections/federation.js';
import { readCookie, SESSION_COOKIE, setCookie } from '../../http/cookies.js';
import { errorPage } from '../ui/pages.js';
import { validateAuthorizeRequest } from '../authorize/index.js';
import { AuthorizeError, readAuthorizeParams } from '../authorize/request.js';
import type { OAuthContext } from '../context.js';
import { callbackUrl, FEDERATION_COOKIE } from '../federation.js';
import { fail, html, proceed } from './authorize.js';

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * GET /sso/callback: the upstream identity provider's redirect back. The federation service checks
 * state (single use, this browser), exchanges the code, validates the ID token, links or creates
 * the person and stores their upstream tokens; then a Keyward session starts and the ORIGINAL
 * authorization request continues (consent, then the code back to the application).
 */
export function ssoCallbackAction(app: FastifyInstance, ctx: OAuthContext): void {
  app.get(
    '/sso/callback',
    { schema: { tags: ['oauth'], summary: 'Federation callback (upstream identity provider redirect_uri)' } },
    async (request, reply) => {
      const federation = ctx.federation;
      if (!federation)
        return html(reply, 404, errorPage('Not available', 'Sign-in through connections is not available.'));
      const query = request.query as Record<string, unknown>;
      let outcome: Awaited<ReturnType<typeof federation.complete>>;
      try {
        outcome = await federation.complete({
          state: str(query.state),
          code: str(query.code),
          error: str(query.error),
          browserBinding: readCookie(request, FEDERATION_COOKIE),
          callbackUrl: callbackUrl(ctx),
        });
      } catch (error) {
        if (!(error instanceof FederationFailed)) throw error;
        request.log.info({ reason: error.message, upstream: error.detail }, 'federation login failed');
        if (!error.params) return html(reply, 400, errorPage('Sign-in failed', error.message));
        // The state was ours and this browser's: tell the application, as RFC 6749 §4.1.2.1 does.
        const req = readAuthorizeParams(error.params);
        try {
          await validateAuthorizeRequest(ctx, req);
          throw new AuthorizeError('access_denied', error.message);
        } catch (err) {
          return fail(reply, req, ctx, err);
        }
      }
      const { cookieValue, session } = await ctx.sessions.start(outcome.personId, outcome.orgId);
      setCookie(reply, SESSION_COOKIE, cookieValue, ctx.secureCookies);
      const req = readAuthorizeParams(outcome.params);
      try {
        await validateAuthorizeRequest(ctx, req);
        return await proceed(ctx, request, reply, req, session, true);
      } catch (error) {
        return fail(reply, req, ctx, error);
      }
    },
  );
}
