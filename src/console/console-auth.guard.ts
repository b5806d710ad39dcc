// The console's own guard (its routes are @Public to the API's bearer AuthGuard): finds the
// session behind the cookie, checks the `_csrf` field of every POST against it, and refuses every
// change to a client token's session, as the API refuses client tokens on its writes.
import { Inject, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { ForbiddenError } from '../common/errors';
import type { AsterConfig } from '../config/config';
import { ASTER_CONFIG } from '../config/config.module';
import { applyConsoleHeaders, consoleCookies, readCookie, type ConsoleRequest } from './console-http';
import { ConsoleSessionsService, sameToken } from './console-sessions.service';

const SIGNED_OUT_KEY = 'aster:console-signed-out';
/** A console route that needs no session (the sign-in page, the stylesheet). */
export const SignedOutAllowed = () => SetMetadata(SIGNED_OUT_KEY, true);

/** No session (or an expired one): the filter sends the browser to the sign-in page. */
export class SignInRequired extends Error {}

/** A missing or wrong `_csrf` field: 403, and nothing is changed. */
export class CsrfRefused extends ForbiddenError {
  constructor() {
    super('The form is out of date or did not come from this console (missing or wrong _csrf); reload the page and try again');
  }
}

@Injectable()
export class ConsoleAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: ConsoleSessionsService,
    @Inject(ASTER_CONFIG) private readonly config: AsterConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<ConsoleRequest>();
    applyConsoleHeaders(http.getResponse<Response>());
    const cookies = consoleCookies(this.config.publicUrl);
    const session = await this.sessions.find(
      readCookie(req, cookies.session),
      typeof (req as { id?: unknown }).id === 'string' ? ((req as { id?: unknown }).id as string) : null,
    );
    if (session) {
      req.actor = session.actor;
      req.consoleCsrf = session.csrfToken;
    }
    if (this.reflector.getAllAndOverride<boolean>(SIGNED_OUT_KEY, [context.getHandler(), context.getClass()])) return true;
    if (!session) {
      // A POST without a session changes nothing either way; say so plainly rather than redirect.
      if (req.method !== 'GET' && req.method !== 'HEAD') throw new CsrfRefused();
      throw new SignInRequired();
    }
    if (req.method === 'POST') {
      const field = (req.body as Record<string, unknown> | undefined)?._csrf;
      if (!sameToken(typeof field === 'string' ? field : undefined, session.csrfToken)) throw new CsrfRefused();
      if (session.actor.role === 'client') throw new ForbiddenError('A client token may read its own records here but not change them');
    }
    return true;
  }
}
