// Stage 8, deliver, for what is not sent in the routing pass: a delivery queued by a staff release, a
// welcome, a watch letter or a staff alert, and every retry after a relay's 4xx. The delivery loop
// claims due deliveries from the delivery table (claim-loop.ts), composes their letters, hands them to
// the relay and records each attempt, the batch in one transaction. Also turns staff-alert requests
// (a pg-boss queue) into alert letters.
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, MoreThan, Not } from 'typeorm';
import { ASTER_CONFIG } from '../../config/config.module';
import type { AsterConfig } from '../../config/config';
import { ClaimLoop } from '../../database/claim-loop';
import { JobQueue } from '../../database/job-queue';
import { InboundMessage } from '../intake/inbound-message.entity';
import { DeliveriesService } from './deliveries.service';
import { Delivery } from './delivery.entity';
import { Forwarder } from './forwarder';
import { Letters, type NoticeRow } from './letters';
import { DELIVER_LOOP, STAFF_ALERT_QUEUE } from './queues';
import type { RelayAnswer } from './retry';

@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Delivery');
  private loop: ClaimLoop<string> | undefined;

  constructor(
    @Inject(ASTER_CONFIG) private readonly config: AsterConfig,
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobQueue,
    private readonly deliveries: DeliveriesService,
    private readonly letters: Letters,
    private readonly forwarder: Forwarder,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.define(STAFF_ALERT_QUEUE);
    if (!this.config.roles.includes('worker')) return;
    this.loop = new ClaimLoop<string>(this.db, {
      name: DELIVER_LOOP,
      loops: 1,
      batchSize: 16,
      sweepMs: 1000,
      claim: async (manager, limit) =>
        (
          await manager.query<{ id: string }[]>(
            `SELECT id FROM delivery WHERE status = 'queued' AND "nextAttemptAt" <= now() ORDER BY "nextAttemptAt" LIMIT $1 FOR UPDATE SKIP LOCKED`,
            [limit],
          )
        ).map((r) => r.id),
      work: (manager, ids) => this.attemptMany(manager, ids),
    });
    this.jobs.onNudge(DELIVER_LOOP, () => this.loop?.nudge());
    this.loop.start();
    await this.jobs.work(STAFF_ALERT_QUEUE.name, () => this.queueStaffAlert());
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop?.stop();
  }

  /** One attempt now, for one queued delivery (its own transaction; a delivery no longer queued is left alone). */
  async attempt(id: string): Promise<void> {
    await this.db.transaction(async (manager) => {
      const [row] = await manager.query<{ id: string }[]>(`SELECT id FROM delivery WHERE id = $1 AND status = 'queued' FOR UPDATE SKIP LOCKED`, [id]);
      if (row) await this.attemptMany(manager, [row.id]);
    });
  }

  /**
   * One attempt for each of a batch of claimed deliveries, side by side (sending is waiting on the
   * relay): the deliveries and what their notices need are read in two queries; the attempts are
   * recorded in the claiming transaction, which commits once for the batch.
   */
  async attemptMany(manager: EntityManager, ids: string[]): Promise<void> {
    const deliveries = await this.deliveries.findQueuedMany(manager, ids);
    const notices = await this.letters.loadNotices(deliveries.filter((d) => d.form === 'forward' || d.form === 'digest').map((d) => d.id));
    const answers = await Promise.all(deliveries.map((d) => this.send(d, notices.get(d.id))));
    for (const [i, d] of deliveries.entries()) {
      const { answer, durationMs } = answers[i];
      await this.deliveries.recordAttempt(manager, d, answer, durationMs);
      if (answer.outcome !== 'sent') this.logger.warn(`delivery ${d.id} to ${d.email}: ${answer.outcome}: ${answer.response}`);
    }
  }

  private async send(delivery: Delivery, notice: NoticeRow | undefined): Promise<{ answer: RelayAnswer; durationMs: number }> {
    const started = Date.now();
    const answer = await this.forwarder.relayLetter(delivery, notice);
    return { answer, durationMs: Date.now() - started };
  }

  /** Queues an alert letter to STAFF_EMAIL if anything was held or failed since the last one. */
  async queueStaffAlert(): Promise<void> {
    const staffEmail = this.config.staffEmail;
    if (!staffEmail) return;
    await this.db.transaction(async (manager) => {
      const last = await manager.findOne(Delivery, { where: { form: 'staff_alert' }, order: { createdAt: 'DESC' } });
      const since = last?.createdAt ?? new Date(0);
      const held = await manager.countBy(InboundMessage, { status: 'held', decidedAt: MoreThan(since) });
      const failed = await manager.countBy(Delivery, { status: 'failed', updatedAt: MoreThan(since), form: Not('staff_alert') });
      if (held + failed === 0) return;
      await this.deliveries.queueLetter(manager, { form: 'staff_alert', email: staffEmail, clientId: null, contactId: null });
    });
  }
}
