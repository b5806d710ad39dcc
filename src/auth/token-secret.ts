// Token secrets: 32 random bytes shown once; only their SHA-256 is stored (the secret has enough
// entropy that a slow password hash would add nothing but latency to every request).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const PREFIX = 'aster_';

export function newTokenSecret(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

/** The secret of an `Authorization: Bearer <secret>` header, or undefined. */
export function bearerSecret(header: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
}

export function hashToken(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function sameSecret(a: string, b: string): boolean {
  const ha = Buffer.from(hashToken(a), 'hex');
  const hb = Buffer.from(hashToken(b), 'hex');
  return timingSafeEqual(ha, hb);
}
