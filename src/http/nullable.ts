import { Type, type Static, type TSchema } from '@sinclair/typebox';

/**
 * `schema` or null, as one JSON-schema `type: [T, 'null']`. Not a Union: with Fastify's
 * coerceTypes, ajv would coerce null into the first branch (null → "" for strings).
 */
export function nullable<T extends TSchema & { type: string }>(schema: T) {
  return Type.Unsafe<Static<T> | null>({ ...schema, type: [schema.type, 'null'] });
}
