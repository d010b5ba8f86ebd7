import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import { webexPlugin } from './api/webex/index.js';
import { trivorePlugin } from './api/trivore/index.js';
import { renderTrivoreProblem } from './api/trivore/errors.js';
import { sailpointPlugin } from './api/sailpoint/index.js';
import { renderSailPointProblem } from './api/sailpoint/errors.js';
import { renderWebexProblem } from './api/webex/errors.js';
import { authressPlugin } from './api/authress/index.js';
import { registerMetrics } from './http/metrics.js';
import { renderAuthressProblem } from './api/authress/errors.js';
import { keywardAdminPlugin } from './api/keyward/index.js';
import { renderKeywardProblem } from './api/keyward/errors.js';
import { consolePlugin } from './http/console.js';
import { oauthPlugin } from './oauth/index.js';
import { registerJsonParsers } from './http/bodyParsers.js';
import { registerDrain, type Drain } from './http/drain.js';
import { notFoundUnder, renderProblemsWith, type Problem } from './http/problems.js';
import { newTrackingId } from './platform/ids.js';
import { loggerOptions } from './http/logging.js';
import { isReachable } from './store/db.js';
import { registerLandingPage } from './http/landing.js';
import type { Services } from './services.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Graceful shutdown (SIGTERM): see platform/http/drain.ts. */
    drain: Drain;
  }
}

const TRACKING_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

function renderPlainProblem(problem: Problem, request: { id: string }) {
  return { message: problem.message, trackingId: request.id };
}

/** Builds the HTTP server from the services: platform concerns here, one plugin per API family. */
export async function buildApp(
  services: Services,
  options: { logStream?: DestinationStream } = {},
): Promise<FastifyInstance> {
  const { config } = services;
  const app = Fastify({
    logger: loggerOptions(config.logLevel, options.logStream),
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    // Requests already on an open connection when close() starts are served, not answered 503.
    return503OnClosing: false,
    // Keep a caller's TrackingID (wxc_sdk sends one) so both sides can correlate; else make one.
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['trackingid'];
      return typeof given === 'string' && TRACKING_ID.test(given) ? given : newTrackingId();
    },
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false },
    },
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('TrackingID', request.id);
  });
  registerJsonParsers(app);
  const drain = registerDrain(app);
  app.decorate('drain', drain);
  renderProblemsWith(app, renderPlainProblem);
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send(
      renderPlainProblem(
        {
          status: 404,
          code: 'not_found',
          message: `No route for ${request.method} ${request.url.split('?')[0]}.`,
        },
        request,
      ),
    ),
  );

  await app.register(swagger, {
    openapi: {
      info: { title: 'Keyward', version: '0.1.0', description: 'Keyward management APIs and token service.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          basic: { type: 'http', scheme: 'basic' },
        },
      },
      security: [{ bearer: [] }, { basic: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/apidoc' });
  app.get('/apidoc/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  registerLandingPage(app, config.issuer);
  // Probes every few seconds would drown the request log: logged at debug.
  app.get('/healthz', { logLevel: 'debug', schema: { tags: ['health'], summary: 'Liveness' } }, async () => ({
    status: 'ok',
  }));
  app.get(
    '/readyz',
    { logLevel: 'debug', schema: { tags: ['health'], summary: 'Readiness: the database answers' } },
    async (_req, reply) => {
      if (drain.draining) return reply.status(503).send({ status: 'shutting down' });
      const ready = await isReachable(services.store);
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'database unreachable' });
    },
  );

  await registerMetrics(app, services);

  await app.register(oauthPlugin, {
    issuer: config.issuer,
    secureCookies: config.issuer.startsWith('https:'),
    db: services.store.db,
    clients: services.clients,
    tokens: services.tokens,
    idTokens: services.idTokens,
    keys: services.keys,
    grants: services.grants,
    revocations: services.revocations,
    sessions: services.sessions,
    throttle: services.throttle,
    consents: services.consents,
    people: services.people,
    federation: services.connections.federation,
    outbound: services.outbound,
  });
  await app.register(webexPlugin, services);
  await notFoundUnder(app, '/v1', renderWebexProblem);
  await app.register(trivorePlugin, services);
  await notFoundUnder(app, '/api/rest/v1', renderTrivoreProblem);
  await app.register(sailpointPlugin, { services, version: 'beta' });
  await app.register(sailpointPlugin, { services, version: 'v3' });
  await notFoundUnder(app, '/beta', renderSailPointProblem);
  await notFoundUnder(app, '/v3', renderSailPointProblem);
  await app.register(authressPlugin, services);
  await notFoundUnder(app, '/v1/connections', renderAuthressProblem);
  await app.register(keywardAdminPlugin, services);
  await notFoundUnder(app, '/admin/v1', renderKeywardProblem);
  if (config.console) await app.register(consolePlugin, { dir: config.consoleDir });
  return app;
}
