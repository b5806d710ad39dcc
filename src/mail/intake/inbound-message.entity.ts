import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { ClaimCheck } from './claims';
import type { NoticeKind } from './classify';

export const MESSAGE_STATUSES = ['received', 'forwarded', 'held', 'released', 'discarded'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/**
 * `routing_failed`: the pipeline could not decide it (it failed again and again, or the database
 * refused what was read of it); staff are alerted and decide.
 * `unconfirmed_bounce`: mail to a bounce address that does not prove our letter failed (no DSN, a
 * DSN for another message, a delay report, an unsigned address); the delivery is left as it was.
 */
export const HOLD_REASONS = ['unparseable', 'unmatched', 'loop', 'unverified_sender', 'no_recipient', 'unconfirmed_bounce', 'routing_failed'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

/** The last intake stage a message has passed (DESIGN.md, "The life of an inbound message"). */
export const INTAKE_STAGES = ['stored', 'decided'] as const;
export type IntakeStage = (typeof INTAKE_STAGES)[number];

/** Why a message looks like a scam or phishing: plain sentences a client can read. */
export interface Suspicion {
  reasons: string[];
}

/** `bounce`: a delivery status notification about one of our own letters. */
export type Decision = 'forward' | 'digest' | 'hold' | 'bounce';

/** A message received over SMTP: raw bytes and envelope first, then what the pipeline found. */
@Entity('inbound_message')
// Newest first, ties by id, in one backward scan (GET /api/messages); also every range on receivedAt.
@Index('IDX_inbound_message_received_id', ['receivedAt', 'id'])
@Index('IDX_inbound_message_status', ['status', 'holdReason'])
@Index('IDX_inbound_message_dedupe', ['messageId', 'envelopeFrom', 'receivedAt'])
// GIN indexes on domains and clientIds, created in the migration.
@Index('IDX_inbound_message_domains', { synchronize: false })
@Index('IDX_inbound_message_clients', { synchronize: false })
// What routing may claim now: a partial index on stage 'stored', created in the migration.
@Index('IDX_inbound_message_to_route', { synchronize: false })
export class InboundMessage {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  receivedAt: Date;

  /** Envelope sender (MAIL FROM); '' for the null sender <>. */
  @Column({ type: 'varchar', length: 320 })
  envelopeFrom: string;

  @Column({ type: 'text', array: true })
  envelopeTo: string[];

  @Column({ type: 'varchar', length: 64, nullable: true })
  remoteAddress: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  helo: string | null;

  /** The Message-ID header as received (without angle brackets), if any. */
  @Column({ type: 'varchar', length: 998, nullable: true })
  messageId: string | null;

  @Column({ type: 'integer' })
  size: number;

  /** Times the same message (same Message-ID and envelope sender within a day) arrived again. */
  @Column({ type: 'integer', default: 0 })
  duplicates: number;

  @Column({ type: 'varchar', length: 16, default: 'stored' })
  stage: IntakeStage;

  @Column({ type: 'varchar', length: 16, default: 'received' })
  status: MessageStatus;

  @Column({ type: 'varchar', length: 32, nullable: true })
  holdReason: HoldReason | null;

  @Column({ type: 'varchar', length: 998, nullable: true })
  subject: string | null;

  /** The From header, as text. */
  @Column({ type: 'varchar', length: 998, nullable: true })
  fromHeader: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  kind: NoticeKind | null;

  /** How sure the reading of the kind is, 0–1 (null before classification). */
  @Column({ type: 'real', nullable: true })
  kindConfidence: number | null;

  /** The phrases and signals that decided the kind, in words for staff. */
  @Column({ type: 'text', array: true, nullable: true })
  kindEvidence: string[] | null;

  /** Why the message looks like a scam or phishing, or null when nothing does. */
  @Column({ type: 'jsonb', nullable: true })
  suspicious: Suspicion | null;

  /** Each claim the message makes about a tracked domain, against the registry (issue 13). */
  @Column({ type: 'jsonb', nullable: true })
  checks: ClaimCheck[] | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  decision: Decision | null;

  /** Why the pipeline decided as it did, in words for staff. */
  @Column({ type: 'text', nullable: true })
  decisionReason: string | null;

  /** Tracked domains (ASCII) the message concerns. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  domains: string[];

  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  clientIds: string[];

  /** SPF/DKIM/DMARC/ARC results (null while verification is off). */
  @Column({ type: 'jsonb', nullable: true })
  authResults: object | null;

  @Column({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  /** While at stage `stored`: routing may claim the message from this time on (later after a failure, or while verification waits for DNS). */
  @Column({ type: 'timestamptz', default: () => 'now()' })
  routeAfter: Date;

  /** Routing passes that failed for this message (held as `routing_failed` after a few). */
  @Column({ type: 'integer', default: 0 })
  routeFailures: number;

  /** How many times sender verification was put off for want of DNS (`enforce`). */
  @Column({ type: 'integer', default: 0 })
  verifyAttempts: number;
}
