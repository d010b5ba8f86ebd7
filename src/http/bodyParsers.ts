import type { FastifyInstance } from 'fastify';
import { Invalid } from '../platform/errors.js';

function parseJsonText(body: string): unknown {
  // SDKs send DELETE/GET with Content-Type: application/json and no body: that is "no body".
  if (body.trim() === '') return undefined;
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new Invalid(undefined, `The request body is not valid JSON: ${(error as Error).message}`);
  }
}

/** JSON and JSON Patch bodies, tolerant of empty bodies. */
export function registerJsonParsers(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  const parser = (
    _req: unknown,
    body: string | Buffer,
    done: (err: Error | null, value?: unknown) => void,
  ) => {
    try {
      done(null, parseJsonText(body.toString()));
    } catch (error) {
      done(error as Error);
    }
  };
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parser);
  app.addContentTypeParser('application/json-patch+json', { parseAs: 'string' }, parser);
  // Authress answers with application/links+json and its clients may send it back.
  app.addContentTypeParser('application/links+json', { parseAs: 'string' }, parser);
}
