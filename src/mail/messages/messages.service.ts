// Inbound messages as staff (and, for their own mail, clients) see them, and the writes of the
// routing pipeline: each message's decision is recorded once, with its deliveries, in one transaction.
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AuditService } from '../../audit/audit.service';
import { clientScope, type Actor } from '../../auth/actor';
import { ConflictError, InvalidError, NotFoundError } from '../../common/errors';
import { page, type Page } from '../../common/page';
import { toAsciiHost } from '../../domains/domain-name';
import { DeliveriesService } from '../delivery/deliveries.service';
import type { BounceReport } from '../intake/bounce';
import type { ClientShare, DecideOutcome, TrackedDomain } from '../intake/decide';
import { InboundMessage, type HoldReason } from '../intake/inbound-message.entity';
import type { NoticeKind } from '../intake/classify';
import { RawMessage } from '../intake/raw-message.entity';
import type { MessageQuery } from './dto/message-query.dto';

export interface RoutingResult {
  subject: string | null;
  from: string | null;
  kind: NoticeKind | null;
  outcome: DecideOutcome;
  /** Every tracked domain the message concerns, whatever the decision. */
  matched: TrackedDomain[];
  authResults: object | null;
  /** Set lastNoticeAt on these tracked domains (registrar mail arrived for them). */
  noticeFor: string[];
}

@Injectable()
export class MessagesService {
  constructor(
    @InjectRepository(InboundMessage) private readonly messages: Repository<InboundMessage>,
    @InjectRepository(RawMessage) private readonly raws: Repository<RawMessage>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly deliveries: DeliveriesService,
    private readonly audit: AuditService,
  ) {}

  /** The stored message and its bytes, or null when it is gone or already decided. */
  async loadForRouting(id: string): Promise<{ message: InboundMessage; raw: Buffer } | null> {
    const message = await this.messages.findOneBy({ id });
    if (!message || message.stage !== 'stored') return null;
    const raw = await this.raws.findOneByOrFail({ messageId: id });
    return { message, raw: raw.raw };
  }

  /**
   * Writes the pipeline's result. Idempotent: the row is locked and only a message still at stage
   * `stored` is decided, so a job that runs twice (crash, two instances) queues one set of deliveries.
   */
  async recordDecision(id: string, result: RoutingResult): Promise<void> {
    await this.db.transaction(async (manager) => {
      const message = await manager.findOne(InboundMessage, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!message || message.stage !== 'stored') return;
      let { outcome } = result;
      const shares: ClientShare[] =
        outcome.decision === 'forward' ? [outcome.share] : outcome.decision === 'digest' ? outcome.shares : [];
      if (outcome.decision !== 'hold') {
        const counts = await this.deliveries.queue(manager, id, shares, outcome.decision);
        const nobody = shares.filter((s) => !counts.get(s.clientId));
        if (nobody.length === shares.length) {
          outcome = {
            decision: 'hold',
            holdReason: 'no_recipient',
            reason: `Held: no contact of the client receives notices (${nobody.map((s) => s.domains.join(', ')).join(' / ')}).`,
          };
        }
      }
      const held = outcome.decision === 'hold';
      await manager.update(InboundMessage, id, {
        subject: result.subject?.slice(0, 998) ?? null,
        fromHeader: result.from?.slice(0, 998) ?? null,
        kind: result.kind,
        decision: outcome.decision,
        decisionReason: outcome.reason,
        domains: [...new Set(result.matched.map((d) => d.name))].sort(),
        clientIds: [...new Set(result.matched.map((d) => d.clientId))],
        status: held ? 'held' : 'forwarded',
        holdReason: held ? (outcome as { holdReason: HoldReason }).holdReason : null,
        authResults: result.authResults,
        stage: 'decided',
        decidedAt: new Date(),
      });
      if (held) await this.deliveries.alertStaff(manager);
      if (result.noticeFor.length) {
        await manager.query(`UPDATE domain SET "lastNoticeAt" = now() WHERE name = ANY($1)`, [result.noticeFor]);
      }
    });
  }

  /** A DSN for one of our deliveries: mark the delivery failed (when it did) and file the report. */
  async recordBounce(id: string, deliveryId: string, report: BounceReport): Promise<void> {
    await this.db.transaction(async (manager) => {
      const message = await manager.findOne(InboundMessage, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!message || message.stage !== 'stored') return;
      const marked = report.failed && (await this.deliveries.markBounced(manager, deliveryId, report.status));
      await manager.update(InboundMessage, id, {
        decision: 'bounce',
        status: 'discarded',
        decisionReason: report.failed
          ? `Delivery status notification for delivery ${deliveryId}: ${report.status}; ${marked ? 'the delivery is marked failed' : 'no such delivery'}.`
          : `Delivery status notification for delivery ${deliveryId} that reports no failure (${report.status}); nothing to do.`,
        stage: 'decided',
        decidedAt: new Date(),
      });
    });
  }

  async list(query: MessageQuery, actor: Actor): Promise<Page<ReturnType<MessagesService['summary']>>> {
    const qb = this.messages.createQueryBuilder('m').orderBy('m.receivedAt', 'DESC').addOrderBy('m.id').skip(query.skip).take(query.limit);
    const scope = clientScope(actor);
    if (scope) qb.andWhere('m."clientIds" = ARRAY[:scope]::uuid[]', { scope });
    if (query.status) qb.andWhere('m.status = :status', { status: query.status });
    if (query.holdReason) qb.andWhere('m.holdReason = :holdReason', { holdReason: query.holdReason });
    // Containment (@>) is what the GIN indexes on the arrays serve; `x = ANY(arr)` scans the table.
    if (query.domain) qb.andWhere('m.domains @> ARRAY[:domain]::text[]', { domain: toAsciiHost(query.domain) });
    if (query.clientId) qb.andWhere('m."clientIds" @> ARRAY[:clientId]::uuid[]', { clientId: query.clientId });
    const [items, total] = await qb.getManyAndCount();
    return page(items.map((m) => this.summary(m)), total, query);
  }

  async show(id: string, actor: Actor) {
    const message = await this.findVisible(id, actor);
    const deliveries = await this.deliveries.forMessages([id]);
    const attempts = await this.deliveries.attemptsOf(deliveries.map((d) => d.id));
    return {
      ...this.summary(message),
      decision: message.decision,
      decisionReason: message.decisionReason,
      envelope: { from: message.envelopeFrom, to: message.envelopeTo },
      remoteAddress: message.remoteAddress,
      size: message.size,
      duplicates: message.duplicates,
      stage: message.stage,
      authResults: message.authResults,
      deliveries: deliveries.map((d) => ({
        id: d.id,
        clientId: d.clientId,
        contactId: d.contactId,
        email: d.email,
        form: d.form,
        domains: d.domains,
        status: d.status,
        attempts: d.attempts,
        nextAttemptAt: d.nextAttemptAt,
        lastResponse: d.lastResponse,
        sentAt: d.sentAt,
        attemptLog: attempts.filter((a) => a.deliveryId === d.id).map((a) => ({ at: a.at, outcome: a.outcome, response: a.response })),
      })),
    };
  }

  async raw(id: string, actor: Actor): Promise<Buffer> {
    await this.findVisible(id, actor);
    return (await this.raws.findOneByOrFail({ messageId: id })).raw;
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
    const scope = clientScope(actor);
    if (!message || (scope && !(message.clientIds.length === 1 && message.clientIds[0] === scope))) {
      throw new NotFoundError('Message', id);
    }
    return message;
  }

  private summary(m: InboundMessage) {
    return {
      id: m.id,
      messageId: m.messageId,
      from: m.fromHeader,
      subject: m.subject,
      receivedAt: m.receivedAt,
      status: m.status,
      holdReason: m.holdReason,
      kind: m.kind,
      domains: m.domains,
      clientIds: m.clientIds,
    };
  }
}
