// Aster's own errors: small classes the services throw; AsterExceptionFilter turns each into an
// HTTP answer in one place (the console's filter reads the same HTTP_STATUS). The SMTP intake does
// not use them: its answers are one table of its own, REPLIES in mail/intake/receive.ts.

export interface FieldError {
  /** Path of the offending field, e.g. `name` or `contacts.0.email`. */
  field: string;
  message: string;
}

export type ErrorCode = 'invalid' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'rate_limited';

export abstract class AsterError extends Error {
  abstract readonly code: ErrorCode;
}

/** The caller's input is wrong; `errors` says which field and why. */
export class InvalidError extends AsterError {
  readonly code = 'invalid';
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; '));
  }
  static field(field: string, message: string): InvalidError {
    return new InvalidError([{ field, message }]);
  }
}

export class UnauthenticatedError extends AsterError {
  readonly code = 'unauthenticated';
  constructor(message = 'A valid bearer token is required (Authorization: Bearer <token>)') {
    super(message);
  }
}

export class ForbiddenError extends AsterError {
  readonly code = 'forbidden';
  constructor(message = 'This token is not allowed to do that') {
    super(message);
  }
}

export class NotFoundError extends AsterError {
  readonly code = 'not_found';
  constructor(entity: string, key: string) {
    super(`${entity} ${key} not found`);
  }
}

export class ConflictError extends AsterError {
  readonly code = 'conflict';
  constructor(message: string) {
    super(message);
  }
}

/** Too many requests from one caller; `retryAfterSeconds` becomes the Retry-After header. */
export class RateLimitedError extends AsterError {
  readonly code = 'rate_limited';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** The HTTP status of each error code; the compiler flags a code nobody mapped. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
};
