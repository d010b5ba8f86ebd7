import type { FastifyRequest } from 'fastify';
import type { SecretBox } from '../../platform/crypto/masterKey.js';
import { Invalid } from '../../platform/errors.js';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

/** What a cursor remembers: where the last page ended, in which organization, under which filter. */
export interface CursorState {
  after: string;
  orgId: string;
  filter: string;
}

/**
 * Cursors are opaque and tamper-evident: the keyset position sealed with the master key
 * (AES-256-GCM), so an edited cursor is refused (400) rather than silently read elsewhere.
 */
export function encodeCursor(box: SecretBox, state: CursorState): string {
  return box.encrypt(JSON.stringify({ a: state.after, o: state.orgId, f: state.filter }));
}

export function decodeCursor(box: SecretBox, cursor: string | undefined): CursorState | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const value = JSON.parse(box.decrypt(cursor));
    if (typeof value.a === 'string' && typeof value.o === 'string' && typeof value.f === 'string')
      return { after: value.a, orgId: value.o, filter: value.f };
  } catch {
    // fall through
  }
  throw new Invalid('cursor', 'is not a cursor this server issued (pass pagination.next.cursor unchanged)');
}

/** The absolute URL of this request, and of the next page (same parameters, new cursor). */
export function pageLinks(request: FastifyRequest, nextCursor: string | undefined, limit: number) {
  const self = new URL(request.url, `${request.protocol}://${request.host}`);
  const links: { self: { href: string }; next?: { href: string } } = { self: { href: self.href } };
  if (nextCursor) {
    const next = new URL(self.href);
    next.searchParams.set('cursor', nextCursor);
    next.searchParams.set('limit', String(limit));
    links.next = { href: next.href };
  }
  return links;
}
