import type { FastifyInstance } from 'fastify';
import { renderProblemsWith } from '../../http/problems.js';
import type { Services } from '../../services.js';
import { authenticateRequests } from '../../http/authenticate.js';
import { limitRequestsPerClient } from '../../http/rateLimitHook.js';
import { accessKeyRoutes } from './accessKeys.js';
import { connectionRoutes } from './connections.js';
import { renderAuthressProblem } from './errors.js';

/** Authress-style family: /v1/connections… and service-client access keys, per-client rate limited. */
export async function authressPlugin(app: FastifyInstance, services: Services): Promise<void> {
  renderProblemsWith(app, renderAuthressProblem);
  authenticateRequests(app, services.authenticator);
  limitRequestsPerClient(app, services.rateLimiter);
  connectionRoutes(app, services.connections, services.box);
  accessKeyRoutes(app, services.accessKeys);
}
