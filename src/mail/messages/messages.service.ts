// Inbound messages as staff (and, for their own mail, clients) see them, and the writes of the
// routing pipeline: each message's decision is recorded once, with its deliveries, in one transaction.
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AuditService } from '../../audit/audit.service';
import { clientScope, type Actor } from '../../auth/actor';
import { ConflictError, InvalidError, NotFoundError } from '../../common/errors';
import { page, type Page } from '../../common/page';
import { storableJson } from '../../common/storable-text';
import { toAsciiHost } from '../../domains/domain-name';
import { ASTER_CONFIG } from '../../config/config.module';
import type { AsterConfig } from '../../config/config';
import { DeliveriesService } from '../delivery/deliveries.service';
import { DELIVER_QUEUE, STAFF_ALERT_INTERVAL_SECONDS, STAFF_ALERT_QUEUE } from '../delivery/queues';
import { describeReport, reportsFailure, type BounceReport } from '../intake/bounce';
import type { ClientShare, DecideOutcome, TrackedDomain } from '../intake/decide';
import { InboundMessage, type Suspicion } from '../intake/inbound-message.entity';
import type { ClaimCheck } from '../intake/claims';
import type { NoticeKind } from '../intake/classify';
import { RAW_SLICE_BYTES, readRaw, readRawSlices } from '../intake/raw-reader';
import { MESSAGE_COUNT_CAP, type MessageQuery } from './dto/message-query.dto';

export interface RoutingResult {
  subject: string | null;
  from: string | null;
  kind: NoticeKind | null;
  /** How the kind was read (absent: not classified, e.g. unparseable). */
  reading?: { confidence: number; evidence: string[]; suspicious: Suspicion | null };
  /** The notice's claims against the registry (issue 13). */
  checks?: ClaimCheck[];
  outcome: DecideOutcome;
  /** Every tracked domain the message concerns, whatever the decision. */
  matched: TrackedDomain[];
  authResults: object | null;
  /** Set lastNoticeAt on these tracked domains (registrar mail arrived for them). */
  noticeFor: string[];
}

/** What routing reads of a stored message (the rest is in its bytes). */
export type RoutingView = Pick<InboundMessage, 'id' | 'status' | 'envelopeFrom' | 'envelopeTo' | 'remoteAddress' | 'helo'>;

@Injectable()
export class MessagesService {
  constructor(
    @InjectRepository(InboundMessage) private readonly messages: Repository<InboundMessage>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly deliveries: DeliveriesService,
    private readonly audit: AuditService,
    @Inject(ASTER_CONFIG) private readonly config: AsterConfig,
  ) {}

  /**
   * The messages among `ids` still waiting to be routed, with their bytes, in one query (bytes over
   * one slice are read in slices after it); a message already decided or gone is left out.
   */
  async loadManyForRouting(ids: string[]): Promise<Map<string, { message: RoutingView; raw: Buffer }>> {
    const rows = await this.db.query<(RoutingView & { rawSize: number; raw: Buffer | null })[]>(
      `SELECT m.id, m.status, m."envelopeFrom", m."envelopeTo", m."remoteAddress", m.helo, octet_length(r.raw) AS "rawSize",
              CASE WHEN octet_length(r.raw) <= ${RAW_SLICE_BYTES} THEN r.raw END AS raw
         FROM inbound_message m JOIN raw_message r ON r."messageId" = m.id
        WHERE m.id = ANY($1::uuid[]) AND m.stage = 'stored'`,
      [ids],
    );
    const out = new Map<string, { message: RoutingView; raw: Buffer }>();
    for (const { rawSize, raw: small, ...message } of rows) {
      const raw = small ?? (await readRawSlices(this.db, message.id, Number(rawSize)));
      if (raw) out.set(message.id, { message, raw });
    }
    return out;
  }

  /**
   * Writes the pipeline's results, every message of a batch in one statement (one transaction):
   * `aster_record_decision` (migrations/…-HotPathFunctions.ts) per message. Idempotent: each row is
   * locked and only a message still at stage `stored` is decided, so a job that runs twice (crash,
   * two instances) queues one set of deliveries. Forwards and digests get a delivery (and its job)
   * per notice-receiving contact; when no share's client has one, the message is held as
   * `no_recipient`. A hold asks for a staff alert in the same transaction. The tracked domains'
   * lastNoticeAt is set by one UPDATE for the whole batch, so concurrent batches lock domain rows
   * in one order.
   */
  async recordDecisions(decisions: { id: string; result: RoutingResult }[]): Promise<void> {
    if (decisions.length === 0) return;
    const rows = decisions.map(({ id, result }) => {
      const { outcome } = result;
      const shares: ClientShare[] =
        outcome.decision === 'forward' ? [outcome.share] : outcome.decision === 'digest' ? outcome.shares : [];
      return {
        id,
        subject: result.subject?.slice(0, 998) ?? null,
        from_header: result.from?.slice(0, 998) ?? null,
        kind: result.kind,
        decision: outcome.decision,
        reason: outcome.reason,
        hold_reason: outcome.decision === 'hold' ? outcome.holdReason : null,
        domains: [...new Set(result.matched.map((d) => d.name))].sort(),
        client_ids: [...new Set(result.matched.map((d) => d.clientId))],
        auth: result.authResults,
        shares: shares.map((s) => ({ clientId: s.clientId, domains: s.domains })),
        no_recipient_reason: `Held: no contact of the client receives notices (${shares.map((s) => s.domains.join(', ')).join(' / ')}).`,
        kind_confidence: result.reading?.confidence ?? null,
        kind_evidence: result.reading?.evidence ?? null,
        suspicious: result.reading?.suspicious ?? null,
        checks: result.checks ?? null,
      };
    });
    const noticeFor = [...new Set(decisions.flatMap((d) => d.result.noticeFor))].sort();
    await this.db.query(
      `WITH decided AS (
         SELECT aster_record_decision(x.id, x.subject, x.from_header, x.kind, x.decision, x.reason, x.hold_reason,
                                      x.domains, x.client_ids, x.auth, x.shares, x.no_recipient_reason,
                                      '{}'::text[], $2, $3, $4, x.kind_confidence, x.kind_evidence, x.suspicious, x.checks) AS status
           FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, subject text, from_header text, kind text, decision text,
                reason text, hold_reason text, domains text[], client_ids uuid[], auth jsonb, shares jsonb, no_recipient_reason text,
                kind_confidence real, kind_evidence text[], suspicious jsonb, checks jsonb)
       ), noticed AS (
         UPDATE domain SET "lastNoticeAt" = now() WHERE name = ANY($5::text[]) RETURNING 1
       )
       SELECT (SELECT count(*) FROM decided WHERE status IS NOT NULL) AS decided, (SELECT count(*) FROM noticed) AS noticed`,
      [
        // A parsed value PostgreSQL cannot store (a NUL from an encoded Subject) must not fail the batch.
        storableJson(rows),
        DELIVER_QUEUE.name,
        this.config.staffEmail ? STAFF_ALERT_QUEUE.name : null,
        STAFF_ALERT_INTERVAL_SECONDS,
        noticeFor,
      ],
    );
  }

  /**
   * Mail to the bounce address of one of our deliveries. A DSN that proves the letter failed marks
   * the delivery failed and is filed as a bounce; anything else leaves the delivery as it was and is
   * held (`unconfirmed_bounce`) for staff, with a staff alert. What is recorded, on the delivery and
   * the message, is the report's Status code and Action alone: never a word of the sender's text.
   */
  async recordBounce(id: string, deliveryId: string, report: BounceReport): Promise<void> {
    await this.db.transaction(async (manager) => {
      const message = await manager.findOne(InboundMessage, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!message || message.stage !== 'stored') return;
      const about = `the bounce address of delivery ${deliveryId}`;
      if (reportsFailure(report)) {
        const marked = await this.deliveries.markBounced(manager, deliveryId, describeReport(report));
        await manager.update(InboundMessage, id, {
          decision: 'bounce',
          status: 'discarded',
          decisionReason: `Delivery status notification to ${about}: ${describeReport(report)}; ${marked ? 'the delivery is marked failed' : 'no such delivery'}.`,
          stage: 'decided',
          decidedAt: new Date(),
        });
        return;
      }
      await manager.update(InboundMessage, id, {
        decision: 'hold',
        status: 'held',
        holdReason: 'unconfirmed_bounce',
        decisionReason: report.dsn
          ? `Held: a delivery status notification to ${about} that reports no failure (${describeReport(report)}); the delivery is unchanged.`
          : `Held: a message to ${about} that does not prove the letter failed: ${describeReport(report)}; the delivery is unchanged.`,
        stage: 'decided',
        decidedAt: new Date(),
      });
      await this.deliveries.alertStaff(manager);
    });
  }

  /**
   * A page of messages, newest first, and how many match, in one statement. The page walks
   * IDX_inbound_message_received_id ("receivedAt", id) backwards and reads only the summary's
   * columns. The count stops after MESSAGE_COUNT_CAP rows (or after the end of the page asked for,
   * if that is further): past it, `total` is that lower bound and `totalCapped: true` says so.
   */
  async list(query: MessageQuery, actor: Actor): Promise<Page<ReturnType<MessagesService['summary']>>> {
    const scope = clientScope(actor);
    const matching = (alias: string) => {
      const qb = this.messages.createQueryBuilder(alias);
      // Containment (@>) and array equality are what the GIN indexes on the arrays serve; `x = ANY(arr)`
      // scans the table. A client token sees the messages about its client alone.
      if (scope) qb.andWhere(`${alias}."clientIds" = ARRAY[:scope]::uuid[]`, { scope });
      if (query.status) qb.andWhere(`${alias}.status = :status`, { status: query.status });
      if (query.holdReason) qb.andWhere(`${alias}.holdReason = :holdReason`, { holdReason: query.holdReason });
      if (query.domain) qb.andWhere(`${alias}.domains @> ARRAY[:domain]::text[]`, { domain: toAsciiHost(query.domain) });
      if (query.clientId) qb.andWhere(`${alias}."clientIds" @> ARRAY[:clientId]::uuid[]`, { clientId: query.clientId });
      if (query.suspicious !== undefined) qb.andWhere(`${alias}.suspicious IS ${query.suspicious ? 'NOT NULL' : 'NULL'}`);
      return qb;
    };
    const columns = ['id', 'messageId', 'fromHeader', 'subject', 'receivedAt', 'status', 'holdReason', 'kind', 'kindConfidence', 'kindEvidence', 'suspicious', 'domains', 'clientIds'] as const;
    const rows = matching('m').select([]);
    for (const c of columns) rows.addSelect(`m.${c}`, c);
    rows.orderBy('m.receivedAt', 'DESC').addOrderBy('m.id', 'DESC').offset(query.skip).limit(query.limit);
    const cap = Math.max(MESSAGE_COUNT_CAP, query.skip + query.limit);
    const counted = matching('k').select('1').limit(cap + 1);
    // Without a page (one past the end) the count's row still comes, with nulls for the message.
    const [sql, parameters] = this.db.driver.escapeQueryWithParameters(
      `SELECT t.total, p.* FROM (SELECT count(*)::int AS total FROM (${counted.getQuery()}) n) t
         LEFT JOIN (${rows.getQuery()}) p ON true
        ORDER BY p."receivedAt" DESC, p.id DESC`,
      { ...counted.getParameters(), ...rows.getParameters() },
    );
    const found: (Pick<InboundMessage, (typeof columns)[number]> & { total: number })[] = await this.db.query(sql, parameters);
    const capped = found[0].total > cap;
    const total = capped ? cap : found[0].total;
    const items = found.filter((m) => m.id !== null);
    return page(items.map((m) => this.summary(m)), total, query, capped);
  }

  /** One message with its deliveries and their attempts, read in one statement (json_agg). */
  async show(id: string, actor: Actor) {
    const rows: (InboundMessage & { deliveries: ShownDelivery[] })[] = await this.db.query(
      `SELECT m.*, COALESCE((
         SELECT json_agg(json_build_object(
                  'id', d.id, 'clientId', d."clientId", 'contactId', d."contactId", 'email', d.email, 'form', d.form,
                  'domains', d.domains, 'status', d.status, 'attempts', d.attempts, 'nextAttemptAt', d."nextAttemptAt",
                  'lastResponse', d."lastResponse", 'sentAt', d."sentAt",
                  'attemptLog', COALESCE((
                    SELECT json_agg(json_build_object('at', a.at, 'outcome', a.outcome, 'response', a.response) ORDER BY a.at, a.id)
                      FROM delivery_attempt a WHERE a."deliveryId" = d.id), '[]'::json)
                ) ORDER BY d."createdAt", d.email)
           FROM delivery d WHERE d."inboundMessageId" = m.id), '[]'::json) AS deliveries
         FROM inbound_message m WHERE m.id = $1`,
      [id],
    );
    const message = rows[0];
    if (!message || !this.isVisible(message, actor)) throw new NotFoundError('Message', id);
    // json_build_object writes timestamps as text; the API answers Dates, as for every other field.
    const date = (v: Date | string | null) => (v === null ? null : new Date(v));
    return {
      ...this.summary(message),
      decision: message.decision,
      decisionReason: message.decisionReason,
      checks: message.checks ?? [],
      envelope: { from: message.envelopeFrom, to: message.envelopeTo },
      remoteAddress: message.remoteAddress,
      size: message.size,
      duplicates: message.duplicates,
      stage: message.stage,
      authResults: message.authResults,
      deliveries: message.deliveries.map((d) => ({
        id: d.id,
        clientId: d.clientId,
        contactId: d.contactId,
        email: d.email,
        form: d.form,
        domains: d.domains,
        status: d.status,
        attempts: d.attempts,
        nextAttemptAt: date(d.nextAttemptAt),
        lastResponse: d.lastResponse,
        sentAt: date(d.sentAt),
        attemptLog: d.attemptLog.map((a) => ({ at: date(a.at)!, outcome: a.outcome, response: a.response })),
      })),
    };
  }

  /**
   * The original bytes. Staff read any message; a client token only one that was forwarded whole to
   * its client and to no one else: a digest's original, a held message, or one released to several
   * clients may name other clients' domains (in an attachment it could not read, among others).
   */
  async raw(id: string, actor: Actor): Promise<Buffer> {
    await this.findVisible(id, actor);
    const scope = clientScope(actor);
    if (scope) {
      const [whole] = await this.db.query<{ ok: boolean }[]>(
        `SELECT m.status IN ('forwarded', 'released')
                AND NOT EXISTS (SELECT 1 FROM delivery d WHERE d."inboundMessageId" = m.id AND d.form = 'digest')
                AND (m.decision = 'forward'
                     OR EXISTS (SELECT 1 FROM delivery d WHERE d."inboundMessageId" = m.id AND d.form = 'forward' AND d."clientId" = $2::uuid)) AS ok
           FROM inbound_message m WHERE m.id = $1::uuid`,
        [id, scope],
      );
      if (whole?.ok !== true) throw new NotFoundError('Message', id);
    }
    const raw = await readRaw(this.db, id);
    if (!raw) throw new NotFoundError('Message', id);
    return raw;
  }

  /** Sends a held message on to the chosen clients (by default those it was matched to). */
  async release(id: string, clientIds: string[] | undefined, actor: Actor) {
    await this.db.transaction(async (manager) => {
      const message = await manager.findOne(InboundMessage, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!message) throw new NotFoundError('Message', id);
      if (message.status !== 'held') throw new ConflictError(`Only held messages can be released; this one is ${message.status}`);
      const chosen = [...new Set(clientIds ?? message.clientIds)];
      if (chosen.length === 0) {
        throw InvalidError.field('clientIds', 'the message concerns no client; name the clients to release it to');
      }
      const known: { id: string }[] = await manager.query('SELECT id FROM client WHERE id = ANY($1::uuid[])', [chosen]);
      const missing = chosen.filter((c) => !known.some((k) => k.id === c));
      if (missing.length) throw InvalidError.field('clientIds', `no client with id ${missing.join(', ')}`);
      const owners: { name: string; clientId: string }[] = await manager.query(
        'SELECT name, "clientId" FROM domain WHERE name = ANY($1)',
        [message.domains],
      );
      // The whole original goes to a client only when it names no other client's domain.
      const othersNamed = owners.some((o) => !chosen.includes(o.clientId)) || chosen.length > 1;
      const shares = chosen.map((clientId) => ({ clientId, domains: owners.filter((o) => o.clientId === clientId).map((o) => o.name).sort() }));
      const counts = await this.deliveries.queue(manager, id, shares, othersNamed ? 'digest' : 'forward');
      const nobody = chosen.filter((c) => !counts.get(c));
      if (nobody.length) throw new ConflictError(`No contact of client ${nobody.join(', ')} receives notices; add one first`);
      const before = this.summary(message);
      await manager.update(InboundMessage, id, { status: 'released', clientIds: chosen, decisionReason: `Released by ${actor.label} to ${chosen.length} client(s).` });
      await this.audit.record(manager, actor, { action: 'release', entityType: 'message', entityId: id, before, after: { ...before, status: 'released', clientIds: chosen } });
    });
    return this.show(id, actor);
  }

  async discard(id: string, actor: Actor) {
    await this.db.transaction(async (manager) => {
      const message = await manager.findOne(InboundMessage, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!message) throw new NotFoundError('Message', id);
      if (message.status !== 'held' && message.status !== 'received') {
        throw new ConflictError(`Only held or unrouted messages can be discarded; this one is ${message.status}`);
      }
      const before = this.summary(message);
      await manager.update(InboundMessage, id, { status: 'discarded' });
      await this.audit.record(manager, actor, { action: 'discard', entityType: 'message', entityId: id, before, after: { ...before, status: 'discarded' } });
    });
    return this.show(id, actor);
  }

  /** A client token sees only messages about its own client alone (a digest's original names others). */
  private async findVisible(id: string, actor: Actor): Promise<InboundMessage> {
    const message = await this.messages.findOneBy({ id });
    if (!message || !this.isVisible(message, actor)) throw new NotFoundError('Message', id);
    return message;
  }

  private isVisible(message: Pick<InboundMessage, 'clientIds'>, actor: Actor): boolean {
    const scope = clientScope(actor);
    return !scope || (message.clientIds.length === 1 && message.clientIds[0] === scope);
  }

  private summary(
    m: Pick<InboundMessage, 'id' | 'messageId' | 'fromHeader' | 'subject' | 'receivedAt' | 'status' | 'holdReason' | 'kind' | 'kindConfidence' | 'kindEvidence' | 'suspicious' | 'domains' | 'clientIds'>,
  ) {
    return {
      id: m.id,
      messageId: m.messageId,
      from: m.fromHeader,
      subject: m.subject,
      receivedAt: m.receivedAt,
      status: m.status,
      holdReason: m.holdReason,
      kind: m.kind,
      kindConfidence: m.kindConfidence ?? null,
      kindEvidence: m.kindEvidence ?? [],
      suspicious: m.suspicious ?? null,
      domains: m.domains,
      clientIds: m.clientIds,
    };
  }
}

/** A delivery with its attempts as `show` reads them (json_build_object: timestamps as text). */
interface ShownDelivery {
  id: string;
  clientId: string | null;
  contactId: string | null;
  email: string;
  form: import('../delivery/delivery.entity').DeliveryForm;
  domains: string[];
  status: import('../delivery/delivery.entity').DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastResponse: string | null;
  sentAt: string | null;
  attemptLog: { at: string; outcome: import('../delivery/delivery-attempt.entity').AttemptOutcome; response: string }[];
}
