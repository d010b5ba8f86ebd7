import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { toProblem } from '../http/problems.js';
import { discoveryActions } from './actions/discovery.js';
import { authorizeActions } from './actions/authorize.js';
import { introspectAction } from './actions/introspect.js';
import { jwksAction } from './actions/jwks.js';
import { logoutAction } from './actions/logout.js';
import { revokeAction } from './actions/revoke.js';
import { ssoCallbackAction } from './actions/ssoCallback.js';
import { userinfoAction } from './actions/userinfo.js';
import { tokenAction } from './actions/token.js';
import type { OAuthContext } from './context.js';
import { OAuthError, renderOAuthProblem } from './errors.js';

/** The token service: one file per endpoint in actions/, one per grant type in grants/. */
export async function oauthPlugin(app: FastifyInstance, ctx: OAuthContext): Promise<void> {
  await app.register(formbody);
  // The SailPoint SDK posts its token request as multipart/form-data: fields only, small.
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fields: 30, fieldSize: 8192, files: 0, parts: 30 },
  });
  app.setErrorHandler((error, request, reply) => {
    reply.header('Cache-Control', 'no-store');
    if (error instanceof OAuthError) {
      if (error.wwwAuthenticate) reply.header('WWW-Authenticate', error.wwwAuthenticate);
      request.log.info({ error: error.error, reason: error.description }, 'oauth request rejected');
      return reply.status(error.status).send({ error: error.error, error_description: error.description });
    }
    const problem = toProblem(error);
    if (problem.status >= 500) request.log.error({ err: error }, 'oauth request failed');
    return reply.status(problem.status).send(renderOAuthProblem(problem));
  });
  tokenAction(app, ctx);
  authorizeActions(app, ctx);
  revokeAction(app, ctx);
  introspectAction(app, ctx);
  userinfoAction(app, ctx);
  logoutAction(app, ctx);
  jwksAction(app, ctx);
  discoveryActions(app, ctx);
  ssoCallbackAction(app, ctx);
}
