// What every console answer carries: its cookies (session and sign-in form), and its headers — a
// stricter Content-Security-Policy than the API's (no script at all, styles only from
// /console/console.css, no inline style), no framing, and no caching of pages with data.
import type { Request, Response } from 'express';
import type { Actor } from '../auth/actor';

/** The policy of console pages; replaces the site-wide one of http-edge.ts on /console routes. */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'none'",
  "style-src 'self'",
  "img-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export function applyConsoleHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', CONSOLE_CSP);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('X-Robots-Tag', 'noindex');
  res.setHeader('Vary', 'Cookie');
}

export interface ConsoleCookies {
  session: string;
  loginCsrf: string;
  secure: boolean;
}

/** `__Host-` names (Secure, Path=/, no Domain: no subdomain can set or read them) where HTTPS allows. */
export function consoleCookies(publicUrl: string): ConsoleCookies {
  const secure = publicUrl.startsWith('https:');
  const prefix = secure ? '__Host-' : '';
  return { session: `${prefix}aster_session`, loginCsrf: `${prefix}aster_login_csrf`, secure };
}

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{1,100}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

export function setCookie(res: Response, name: string, value: string, secure: boolean): void {
  res.cookie(name, value, { httpOnly: true, sameSite: 'strict', secure, path: '/' });
}

export function clearCookie(res: Response, name: string, secure: boolean): void {
  res.clearCookie(name, { httpOnly: true, sameSite: 'strict', secure, path: '/' });
}

/** What the console guard leaves on the request for the handlers and the error pages. */
export interface ConsoleRequest extends Request {
  actor?: Actor;
  consoleCsrf?: string;
}
