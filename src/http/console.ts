import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorPage, PAGE_CSP } from './pages.js';

/**
 * The console's policy: its own scripts and styles only (no inline code, no eval), API calls to
 * this origin only, never framed.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** dist/console beside the compiled server (src/web → ../../dist/console; dist/web → the same). */
export function defaultConsoleDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'console');
}

/**
 * Serves the built admin console at /console: hashed assets as immutable, every other path under
 * /console the single page (client-side routes), never cached so a new build is picked up at once.
 */
export async function consolePlugin(app: FastifyInstance, options: { dir?: string }): Promise<void> {
  const dir = options.dir ?? defaultConsoleDir();
  const indexFile = join(dir, 'index.html');
  const built = existsSync(indexFile);
  const index = built ? readFileSync(indexFile, 'utf8') : '';
  if (built && existsSync(join(dir, 'assets'))) {
    await app.register(fastifyStatic, {
      root: join(dir, 'assets'),
      prefix: '/console/assets/',
      immutable: true,
      maxAge: '365d',
      index: false,
      decorateReply: false,
      setHeaders: (reply) => reply.header('Content-Security-Policy', CONSOLE_CSP),
    });
  }
  // /console and /console/ are one route (ignoreTrailingSlash); both serve the page.
  const page = (_request: FastifyRequest, reply: FastifyReply) => {
    if (!built) {
      return reply
        .status(503)
        .header('Content-Security-Policy', PAGE_CSP)
        .type('text/html; charset=utf-8')
        .send(errorPage('Console not built', 'Run npm run build, then restart Keyward.'));
    }
    return reply
      .header('Content-Security-Policy', CONSOLE_CSP)
      .header('Cache-Control', 'no-cache')
      .header('X-Content-Type-Options', 'nosniff')
      .header('Referrer-Policy', 'no-referrer')
      .type('text/html; charset=utf-8')
      .send(index);
  };
  app.get('/console', { schema: { hide: true } }, page);
  app.get('/console/*', { schema: { hide: true } }, page);
}
