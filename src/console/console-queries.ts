// The console's read model: what the overview counts and the domain table sorted by expiry. The API
// has no such views (its domain list is by name), so they live here, scoped for client tokens by
// the same rule as the services (clientScope), reading only; every change goes through the services.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { clientScope, type Actor } from '../auth/actor';
import { likePattern } from '../common/like-pattern';
import { toAsciiHost } from '../domains/domain-name';

export const DOMAIN_PAGE_SIZE = 50;

export interface DomainFilters {
  q?: string;
  clientId?: string;
  registrar?: string;
  expiresBefore?: Date;
  state?: string;
  /** Only domains no registrar mail has reached yet (lastNoticeAt unset). */
  neverNoticed?: boolean;
  /** Keyset: the sort key of the last row of the previous page. */
  after?: { expiresAt: Date | null; name: string };
}

export interface DomainRow {
  name: string;
  unicodeName: string;
  expiresAt: Date | null;
  state: string;
  statuses: string[];
  clientId: string;
  clientName: string;
  registrarName: string | null;
  lastNoticeAt: Date | null;
}

export interface Overview {
  heldByReason: { holdReason: string; count: number }[];
  expiringSoon: { name: string; unicodeName: string; expiresAt: Date; clientName: string }[];
  expiringCount: number;
  failedDeliveries: { id: string; email: string; lastResponse: string | null; messageId: string | null; subject: string | null; at: Date }[];
  failedCount: number;
  /** null when the `suspicious` column is not there (an older schema). */
  suspicious: { id: string; subject: string | null; from: string | null; receivedAt: Date; reasons: string[] }[] | null;
  contactsNeverWelcomed: number;
  neverNoticed: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class ConsoleQueries {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * One page of domains by expiry (unknown expiry last), then name; keyset paging on
   * ("expiresAt", name), so page 2,000 of 100,000 domains costs what page 1 does (IDX_domain_expires_name).
   * The count is exact and separate (one scan of the filtered rows).
   */
  async domains(filters: DomainFilters, actor: Actor): Promise<{ rows: DomainRow[]; total: number; next: DomainFilters['after'] | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const scope = clientScope(actor);
    if (scope) where.push(`d."clientId" = ${p(scope)}`);
    if (filters.clientId && UUID.test(filters.clientId)) where.push(`d."clientId" = ${p(filters.clientId)}`);
    if (filters.q) {
      const term = filters.q.normalize('NFC').trim().toLowerCase();
      const ascii = toAsciiHost(term);
      const a = p(likePattern(term));
      const b = p(likePattern(ascii || term));
      where.push(`(d.name LIKE ${a} OR d."unicodeName" LIKE ${a} OR d.name LIKE ${b})`);
    }
    if (filters.registrar) where.push(`d."registrarId" IN (SELECT rf.id FROM registrar rf WHERE lower(rf.name) = lower(${p(filters.registrar.trim())}))`);
    if (filters.expiresBefore) where.push(`d."expiresAt" < ${p(filters.expiresBefore)}`);
    if (filters.state) where.push(`d.state = ${p(filters.state)}`);
    if (filters.neverNoticed) where.push(`d."lastNoticeAt" IS NULL`);
    const filtered = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }] = await this.db.query<{ total: number }[]>(`SELECT count(*)::int AS total FROM domain d ${filtered}`, params);

    // Two seeks on IDX_domain_expires_name, in the index's own order (NULLS LAST): first the
    // domains with an expiry after the keyset position, then, if the page is not full, those with none.
    const select = `SELECT d.name, d."unicodeName", d."expiresAt", d.state, d.statuses, d."clientId", c.name AS "clientName",
              r.name AS "registrarName", d."lastNoticeAt"
         FROM domain d JOIN client c ON c.id = d."clientId" LEFT JOIN registrar r ON r.id = d."registrarId"`;
    const after = filters.after;
    const rows: DomainRow[] = [];
    if (!after || after.expiresAt !== null) {
      const dated = [...where, `d."expiresAt" IS NOT NULL`];
      const ps = [...params];
      if (after) {
        ps.push(after.expiresAt, after.name);
        dated.push(`(d."expiresAt", d.name) > ($${ps.length - 1}, $${ps.length})`);
      }
      rows.push(
        ...(await this.db.query<DomainRow[]>(`${select} WHERE ${dated.join(' AND ')} ORDER BY d."expiresAt", d.name LIMIT ${DOMAIN_PAGE_SIZE + 1}`, ps)),
      );
    }
    if (rows.length <= DOMAIN_PAGE_SIZE) {
      const undated = [...where, `d."expiresAt" IS NULL`];
      const ps = [...params];
      if (after?.expiresAt === null) {
        ps.push(after.name);
        undated.push(`d.name > $${ps.length}`);
      }
      const room = DOMAIN_PAGE_SIZE + 1 - rows.length;
      rows.push(...(await this.db.query<DomainRow[]>(`${select} WHERE ${undated.join(' AND ')} ORDER BY d."expiresAt", d.name LIMIT ${room}`, ps)));
    }
    const more = rows.length > DOMAIN_PAGE_SIZE;
    const shown = rows.slice(0, DOMAIN_PAGE_SIZE);
    const last = shown[shown.length - 1];
    return { rows: shown, total, next: more && last ? { expiresAt: last.expiresAt, name: last.name } : null };
  }

  async registrarNames(): Promise<string[]> {
    const rows = await this.db.query<{ name: string }[]>(`SELECT name FROM registrar ORDER BY lower(name) LIMIT 500`);
    return rows.map((r) => r.name);
  }

  async overview(actor: Actor, now = new Date()): Promise<Overview> {
    const scope = clientScope(actor) ?? null;
    const soon = new Date(now.getTime() + 30 * 86_400_000);
    type Count = { count: number }[];
    const [heldByReason, expiringSoon, [{ count: expiringCount }], failedDeliveries, [{ count: failedCount }], contacts, noticed] = await Promise.all([
      this.db.query<Overview['heldByReason']>(
        `SELECT coalesce("holdReason", 'none') AS "holdReason", count(*)::int AS count FROM inbound_message
          WHERE status = 'held' AND ($1::uuid IS NULL OR "clientIds" = ARRAY[$1::uuid]) GROUP BY 1 ORDER BY 2 DESC`,
        [scope],
      ),
      this.db.query<Overview['expiringSoon']>(
        `SELECT d.name, d."unicodeName", d."expiresAt", c.name AS "clientName" FROM domain d JOIN client c ON c.id = d."clientId"
          WHERE d."expiresAt" >= $1 AND d."expiresAt" < $2 AND ($3::uuid IS NULL OR d."clientId" = $3) ORDER BY d."expiresAt", d.name LIMIT 10`,
        [now, soon, scope],
      ),
      this.db.query<Count>(
        `SELECT count(*)::int AS count FROM domain d WHERE d."expiresAt" >= $1 AND d."expiresAt" < $2 AND ($3::uuid IS NULL OR d."clientId" = $3)`,
        [now, soon, scope],
      ),
      this.db.query<Overview['failedDeliveries']>(
        `SELECT d.id, d.email, d."lastResponse", d."inboundMessageId" AS "messageId", m.subject, d."updatedAt" AS at
           FROM delivery d LEFT JOIN inbound_message m ON m.id = d."inboundMessageId"
          WHERE d.status = 'failed' AND ($1::uuid IS NULL OR d."clientId" = $1) ORDER BY d."updatedAt" DESC LIMIT 10`,
        [scope],
      ),
      this.db.query<Count>(`SELECT count(*)::int AS count FROM delivery d WHERE d.status = 'failed' AND ($1::uuid IS NULL OR d."clientId" = $1)`, [scope]),
      this.db.query<Count>(
        `SELECT count(*)::int AS count FROM contact k WHERE k."receivesNotices" AND ($1::uuid IS NULL OR k."clientId" = $1)
            AND NOT EXISTS (SELECT 1 FROM delivery d WHERE d."contactId" = k.id AND d.form = 'welcome' AND d.status IN ('queued', 'sent'))`,
        [scope],
      ),
      this.db.query<Count>(`SELECT count(*)::int AS count FROM domain d WHERE d."lastNoticeAt" IS NULL AND ($1::uuid IS NULL OR d."clientId" = $1)`, [scope]),
    ]);
    return {
      heldByReason,
      expiringSoon,
      expiringCount,
      failedDeliveries,
      failedCount,
      suspicious: await this.suspicious(scope),
      contactsNeverWelcomed: contacts[0].count,
      neverNoticed: noticed[0].count,
    };
  }

  /** The latest messages read as a scam; null where the schema has no `suspicious` column yet. */
  private async suspicious(scope: string | null): Promise<Overview['suspicious']> {
    try {
      const rows = await this.db.query<{ id: string; subject: string | null; from: string | null; receivedAt: Date; suspicious: { reasons?: string[] } }[]>(
        `SELECT id, subject, "fromHeader" AS from, "receivedAt", suspicious FROM inbound_message
          WHERE suspicious IS NOT NULL AND ($1::uuid IS NULL OR "clientIds" = ARRAY[$1::uuid]) ORDER BY "receivedAt" DESC, id DESC LIMIT 10`,
        [scope],
      );
      return rows.map((r) => ({ id: r.id, subject: r.subject, from: r.from, receivedAt: r.receivedAt, reasons: r.suspicious.reasons ?? [] }));
    } catch (err) {
      if ((err as { driverError?: { code?: string } }).driverError?.code === '42703') return null;
      throw err;
    }
  }
}
