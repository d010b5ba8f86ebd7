/**
 * Typed domain errors. Domain services throw these; each API family renders them in its
 * vendor's error shape (src/api/<family>/errors.ts), so no business code knows about HTTP.
 */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  /** A short machine code, stable across families (used by renderers that carry one). */
  abstract readonly code: string;
}

/** The caller is not authenticated (no, malformed, expired or revoked credentials). */
export class Unauthenticated extends DomainError {
  readonly status = 401;
  readonly code = 'unauthenticated';
  constructor(message = 'Authentication required.') {
    super(message);
  }
}

/** Authenticated, but not allowed to do this. */
export class Forbidden extends DomainError {
  readonly status = 403;
  readonly code = 'forbidden';
  constructor(message = 'The caller is not allowed to perform this operation.') {
    super(message);
  }
}

/** No such resource visible to the caller (also used for other organizations' rows). */
export class NotFound extends DomainError {
  readonly status = 404;
  readonly code = 'not_found';
  constructor(message = 'The requested resource was not found.') {
    super(message);
  }
}

/** The input is wrong; `field` names what (a JSON path, a query parameter or a header). */
export class Invalid extends DomainError {
  readonly status = 400;
  readonly code = 'invalid';
  constructor(
    readonly field: string | undefined,
    readonly reason: string,
    /** Extra detail some dialects expose (e.g. SCIM `scimType`, a filter position). */
    readonly detail: Record<string, unknown> = {},
  ) {
    super(field ? `${field}: ${reason}` : reason);
  }
}

/** The change conflicts with existing state (duplicate, in use, already revoked...). */
export class Conflict extends DomainError {
  readonly status = 409;
  readonly code = 'conflict';
  constructor(message: string) {
    super(message);
  }
}

/** Too many requests; `retryAfter` in whole seconds. */
export class RateLimited extends DomainError {
  readonly status = 429;
  readonly code = 'rate_limited';
  constructor(
    readonly retryAfter: number,
    message = 'Rate limit exceeded.',
  ) {
    super(message);
  }
}

/** The request body is larger than the configured limit. */
export class PayloadTooLarge extends DomainError {
  readonly status = 413;
  readonly code = 'payload_too_large';
  constructor(message = 'The request body is too large.') {
    super(message);
  }
}

/** The request's Content-Type is not one this endpoint accepts. */
export class UnsupportedMediaType extends DomainError {
  readonly status = 415;
  readonly code = 'unsupported_media_type';
  constructor(message = 'Unsupported Content-Type.') {
    super(message);
  }
}

/**
 * A dependency (the database) cannot answer right now: a lost connection, a timeout. Nothing
 * was applied (or the transaction rolled back), so the caller may retry after `retryAfter` s.
 */
export class Unavailable extends DomainError {
  readonly status = 503;
  readonly code = 'unavailable';
  readonly retryAfter = 1;
  constructor(message = 'The service is temporarily unavailable; retry shortly.') {
    super(message);
  }
}
