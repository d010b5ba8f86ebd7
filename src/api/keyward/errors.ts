import type { FastifyRequest } from 'fastify';
import type { Problem } from '../../http/problems.js';

/** Keyward admin API errors: `{message, field?, trackingId}` (the message is meant for people). */
export function renderKeywardProblem(problem: Problem, request: FastifyRequest) {
  return {
    message: problem.message,
    ...(problem.field ? { field: problem.field } : {}),
    trackingId: request.id,
  };
}
