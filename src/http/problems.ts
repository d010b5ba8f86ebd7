import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, Invalid, RateLimited, Unavailable } from '../platform/errors.js';

/**
 * Any error thrown while serving a request, normalised. Each API family turns a Problem into
 * its vendor's error body (src/api/<family>/errors.ts); nothing here knows those shapes.
 */
export interface Problem {
  status: number;
  code: string;
  message: string;
  field?: string;
  detail?: Record<string, unknown>;
  retryAfter?: number;
}

const FASTIFY_CODES: Record<string, { status: number; code: string; message?: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'payload_too_large',
    message: 'The request body is too large.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'invalid' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid', message: 'The request body is empty.' },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: 'invalid',
    message: 'The request body is not valid JSON.',
  },
  FST_ERR_INVALID_URL: { status: 400, code: 'invalid' },
  FST_ERR_BAD_URL: { status: 400, code: 'invalid' },
};

function validationProblem(error: FastifyError): Problem {
  const first = error.validation?.[0];
  const where = error.validationContext ?? 'body';
  const path = first?.instancePath?.replace(/^\//, '').replace(/\//g, '.') ?? '';
  const missing = (first?.params as { missingProperty?: string } | undefined)?.missingProperty;
  const extra = (first?.params as { additionalProperty?: string } | undefined)?.additionalProperty;
  const allowed = (first?.params as { allowedValues?: unknown[] } | undefined)?.allowedValues;
  const field = [path, missing ?? extra].filter(Boolean).join('.') || where;
  let reason = first?.message ?? 'is invalid';
  if (missing) reason = 'is required';
  else if (extra) reason = 'is not a known field';
  else if (allowed) reason = `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
  const label = where === 'body' ? field : `${where === 'querystring' ? 'query parameter' : where} ${field}`;
  return { status: 400, code: 'invalid', field, message: `${label}: ${reason}` };
}

/** Say what to send instead: Fastify's own text names only what was sent. */
function unsupportedMediaType(fastifyMessage: string): Problem {
  const sent = fastifyMessage.match(/Unsupported Media Type:?\s*(.*)$/i)?.[1]?.trim();
  return {
    status: 415,
    code: 'unsupported_media_type',
    message: `This Content-Type${sent ? ` (${sent})` : ''} is not accepted: send application/json (application/json-patch+json for a JSON Patch; application/x-www-form-urlencoded to /oauth endpoints).`,
  };
}

export function toProblem(error: unknown): Problem {
  if (error instanceof DomainError) {
    return {
      status: error.status,
      code: error.code,
      message: error.message,
      field: error instanceof Invalid ? error.field : undefined,
      detail: error instanceof Invalid ? error.detail : undefined,
      retryAfter: error instanceof RateLimited || error instanceof Unavailable ? error.retryAfter : undefined,
    };
  }
  const e = error as FastifyError;
  if (e?.validation) return validationProblem(e);
  if (e?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return unsupportedMediaType(e.message);
  const known = e?.code ? FASTIFY_CODES[e.code] : undefined;
  if (known) return { status: known.status, code: known.code, message: known.message ?? e.message };
  if (e instanceof SyntaxError)
    return { status: 400, code: 'invalid', message: 'The request body is not valid JSON.' };
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return { status: e.statusCode, code: 'invalid', message: e.message };
  }
  return { status: 500, code: 'internal', message: 'An internal error occurred.' };
}

export type ProblemRenderer = (problem: Problem, request: FastifyRequest) => unknown;

function sendProblem(
  problem: Problem,
  render: ProblemRenderer,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  if (problem.retryAfter !== undefined) reply.header('Retry-After', String(problem.retryAfter));
  return reply.status(problem.status).type('application/json; charset=utf-8').send(render(problem, request));
}

/**
 * Renders every error thrown in this plugin's scope with `render`. Stack traces are logged,
 * never sent.
 */
export function renderProblemsWith(app: FastifyInstance, render: ProblemRenderer): void {
  app.setErrorHandler((error, request, reply) => {
    const problem = toProblem(error);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ status: problem.status, reason: problem.message }, 'request rejected');
    return sendProblem(problem, render, request, reply);
  });
}

/** A JSON 404 in the family's shape for unknown paths under `prefix`. */
export async function notFoundUnder(
  app: FastifyInstance,
  prefix: string,
  render: ProblemRenderer,
): Promise<void> {
  await app.register(
    async (scope) => {
      scope.setNotFoundHandler((request, reply) =>
        sendProblem(
          {
            status: 404,
            code: 'not_found',
            message: `No route for ${request.method} ${request.url.split('?')[0]}.`,
          },
          render,
          request,
          reply,
        ),
      );
    },
    { prefix },
  );
}
