import type { FastifyRequest } from 'fastify';
import type { Problem } from '../../platform/http/problems.js';

/** Keyward admin API errors: `{message, field?, trackingId}` (the message is meant for people). */
export function renderKeywardProblem(problem: Problem, request: FastifyRequest) {
  return {
    message: problem.message,
    ...(problem.field ? { field: problem.field } : {}),
    trackingId: request.id,
  };
}
