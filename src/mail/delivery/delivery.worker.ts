// Stage 8, deliver: takes one queued delivery, composes its letter, hands it to the relay and
// records the answer. Also turns staff-alert requests into alert letters.
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, MoreThan, Not } from 'typeorm';
import { ASTER_CONFIG } from '../../config/config.module';
import type { AsterConfig } from '../../config/config';
import { JobQueue } from '../../database/job-queue';
import { InboundMessage } from '../intake/inbound-message.entity';
import { BounceAddresses } from './bounce-addresses';
import { DeliveriesService } from './deliveries.service';
import { Delivery } from './delivery.entity';
import { Letters, LetterUnavailableError, type NoticeRow } from './letters';
import { DELIVER_QUEUE, STAFF_ALERT_QUEUE } from './queues';
import { Relay, type LetterBytes } from './relay';

@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap {
  private readonly logger = new Logger('Delivery');

  constructor(
    @Inject(ASTER_CONFIG) private readonly config: AsterConfig,
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobQueue,
    private readonly deliveries: DeliveriesService,
    private readonly letters: Letters,
    private readonly relay: Relay,
    private readonly bounces: BounceAddresses,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.define(DELIVER_QUEUE);
    await this.jobs.define(STAFF_ALERT_QUEUE);
    await this.jobs.workBatches<{ deliveryId: string }>(DELIVER_QUEUE.name, (jobs) => this.attemptMany(jobs.map((j) => j.data.deliveryId)), {
      batchSize: 8,
      // Two loops: one batch's reads and composing overlap the other's wait for the relay.
      workers: 2,
    });
    await this.jobs.work(STAFF_ALERT_QUEUE.name, () => this.queueStaffAlert());
  }

  /** One attempt; a delivery that is no longer queued (sent, failed, a repeated job) is left alone. */
  async attempt(id: string): Promise<void> {
    await this.attemptMany([id]);
  }

  /**
   * One attempt for each of a batch of deliveries, side by side (sending is waiting on the relay):
   * the deliveries and what their notices need are read for the whole batch in two queries; each
   * attempt is recorded as soon as its relay answered. Deliveries no longer queued are left alone.
   */
  async attemptMany(ids: string[]): Promise<void> {
    const deliveries = await this.deliveries.findQueuedMany(ids);
    const notices = await this.letters.loadNotices(deliveries.filter((d) => d.form === 'forward' || d.form === 'digest').map((d) => d.id));
    await Promise.all(deliveries.map((d) => this.attemptOne(d, notices.get(d.id))));
  }

  private async attemptOne(delivery: Delivery, notice: NoticeRow | undefined): Promise<void> {
    const id = delivery.id;
    let letter: LetterBytes;
    try {
      letter = await this.letters.compose(delivery, notice);
    } catch (err) {
      if (!(err instanceof LetterUnavailableError)) throw err; // a bug or the database: pg-boss retries
      await this.deliveries.recordAttempt(delivery, { outcome: 'permanent', response: `not sent: ${err.message}` }, 0);
      return;
    }
    const started = Date.now();
    // The envelope sender: the signed bounce address that a DSN for this letter comes back to.
    const answer = await this.relay.send(id, { from: await this.bounces.address(id), to: delivery.email }, letter);
    await this.deliveries.recordAttempt(delivery, answer, Date.now() - started);
    if (answer.outcome !== 'sent') this.logger.warn(`delivery ${id} to ${delivery.email}: ${answer.outcome}: ${answer.response}`);
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
