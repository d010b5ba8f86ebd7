import { Type, type Static } from '@sinclair/typebox';
import type { Connection, ConnectionInput } from '../../domain/connections/connectionModel.js';
import { DEFAULT_CONTENT_TYPE, DEFAULT_SCOPE } from '../../domain/connections/connectionModel.js';
import { nullable } from '../../http/nullable.js';

const text = (maxLength: number, description?: string) =>
  Type.Optional(nullable(Type.String({ maxLength, ...(description ? { description } : {}) })));

/**
 * The Connection body of POST and PUT. Unknown keys (createdTime sent back by a client, vendor
 * fields Keyward does not implement) are accepted and ignored; the rules live in the domain
 * (validateConnection) so their messages name the field.
 */
export const ConnectionBody = Type.Object(
  {
    connectionId: text(64, 'letters, digits, - _ . :; server-assigned (con_…) when absent'),
    type: text(32, 'OAUTH2 (default) or SAML2'),
    authenticationUrl: text(1024, 'required: the OAuth authorize URL (or SAML SSO URL)'),
    tokenUrl: text(1024, 'required for OAUTH2'),
    issuerUrl: text(1024, 'OIDC issuer: ID tokens are validated against its discovery document and JWKS'),
    providerCertificate: text(8192, 'required for SAML2: an X.509 certificate, PEM or base64 DER'),
    clientId: text(128, 'required for OAUTH2'),
    clientSecret: text(2048, 'write-only: never returned, sealed at rest'),
    data: Type.Optional(
      nullable(
        Type.Object(
          {
            tenantId: text(128),
            name: text(64, 'display name (the login page button)'),
            supportedContentType: text(
              100,
              'token request body: application/json (default) or application/x-www-form-urlencoded',
            ),
            oidcUserEndpointUrl: text(1024, 'where to read the user (email) for non-OIDC providers'),
          },
          { additionalProperties: true },
        ),
      ),
    ),
    defaultConnectionProperties: Type.Optional(
      nullable(
        Type.Object({ scope: text(384, `default "${DEFAULT_SCOPE}"`) }, { additionalProperties: true }),
      ),
    ),
  },
  { additionalProperties: true },
);
export type ConnectionBody = Static<typeof ConnectionBody>;

export const ConnectionJson = Type.Object({
  connectionId: Type.String(),
  type: Type.String(),
  authenticationUrl: Type.String(),
  tokenUrl: nullable(Type.String()),
  issuerUrl: nullable(Type.String()),
  providerCertificate: nullable(Type.String()),
  clientId: nullable(Type.String()),
  data: Type.Object({
    tenantId: Type.Optional(Type.String()),
    name: Type.Optional(Type.String()),
    supportedContentType: Type.String(),
    oidcUserEndpointUrl: Type.Optional(Type.String()),
  }),
  defaultConnectionProperties: Type.Object({ scope: Type.String() }),
  createdTime: Type.String({ format: 'date-time' }),
  lastUpdated: Type.String({ format: 'date-time' }),
});
export type ConnectionJson = Static<typeof ConnectionJson>;

export function toConnectionInput(body: ConnectionBody): ConnectionInput {
  return body as ConnectionInput;
}

/** Never the client secret: it is write-only. */
export function toConnectionJson(c: Connection): ConnectionJson {
  return {
    connectionId: c.connectionId,
    type: c.type,
    authenticationUrl: c.authenticationUrl,
    tokenUrl: c.tokenUrl,
    issuerUrl: c.issuerUrl,
    providerCertificate: c.providerCertificate,
    clientId: c.clientId,
    data: { ...c.data, supportedContentType: c.data.supportedContentType ?? DEFAULT_CONTENT_TYPE },
    defaultConnectionProperties: { scope: c.scope ?? DEFAULT_SCOPE },
    createdTime: new Date(c.createdAt).toISOString(),
    lastUpdated: new Date(c.updatedAt).toISOString(),
  };
}

export const ConnectionCollection = Type.Object({
  connections: Type.Array(ConnectionJson),
  pagination: Type.Object({ next: Type.Optional(Type.Object({ cursor: Type.String() })) }),
  links: Type.Object({
    self: Type.Object({ href: Type.String() }),
    next: Type.Optional(Type.Object({ href: Type.String() })),
  }),
});
