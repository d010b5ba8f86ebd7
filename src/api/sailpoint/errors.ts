import type { FastifyRequest } from 'fastify';
import type { Problem } from '../../http/problems.js';

/** SailPoint's `detailCode` per status, as in its OpenAPI examples. */
const DETAIL_CODES: Record<number, string> = {
  400: '400.1 Bad Request Content',
  403: '403 Forbidden',
  404: '404 Not found',
  409: '409 Conflict',
  413: '413 Payload Too Large',
  415: '415 Unsupported Media Type',
  500: '500.0 Internal Fault',
};

/**
 * SailPoint error bodies: ErrorResponseDto `{detailCode, trackingId, messages, causes}` for 4xx/5xx,
 * except 401 `{error}` and 429 `{message}` (their own schemas in SailPoint's spec). `trackingId` is
 * the request's TrackingID.
 */
export function renderSailPointProblem(problem: Problem, request: FastifyRequest) {
  if (problem.status === 401) return { error: problem.message };
  if (problem.status === 429) return { message: 'Rate Limit Exceeded' };
  return {
    detailCode: DETAIL_CODES[problem.status] ?? `${problem.status} ${problem.code}`,
    trackingId: request.id,
    messages: [{ locale: 'en-US', localeOrigin: 'DEFAULT', text: problem.message }],
    causes: [],
  };
}
