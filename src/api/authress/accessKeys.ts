import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AccessKeyInfo, AccessKeys } from '../../domain/clients/accessKeys.js';
import { principalOf } from '../../http/authenticate.js';

const TAGS = ['authress: service client access keys'];
const BASE = '/v1/clients/:clientId/access-keys';
const ClientParams = Type.Object({ clientId: Type.String({ minLength: 1, maxLength: 128 }) });
const KeyParams = Type.Object({
  clientId: Type.String({ minLength: 1, maxLength: 128 }),
  keyId: Type.String({ minLength: 1, maxLength: 64 }),
});

const AccessKeyJson = Type.Object({
  keyId: Type.String(),
  clientId: Type.String(),
  generationDate: Type.String({ format: 'date-time' }),
  revokedDate: Type.Optional(Type.String({ format: 'date-time' })),
});

function toJson(key: AccessKeyInfo): Static<typeof AccessKeyJson> {
  return {
    keyId: key.keyId,
    clientId: key.clientId,
    generationDate: new Date(key.createdAt).toISOString(),
    ...(key.revokedAt !== null ? { revokedDate: new Date(key.revokedAt).toISOString() } : {}),
  };
}

/**
 * Authress's service-client access-key paths (so the SDK's serviceClients.requestAccessKey and
 * deleteAccessKey work), for Keyward's OAuth clients; GET (the list) is a Keyward extension.
 */
export function accessKeyRoutes(app: FastifyInstance, keys: AccessKeys): void {
  app.post<{ Params: Static<typeof ClientParams> }>(
    BASE,
    {
      schema: {
        tags: TAGS,
        summary:
          'Create an access key; the accessKey (private key) is returned only now (sp:oauth-client:manage, full admin)',
        params: ClientParams,
        response: { 201: Type.Object({ ...AccessKeyJson.properties, accessKey: Type.String() }) },
      },
    },
    async (request, reply) => {
      const issued = await keys.create(principalOf(request), request.params.clientId);
      return reply
        .status(201)
        .header('Cache-Control', 'no-store')
        .send({ ...toJson(issued), accessKey: issued.accessKey });
    },
  );

  app.get<{ Params: Static<typeof ClientParams> }>(
    BASE,
    {
      schema: {
        tags: TAGS,
        summary: "List a client's access keys, revoked ones included (sp:oauth-client:read)",
        params: ClientParams,
        response: { 200: Type.Object({ keys: Type.Array(AccessKeyJson) }) },
      },
    },
    async (request) => ({
      keys: (await keys.list(principalOf(request), request.params.clientId)).map(toJson),
    }),
  );

  app.delete<{ Params: Static<typeof KeyParams> }>(
    `${BASE}/:keyId`,
    {
      schema: {
        tags: TAGS,
        summary: 'Revoke an access key: refused at once (sp:oauth-client:manage, full admin)',
        params: KeyParams,
      },
    },
    async (request, reply) => {
      await keys.revoke(principalOf(request), request.params.clientId, request.params.keyId);
      return reply.status(204).send();
    },
  );
}
