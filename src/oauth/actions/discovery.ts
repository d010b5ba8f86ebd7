import type { FastifyInstance } from 'fastify';
import { ALL_SCOPES } from '../../domain/access/scopes.js';
import type { OAuthContext } from '../context.js';
import { PROMPTS } from '../authorize/checks/checkPrompt.js';
import { grantHandlers } from './token.js';
import { RESPONSE_MODES } from '../authorize/checks/checkResponseMode.js';
import { ACR_VALUES_SUPPORTED, SUPPORTED_CLAIMS } from '../../domain/identity/claims.js';

/** Metadata listing exactly what is supported (RFC 8414 / OpenID Connect Discovery 1.0). */
export function discoveryDocument(ctx: OAuthContext): Record<string, unknown> {
  const issuer = ctx.issuer;
  return {
    issuer,
    authorization_endpoint: `${issuer}/oauth/authorize`,
    token_endpoint: `${issuer}/oauth/token`,
    userinfo_endpoint: `${issuer}/oauth/userinfo`,
    jwks_uri: `${issuer}/oauth/jwks`,
    revocation_endpoint: `${issuer}/oauth/revoke`,
    introspection_endpoint: `${issuer}/oauth/introspect`,
    end_session_endpoint: `${issuer}/oauth/logout`,
    backchannel_logout_supported: true,
    backchannel_logout_session_supported: true,
    grant_types_supported: Object.keys(grantHandlers),
    response_types_supported: ['code'],
    response_modes_supported: [...RESPONSE_MODES],
    code_challenge_methods_supported: ['S256'],
    prompt_values_supported: PROMPTS,
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    scopes_supported: ALL_SCOPES,
    claims_supported: SUPPORTED_CLAIMS,
    claims_parameter_supported: true,
    acr_values_supported: ACR_VALUES_SUPPORTED,
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [ctx.idTokens.alg],
    authorization_response_iss_parameter_supported: true,
    // Request objects are refused (request_not_supported / request_uri_not_supported); an absent
    // request_uri_parameter_supported would mean true.
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    service_documentation: `${issuer}/apidoc`,
  };
}

export function discoveryActions(app: FastifyInstance, ctx: OAuthContext): void {
  const send = async () => discoveryDocument(ctx);
  const schema = { tags: ['oauth'], summary: 'Discovery metadata' };
  app.get('/.well-known/openid-configuration', { schema }, send);
  app.get('/.well-known/oauth-authorization-server', { schema }, send);
}
