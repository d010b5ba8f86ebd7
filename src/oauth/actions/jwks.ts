import type { FastifyInstance } from 'fastify';
import type { OAuthContext } from '../context.js';

export function jwksAction(app: FastifyInstance, ctx: OAuthContext): void {
  app.get(
    '/oauth/jwks',
    { schema: { tags: ['oauth'], summary: 'JSON Web Key Set (active and retiring keys)' } },
    async (_request, reply) => {
      reply.header('Cache-Control', 'public, max-age=300');
      return ctx.keys.jwks();
    },
  );
}
