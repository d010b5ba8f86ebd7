import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.js';
import { renderProblemsWith } from '../../platform/http/problems.js';
import { authenticateRequests } from '../shared/authenticate.js';
import { renderWebexProblem } from './errors.js';
import { authorizationRoutes } from './authorizations.js';
import { organizationRoutes } from './organizations.js';

/** Webex-style family: /v1/people, /v1/organizations, /v1/licenses, /v1/authorizations … */
export async function webexPlugin(app: FastifyInstance, services: Services): Promise<void> {
  renderProblemsWith(app, renderWebexProblem);
  authenticateRequests(app, services.authenticator);
  organizationRoutes(app, services.organizations);
  authorizationRoutes(app, services.authorizations);
}
