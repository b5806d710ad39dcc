// Errors on console routes as pages (the API's filter answers JSON): no session → the sign-in
// page; a refused form or a service's typed error → a page with the service's words and status.
import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { AsterError, HTTP_STATUS, RateLimitedError } from '../common/errors';
import { SignInRequired } from './console-auth.guard';
import { applyConsoleHeaders, type ConsoleRequest } from './console-http';
import { errorPage } from './views/error.view';

@Catch()
export class ConsoleExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Console');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const req = http.getRequest<ConsoleRequest>();
    applyConsoleHeaders(res);
    if (exception instanceof SignInRequired) {
      res.redirect(303, '/console/login');
      return;
    }
    let status = 500;
    let message = 'Something went wrong on our side; it has been logged.';
    if (exception instanceof AsterError) {
      status = HTTP_STATUS[exception.code];
      message = exception.message;
      if (exception instanceof RateLimitedError) res.setHeader('Retry-After', String(exception.retryAfterSeconds));
    } else if (exception instanceof HttpException && exception.getStatus() < 500) {
      status = exception.getStatus();
      message = status === 404 ? 'There is no such page.' : 'The request could not be handled.';
    } else {
      this.logger.error(exception);
    }
    res
      .status(status)
      .type('text/html')
      .send(errorPage({ actor: req.actor ?? null, csrf: req.consoleCsrf }, status, message));
  }
}
