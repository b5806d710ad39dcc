// Inbound messages as staff (and, for their own mail, clients) see them: list, show, the raw bytes,
// release and discard. The routing pipeline's reads and writes are intake/routing-store.ts.
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AuditService } from '../../audit/audit.service';
import { clientScope, type Actor } from '../../auth/actor';
import { ClientsService } from '../../clients/clients.service';
import { ConflictError, InvalidError, NotFoundError } from '../../common/errors';
import { page, type Page } from '../../common/page';
import { toAsciiHost } from '../../domains/domain-name';
import { DomainsService } from '../../domains/domains.service';
import { DeliveriesService } from '../delivery/deliveries.service';
import { InboundMessage } from '../intake/inbound-message.entity';
import { readRaw } from '../intake/raw-reader';
import { MESSAGE_COUNT_CAP, type MessageQuery } from './dto/message-query.dto';

@Injectable()
export class MessagesService {
  constructor(
    @InjectRepository(InboundMessage) private readonly messages: Repository<InboundMessage>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly deliveries: DeliveriesService,
    private readonly audit: AuditService,
    private readonly clients: ClientsService,
    private readonly domains: DomainsService,
  ) {}

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
    const columns = [
      'id',
      'messageId',
      'fromHeader',
      'subject',
      'receivedAt',
      'status',
      'holdReason',
      'kind',
      'kindConfidence',
      'kindEvidence',
      'suspicious',
      'domains',
      'clientIds',
    ] as const;
    const rows = matching('m').select([]);
    for (const c of columns) rows.addSelect(`m.${c}`, c);
    rows.orderBy('m.receivedAt', 'DESC').addOrderBy('m.id', 'DESC').offset(query.skip).limit(query.limit);
    const cap = Math.max(MESSAGE_COUNT_CAP, query.skip + query.limit);
    const counted = matching('k')
      .select('1')
      .limit(cap + 1);
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
    return page(
      items.map((m) => this.summary(m)),
      total,
      query,
      capped,
    );
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
      const known = await this.clients.existingIds(manager, chosen);
      const missing = chosen.filter((c) => !known.has(c));
      if (missing.length) throw InvalidError.field('clientIds', `no client with id ${missing.join(', ')}`);
      const owners = await this.domains.ownersOf(manager, message.domains);
      // The whole original goes to a client only when it names no other client's domain.
      const othersNamed = owners.some((o) => !chosen.includes(o.clientId)) || chosen.length > 1;
      const shares = chosen.map((clientId) => ({
        clientId,
        domains: owners
          .filter((o) => o.clientId === clientId)
          .map((o) => o.name)
          .sort(),
      }));
      const counts = await this.deliveries.queue(manager, id, shares, othersNamed ? 'digest' : 'forward');
      const nobody = chosen.filter((c) => !counts.get(c));
      if (nobody.length) throw new ConflictError(`No contact of client ${nobody.join(', ')} receives notices; add one first`);
      const before = this.summary(message);
      await manager.update(InboundMessage, id, {
        status: 'released',
        clientIds: chosen,
        decisionReason: `Released by ${actor.label} to ${chosen.length} client(s).`,
      });
      await this.audit.record(manager, actor, {
        action: 'release',
        entityType: 'message',
        entityId: id,
        before,
        after: { ...before, status: 'released', clientIds: chosen },
      });
    });
    this.deliveries.nudge(); // the deliveries are due now: the delivery loop need not wait for its sweep
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
    m: Pick<
      InboundMessage,
      | 'id'
      | 'messageId'
      | 'fromHeader'
      | 'subject'
      | 'receivedAt'
      | 'status'
      | 'holdReason'
      | 'kind'
      | 'kindConfidence'
      | 'kindEvidence'
      | 'suspicious'
      | 'domains'
      | 'clientIds'
    >,
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
