import type { FastifyInstance } from 'fastify';

/**
 * Graceful shutdown state of one server: once draining, /readyz says 503 so load balancers stop
 * sending, and every answer carries `Connection: close` so keep-alive clients reconnect elsewhere
 * instead of meeting a closed socket.
 */
export interface Drain {
  readonly draining: boolean;
  /** Turns draining on, keeps serving for `ms`, then resolves (the caller then closes). */
  start(ms: number): Promise<void>;
}

export function registerDrain(app: FastifyInstance): Drain {
  let draining = false;
  app.addHook('onSend', async (_request, reply) => {
    if (draining) reply.header('Connection', 'close');
  });
  return {
    get draining() {
      return draining;
    },
    start(ms) {
      draining = true;
      return new Promise((resolve) => setTimeout(resolve, ms));
    },
  };
}
