/** Trivore's Authorisation JSON (2022 generation) and how the domain record maps onto it. */
import { Type, type Static } from '@sinclair/typebox';
import type { Authorisation, AuthorisationInput } from '../../domain/relations/model.js';
import { Invalid } from '../../platform/errors.js';
import { nullable } from '../../http/nullable.js';

const iso = (ms: number) => new Date(ms).toISOString();

const Party = Type.Object({ type: Type.String(), value: Type.String() });

export const AuthorisationJson = Type.Object({
  id: Type.String(),
  type: Type.String({ description: 'authorisation type code' }),
  authSource: Type.Optional(Type.String({ description: 'authorisation source code, when set' })),
  validFrom: Type.String({ format: 'date-time' }),
  validTo: Type.Optional(Type.String({ format: 'date-time', description: 'absent = open-ended' })),
  revoked: Type.Boolean(),
  revokedAt: Type.Optional(Type.String({ format: 'date-time' })),
  revocationDetails: Type.Optional(Type.Object({ cause: Type.Optional(Type.String()) })),
  meta: Type.Object({
    created: Type.String({ format: 'date-time' }),
    lastModified: Type.String({ format: 'date-time' }),
  }),
  nsCode: Type.String(),
  creator: Type.Object({ type: Type.String(), id: Type.String() }),
  subject: Party,
  object: Party,
  effectiveValidTo: Type.Optional(
    Type.String({ format: 'date-time', description: 'validTo, or the revocation time if that came first' }),
  ),
  active: Type.Boolean({ description: 'not revoked and now within [validFrom, validTo)' }),
});

export function toAuthorisationJson(a: Authorisation): Static<typeof AuthorisationJson> {
  return {
    id: a.id,
    type: a.type,
    ...(a.authSource !== null ? { authSource: a.authSource } : {}),
    validFrom: iso(a.validFrom),
    ...(a.validTo !== null ? { validTo: iso(a.validTo) } : {}),
    revoked: a.revokedAt !== null,
    ...(a.revokedAt !== null
      ? {
          revokedAt: iso(a.revokedAt),
          revocationDetails: a.revocationCause !== null ? { cause: a.revocationCause } : {},
        }
      : {}),
    meta: { created: iso(a.created), lastModified: iso(a.lastModified) },
    nsCode: a.nsCode,
    creator: a.creator,
    subject: a.subject,
    object: a.object,
    ...(a.effectiveValidTo !== null ? { effectiveValidTo: iso(a.effectiveValidTo) } : {}),
    active: a.active,
  };
}

const NullableString = nullable(Type.String({ maxLength: 100 }));
const PartyInput = Type.Object(
  {
    type: Type.Optional(Type.String({ maxLength: 100 })),
    value: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: true },
);

/**
 * Create and replace bodies. The type may be named `type` or `authType` and the source
 * `authSource` or `source` (both generations appear in Trivore's docs). Read-only fields a client
 * sends back from a GET (id, meta, active …) are ignored.
 */
export const AuthorisationBody = Type.Object(
  {
    type: Type.Optional(Type.String({ maxLength: 100 })),
    authType: Type.Optional(Type.String({ maxLength: 100 })),
    authSource: Type.Optional(NullableString),
    source: Type.Optional(NullableString),
    nsCode: Type.Optional(Type.String({ maxLength: 100 })),
    subject: Type.Optional(nullable(PartyInput)),
    object: Type.Optional(nullable(PartyInput)),
    validFrom: Type.Optional(nullable(Type.String({ maxLength: 100 }))),
    validTo: Type.Optional(nullable(Type.String({ maxLength: 100 }))),
    revoked: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: true },
);
export type AuthorisationBody = Static<typeof AuthorisationBody>;

export function toAuthorisationInput(body: AuthorisationBody | undefined): AuthorisationInput {
  if (body === undefined || body === null || typeof body !== 'object') {
    throw new Invalid(undefined, 'The request body must be a JSON Authorisation object.');
  }
  if (body.type !== undefined && body.authType !== undefined && body.type !== body.authType) {
    throw new Invalid('authType', 'differs from type; send one of them');
  }
  if (body.authSource !== undefined && body.source !== undefined && body.authSource !== body.source) {
    throw new Invalid('source', 'differs from authSource; send one of them');
  }
  return {
    type: body.type ?? body.authType,
    nsCode: body.nsCode,
    authSource: body.authSource !== undefined ? body.authSource : body.source,
    subject: body.subject ?? undefined,
    object: body.object ?? undefined,
    validFrom: body.validFrom,
    validTo: body.validTo,
    revoked: body.revoked,
  };
}
