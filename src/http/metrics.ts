import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { Forbidden } from '../platform/errors.js';
import { parseCredentials } from './credentials.js';
import { Metrics } from '../platform/metrics.js';
import type { Services } from '../services.js';
import { poolStats } from '../store/poolStats.js';

/** The scope a bearer token needs to read /metrics when KEYWARD_METRICS=bearer. */
export const METRICS_SCOPE = 'keyward:metrics:read';

const GRANT_TYPES = new Set([
  'client_credentials',
  'authorization_code',
  'refresh_token',
  'urn:ietf:params:oauth:grant-type:jwt-bearer',
]);

/** Where the separate metrics listener (KEYWARD_METRICS=open) listens, once the app is ready. */
const listeners = new WeakMap<FastifyInstance, FastifyInstance>();

export function metricsUrl(app: FastifyInstance): string | undefined {
  const server = listeners.get(app)?.server.address();
  return server && typeof server === 'object' ? `http://127.0.0.1:${server.port}/metrics` : undefined;
}

/**
 * KEYWARD_METRICS: off (nothing), open (GET /metrics on KEYWARD_METRICS_PORT, unauthenticated: bind
 * it where only the scraper reaches) or bearer (GET /metrics on the main port, needs METRICS_SCOPE).
 */
export async function registerMetrics(app: FastifyInstance, services: Services): Promise<void> {
  const { mode, port } = services.config.metrics;
  if (mode === 'off') return;
  const metrics = new Metrics({
    ...poolStats(services.store),
    revocationSetSize: () => services.revocations.size,
  });
  app.addHook('onResponse', async (request, reply) => observe(metrics, request, reply));
  const scrape = async (_request: FastifyRequest, reply: FastifyReply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  if (mode === 'bearer') {
    app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
      const principal = await services.authenticator.authenticate(
        parseCredentials(request.headers.authorization),
      );
      if (!principal.scopes.has(METRICS_SCOPE))
        throw new Forbidden(`Reading metrics needs ${METRICS_SCOPE}.`);
      return scrape(request, reply);
    });
    return;
  }
  const listener = Fastify({ logger: false });
  listener.get('/metrics', scrape);
  listeners.set(app, listener);
  app.addHook('onReady', async () => {
    await listener.listen({ port, host: services.config.host });
  });
  app.addHook('onClose', async () => listener.close());
}

function observe(metrics: Metrics, request: FastifyRequest, reply: FastifyReply): void {
  // The route pattern, never the raw URL: ids in paths would make unbounded label sets.
  const route = request.routeOptions.url ?? 'unmatched';
  const labels = { method: request.method, route, status: String(reply.statusCode) };
  metrics.requests.inc(labels);
  metrics.duration.observe(labels, reply.elapsedTime / 1000);
  if (request.method !== 'POST') return;
  if (route === '/oauth/token' && reply.statusCode === 200) {
    const given = (request.body as { grant_type?: unknown } | undefined)?.grant_type;
    metrics.tokens.inc({ grant_type: typeof given === 'string' && GRANT_TYPES.has(given) ? given : 'other' });
  } else if (route === '/oauth/authorize/login') {
    const outcome = reply.statusCode < 400 ? 'success' : reply.statusCode === 401 ? 'failure' : 'rejected';
    metrics.logins.inc({ outcome });
  }
}
