// The REST API's rate limits (SECURITY.md): requests without a token are counted per address,
// requests with one per token, and an address that presents too many different wrong tokens is
// locked out for a minute before any token of it is even looked up. Counts live in this process's
// memory: N instances behind a load balancer allow N times as much.
import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { Request } from 'express';
import { createHash } from 'node:crypto';
import { PUBLIC_KEY } from '../auth/roles.decorator';
import type { HttpSettings } from '../config/config';
import { clientKey } from './client-address';
import { bearerSecret } from '../auth/token-secret';
import { RateLimitedError } from './errors';

const MINUTE_MS = 60_000;
/** Addresses the lock-out remembers at most; past that the oldest are forgotten first. */
const MAX_TRACKED_ADDRESSES = 100_000;

/** The bearer token of a request, read as AuthGuard reads it. */
export function presentedToken(req: Pick<Request, 'headers'>): string | undefined {
  return bearerSecret(req.headers.authorization);
}

/** A token's sha-256: limits keep this, never the secret itself. */
function fingerprint(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

const reflector = new Reflector();

/** Whether the route needs a token and the request brings one: then it is counted per token. */
function usesToken(context: ExecutionContext): boolean {
  const isPublic = reflector.getAllAndOverride<boolean>(PUBLIC_KEY, [context.getHandler(), context.getClass()]);
  return !isPublic && presentedToken(context.switchToHttp().getRequest<Request>()) !== undefined;
}

/** The @nestjs/throttler configuration: one limit per address, one per token; counted across all routes. */
export function httpThrottlers(http: HttpSettings): ThrottlerModuleOptions {
  return {
    // Retry-After comes with the 429 itself (AsterExceptionFilter); no X-RateLimit-* noise.
    setHeaders: false,
    generateKey: (_context, tracker, name) => `${name}:${tracker}`,
    throttlers: [
      {
        name: 'address',
        ttl: MINUTE_MS,
        limit: http.ratePerMinute,
        skipIf: (context) => usesToken(context),
        getTracker: (req) => clientKey((req as Request).ip),
      },
      {
        name: 'token',
        ttl: MINUTE_MS,
        limit: http.tokenRatePerMinute,
        skipIf: (context) => !usesToken(context),
        // Counted before the token is checked: a caller cannot spend someone else's budget without their token.
        getTracker: (req) => fingerprint(presentedToken(req as Request)!),
      },
    ],
  };
}

interface FailureRecord {
  /** Fingerprints of the wrong tokens presented in the last minute, with when. */
  tokens: Map<string, number>;
  lockedUntil: number;
}

/**
 * Wrong bearer tokens per address. Guessing a token means presenting many different ones, so
 * different wrong tokens are what counts: the same stale token sent again and again by a
 * misconfigured script counts once and does not lock its office out. At the limit the address is
 * locked out for a minute, whatever token it then presents, right or wrong.
 */
export class AuthFailureLimiter {
  private readonly records = new Map<string, FailureRecord>();
  private lastSweep = Date.now();

  constructor(
    private readonly limit: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** A token from this address was refused (401). */
  record(address: string | undefined, secret: string): void {
    const now = this.now();
    if (now - this.lastSweep >= MINUTE_MS) this.sweep(now);
    const key = clientKey(address);
    let record = this.records.get(key);
    if (!record) {
      if (this.records.size >= MAX_TRACKED_ADDRESSES) this.records.delete(this.records.keys().next().value!);
      record = { tokens: new Map(), lockedUntil: 0 };
      this.records.set(key, record);
    }
    if (record.lockedUntil > now) return;
    for (const [token, at] of record.tokens) if (at <= now - MINUTE_MS) record.tokens.delete(token);
    record.tokens.set(fingerprint(secret), now);
    if (record.tokens.size >= this.limit) {
      record.lockedUntil = now + MINUTE_MS;
      record.tokens.clear();
    }
  }

  /** Seconds the address stays locked out, 0 when it is not. */
  lockedFor(address: string | undefined): number {
    const record = this.records.get(clientKey(address));
    const left = record ? record.lockedUntil - this.now() : 0;
    return left > 0 ? Math.ceil(left / 1000) : 0;
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [key, record] of this.records) {
      const recent = [...record.tokens.values()].some((at) => at > now - MINUTE_MS);
      if (record.lockedUntil <= now && !recent) this.records.delete(key);
    }
  }
}

/**
 * The first guard of every route, before AuthGuard (AppModule makes it so): a locked-out address is
 * refused before its token is looked up, so a right guess looks no different from a wrong one;
 * then @nestjs/throttler counts the request.
 */
@Injectable()
export class HttpRateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly authFailures: AuthFailureLimiter,
  ) {
    super(options, storage, reflector);
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (usesToken(context)) {
      const seconds = this.authFailures.lockedFor(context.switchToHttp().getRequest<Request>().ip);
      if (seconds > 0) {
        throw new RateLimitedError(`Too many wrong bearer tokens from your address; try again in ${seconds} seconds`, seconds);
      }
    }
    return super.canActivate(context);
  }

  protected override throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const seconds = Math.max(1, detail.timeToBlockExpire);
    return Promise.reject(new RateLimitedError(`Too many requests; try again in ${seconds} seconds`, seconds));
  }
}
