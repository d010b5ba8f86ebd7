import type { FastifyInstance } from 'fastify';
import { renderProblemsWith } from '../../http/problems.js';
import type { Services } from '../../services.js';
import { authenticateRequests } from '../../http/authenticate.js';
import { limitRequestsPerClient } from '../../http/rateLimitHook.js';
import { renderSailPointProblem } from './errors.js';
import { oauthClientRoutes, type SailPointVersion } from './oauthClients.js';

export interface SailPointOptions {
  services: Services;
  /** Registered once per version SailPoint serves: /beta and /v3 have identical operations. */
  version: SailPointVersion;
}

/** SailPoint-style family: /beta/oauth-clients and /v3/oauth-clients, per-client rate limited. */
export async function sailpointPlugin(
  app: FastifyInstance,
  { services, version }: SailPointOptions,
): Promise<void> {
  renderProblemsWith(app, renderSailPointProblem);
  authenticateRequests(app, services.authenticator);
  limitRequestsPerClient(app, services.rateLimiter);
  oauthClientRoutes(app, services.oauthClients, version);
}
