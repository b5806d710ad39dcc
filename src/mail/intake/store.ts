// Stage 2, store: the raw bytes, the envelope and the routing job are committed in one transaction
// before the SMTP answer is 250. A message seen before (same Message-ID from the same envelope
// sender within 24 hours) is not stored again.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { storableText } from '../../common/storable-text';
import { MetricsService } from '../../metrics/metrics.service';
import { rawMessageId } from './parse';
import { ROUTE_QUEUE } from './queues';

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
    private readonly metrics: MetricsService,
  ) {}

  async store(envelope: Envelope, raw: Buffer): Promise<Stored> {
    const end = this.metrics.acceptSeconds.startTimer();
    const stored = await this.commit(envelope, raw);
    end();
    return stored;
  }

  /**
   * One round trip: `aster_store_message` (src/database/sql/aster_store_message.sql) takes the advisory lock
   * that serialises concurrent copies of one message, checks for a copy seen in the last 24 hours,
   * inserts the message, its bytes and its routing job, all in the statement's one transaction.
   */
  private async commit(envelope: Envelope, raw: Buffer): Promise<Stored> {
    const rows: { stored_id: string; is_duplicate: boolean }[] = await this.db.query(
      'SELECT stored_id, is_duplicate FROM aster_store_message($1, $2, $3, $4, $5, $6, $7)',
      // What the sender wrote may hold a NUL, which PostgreSQL cannot store: a permanent cause must
      // never become a 451 on every try.
      [
        storableText(envelope.from),
        envelope.to.map(storableText),
        envelope.remoteAddress,
        envelope.helo === null ? null : storableText(envelope.helo).slice(0, 255),
        rawMessageId(raw),
        raw,
        ROUTE_QUEUE.name,
      ],
    );
    return { id: rows[0].stored_id, duplicate: rows[0].is_duplicate };
  }
}
