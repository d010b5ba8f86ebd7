import type { FastifyRequest } from 'fastify';
import type { Problem } from '../../http/problems.js';

const ERROR_CODES: Record<number, string> = {
  400: 'InvalidRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  413: 'PayloadTooLarge',
  415: 'UnsupportedMediaType',
  429: 'TooManyRequests',
  502: 'UpstreamUnavailable',
};

/**
 * Authress ResponseError: `{errorCode, title, errorId}` (the SDK hands it over as `e.data`), plus
 * Keyward's `field` for input errors. errorId is the request's TrackingID.
 */
export function renderAuthressProblem(problem: Problem, request: FastifyRequest) {
  return {
    errorCode:
      ERROR_CODES[problem.status] ?? (problem.status >= 500 ? 'InternalServerError' : 'InvalidRequest'),
    title: problem.message,
    errorId: request.id,
    ...(problem.field ? { field: problem.field } : {}),
  };
}
