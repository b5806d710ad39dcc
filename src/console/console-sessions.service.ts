// Console sessions: open one for a presented API token (checked exactly as a bearer token is),
// find the session behind a cookie (ending it after inactivity or when its token is revoked), end it.
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor';
import type { Role } from '../auth/api-token.entity';
import { hashToken, sameSecret } from '../auth/token-secret';
import { TokensService } from '../auth/tokens.service';
import type { AsterConfig } from '../config/config';
import { ASTER_CONFIG } from '../config/config.module';
import { ConsoleSession } from './console-session.entity';

/** A session ends after this long without a request. */
export const SESSION_IDLE_MS = 30 * 60_000;
/** lastSeenAt is written at most this often, so reading a page is not a write each time. */
const TOUCH_RESOLUTION_MS = 60_000;

export interface OpenSession {
  actor: Actor;
  csrfToken: string;
}

/** Constant-time comparison of two short secrets (CSRF tokens). */
export function sameToken(a: string | undefined, b: string): boolean {
  if (typeof a !== 'string') return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

@Injectable()
export class ConsoleSessionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly tokens: TokensService,
    @Inject(ASTER_CONFIG) private readonly config: AsterConfig,
  ) {}

  /**
   * Checks `secret` as AuthGuard checks a bearer token (ADMIN_TOKEN first, then the stored tokens)
   * and opens a session for it: returns the new session id (for the cookie only), or null.
   */
  async open(secret: string): Promise<string | null> {
    let tokenId: string | null = null;
    let adminTokenHash: string | null = null;
    if (this.config.adminToken && sameSecret(secret, this.config.adminToken)) {
      adminTokenHash = hashToken(this.config.adminToken);
    } else {
      const token = await this.tokens.findActive(secret);
      if (!token) return null;
      tokenId = token.id;
    }
    const id = randomBytes(32).toString('base64url');
    await this.db.getRepository(ConsoleSession).insert({
      idHash: hashToken(id),
      tokenId,
      adminTokenHash,
      csrfToken: randomBytes(32).toString('base64url'),
      lastSeenAt: new Date(),
    });
    // Old sessions are swept here, at sign-in, rather than by a timer on every instance.
    await this.db.query(`DELETE FROM console_session WHERE "lastSeenAt" < $1`, [new Date(Date.now() - SESSION_IDLE_MS)]);
    return id;
  }

  /** The session behind a cookie's id, as the actor it acts for; null when unknown, idle too long or its token revoked. */
  async find(id: string | undefined, requestId: string | null): Promise<OpenSession | null> {
    if (!id || id.length > 100) return null;
    const rows: {
      idHash: string;
      tokenId: string | null;
      adminTokenHash: string | null;
      csrfToken: string;
      lastSeenAt: Date;
      role: Role | null;
      clientId: string | null;
      name: string | null;
      revokedAt: Date | null;
    }[] = await this.db.query(
      `SELECT s."idHash", s."tokenId", s."adminTokenHash", s."csrfToken", s."lastSeenAt", t.role, t."clientId", t.name, t."revokedAt"
         FROM console_session s LEFT JOIN api_token t ON t.id = s."tokenId"
        WHERE s."idHash" = $1`,
      [hashToken(id)],
    );
    const s = rows[0];
    if (!s) return null;
    const idle = Date.now() - new Date(s.lastSeenAt).getTime();
    let actor: Actor | null = null;
    if (s.adminTokenHash !== null) {
      // The ADMIN_TOKEN setting may have changed or gone since sign-in.
      if (this.config.adminToken && hashToken(this.config.adminToken) === s.adminTokenHash) {
        actor = { tokenId: null, role: 'admin', clientId: null, label: 'ADMIN_TOKEN (admin)', requestId };
      }
    } else if (s.role && !s.revokedAt) {
      actor = { tokenId: s.tokenId, role: s.role, clientId: s.clientId, label: `${s.name ?? s.tokenId} (${s.role})`, requestId };
    }
    if (!actor || idle > SESSION_IDLE_MS) {
      await this.db.query(`DELETE FROM console_session WHERE "idHash" = $1`, [s.idHash]);
      return null;
    }
    if (idle > TOUCH_RESOLUTION_MS) {
      await this.db.query(`UPDATE console_session SET "lastSeenAt" = now() WHERE "idHash" = $1`, [s.idHash]);
    }
    return { actor, csrfToken: s.csrfToken.trim() };
  }

  async end(id: string | undefined): Promise<void> {
    if (!id || id.length > 100) return;
    await this.db.query(`DELETE FROM console_session WHERE "idHash" = $1`, [hashToken(id)]);
  }
}
