// Queues the copies of a notice: one delivery per contact that receives notices. The unique index
// on (message, address) makes queuing idempotent, so a repeated decision never makes a second set.
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import type { ClientShare } from '../intake/decide';
import { Delivery, type DeliveryForm } from './delivery.entity';

@Injectable()
export class DeliveriesService {
  constructor(@InjectRepository(Delivery) private readonly deliveries: Repository<Delivery>) {}

  /**
   * Queues a delivery of `form` for every notice-receiving contact of each share's client.
   * Returns how many contacts each client has that receive notices (0 means nobody to tell).
   */
  async queue(manager: EntityManager, inboundMessageId: string, shares: ClientShare[], form: DeliveryForm): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const share of shares) {
      const rows: { n: string }[] = await manager.query(
        `WITH recipients AS (
           SELECT id, lower(email) AS email FROM contact WHERE "clientId" = $2 AND "receivesNotices"
         ), queued AS (
           INSERT INTO delivery ("inboundMessageId", "clientId", "contactId", email, form, domains)
           SELECT $1, $2, id, email, $3, $4 FROM recipients
           ON CONFLICT ("inboundMessageId", email) DO NOTHING
         )
         SELECT count(*) AS n FROM recipients`,
        [inboundMessageId, share.clientId, form, share.domains],
      );
      counts.set(share.clientId, Number(rows[0].n));
    }
    return counts;
  }

  forMessages(inboundMessageIds: string[]): Promise<Delivery[]> {
    if (inboundMessageIds.length === 0) return Promise.resolve([]);
    return this.deliveries.find({ where: { inboundMessageId: In(inboundMessageIds) }, order: { createdAt: 'ASC', email: 'ASC' } });
  }
}
