import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Invalid } from '../../platform/errors.js';

/**
 * Webex paging: `max` per page, the next page announced in `Link: <absolute URL>; rel="next"`
 * carrying every parameter of the request plus an opaque `cursor` (keyset: the last row's key).
 * Clients such as wxc_sdk GET that URL verbatim, so it must be absolute and point at this server:
 * the request's Host (X-Forwarded-Host/Proto when KEYWARD_TRUST_PROXY is on), else KEYWARD_ISSUER.
 */

declare module 'fastify' {
  interface FastifyInstance {
    /** KEYWARD_ISSUER, for Link URLs of requests that name no usable host. */
    webexLinkBase?: string;
  }
}

/** Makes `issuer` the fallback origin of Link URLs for the routes of `app` (the Webex plugin). */
export function linkBaseUnder(app: FastifyInstance, issuer: string): void {
  app.decorate('webexLinkBase', issuer);
}

/**
 * The origin the client reached. An HTTP/1.0 request may carry no Host, and a client may send a
 * Host that is no host at all (`a b`, `x/y`, `u@h`): those get the configured issuer's origin.
 */
export function publicOrigin(request: FastifyRequest): string {
  if (request.host) {
    try {
      const url = new URL(`${request.protocol}://${request.host}`);
      const hostOnly = !url.username && !url.password && url.pathname === '/' && !url.search && !url.hash;
      if (hostOnly) return url.origin;
    } catch {
      // not a host: fall back to the issuer
    }
  }
  const issuer = request.server.webexLinkBase;
  if (!issuer) throw new Error('webex paging: linkBaseUnder(app, issuer) was not called');
  return new URL(issuer).origin;
}

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
  const url = new URL(request.url, publicOrigin(request));
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
