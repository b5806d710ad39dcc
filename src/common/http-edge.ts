// What every HTTP answer carries and whom browsers may let call the API: the security headers
// (helmet, with a Content-Security-Policy that the Swagger UI at /docs and the guidance pages at
// /guide live within) and CORS, which is off unless CORS_ORIGINS names origins.
import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface.js';
import type { HelmetOptions } from 'helmet';
import type { AsterConfig } from '../config/config';

/**
 * The policy, directive by directive. Scripts only from Aster itself (the Swagger UI's bundle and
 * init script are files; no page has an inline script); inline styles are allowed because both
 * the Swagger UI and the guidance pages carry a <style> block, and a style cannot run code.
 * Images may be data: URIs (the Swagger UI's icons). Nothing may frame a page (clickjacking).
 */
export const CONTENT_SECURITY_POLICY: Record<string, string[]> = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  // The Swagger UI's "Try it out" calls the API on the same origin.
  'connect-src': ["'self'"],
  'form-action': ["'self'"],
  'base-uri': ["'none'"],
  'object-src': ["'none'"],
  'frame-ancestors': ["'none'"],
};

export function securityHeaders(config: Pick<AsterConfig, 'publicUrl'>): HelmetOptions {
  const https = config.publicUrl.startsWith('https:');
  return {
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    xFrameOptions: { action: 'deny' },
    // A guidance link holds its domain's secret token in the path: no Referer may carry it away
    // to the registrar or ICANN pages the guidance links to.
    referrerPolicy: { policy: 'no-referrer' },
    // Only where Aster is served over HTTPS; on plain HTTP a browser ignores it anyway.
    strictTransportSecurity: https ? { maxAge: 180 * 86_400, includeSubDomains: false } : false,
    crossOriginResourcePolicy: { policy: 'same-origin' },
  };
}

/** CORS for the configured origins only; bearer tokens travel in a header, so no credentials mode. */
export function corsOptions(config: Pick<AsterConfig, 'http'>): CorsOptions | undefined {
  const origins = config.http.corsOrigins;
  if (origins.length === 0) return undefined;
  return {
    origin: origins,
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
    exposedHeaders: ['Retry-After', 'X-Request-Id', 'Content-Disposition'],
    credentials: false,
    maxAge: 600,
  };
}
