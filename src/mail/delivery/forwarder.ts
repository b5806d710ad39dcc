// Stage 8 inside the routing pass: the copies of messages just decided, composed from what routing
// has in memory (the parsed original, the reading, the checks) and handed to the relay before the
// pass commits, so a message costs no commit of its own between its decision and its delivery.
// What the relay does not take now (4xx, no connection) is recorded as a queued delivery, retried by
// the delivery loop (DeliveryWorker).
import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ASTER_CONFIG } from '../../config/config.module';
import type { AsterConfig } from '../../config/config';
import { MetricsService } from '../../metrics/metrics.service';
import type { ClientShare } from '../intake/decide';
import type { DeliveredCopy, RoutingResult } from '../intake/routing-store';
import { BounceAddresses } from './bounce-addresses';
import { Delivery } from './delivery.entity';
import { Letters, LetterUnavailableError, type NoticeRow } from './letters';
import { Relay } from './relay';
import { retryDelayMs, type RelayAnswer } from './retry';

/** A message decided `forward` or `digest` in this pass, with its bytes. */
export interface DecidedMessage {
  id: string;
  result: RoutingResult;
  raw: Buffer;
}

/** A copy to make: its delivery (not yet in the database) and what its letter needs. */
export interface PlannedCopy {
  delivery: Delivery;
  notice: NoticeRow;
}

/**
 * A delivery's id, the same every time for one message and address: the letter's Message-ID
 * (`<id@MAIL_DOMAIN>`) and bounce address come from it, so a copy sent again after a crash before
 * the pass committed carries the same Message-ID and receiving systems can drop it (DESIGN.md).
 * A name-based UUID (version 5 layout) over SHA-256.
 */
export function copyId(messageId: string, email: string): string {
  const h = createHash('sha256').update(`aster-delivery\n${messageId}\n${email}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

type ContactRow = { contactId: string; clientId: string; contactName: string | null; clientName: string; email: string };
type DomainRow = NoticeRow['domains'][number];

@Injectable()
export class Forwarder {
  private readonly logger = new Logger('Delivery');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(ASTER_CONFIG) private readonly config: AsterConfig,
    private readonly letters: Letters,
    private readonly relay: Relay,
    private readonly bounces: BounceAddresses,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * The copies of a batch's decided messages: one per notice-receiving contact of each share's
   * client (one per address and message: the first share wins), with the contacts, clients and
   * domains read in one query. `unreached` holds the messages none of whose clients has such a
   * contact (held as `no_recipient` by the caller).
   */
  async plan(decided: DecidedMessage[]): Promise<{ copies: PlannedCopy[]; unreached: Set<string> }> {
    const sharesOf = (m: DecidedMessage): ClientShare[] =>
      m.result.outcome.decision === 'forward' ? [m.result.outcome.share] : m.result.outcome.decision === 'digest' ? m.result.outcome.shares : [];
    const clientIds = [...new Set(decided.flatMap((m) => sharesOf(m).map((s) => s.clientId)))];
    const domainNames = [...new Set(decided.flatMap((m) => sharesOf(m).flatMap((s) => s.domains)))];
    if (clientIds.length === 0) return { copies: [], unreached: new Set() };
    const [row] = await this.db.query<{ contacts: ContactRow[]; domains: DomainRow[] }[]>(
      `SELECT (SELECT coalesce(json_agg(json_build_object('contactId', c.id, 'clientId', c."clientId", 'contactName', c.name,
                                                         'clientName', cl.name, 'email', lower(c.email)) ORDER BY c."createdAt", c.id), '[]'::json)
                 FROM contact c JOIN client cl ON cl.id = c."clientId"
                WHERE c."clientId" = ANY($1::uuid[]) AND c."receivesNotices") AS contacts,
              (SELECT coalesce(json_agg(json_build_object('name', dm.name, 'unicodeName', dm."unicodeName", 'registeredAt', dm."registeredAt",
                                                         'expiresAt', dm."expiresAt", 'guidanceToken', dm."guidanceToken", 'registrar', rg.name)
                                        ORDER BY dm.name), '[]'::json)
                 FROM domain dm LEFT JOIN registrar rg ON rg.id = dm."registrarId"
                WHERE dm.name = ANY($2::text[])) AS domains`,
      [clientIds, domainNames],
    );
    const domains = new Map(row.domains.map((d) => [d.name, d]));
    const copies: PlannedCopy[] = [];
    const unreached = new Set<string>();
    const now = new Date();
    for (const m of decided) {
      const { result } = m;
      const messageDomains = [...new Set(result.matched.map((d) => d.name))].sort();
      const addressed = new Set<string>();
      let reached = false;
      for (const share of sharesOf(m)) {
        const contacts = row.contacts.filter((c) => c.clientId === share.clientId);
        if (contacts.length > 0) reached = true;
        for (const contact of contacts) {
          if (addressed.has(contact.email)) continue;
          addressed.add(contact.email);
          const delivery = Object.assign(new Delivery(), {
            id: copyId(m.id, contact.email),
            inboundMessageId: m.id,
            clientId: share.clientId,
            contactId: contact.contactId,
            email: contact.email,
            form: result.outcome.decision === 'digest' ? 'digest' : 'forward',
            domains: share.domains,
            status: 'queued',
            attempts: 0,
            nextAttemptAt: now,
            lastResponse: null,
            sentAt: null,
            createdAt: now,
            updatedAt: now,
          } satisfies Omit<Delivery, 'inboundMessage'>);
          copies.push({
            delivery,
            notice: {
              messageFound: true,
              kind: result.kind,
              subject: result.subject,
              fromHeader: result.from,
              authResults: result.authResults,
              messageDomains,
              kindConfidence: result.reading?.confidence ?? null,
              suspicious: result.reading?.suspicious ?? null,
              checks: result.checks ?? null,
              rawSize: m.raw.length,
              raw: m.raw,
              clientId: share.clientId,
              clientName: contact.clientName,
              contactName: contact.contactName,
              domains: share.domains.flatMap((name) => domains.get(name) ?? []),
            },
          });
        }
      }
      if (!reached) unreached.add(m.id);
    }
    return { copies, unreached };
  }

  /**
   * Composes and relays every planned copy, side by side (the pooled transport keeps the relay's
   * connections open): the answers, ready for RoutingStore.recordDeliveries. Never throws.
   */
  async send(copies: PlannedCopy[]): Promise<DeliveredCopy[]> {
    return Promise.all(
      copies.map(async ({ delivery, notice }): Promise<DeliveredCopy> => {
        const started = Date.now();
        const answer = await this.relayLetter(delivery, notice);
        const durationMs = Date.now() - started;
        if (answer.outcome === 'sent') this.metrics.deliverySeconds.observe((Date.now() - delivery.createdAt.getTime()) / 1000);
        else this.logger.warn(`delivery ${delivery.id} to ${delivery.email}: ${answer.outcome}: ${answer.response}`);
        return {
          id: delivery.id,
          inboundMessageId: delivery.inboundMessageId!,
          clientId: delivery.clientId!,
          contactId: delivery.contactId!,
          email: delivery.email,
          form: delivery.form as 'forward' | 'digest',
          domains: delivery.domains,
          outcome: answer.outcome,
          response: answer.response,
          durationMs,
          nextAttemptAt: answer.outcome === 'temporary' ? new Date(Date.now() + retryDelayMs(1, this.config.deliveryFirstRetryMs)) : null,
        };
      }),
    );
  }

  /**
   * Composes one delivery's letter and hands it to the relay (the routing pass and the delivery
   * loop alike); never throws: a letter that cannot be made is a permanent failure, any other
   * error while composing a temporary one.
   */
  async relayLetter(delivery: Delivery, notice: NoticeRow | undefined): Promise<RelayAnswer> {
    let letter: Awaited<ReturnType<Letters['compose']>>;
    try {
      letter = await this.letters.compose(delivery, notice);
    } catch (err) {
      if (err instanceof LetterUnavailableError) return { outcome: 'permanent', response: `not sent: ${err.message}` };
      return { outcome: 'temporary', response: `not sent: ${err instanceof Error ? err.message : String(err)}` };
    }
    return this.relay.send(delivery.id, { from: await this.bounces.address(delivery.id), to: delivery.email }, letter);
  }
}
