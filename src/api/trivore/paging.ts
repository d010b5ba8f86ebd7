import { Type, type Static } from '@sinclair/typebox';
import type { ListRequest } from '../../domain/relations/listing.js';
import { parseScimFilter } from '../../platform/filters/scim.js';

export const DEFAULT_COUNT = 20;
export const MAX_COUNT = 500;

/** `filter` (SCIM), `startIndex` (1-based), `count`, `sortBy`, `sortOrder`. */
export const ListQuery = Type.Object({
  filter: Type.Optional(Type.String({ maxLength: 4096, description: 'SCIM filter (RFC 7644 §3.4.2.2)' })),
  startIndex: Type.Optional(
    Type.Integer({ description: '1-based index of the first result; below 1 means 1' }),
  ),
  count: Type.Optional(
    Type.Integer({
      description: `page size, default ${DEFAULT_COUNT}, at most ${MAX_COUNT}; 0 = totalResults only`,
    }),
  ),
  sortBy: Type.Optional(Type.String({ maxLength: 100 })),
  sortOrder: Type.Optional(Type.Union([Type.Literal('ascending'), Type.Literal('descending')])),
});
export type ListQuery = Static<typeof ListQuery>;

/**
 * SCIM paging rules (RFC 7644 §3.4.2.4): startIndex below 1 is 1, a negative count is 0, and a
 * count over the maximum is clamped rather than refused.
 */
export function toListRequest(query: ListQuery): ListRequest & { startIndex: number } {
  const startIndex = Math.max(1, query.startIndex ?? 1);
  const limit = Math.min(MAX_COUNT, Math.max(0, query.count ?? DEFAULT_COUNT));
  const text = query.filter?.trim();
  return {
    filter: text ? parseScimFilter(text) : undefined,
    offset: startIndex - 1,
    limit,
    sortBy: query.sortBy,
    sortOrder: query.sortOrder,
    startIndex,
  };
}

/**
 * The list envelope. `itemsPerPage` is the page size in force, as in Trivore's example (a
 * one-result list answered `itemsPerPage: 20`).
 */
export function envelope<T>(request: { startIndex: number; limit: number }, total: number, resources: T[]) {
  return { totalResults: total, startIndex: request.startIndex, itemsPerPage: request.limit, resources };
}

export function envelopeSchema<T extends ReturnType<typeof Type.Object>>(item: T) {
  return Type.Object({
    totalResults: Type.Integer(),
    startIndex: Type.Integer(),
    itemsPerPage: Type.Integer(),
    resources: Type.Array(item),
  });
}
