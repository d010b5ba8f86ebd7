import type { FastifyInstance } from 'fastify';
import { RateLimited } from '../platform/errors.js';
import type { Limiter } from '../platform/rateLimit.js';

/**
 * The budget a principal draws from: a client's own tokens share the client's; a person's token
 * counts for that client and person together, so the admins of one app (the console) do not
 * exhaust each other's budget.
 */
export function rateLimitKey(principal: { clientId: string; personId?: string | null }): string {
  return principal.personId ? `${principal.clientId}/person:${principal.personId}` : principal.clientId;
}

/**
 * Per-principal rate limit for a family's routes: register after `authenticateRequests` (it keys
 * on rateLimitKey of the authenticated principal). A refused request throws RateLimited, which the
 * family's renderer turns into 429 + `Retry-After`; unauthenticated requests are not counted.
 */
export function limitRequestsPerClient(app: FastifyInstance, limiter: Limiter): void {
  if (!limiter.enabled) return;
  app.addHook('onRequest', async (request) => {
    const principal = request.principal;
    if (!principal?.clientId) return;
    const decision = await limiter.take(rateLimitKey(principal));
    if (!decision.allowed) throw new RateLimited(decision.retryAfter);
  });
}
