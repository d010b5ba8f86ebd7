import type { FastifyInstance } from 'fastify';
import { ALL_SCOPES } from '../../domain/access/scopes.js';
import type { OAuthContext } from '../context.js';
import { grantHandlers } from './token.js';

/** Metadata listing exactly what is supported (RFC 8414 / OpenID Connect Discovery 1.0). */
export function discoveryDocument(ctx: OAuthContext): Record<string, unknown> {
  const issuer = ctx.issuer;
  return {
    issuer,
    token_endpoint: `${issuer}/oauth/token`,
    jwks_uri: `${issuer}/oauth/jwks`,
    grant_types_supported: Object.keys(grantHandlers),
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    scopes_supported: ALL_SCOPES,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256', 'EdDSA'],
    // RFC 9068 access tokens; the JWKS has the keys to check them with.
    access_token_signing_alg_values_supported: ['EdDSA'],
    service_documentation: `${issuer}/apidoc`,
  };
}

export function discoveryActions(app: FastifyInstance, ctx: OAuthContext): void {
  const send = async () => discoveryDocument(ctx);
  const schema = { tags: ['oauth'], summary: 'Discovery metadata' };
  app.get('/.well-known/openid-configuration', { schema }, send);
  app.get('/.well-known/oauth-authorization-server', { schema }, send);
}
