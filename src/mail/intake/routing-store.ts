// The routing pipeline's store: what routing reads of a stored message, and its one write per
// message (the decision with its deliveries, or a bounce filed), each in one transaction. The staff
// API over the same messages is MessagesService.
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { storableJson } from '../../common/storable-text';
import { ASTER_CONFIG } from '../../config/config.module';
import type { AsterConfig } from '../../config/config';
import { DeliveriesService } from '../delivery/deliveries.service';
import { DELIVER_QUEUE, STAFF_ALERT_INTERVAL_SECONDS, STAFF_ALERT_QUEUE } from '../delivery/queues';
import { describeReport, reportsFailure, type BounceReport } from './bounce';
import type { ClaimCheck } from './claims';
import type { NoticeKind } from './classify';
import type { ClientShare, DecideOutcome, TrackedDomain } from './decide';
import { InboundMessage, type Suspicion } from './inbound-message.entity';
import { RAW_SLICE_BYTES, readRawSlices } from './raw-reader';

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
export class RoutingStore {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly deliveries: DeliveriesService,
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
   * `aster_record_decision` (src/database/sql/aster_record_decision.sql) per message. Idempotent: each row is
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
      const shares: ClientShare[] = outcome.decision === 'forward' ? [outcome.share] : outcome.decision === 'digest' ? outcome.shares : [];
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
                                      $2, $3, $4, x.kind_confidence, x.kind_evidence, x.suspicious, x.checks) AS status
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
}
