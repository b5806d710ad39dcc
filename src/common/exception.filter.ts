// Turns every error into the Contract's error body `{ statusCode, message, errors? }`.
// User mistakes never become a 500, and no stack trace ever reaches a client. A refused bearer
// token is counted here against its address (rate-limits.ts), since here every refusal passes.
import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { AsterError, HTTP_STATUS, InvalidError, RateLimitedError, UnauthenticatedError, type FieldError } from './errors';
import { AuthFailureLimiter, presentedToken } from './rate-limits';
import { isDatabaseUnavailable } from '../database/pg-errors';

export interface ErrorBody {
  statusCode: number;
  message: string;
  errors?: FieldError[];
}

/** PostgreSQL error codes that mean the request itself was at fault (a race the service did not catch). */
const PG_CLIENT_ERRORS: Record<string, { status: number; message: string }> = {
  '23505': { status: 409, message: 'A record with the same unique value already exists' },
  '23503': { status: 409, message: 'The record is still referenced by other records' },
  '22P02': { status: 400, message: 'A value has the wrong form' },
  '22007': { status: 400, message: 'A date has the wrong form' },
  '22008': { status: 400, message: 'A date is out of range' },
  '22001': { status: 400, message: 'A value is too long' },
};

/**
 * What body-parser's errors (which Nest turns into HttpExceptions) say to a client: in Aster's
 * words, without echoing a piece of the body or the parser's internals.
 */
const BODY_ERRORS: Record<string, (cause: { limit?: number }) => string> = {
  'entity.parse.failed': () => 'The request body is not valid JSON',
  'entity.too.large': (cause) => `The request body is larger than the limit of ${cause.limit ?? '?'} bytes for its type`,
  'entity.too.deep': (cause) => `The request body nests deeper than ${cause.limit ?? '?'} levels`,
  'request.aborted': () => 'The request body was not received in full',
};

@Catch()
export class AsterExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  constructor(private readonly authFailures: AuthFailureLimiter) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const body = this.toBody(exception);
    if (body.statusCode === 401) {
      response.setHeader('WWW-Authenticate', 'Bearer realm="aster"');
      const request = http.getRequest<Request>();
      const token = presentedToken(request);
      if (exception instanceof UnauthenticatedError && token !== undefined) this.authFailures.record(request.ip, token);
    }
    if (exception instanceof RateLimitedError) response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    // Always as JSON, also where a handler had declared HTML (the guidance pages): an error may
    // quote what the caller sent, and that must never be served as markup.
    response.status(body.statusCode).type('application/json').json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof AsterError) {
      const body: ErrorBody = { statusCode: HTTP_STATUS[exception.code], message: exception.message };
      if (exception instanceof InvalidError) body.errors = exception.errors;
      return body;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const cause = exception.cause as { type?: string; limit?: number } | undefined;
      const bodyError = typeof cause?.type === 'string' ? BODY_ERRORS[cause.type] : undefined;
      if (bodyError && status < 500) return { statusCode: status, message: bodyError(cause!) };
      const res = exception.getResponse();
      const message =
        typeof res === 'string'
          ? res
          : Array.isArray((res as { message?: unknown }).message)
            ? (res as { message: string[] }).message.join('; ')
            : typeof (res as { message?: unknown }).message === 'string'
              ? (res as { message: string }).message
              : exception.message;
      if (status >= 500) this.logger.error(exception);
      return { statusCode: status, message: status >= 500 ? 'Internal server error' : message };
    }
    if (exception instanceof QueryFailedError) {
      const code = (exception.driverError as { code?: string } | undefined)?.code ?? '';
      const known = PG_CLIENT_ERRORS[code];
      if (known) return { statusCode: known.status, message: known.message };
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.error(exception);
      return { statusCode: 503, message: 'The database is unavailable; try again shortly' };
    }
    this.logger.error(exception);
    return { statusCode: 500, message: 'Internal server error' };
  }
}
