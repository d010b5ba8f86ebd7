/**
 * SailPoint OAuth client JSON (identical in beta and v3) and its mapping from the domain client.
 * Length limits and cross-field rules live in the domain (src/domain/clients/clientSettings.ts),
 * which also validates patched documents; these schemas check shapes and document the API.
 */
import { Type, type Static } from '@sinclair/typebox';
import { ADMIN_ROLES } from '../../domain/access/roles.js';
import { GRANT_TYPES } from '../../domain/clients/clientRecord.js';
import { ACCESS_TYPES, CLIENT_TYPES } from '../../domain/clients/clientSettings.js';
import type { ClientWithSecret, OAuthClient } from '../../domain/clients/oauthClients.js';
import { nullable } from '../../http/nullable.js';

function stringEnum<T extends string>(values: readonly T[], description?: string) {
  return Type.Unsafe<T>({ type: 'string', enum: [...values], description });
}

const GrantType = stringEnum(GRANT_TYPES);
const AccessType = stringEnum(ACCESS_TYPES, 'OFFLINE clients may get refresh tokens');
const ClientType = stringEnum(CLIENT_TYPES, 'PUBLIC clients have no secret (authorization code + PKCE only)');
const DateTime = Type.String({ format: 'date-time' });

export const CreateOAuthClientRequest = Type.Object(
  {
    businessName: Type.Optional(nullable(Type.String())),
    homepageUrl: Type.Optional(nullable(Type.String({ description: 'absolute http(s) URL' }))),
    name: nullable(Type.String({ description: 'required, not empty' })),
    description: nullable(Type.String()),
    accessTokenValiditySeconds: Type.Integer({ description: '60 to 86400' }),
    refreshTokenValiditySeconds: Type.Optional(
      Type.Integer({ description: '60 to 31536000; default 86400' }),
    ),
    redirectUris: Type.Optional(
      nullable(Type.Array(Type.String(), { description: 'required when AUTHORIZATION_CODE is granted' })),
    ),
    postLogoutRedirectUris: Type.Optional(
      Type.Array(Type.String(), {
        description: 'Keyward extension: where RP-initiated logout may return (post_logout_redirect_uri)',
      }),
    ),
    backchannelLogoutUri: Type.Optional(
      nullable(Type.String({ description: 'Keyward extension: OIDC Back-Channel Logout URI (http(s))' })),
    ),
    backchannelLogoutSessionRequired: Type.Optional(Type.Boolean({ description: 'Keyward extension' })),
    grantTypes: nullable(Type.Array(GrantType)),
    accessType: AccessType,
    type: Type.Optional(ClientType),
    internal: Type.Optional(Type.Boolean()),
    enabled: Type.Boolean(),
    strongAuthSupported: Type.Optional(Type.Boolean()),
    claimsSupported: Type.Optional(Type.Boolean()),
    scope: Type.Optional(
      nullable(
        Type.Array(Type.String(), {
          description: "scopes the creator holds; omitted or 'sp:scopes:all' = all of the creator's",
        }),
      ),
    ),
    roles: Type.Optional(
      Type.Array(stringEnum(ADMIN_ROLES), {
        description: "Keyward: admin roles of the client's own tokens; default the creator's (at most those)",
      }),
    ),
  },
  { additionalProperties: false },
);
export type CreateOAuthClientRequest = Static<typeof CreateOAuthClientRequest>;

const clientFields = {
  id: Type.String(),
  businessName: nullable(Type.String()),
  homepageUrl: nullable(Type.String()),
  name: Type.String(),
  description: nullable(Type.String()),
  accessTokenValiditySeconds: Type.Integer(),
  refreshTokenValiditySeconds: Type.Integer(),
  redirectUris: nullable(Type.Array(Type.String())),
  postLogoutRedirectUris: Type.Array(Type.String(), { description: 'Keyward extension' }),
  backchannelLogoutUri: nullable(Type.String({ description: 'Keyward extension' })),
  backchannelLogoutSessionRequired: Type.Boolean({ description: 'Keyward extension' }),
  grantTypes: Type.Array(GrantType),
  accessType: AccessType,
  type: ClientType,
  internal: Type.Boolean(),
  enabled: Type.Boolean(),
  strongAuthSupported: Type.Boolean(),
  claimsSupported: Type.Boolean(),
  created: DateTime,
  modified: DateTime,
  metadata: nullable(Type.String()),
  lastUsed: nullable(DateTime),
  scope: nullable(Type.Array(Type.String())),
  roles: Type.Array(Type.String(), { description: 'Keyward extension' }),
};

export const GetOAuthClientResponse = Type.Object({
  ...clientFields,
  secret: Type.Null({ description: 'never returned after creation' }),
});

export const CreateOAuthClientResponse = Type.Object({
  ...clientFields,
  secret: nullable(
    Type.String({ description: 'shown only here (and on rotation); null for PUBLIC clients' }),
  ),
});

export const JsonPatchOperation = Type.Object({
  op: stringEnum(['add', 'remove', 'replace', 'move', 'copy', 'test'] as const),
  path: Type.String({ description: 'JSON Pointer (RFC 6901), e.g. /name or /redirectUris/-' }),
  value: Type.Optional(Type.Unknown()),
  from: Type.Optional(Type.String()),
});
export const JsonPatch = Type.Array(JsonPatchOperation, { maxItems: 100 });
export type JsonPatch = Static<typeof JsonPatch>;

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) });
export type IdParams = Static<typeof IdParams>;

export const ListQuery = Type.Object({
  filters: Type.Optional(
    Type.String({
      maxLength: 4096,
      description:
        'SailPoint filter: lastUsed (le lt ge gt isnull pr), created/modified (gt ge lt le), id (eq ne in), ' +
        'name (eq ne co sw in), type/accessType (eq ne in), enabled/internal (eq ne)',
    }),
  ),
  sorters: Type.Optional(
    Type.String({
      maxLength: 200,
      description: 'comma-separated; - = descending: id, name, created, modified, lastUsed',
    }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 250, default: 250 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  count: Type.Optional(Type.Boolean({ description: 'true: X-Total-Count header with the filtered total' })),
  orgId: Type.Optional(
    Type.String({ maxLength: 128, description: "Keyward: a partner's customer organization" }),
  ),
});
export type ListQuery = Static<typeof ListQuery>;

export const CreateQuery = Type.Object({
  orgId: Type.Optional(
    Type.String({ maxLength: 128, description: "Keyward: a partner's customer organization" }),
  ),
});
export type CreateQuery = Static<typeof CreateQuery>;

const iso = (ms: number) => new Date(ms).toISOString();

export function toSailPointClient(client: OAuthClient) {
  return {
    id: client.id,
    businessName: client.businessName,
    homepageUrl: client.homepageUrl,
    name: client.name,
    description: client.description,
    accessTokenValiditySeconds: client.accessTokenValiditySeconds,
    refreshTokenValiditySeconds: client.refreshTokenValiditySeconds,
    redirectUris: client.redirectUris,
    postLogoutRedirectUris: client.postLogoutRedirectUris,
    backchannelLogoutUri: client.backchannelLogoutUri,
    backchannelLogoutSessionRequired: client.backchannelLogoutSessionRequired,
    grantTypes: client.grantTypes,
    accessType: client.accessType,
    type: client.type,
    internal: client.internal,
    enabled: client.enabled,
    strongAuthSupported: client.strongAuthSupported,
    claimsSupported: client.claimsSupported,
    created: iso(client.createdAt),
    modified: iso(client.updatedAt),
    secret: null,
    metadata: client.metadata,
    lastUsed: client.lastUsedAt === null ? null : iso(client.lastUsedAt),
    scope: client.scope,
    roles: client.roles,
  };
}

export function toSailPointClientWithSecret({ client, secret }: ClientWithSecret) {
  return { ...toSailPointClient(client), secret };
}
