import type { FastifyInstance } from 'fastify';
import { renderProblemsWith } from '../../http/problems.js';
import type { Services } from '../../services.js';
import { authenticateRequests } from '../../http/authenticate.js';
import { authorisationRoutes } from './authorisations.js';
import { catalogRoutes } from './catalog.js';
import { renderTrivoreProblem } from './errors.js';
import { userAuthorisationRoutes } from './userAuthorisations.js';

/** Trivore-style family: /api/rest/v1/authorisation…, authorisation types and sources, per-user lists. */
export async function trivorePlugin(app: FastifyInstance, services: Services): Promise<void> {
  renderProblemsWith(app, renderTrivoreProblem);
  authenticateRequests(app, services.authenticator);
  catalogRoutes(app, services.authorisations.types);
  catalogRoutes(app, services.authorisations.sources);
  authorisationRoutes(app, services.authorisations);
  userAuthorisationRoutes(app, services.authorisations);
}
