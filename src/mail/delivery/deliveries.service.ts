// Outgoing letters: queuing them (one delivery per recipient, idempotently), recording every
// attempt with the relay's answer, and scheduling the next try. A queued delivery is due at its
// `nextAttemptAt`; the delivery loop (DeliveryWorker) claims due deliveries from this table.
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { ASTER_CONFIG } from '../../config/config.module';
import type { AsterConfig } from '../../config/config';
import { MetricsService } from '../../metrics/metrics.service';
import type { ClientShare } from '../intake/decide';
import { DeliveryAttempt } from './delivery-attempt.entity';
import { Delivery, type DeliveryForm } from './delivery.entity';
import { JobQueue } from '../../database/job-queue';
import { DELIVER_LOOP, STAFF_ALERT_INTERVAL_SECONDS, STAFF_ALERT_QUEUE } from './queues';
import { retryDelayMs, type RelayAnswer } from './retry';

@Injectable()
export class DeliveriesService {
  constructor(
    @InjectRepository(Delivery) private readonly deliveries: Repository<Delivery>,
    @Inject(ASTER_CONFIG) private readonly config: AsterConfig,
    private readonly metrics: MetricsService,
    private readonly jobs: JobQueue,
  ) {}

  /**
   * Queues a delivery of `form` for every notice-receiving contact of each share's client, due at
   * once, in the caller's transaction. Returns how many contacts of each client receive notices.
   * Call `nudge()` once the transaction has committed.
   */
  async queue(manager: EntityManager, inboundMessageId: string, shares: ClientShare[], form: DeliveryForm): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const share of shares) {
      // src/database/sql/aster_queue_deliveries.sql (also used by the decide stage).
      const rows: { n: number }[] = await manager.query('SELECT aster_queue_deliveries($1, $2, $3, $4) AS n', [
        inboundMessageId,
        share.clientId,
        form,
        share.domains,
      ]);
      counts.set(share.clientId, Number(rows[0]?.n ?? 0));
    }
    return counts;
  }

  /** Queues one letter to one address (welcome letters, staff alerts, watch letters), due at once. */
  async queueLetter(
    manager: EntityManager,
    letter: { form: DeliveryForm; email: string; clientId: string | null; contactId: string | null; domains?: string[] },
  ): Promise<Delivery> {
    const delivery = manager.create(Delivery, { ...letter, email: letter.email.toLowerCase(), domains: letter.domains ?? [], inboundMessageId: null });
    await manager.save(delivery);
    this.nudge();
    return delivery;
  }

  /**
   * Wakes the delivery loop: a delivery was queued. Given a moment, so that the caller's transaction
   * has committed when the loop looks; the loop's sweep finds it anyway.
   */
  nudge(): void {
    setTimeout(() => this.jobs.nudge(DELIVER_LOOP), 20).unref();
  }

  /** Those of the deliveries still waiting to be sent, in one query (in the claiming transaction). */
  async findQueuedMany(manager: EntityManager, ids: string[]): Promise<Delivery[]> {
    const rows: Partial<Delivery>[] = await manager.query(
      `SELECT id, "inboundMessageId", "clientId", "contactId", email, form, domains, status, attempts, "nextAttemptAt",
              "lastResponse", "sentAt", "createdAt", "updatedAt"
         FROM delivery WHERE id = ANY($1::uuid[]) AND status = 'queued'`,
      [ids],
    );
    return rows.map((row) => Object.assign(new Delivery(), row));
  }

  /**
   * Records an attempt and its consequence, in the claiming transaction: `sent`, `failed` (5xx, or
   * retried for longer than DELIVERY_MAX_AGE), or queued again after the next delay of the schedule.
   * Only a delivery still queued with the attempt count the caller saw is changed.
   */
  async recordAttempt(manager: EntityManager, delivery: Delivery, answer: RelayAnswer, durationMs: number): Promise<void> {
    const attempts = delivery.attempts + 1;
    const response = answer.response.slice(0, 2000);
    if (answer.outcome === 'sent') {
      const rows: unknown[] = await manager.query(
        `WITH d AS (
           UPDATE delivery SET status = 'sent', attempts = $2, "lastResponse" = $3, "sentAt" = now(), "nextAttemptAt" = NULL, "updatedAt" = now()
            WHERE id = $1 AND status = 'queued' AND attempts = $4
           RETURNING id
         ), a AS (
           INSERT INTO delivery_attempt ("deliveryId", outcome, response, "durationMs") SELECT id, 'sent', $5, $6 FROM d
         )
         SELECT id FROM d`,
        [delivery.id, attempts, answer.response, delivery.attempts, response, durationMs],
      );
      if (rows.length) this.metrics.deliverySeconds.observe((Date.now() - delivery.createdAt.getTime()) / 1000);
      return;
    }
    {
      const claimed: unknown[] = await manager.query(
        `WITH d AS (
           UPDATE delivery SET attempts = $2, "updatedAt" = now() WHERE id = $1 AND status = 'queued' AND attempts = $3 RETURNING id
         ) SELECT id FROM d`,
        [delivery.id, attempts, delivery.attempts],
      );
      if (claimed.length === 0) return;
      await manager.insert(DeliveryAttempt, { deliveryId: delivery.id, outcome: answer.outcome, response, durationMs });
      const tooOld = Date.now() - delivery.createdAt.getTime() >= this.config.deliveryMaxAgeMs;
      if (answer.outcome === 'permanent' || tooOld) {
        const reason =
          answer.outcome === 'permanent'
            ? answer.response
            : `gave up after ${attempts} attempts (older than DELIVERY_MAX_AGE); last answer: ${answer.response}`;
        await manager.update(Delivery, delivery.id, { status: 'failed', lastResponse: reason, nextAttemptAt: null });
        if (delivery.form !== 'staff_alert') await this.alertStaff(manager);
      } else {
        const next = new Date(Date.now() + retryDelayMs(attempts, this.config.deliveryFirstRetryMs));
        await manager.update(Delivery, delivery.id, { lastResponse: answer.response, nextAttemptAt: next });
      }
    }
  }

  /** Marks a delivery failed from a bounce: `status` is the DSN's Status and Action (bounce.ts describeReport), never its text. */
  async markBounced(manager: EntityManager, id: string, status: string): Promise<boolean> {
    const result = await manager.update(Delivery, { id }, { status: 'failed', lastResponse: `bounced: ${status}`.slice(0, 2000), nextAttemptAt: null });
    if (result.affected) await this.alertStaff(manager);
    return Boolean(result.affected);
  }

  /**
   * Asks for a staff alert in the caller's transaction: at most one job per ten-minute slot, the next
   * slot when this one is taken (pg-boss's debounce: singletonSeconds with singletonNextSlot).
   */
  async alertStaff(manager: EntityManager): Promise<void> {
    if (!this.config.staffEmail) return;
    await this.jobs.sendInTransaction(
      manager,
      STAFF_ALERT_QUEUE.name,
      {},
      { singletonKey: 'staff-alert', singletonSeconds: STAFF_ALERT_INTERVAL_SECONDS, singletonNextSlot: true },
    );
  }

  exists(id: string): Promise<boolean> {
    return this.deliveries.existsBy({ id });
  }
}
