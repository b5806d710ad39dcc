// The registry watch (issue 13): checks domains at their registries over RDAP, makes each domain's
// record follow the registry (audited as `registry-watch`), records what it saw as watch events,
// raises alarms on changes between two checks, and reminds before expiry. Letters go through the
// delivery queue (forms registry_alert and expiry_reminder; Letters composes them).
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { clientScope, type Actor } from '../auth/actor';
import { InvalidError } from '../common/errors';
import { page, type Page } from '../common/page';
import type { AsterConfig } from '../config/config';
import { ASTER_CONFIG } from '../config/config.module';
import { toAsciiHost } from '../domains/domain-name';
import { Domain } from '../domains/domain.entity';
import { DomainsService, type DomainChanges } from '../domains/domains.service';
import type { DomainDto } from '../domains/dto/domain.dto';
import { DeliveriesService } from '../mail/delivery/deliveries.service';
import type { DeliveryForm } from '../mail/delivery/delivery.entity';
import { MetricsService } from '../metrics/metrics.service';
import { Registrar } from '../registrars/registrar.entity';
import { RdapBootstrap } from './rdap-bootstrap';
import { RdapClient, RdapError } from './rdap-client';
import type { RegistryView } from './rdap-record';
import { WatchEvent, type Told } from './watch-event.entity';
import { changesBetween, dedupeKey, EXPIRED_ALERT_WINDOW_DAYS, expiryDue, WATCH_EVENT_KINDS, type WatchEventKind } from './watch-rules';

/** The audit log's actor for the record following the registry. */
export const WATCH_ACTOR: Actor = { tokenId: null, role: 'admin', clientId: null, label: 'registry-watch', requestId: null };

/** Session advisory lock key: one cycle at a time over all instances on the database ("AsterRW"). */
const CYCLE_LOCK = 0x41737465_7257;
/**
 * Checks under way at once per registry host in a cycle: two, so that the registry is asked about
 * the next domain while the registrar's server is asked about this one; the host limiter still
 * lets one request at a time reach each host.
 */
const CHECKS_PER_REGISTRY = 2;
/** When RDAP_SYNC_INTERVAL is off, `POST /api/watch/run` without `all` still calls this old "due". */
const DEFAULT_DUE_MS = 86_400_000;

export interface CycleReport {
  checked: number;
  failed: number;
  reminders: number;
  alerts: number;
}

export interface WatchEventView {
  id: string;
  domain: string;
  kind: WatchEventKind;
  before: unknown;
  after: unknown;
  detail: string | null;
  told: { email: string; role: 'contact' | 'staff' }[];
  createdAt: Date;
}

export interface WatchEventQuery {
  domain?: string;
  kind?: string;
  page: number;
  limit: number;
  skip: number;
}

const EMPTY_VIEW: Omit<RegistryView, 'checkedAt' | 'error' | 'source'> = {
  registrarIanaId: null,
  registrarName: null,
  expiresAt: null,
  registeredAt: null,
  lastChangedAt: null,
  lastTransferredAt: null,
  statuses: [],
  nameservers: [],
};

@Injectable()
export class RegistryWatch implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('RegistryWatch');
  private readonly client: RdapClient;
  private bootstrap?: Promise<RdapBootstrap>;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopping = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(ASTER_CONFIG) private readonly config: AsterConfig,
    private readonly domains: DomainsService,
    private readonly deliveries: DeliveriesService,
    private readonly metrics: MetricsService,
  ) {
    this.client = new RdapClient(
      () => this.loadBootstrap(),
      config.rdap,
      (host, outcome) => metrics.rdapRequests.inc({ host, outcome }),
    );
  }

  /** The bootstrap, read once; a failed read is tried again at the next check. */
  private loadBootstrap(): Promise<RdapBootstrap> {
    this.bootstrap ??= RdapBootstrap.load(this.config.rdap.bootstrap, this.config.rdap.servers, this.config.rdap.timeoutMs).catch((err: unknown) => {
      this.bootstrap = undefined;
      throw err;
    });
    return this.bootstrap;
  }

  // ── the schedule ────────────────────────────────────────────────────────────────────────────

  /**
   * Where the worker role runs and RDAP_SYNC_INTERVAL is not `off`: a tick every 1/96 of the
   * interval (15 minutes for 24h), the first one a tick after start (so a start makes no RDAP
   * request), each checking its share of the domains that are due.
   */
  onApplicationBootstrap(): void {
    const interval = this.config.rdap.syncIntervalMs;
    if (interval === null || !this.config.roles.includes('worker')) return;
    const tickMs = Math.min(15 * 60_000, Math.max(1000, Math.floor(interval / 96)));
    const tick = () => {
      this.timer = setTimeout(() => {
        if (this.stopping) return;
        this.running = this.scheduledTick(interval, tickMs)
          .catch((err: unknown) => this.logger.error(`registry watch tick failed: ${String(err)}`))
          .finally(() => {
            this.running = undefined;
            if (!this.stopping) tick();
          });
      }, tickMs);
      this.timer.unref();
    };
    tick();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One tick: if no other instance is in a cycle, the most urgent due domains, a share sized to spread all of them over the interval. */
  private async scheduledTick(intervalMs: number, tickMs: number): Promise<void> {
    const [{ n }] = await this.db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM domain');
    // Twice the even share, so a backlog (new domains, a slow registry) catches up.
    const batch = Math.max(1, Math.ceil((n * tickMs) / intervalMs) * 2);
    await this.cycle({ all: false, limit: batch, wait: false });
  }

  // ── cycles and single checks ────────────────────────────────────────────────────────────────

  /** `POST /api/watch/run`: waits for any cycle running elsewhere, then checks (all, or the due ones) and sends what is due. */
  run(all: boolean): Promise<CycleReport> {
    return this.cycle({ all, wait: true }).then((r) => r ?? { checked: 0, failed: 0, reminders: 0, alerts: 0 });
  }

  /**
   * One cycle under the session advisory lock CYCLE_LOCK, so two instances never check the same
   * domains or send the same letters: `wait` blocks for the lock, else the cycle is skipped
   * (undefined) when another instance holds it.
   */
  private async cycle(options: { all: boolean; limit?: number; wait: boolean }): Promise<CycleReport | undefined> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      // A domain checked after this cycle was asked for counts as done: two instances asked at once
      // check each domain once between them (the second waits for the first, then finds none left).
      const [{ asked }] = (await runner.query('SELECT clock_timestamp() AS asked')) as { asked: Date }[];
      if (options.wait) await runner.query('SELECT pg_advisory_lock($1)', [CYCLE_LOCK]);
      else {
        const [{ locked }] = (await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [CYCLE_LOCK])) as { locked: boolean }[];
        if (!locked) return undefined;
      }
      try {
        const picked = await this.pick(options.all, asked, options.limit);
        const report: CycleReport = { checked: 0, failed: 0, reminders: 0, alerts: 0 };
        // One lane per registry host, each in urgency order, all lanes at once: a slow or strict
        // registry holds up its own domains, never another registry's.
        const bootstrap = await this.loadBootstrap().catch(() => undefined);
        const lanes = new Map<string, string[]>();
        for (const { id, name } of picked) {
          const base = bootstrap?.serverFor(name);
          const host = base ? new URL(base).host : '';
          lanes.set(host, [...(lanes.get(host) ?? []), id]);
        }
        const lane = async (ids: string[]) => {
          let next = 0;
          const worker = async () => {
            while (next < ids.length && !this.stopping) {
              const result = await this.check(ids[next++]);
              if (!result) continue;
              report.checked++;
              if (!result.ok) report.failed++;
              report.alerts += result.alerts;
            }
          };
          await Promise.all(Array.from({ length: Math.min(CHECKS_PER_REGISTRY, ids.length) }, worker));
        };
        await Promise.all([...lanes.values()].map(lane));
        const due = await this.sendExpiryNotices(new Date(), options.wait);
        report.reminders += due.reminders;
        report.alerts += due.alerts;
        return report;
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [CYCLE_LOCK]);
      }
    } finally {
      await runner.release();
    }
  }

  /**
   * The domains a cycle checks, most urgent first: never checked, expiry near, changed lately at
   * the registry, then the rest by how long ago they were checked. Without `all`, only those not
   * checked within RDAP_SYNC_INTERVAL.
   */
  private async pick(all: boolean, asked: Date, limit?: number): Promise<{ id: string; name: string }[]> {
    const dueMs = this.config.rdap.syncIntervalMs ?? DEFAULT_DUE_MS;
    const soonDays = Math.max(...this.config.rdap.expiryReminderDays);
    return this.db.query(
      `SELECT id, name FROM domain
        WHERE state NOT IN ('deleted', 'transferred_away')
          AND ("registryCheckedAt" IS NULL
               OR "registryCheckedAt" < CASE WHEN $1::boolean THEN $5::timestamptz ELSE least($5::timestamptz, now() - make_interval(secs => $2::double precision / 1000)) END)
        ORDER BY CASE WHEN "registryOkAt" IS NULL AND "registryCheckedAt" IS NULL THEN 0
                      WHEN "expiresAt" < now() + make_interval(days => $3::int) THEN 1
                      WHEN (registry->>'lastChangedAt')::timestamptz > now() - interval '30 days' THEN 2
                      ELSE 3 END,
                 "registryCheckedAt" ASC NULLS FIRST, "expiresAt" ASC NULLS LAST, name
        LIMIT $4`,
      [all, dueMs, soonDays, limit ?? null, asked],
    );
  }

  /** `POST /api/domains/:name/check`: checks one domain now and answers with it. */
  async checkNow(name: string, actor: Actor): Promise<DomainDto> {
    const domain = await this.domains.findVisible(name, actor);
    await this.check(domain.id);
    return this.domains.get(domain.name, actor);
  }

  /**
   * Checks one domain: asks the registry (outside any transaction: it may take seconds), then in
   * one transaction with the domain locked compares with the last successful view, records the
   * view, makes the record follow it, and records and sends the alarms. Under the lock, two
   * checks of one domain at once see each other's result, so neither raises an alarm twice.
   */
  async check(domainId: string): Promise<{ ok: boolean; alerts: number } | undefined> {
    // A CTE, so that TypeORM hands back the rows (for a bare UPDATE it answers [rows, count]).
    const found: { name: string }[] = await this.db.query(
      `WITH u AS (UPDATE domain SET "registryCheckedAt" = now() WHERE id = $1 RETURNING name) SELECT name FROM u`,
      [domainId],
    );
    if (found.length === 0) return undefined;
    const name = found[0].name;
    let view: RegistryView | undefined;
    let error: string | undefined;
    try {
      view = await this.client.lookup(name);
    } catch (err) {
      error = err instanceof RdapError ? err.message : `the check failed: ${(err as Error).message}`;
      if (!(err instanceof RdapError)) this.logger.warn(`RDAP check of ${name}: ${String(err)}`);
    }
    return this.db.transaction(async (manager) => {
      const domain = await manager.findOne(Domain, { where: { id: domainId }, lock: { mode: 'pessimistic_write' } });
      if (!domain) return undefined;
      domain.registrar = domain.registrarId ? await manager.findOneBy(Registrar, { id: domain.registrarId }) : null;
      const now = new Date();
      if (!view) {
        const previous = domain.registry;
        const registry: RegistryView = previous
          ? { ...previous, checkedAt: now.toISOString(), error: error! }
          : { ...EMPTY_VIEW, checkedAt: now.toISOString(), source: null, error: error! };
        await manager.update(Domain, { id: domain.id }, { registry, registryCheckedAt: now });
        // One event when a failure starts or changes, not one a day for a TLD that has no RDAP at all.
        if (previous?.error !== error)
          await this.recordEvent(manager, domain, { kind: 'registry_error', before: previous?.error ?? null, after: error!, detail: error! }, false);
        return { ok: false, alerts: 0 };
      }
      const baseline = domain.registryOkAt && domain.registry ? domain.registry : null;
      const changes = changesBetween(baseline, view);
      await this.follow(manager, domain, view);
      await manager.update(Domain, { id: domain.id }, { registry: view, registryCheckedAt: now, registryOkAt: now });
      for (const change of changes)
        await this.recordEvent(manager, domain, { kind: change.kind, before: change.before, after: change.after, detail: null }, true);
      return { ok: true, alerts: changes.length };
    });
  }

  /** The record takes the registry's values where the registry has them; one audited write as `registry-watch`. */
  private async follow(manager: EntityManager, domain: Domain, view: RegistryView): Promise<void> {
    const changes: DomainChanges = {};
    const differs = (a: Date | null, b: string | null) => b !== null && a?.getTime() !== new Date(b).getTime();
    if (differs(domain.expiresAt, view.expiresAt)) changes.expiresAt = new Date(view.expiresAt!);
    if (differs(domain.registeredAt, view.registeredAt)) changes.registeredAt = new Date(view.registeredAt!);
    if (differs(domain.lastTransferredAt, view.lastTransferredAt)) changes.lastTransferredAt = new Date(view.lastTransferredAt!);
    if (view.statuses.length && [...view.statuses].sort().join() !== [...domain.statuses].sort().join()) changes.statuses = view.statuses;
    if (view.nameservers.length && [...view.nameservers].sort().join() !== [...domain.nameservers].sort().join()) changes.nameservers = view.nameservers;
    if (view.registrarIanaId !== null) {
      const registrar = await manager.findOneBy(Registrar, { ianaId: view.registrarIanaId });
      if (registrar && registrar.id !== domain.registrarId) changes.registrar = registrar;
    }
    if (Object.keys(changes).length === 0) return;
    try {
      await this.domains.write(manager, WATCH_ACTOR, 'update', domain, null, changes);
    } catch (err) {
      // Registry dates the record refuses (expiry before registration) stay in `registry` only.
      if (!(err instanceof InvalidError)) throw err;
      this.logger.warn(`${domain.name}: the registry's values were not taken into the record: ${err.message}`);
    }
  }

  // ── expiry reminders and the expired alarm ─────────────────────────────────────────────────

  /**
   * The reminders and `expired` alarms now due, each once per domain, threshold and expiry date
   * (the event's dedupeKey): the registry's expiry date, else the record's. Staff get each
   * expired alarm at once, and the reminders in a digest: once a day from the schedule, or now
   * (`staffDigestNow`) when staff ran the cycle themselves.
   */
  async sendExpiryNotices(now: Date, staffDigestNow = true): Promise<{ reminders: number; alerts: number }> {
    const days = this.config.rdap.expiryReminderDays;
    const rows: { id: string; expires: Date }[] = await this.db.query(
      `SELECT id, expires FROM (
         SELECT id, state, coalesce((registry->>'expiresAt')::timestamptz, "expiresAt") AS expires FROM domain
       ) d
       WHERE state NOT IN ('deleted', 'transferred_away')
         AND expires < $1::timestamptz + make_interval(days => $2::int) AND expires > $1::timestamptz - make_interval(days => $3::int)`,
      [now, Math.max(...days), EXPIRED_ALERT_WINDOW_DAYS],
    );
    let reminders = 0;
    let alerts = 0;
    for (const row of rows) {
      const due = expiryDue(row.expires, now, days);
      if (!due) continue;
      await this.db.transaction(async (manager) => {
        const domain = await manager.findOneBy(Domain, { id: row.id });
        if (!domain) return;
        const expiresAt = row.expires.toISOString();
        const event =
          due.kind === 'expired'
            ? {
                kind: 'expired' as const,
                before: null,
                after: { expiresAt },
                detail: `expired on ${expiresAt.slice(0, 10)}`,
                dedupeKey: dedupeKey(domain.id, due, row.expires),
              }
            : {
                kind: 'expiry_reminder' as const,
                before: null,
                after: { expiresAt, threshold: due.threshold, daysLeft: due.daysLeft },
                detail: `expires on ${expiresAt.slice(0, 10)}, in ${due.daysLeft} day(s) (the ${due.threshold}-day reminder)`,
                dedupeKey: dedupeKey(domain.id, due, row.expires),
              };
        const id = await this.recordEvent(manager, domain, event, due.kind === 'expired');
        if (!id) return;
        if (due.kind === 'expired') alerts++;
        else reminders++;
      });
    }
    await this.sendStaffDigest(staffDigestNow);
    return { reminders, alerts };
  }

  /**
   * One letter to STAFF_EMAIL with every reminder of the last week not yet told to staff; unless
   * `now`, only when the last such digest is 20 hours old or more (the schedule ticks every 15
   * minutes at 24h; staff want one digest a day).
   */
  private async sendStaffDigest(now: boolean): Promise<void> {
    const staffEmail = this.config.staffEmail;
    if (!staffEmail) return;
    await this.db.transaction(async (manager) => {
      if (!now) {
        const [{ recent }] = await manager.query<{ recent: boolean }[]>(
          `SELECT EXISTS (SELECT 1 FROM delivery WHERE form = 'expiry_reminder' AND "clientId" IS NULL AND "createdAt" > now() - interval '20 hours') AS recent`,
        );
        if (recent) return;
      }
      const pending: { id: string }[] = await manager.query(
        `SELECT id FROM watch_event
          WHERE kind = 'expiry_reminder' AND "createdAt" > now() - interval '7 days' AND NOT told @> '[{"role": "staff"}]'::jsonb
          ORDER BY "createdAt" FOR UPDATE SKIP LOCKED`,
      );
      if (pending.length === 0) return;
      const delivery = await this.deliveries.queueLetter(manager, { form: 'expiry_reminder', email: staffEmail, clientId: null, contactId: null, domains: [] });
      const told: Told = { email: staffEmail.toLowerCase(), role: 'staff', deliveryId: delivery.id };
      await manager.query(`UPDATE watch_event SET told = told || $2::jsonb, "deliveryIds" = array_append("deliveryIds", $3::uuid) WHERE id = ANY($1::uuid[])`, [
        pending.map((p) => p.id),
        JSON.stringify([told]),
        delivery.id,
      ]);
    });
  }

  /**
   * Records an event (once: an event with a dedupeKey already recorded is not recorded again,
   * and undefined comes back) and queues its letters: to the client's notice-receiving contacts
   * for alarms and reminders, and to STAFF_EMAIL at once for alarms (reminders reach staff in
   * the cycle's digest). Registry errors are recorded only: /metrics and the events list show them.
   */
  private async recordEvent(
    manager: EntityManager,
    domain: Domain,
    event: { kind: WatchEventKind; before: unknown; after: unknown; detail: string | null; dedupeKey?: string },
    urgent: boolean,
  ): Promise<string | undefined> {
    const inserted: { id: string }[] = await manager.query(
      `INSERT INTO watch_event ("domainId", "domainName", "clientId", kind, before, after, detail, "dedupeKey")
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8)
       ON CONFLICT ("dedupeKey") DO NOTHING RETURNING id`,
      [
        domain.id,
        domain.name,
        domain.clientId,
        event.kind,
        JSON.stringify(event.before ?? null),
        JSON.stringify(event.after ?? null),
        event.detail,
        event.dedupeKey ?? null,
      ],
    );
    if (inserted.length === 0) return undefined;
    const id = inserted[0].id;
    if (event.kind === 'registry_error') return id;
    const form: DeliveryForm = event.kind === 'expiry_reminder' ? 'expiry_reminder' : 'registry_alert';
    const contacts: { id: string; email: string }[] = await manager.query(
      `SELECT id, email FROM contact WHERE "clientId" = $1 AND "receivesNotices" ORDER BY email`,
      [domain.clientId],
    );
    const told: Told[] = [];
    for (const c of contacts) {
      const d = await this.deliveries.queueLetter(manager, { form, email: c.email, clientId: domain.clientId, contactId: c.id, domains: [domain.name] });
      told.push({ email: c.email.toLowerCase(), role: 'contact', deliveryId: d.id });
    }
    if (urgent && this.config.staffEmail) {
      const d = await this.deliveries.queueLetter(manager, { form, email: this.config.staffEmail, clientId: null, contactId: null, domains: [domain.name] });
      told.push({ email: this.config.staffEmail.toLowerCase(), role: 'staff', deliveryId: d.id });
    }
    if (told.length) {
      await manager.query(`UPDATE watch_event SET told = $2::jsonb, "deliveryIds" = $3::uuid[] WHERE id = $1`, [
        id,
        JSON.stringify(told),
        told.map((t) => t.deliveryId),
      ]);
    }
    return id;
  }

  // ── reading ─────────────────────────────────────────────────────────────────────────────────

  /** `GET /api/watch/events`, newest first; a client token sees its own domains' events, without staff addresses. */
  async events(query: WatchEventQuery, actor: Actor): Promise<Page<WatchEventView>> {
    if (query.kind !== undefined && !(WATCH_EVENT_KINDS as readonly string[]).includes(query.kind)) {
      throw InvalidError.field('kind', `must be one of ${WATCH_EVENT_KINDS.join(', ')}`);
    }
    const scope = clientScope(actor);
    const qb = this.db
      .getRepository(WatchEvent)
      .createQueryBuilder('e')
      .orderBy('e.createdAt', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .skip(query.skip)
      .take(query.limit);
    if (scope) qb.andWhere('e.clientId = :scope', { scope });
    if (query.domain) qb.andWhere('e.domainName = :domain', { domain: toAsciiHost(query.domain) || query.domain.toLowerCase() });
    if (query.kind) qb.andWhere('e.kind = :kind', { kind: query.kind });
    const [items, total] = await qb.getManyAndCount();
    return page(
      items.map((e) => ({
        id: e.id,
        domain: e.domainName,
        kind: e.kind,
        before: e.before ?? null,
        after: e.after ?? null,
        detail: e.detail,
        told: e.told.filter((t) => !scope || t.role === 'contact').map((t) => ({ email: t.email, role: t.role })),
        createdAt: e.createdAt,
      })),
      total,
      query,
    );
  }

  /**
   * For the lead's notice checks (issue 13 item 6): the stored registry view of each of `names`
   * (lowercase ASCII) whose last successful check is at most `maxAgeMs` old; undefined for the
   * rest (never checked, too old, or not tracked). One query, no network.
   */
  async viewFor(names: string[], maxAgeMs = this.config.rdap.syncIntervalMs ?? DEFAULT_DUE_MS): Promise<Map<string, RegistryView | undefined>> {
    const result = new Map<string, RegistryView | undefined>(names.map((n) => [n, undefined]));
    if (names.length === 0) return result;
    const rows: { name: string; registry: RegistryView }[] = await this.db.query(
      `SELECT name, registry FROM domain WHERE name = ANY($1::varchar[]) AND "registryOkAt" > now() - make_interval(secs => $2::double precision / 1000)`,
      [names, maxAgeMs],
    );
    for (const r of rows) result.set(r.name, r.registry);
    return result;
  }
}
