import type { FastifyReply, FastifyRequest } from 'fastify';
import { Invalid } from '../../platform/errors.js';

/**
 * Webex paging: `max` per page, the next page announced in `Link: <absolute URL>; rel="next"`
 * carrying every parameter of the request plus an opaque `cursor` (keyset: the last row's key).
 * Clients such as wxc_sdk GET that URL verbatim, so it must be absolute and point at this server
 * (Host, or X-Forwarded-Host/Proto when KEYWARD_TRUST_PROXY is on).
 */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith('k:') || Buffer.from(text).toString('base64url') !== cursor) {
    throw new Invalid('cursor', 'is not a cursor this server issued');
  }
  return text.slice(2);
}

export function encodeCursor(lastKey: string): string {
  return Buffer.from(`k:${lastKey}`).toString('base64url');
}

/** Sets the Link header when a full page was returned (there may be more). */
export function linkNextPage(
  request: FastifyRequest,
  reply: FastifyReply,
  rows: readonly unknown[],
  max: number,
  keyOf: (row: any) => string,
): void {
  if (rows.length < max || rows.length === 0) return;
  const url = new URL(request.url, `${request.protocol}://${request.host}`);
  url.searchParams.set('cursor', encodeCursor(keyOf(rows[rows.length - 1])));
  url.searchParams.set('max', String(max));
  reply.header('Link', `<${url.href}>; rel="next"`);
}

/**
 * For queries that fetched `max + 1` rows: returns the page (at most `max`) and announces the next
 * one only when that extra row exists, so the last page never links to an empty one.
 */
export function pageOf<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  rows: readonly T[],
  max: number,
  keyOf: (row: T) => string,
): T[] {
  const page = rows.slice(0, max);
  if (rows.length > max) linkNextPage(request, reply, page, max, keyOf);
  return page;
}
