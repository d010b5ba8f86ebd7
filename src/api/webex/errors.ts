import type { FastifyRequest } from 'fastify';
import type { Problem } from '../../http/problems.js';

/** Webex ErrorResponse: `{message, errors: [{errorCode, description}], trackingId}`. */
export function renderWebexProblem(problem: Problem, request: FastifyRequest) {
  return {
    message: problem.message,
    errors: [{ errorCode: problem.status, description: problem.message }],
    trackingId: request.id,
  };
}
