// The routing pipeline's store: the claim of stored messages, what routing reads of them, and its
// writes (decisions, the deliveries made in the same pass with their first attempts, bounces filed,
// a message put off), all in the claiming transaction (claim-loop.ts), which commits once per batch.
// The staff API over the same messages is MessagesService.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { storableJson } from '../../common/storable-text';
import { DeliveriesService } from '../delivery/deliveries.service';
import type { AttemptOutcome } from '../delivery/retry';
import { describeReport, reportsFailure, type BounceReport } from './bounce';
import type { ClaimCheck } from './claims';
import type { NoticeKind } from './classify';
import type { DecideOutcome, TrackedDomain } from './decide';
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

/** A stored message claimed by a routing pass. */
export interface ClaimedMessage {
  id: string;
  routeFailures: number;
  verifyAttempts: number;
}

/** A delivery made in the routing pass, with the answer of its first attempt (RoutingStore.recordDeliveries). */
export interface DeliveredCopy {
  id: string;
  inboundMessageId: string;
  clientId: string;
  contactId: string;
  email: string;
  form: 'forward' | 'digest';
  domains: string[];
  outcome: AttemptOutcome;
  response: string;
  durationMs: number;
  /** When a `temporary` answer is tried again; null otherwise. */
  nextAttemptAt: Date | null;
}

/** What routing reads of a stored message (the rest is in its bytes). */
export type RoutingView = Pick<InboundMessage, 'id' | 'status' | 'envelopeFrom' | 'envelopeTo' | 'remoteAddress' | 'helo'>;

@Injectable()
export class RoutingStore {
  constructor(private readonly deliveries: DeliveriesService) {}

  /**
   * Claims up to `limit` stored messages that routing may take now, oldest first (not those staff
   * discarded while routing waited for DNS), locking their rows
   * for the rest of the transaction; rows another pass holds are skipped (FOR UPDATE SKIP LOCKED on
   * the partial index IDX_inbound_message_to_route).
   */
  async claim(manager: EntityManager, limit: number): Promise<ClaimedMessage[]> {
    return manager.query(
      `SELECT id, "routeFailures", "verifyAttempts" FROM inbound_message
        WHERE stage = 'stored' AND "routeAfter" <= now() AND status <> 'discarded'
        ORDER BY "routeAfter" LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
  }

  /**
   * The messages among `ids` still waiting to be routed, with their bytes, in one query (bytes over
   * one slice are read in slices after it); a message already decided or gone is left out.
   */
  async loadManyForRouting(manager: EntityManager, ids: string[]): Promise<Map<string, { message: RoutingView; raw: Buffer }>> {
    const rows = await manager.query<(RoutingView & { rawSize: number; raw: Buffer | null })[]>(
      `SELECT m.id, m.status, m."envelopeFrom", m."envelopeTo", m."remoteAddress", m.helo, octet_length(r.raw) AS "rawSize",
              CASE WHEN octet_length(r.raw) <= ${RAW_SLICE_BYTES} THEN r.raw END AS raw
         FROM inbound_message m JOIN raw_message r ON r."messageId" = m.id
        WHERE m.id = ANY($1::uuid[]) AND m.stage = 'stored'`,
      [ids],
    );
    const out = new Map<string, { message: RoutingView; raw: Buffer }>();
    for (const { rawSize, raw: small, ...message } of rows) {
      const raw = small ?? (await readRawSlices(manager, message.id, Number(rawSize)));
      if (raw) out.set(message.id, { message, raw });
    }
    return out;
  }

  /**
   * Writes the decisions of a batch in one statement: each message still at stage `stored` gets its
   * decision, status (`held` with its hold reason, or `forwarded`) and what routing found, and the
   * stage `decided`; the tracked domains it concerns get lastNoticeAt (one UPDATE, so concurrent
   * batches lock domain rows in one order). A hold asks for a staff alert in the same transaction.
   * Returns the ids decided.
   */
  async recordDecisions(manager: EntityManager, decisions: { id: string; result: RoutingResult }[]): Promise<Set<string>> {
    if (decisions.length === 0) return new Set();
    const rows = decisions.map(({ id, result }) => {
      const { outcome } = result;
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
        kind_confidence: result.reading?.confidence ?? null,
        kind_evidence: result.reading?.evidence ?? null,
        suspicious: result.reading?.suspicious ?? null,
        checks: result.checks ?? null,
      };
    });
    const noticeFor = [...new Set(decisions.flatMap((d) => d.result.noticeFor))].sort();
    const decided = await manager.query<{ id: string }[]>(
      `WITH decided AS (
         UPDATE inbound_message m SET
           subject = x.subject, "fromHeader" = x.from_header, kind = x.kind, decision = x.decision, "decisionReason" = x.reason,
           "kindConfidence" = x.kind_confidence, "kindEvidence" = x.kind_evidence, suspicious = x.suspicious, checks = x.checks,
           domains = x.domains, "clientIds" = x.client_ids,
           status = CASE WHEN x.decision = 'hold' THEN 'held' ELSE 'forwarded' END,
           "holdReason" = CASE WHEN x.decision = 'hold' THEN x.hold_reason END,
           "authResults" = x.auth, stage = 'decided', "decidedAt" = now()
           FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, subject text, from_header text, kind text, decision text, reason text,
                hold_reason text, domains text[], client_ids uuid[], auth jsonb, kind_confidence real, kind_evidence text[],
                suspicious jsonb, checks jsonb)
          WHERE m.id = x.id AND m.stage = 'stored'
         RETURNING m.id
       ), noticed AS (
         UPDATE domain SET "lastNoticeAt" = now() WHERE name = ANY($2::text[]) RETURNING 1
       )
       SELECT id FROM decided`,
      // A parsed value PostgreSQL cannot store (a NUL from an encoded Subject) must not fail the batch.
      [storableJson(rows), noticeFor],
    );
    if (decisions.some((d) => d.result.outcome.decision === 'hold')) await this.deliveries.alertStaff(manager);
    return new Set(decided.map((r) => r.id));
  }

  /**
   * The deliveries made in the routing pass, each with its first attempt, in one statement: sent,
   * failed (5xx: a staff alert comes with it), or queued for its next try. Idempotent per (message,
   * address). `sentAt` is the clock at this write, just after the relay answered (the decision's
   * `decidedAt` is the pass's start).
   */
  async recordDeliveries(manager: EntityManager, copies: DeliveredCopy[]): Promise<void> {
    if (copies.length === 0) return;
    const rows = copies.map((c) => ({
      id: c.id,
      message: c.inboundMessageId,
      client_id: c.clientId,
      contact_id: c.contactId,
      email: c.email,
      form: c.form,
      domains: c.domains,
      status: c.outcome === 'sent' ? 'sent' : c.outcome === 'permanent' ? 'failed' : 'queued',
      next_attempt_at: c.nextAttemptAt?.toISOString() ?? null,
      outcome: c.outcome,
      response: c.response.slice(0, 2000),
      duration_ms: c.durationMs,
    }));
    await manager.query(
      `WITH x AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, message uuid, client_id uuid, contact_id uuid, email text, form text,
                domains text[], status text, next_attempt_at timestamptz, outcome text, response text, duration_ms integer)
       ), inserted AS (
         INSERT INTO delivery (id, "inboundMessageId", "clientId", "contactId", email, form, domains, status, attempts, "nextAttemptAt", "lastResponse", "sentAt")
         SELECT x.id, x.message, x.client_id, x.contact_id, x.email, x.form, x.domains, x.status, 1, x.next_attempt_at, x.response,
                CASE WHEN x.status = 'sent' THEN clock_timestamp() END
           FROM x
         ON CONFLICT ("inboundMessageId", email) DO NOTHING
         RETURNING id
       )
       INSERT INTO delivery_attempt ("deliveryId", outcome, response, "durationMs")
       SELECT x.id, x.outcome, x.response, x.duration_ms FROM x JOIN inserted USING (id)`,
      [storableJson(rows)],
    );
    if (copies.some((c) => c.outcome === 'permanent')) await this.deliveries.alertStaff(manager);
  }

  /**
   * A message routing did not finish: claimed again at `after`, with its failure or verification
   * count raised.
   */
  async putOff(manager: EntityManager, id: string, afterSeconds: number, count: 'routeFailures' | 'verifyAttempts'): Promise<void> {
    await manager.query(
      `UPDATE inbound_message SET "routeAfter" = now() + $2 * interval '1 second', "${count}" = "${count}" + 1 WHERE id = $1 AND stage = 'stored'`,
      [id, afterSeconds],
    );
  }

  /**
   * Mail to the bounce address of one of our deliveries. A DSN that proves the letter failed marks
   * the delivery failed and is filed as a bounce; anything else leaves the delivery as it was and is
   * held (`unconfirmed_bounce`) for staff, with a staff alert. What is recorded, on the delivery and
   * the message, is the report's Status code and Action alone: never a word of the sender's text.
   */
  async recordBounce(manager: EntityManager, id: string, deliveryId: string, report: BounceReport): Promise<void> {
    {
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
    }
  }
}
