import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.js';
import { renderProblemsWith } from '../../http/problems.js';
import { authenticateRequests } from '../../http/authenticate.js';
import { renderWebexProblem } from './errors.js';
import { authorizationRoutes } from './authorizations.js';
import { organizationCreateRoute, organizationRoutes } from './organizations.js';
import { peopleRoutes } from './people.js';
import { roleRoutes } from './roles.js';
import { locationRoutes } from './locations.js';
import { workspaceRoutes } from './workspaces.js';
import { adminAuditRoutes } from './adminAudit.js';
import { licenseRoutes } from './licenses.js';
import { workspaceLicenseRoutes } from './workspaceLicenses.js';
import { limitRequestsPerClient } from '../../http/rateLimitHook.js';
import { linkBaseUnder } from './paging.js';

/** Webex-style family: /v1/people, /v1/organizations, /v1/licenses, /v1/authorizations … */
export async function webexPlugin(app: FastifyInstance, services: Services): Promise<void> {
  renderProblemsWith(app, renderWebexProblem);
  linkBaseUnder(app, services.config.issuer);
  authenticateRequests(app, services.authenticator);
  limitRequestsPerClient(app, services.rateLimiter);
  organizationRoutes(app, services.organizations);
  authorizationRoutes(app, services.authorizations);
  organizationCreateRoute(app, services.customerOrganizations);
  peopleRoutes(app, services.peopleAdmin);
  roleRoutes(app);
  locationRoutes(app, services.locations);
  workspaceRoutes(app, services.workspaces);
  adminAuditRoutes(app, services.auditEvents);
  licenseRoutes(app, services.licenses, services.userLicenses);
  workspaceLicenseRoutes(app, services.workspaceLicenses);
}
