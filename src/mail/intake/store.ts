// Stage 2, store: the raw bytes, the envelope and the routing job are committed in one transaction
// before the SMTP answer is 250. A message seen before (same Message-ID from the same envelope
// sender within 24 hours) is not stored again.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JobQueue } from '../../database/job-queue';
import { MetricsService } from '../../metrics/metrics.service';
import { InboundMessage } from './inbound-message.entity';
import { rawMessageId } from './parse';
import { ROUTE_QUEUE } from './queues';
import { RawMessage } from './raw-message.entity';

export interface Envelope {
  from: string;
  to: string[];
  remoteAddress: string | null;
  helo: string | null;
}

export interface Stored {
  id: string;
  duplicate: boolean;
}

@Injectable()
export class MessageStore {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobQueue,
    private readonly metrics: MetricsService,
  ) {}

  async store(envelope: Envelope, raw: Buffer): Promise<Stored> {
    const end = this.metrics.acceptSeconds.startTimer();
    const stored = await this.commit(envelope, raw);
    end();
    return stored;
  }

  private commit(envelope: Envelope, raw: Buffer): Promise<Stored> {
    const messageId = rawMessageId(raw);
    return this.db.transaction(async (manager) => {
      if (messageId) {
        // Serialise concurrent copies of one message, so exactly one of them is stored.
        await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`${envelope.from}\n${messageId}`]);
        const seen: { id: string }[] = await manager.query(
          `SELECT id FROM inbound_message
            WHERE "messageId" = $1 AND "envelopeFrom" = $2 AND "receivedAt" > now() - interval '24 hours'
            ORDER BY "receivedAt" LIMIT 1`,
          [messageId, envelope.from],
        );
        if (seen.length) {
          await manager.query('UPDATE inbound_message SET duplicates = duplicates + 1 WHERE id = $1', [seen[0].id]);
          return { id: seen[0].id, duplicate: true };
        }
      }
      const inserted = await manager.insert(InboundMessage, {
        envelopeFrom: envelope.from,
        envelopeTo: envelope.to,
        remoteAddress: envelope.remoteAddress,
        helo: envelope.helo?.slice(0, 255) ?? null,
        messageId,
        size: raw.length,
      });
      const id = (inserted.identifiers[0] as { id: string }).id;
      await manager.insert(RawMessage, { messageId: id, raw });
      await this.jobs.sendInTransaction(manager, ROUTE_QUEUE.name, { messageId: id }, { singletonKey: id });
      return { id, duplicate: false };
    });
  }
}
