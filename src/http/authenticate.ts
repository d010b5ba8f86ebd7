import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Authenticator } from '../domain/access/authenticator.js';
import type { Principal } from '../domain/access/principal.js';
import { Unauthenticated } from '../platform/errors.js';
import { parseCredentials } from './credentials.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/**
 * Every route of a management family is authenticated: this hook resolves the Principal before
 * the handler (or throws Unauthenticated, rendered in the family's shape by its error handler).
 * Routes that must stay public set `config: { public: true }`.
 */
export function authenticateRequests(app: FastifyInstance, authenticator: Authenticator): void {
  app.addHook('onRequest', async (request) => {
    if ((request.routeOptions.config as { public?: boolean } | undefined)?.public) return;
    request.principal = await authenticator.authenticate(parseCredentials(request.headers.authorization));
  });
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Unauthenticated();
  return request.principal;
}
