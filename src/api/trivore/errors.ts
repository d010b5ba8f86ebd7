import type { FastifyRequest } from 'fastify';
import type { Problem } from '../../http/problems.js';

const SCIM_ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

/**
 * Trivore error body `{errorMessage, statusCode}` (what its SDK reads), plus Keyward's `message`
 * and `trackingId`. Filter and paging errors are also RFC 7644 §3.12 SCIM errors: `schemas`,
 * `scimType` (e.g. invalidFilter), `detail`, `status`, and the filter position when known.
 */
export function renderTrivoreProblem(problem: Problem, request: FastifyRequest) {
  const body: Record<string, unknown> = {
    errorMessage: problem.message,
    statusCode: problem.status,
    message: problem.message,
    trackingId: request.id,
  };
  if (problem.field) body.field = problem.field;
  const scimType = problem.detail?.scimType;
  if (typeof scimType === 'string') {
    body.schemas = [SCIM_ERROR];
    body.scimType = scimType;
    body.detail = problem.message;
    body.status = String(problem.status);
    if (typeof problem.detail?.position === 'number') body.position = problem.detail.position;
    if (typeof problem.detail?.attribute === 'string') body.attribute = problem.detail.attribute;
  }
  return body;
}
