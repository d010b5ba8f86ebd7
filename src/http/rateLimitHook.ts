import type { FastifyInstance } from 'fastify';
import { RateLimited } from '../platform/errors.js';
import type { Limiter } from '../platform/rateLimit.js';

/**
 * Per-client rate limit for a family's routes: register after `authenticateRequests` (it keys on
 * the authenticated principal's client id). A refused request throws RateLimited, which the
 * family's renderer turns into 429 + `Retry-After`; unauthenticated requests are not counted.
 */
export function limitRequestsPerClient(app: FastifyInstance, limiter: Limiter): void {
  if (!limiter.enabled) return;
  app.addHook('onRequest', async (request) => {
    const clientId = request.principal?.clientId;
    if (!clientId) return;
    const decision = await limiter.take(clientId);
    if (!decision.allowed) throw new RateLimited(decision.retryAfter);
  });
}
