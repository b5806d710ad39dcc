// Signing in and out of the console, and its stylesheet (needed before a session exists).
import { Body, Get, Inject, Post, Req, Res } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Response } from 'express';
import { randomBytes } from 'node:crypto';
import { AuthFailureLimiter } from '../common/rate-limits';
import type { AsterConfig } from '../config/config';
import { ASTER_CONFIG } from '../config/config.module';
import { CsrfRefused, SignedOutAllowed } from './console-auth.guard';
import { clearCookie, consoleCookies, readCookie, setCookie, type ConsoleRequest } from './console-http';
import { ConsolePages, text, type Form } from './console-pages';
import { ConsoleSessionsService, sameToken } from './console-sessions.service';
import { CONSOLE_CSS } from './views/console.css';
import { loginPage } from './views/login.view';

@ConsolePages()
export class ConsoleSessionController {
  constructor(
    private readonly sessions: ConsoleSessionsService,
    private readonly moduleRef: ModuleRef,
    @Inject(ASTER_CONFIG) private readonly config: AsterConfig,
  ) {}

  private get cookies() {
    return consoleCookies(this.config.publicUrl);
  }

  @Get('console.css')
  @SignedOutAllowed()
  css(@Res() res: Response): void {
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.type('text/css').send(CONSOLE_CSS);
  }

  // ---- signing in and out ----

  @Get('login')
  @SignedOutAllowed()
  login(@Req() req: ConsoleRequest, @Res() res: Response): void {
    if (req.actor) return res.redirect(303, '/console');
    res.type('html').send(loginPage(this.loginCsrf(req, res)));
  }

  @Post('login')
  @SignedOutAllowed()
  async signIn(@Req() req: ConsoleRequest, @Body() form: Form, @Res() res: Response): Promise<void> {
    // Before a session exists, the form's _csrf must equal the cookie set with the form (double submit).
    if (!sameToken(text(form, '_csrf'), readCookie(req, this.cookies.loginCsrf) ?? '\0')) throw new CsrfRefused();
    // Refused tokens count as refused bearer tokens do, and a locked-out address is refused before
    // its token is looked up, so the console is no way around the API's lockout.
    const failures = this.moduleRef.get(AuthFailureLimiter, { strict: false });
    const locked = failures.lockedFor(req.ip);
    if (locked > 0) {
      res.setHeader('Retry-After', String(locked));
      res
        .status(429)
        .type('html')
        .send(loginPage(this.loginCsrf(req, res), `Too many wrong tokens from your address; try again in ${locked} seconds.`));
      return;
    }
    const token = (text(form, 'token') ?? '').trim();
    const id = token && token.length <= 200 ? await this.sessions.open(token) : null;
    if (!id) {
      if (token) failures.record(req.ip, token);
      res
        .status(401)
        .type('html')
        .send(loginPage(this.loginCsrf(req, res), 'That token is unknown or has been revoked.'));
      return;
    }
    clearCookie(res, this.cookies.loginCsrf, this.cookies.secure);
    setCookie(res, this.cookies.session, id, this.cookies.secure);
    res.redirect(303, '/console');
  }

  @Post('logout')
  @SignedOutAllowed()
  async signOut(@Req() req: ConsoleRequest, @Body() form: Form, @Res() res: Response): Promise<void> {
    if (req.actor && !sameToken(text(form, '_csrf'), req.consoleCsrf ?? '')) throw new CsrfRefused();
    await this.sessions.end(readCookie(req, this.cookies.session));
    clearCookie(res, this.cookies.session, this.cookies.secure);
    res.redirect(303, '/console/login');
  }

  private loginCsrf(req: ConsoleRequest, res: Response): string {
    let value = readCookie(req, this.cookies.loginCsrf);
    if (!value) {
      value = randomBytes(32).toString('base64url');
      setCookie(res, this.cookies.loginCsrf, value, this.cookies.secure);
    }
    return value;
  }
}
