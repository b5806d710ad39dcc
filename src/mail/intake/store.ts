// Stage 2, store: the raw bytes and the envelope are committed in one transaction (routing claims them from the table)
// before the SMTP answer is 250. A message seen before (same Message-ID from the same envelope
// sender within 24 hours) is not stored again. Messages of concurrent sessions are committed
// together (group commit): while one group's round trip is in flight the messages that arrive wait,
// and go in the next one, so a busy intake pays one commit (one WAL flush) per group rather than per
// message; a message arriving when nothing is in flight goes at once, with no timer.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isDataRefused } from '../../database/pg-errors';
import { storableJson, storableText } from '../../common/storable-text';
import { MetricsService } from '../../metrics/metrics.service';
import { rawMessageId } from './parse';

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

/**
 * How big one group may grow: a count, and a byte total that a single larger message may exceed
 * (it then goes alone), so that one 25 MB message does not hold back 31 small ones behind it.
 */
export const GROUP_LIMITS = { messages: 32, bytes: 8 * 1024 * 1024 };

/**
 * How many of the waiting messages (their sizes, oldest first) go in the next group: always the
 * oldest, then the ones after it while the group stays within both limits. Order is kept: a message
 * never overtakes an older one that did not fit.
 */
export function groupLength(sizes: readonly number[], limits: { messages: number; bytes: number } = GROUP_LIMITS): number {
  if (sizes.length === 0) return 0;
  let n = 1;
  let bytes = sizes[0];
  while (n < sizes.length && n < limits.messages && bytes + sizes[n] <= limits.bytes) bytes += sizes[n++];
  return n;
}

/** A message waiting for its group's commit, and the SMTP session waiting for its answer. */
interface Waiting {
  envelope: { from: string; to: string[]; remoteAddress: string | null; helo: string | null; messageId: string | null };
  raw: Buffer;
  resolve(stored: Stored): void;
  reject(err: unknown): void;
}

@Injectable()
export class MessageStore {
  private readonly waiting: Waiting[] = [];
  private inFlight = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly metrics: MetricsService,
  ) {}

  /** How many messages wait for the next group (the one in flight not counted): for tests and metrics. */
  get waitingCount(): number {
    return this.waiting.length;
  }

  /** Resolves once the message is committed (or is a duplicate of one that is); rejects with the database's error. */
  async store(envelope: Envelope, raw: Buffer): Promise<Stored> {
    const end = this.metrics.acceptSeconds.startTimer();
    try {
      return await new Promise<Stored>((resolve, reject) => {
        this.waiting.push({
          // What the sender wrote may hold a NUL, which PostgreSQL cannot store: a permanent cause must
          // never become a 451 on every try.
          envelope: {
            from: storableText(envelope.from),
            to: envelope.to.map(storableText),
            remoteAddress: envelope.remoteAddress,
            helo: envelope.helo === null ? null : storableText(envelope.helo).slice(0, 255),
            messageId: rawMessageId(raw),
          },
          raw,
          resolve,
          reject,
        });
        this.sendNextGroup();
      });
    } finally {
      end();
    }
  }

  /** One group at a time: the next leaves when the one in flight has its answer. */
  private sendNextGroup(): void {
    if (this.inFlight || this.waiting.length === 0) return;
    const group = this.waiting.splice(0, groupLength(this.waiting.map((w) => w.raw.length)));
    this.inFlight = true;
    void this.commitGroup(group).finally(() => {
      this.inFlight = false;
      this.sendNextGroup();
    });
  }

  /**
   * The group in one statement. When PostgreSQL refuses the data of one of them (classes 22, 23, 54),
   * nothing of the group was committed: each is then stored on its own, so only that one gets the
   * error. Any other error (the database away) is every message's answer, a 451 for each.
   */
  private async commitGroup(group: Waiting[]): Promise<void> {
    try {
      const stored = await this.commit(group);
      group.forEach((w, i) => w.resolve(stored[i]));
    } catch (err) {
      if (group.length === 1 || !isDataRefused(err)) {
        for (const w of group) w.reject(err);
        return;
      }
      for (const w of group) {
        try {
          w.resolve((await this.commit([w]))[0]);
        } catch (own) {
          w.reject(own);
        }
      }
    }
  }

  /**
   * One round trip: `aster_store_messages` (src/database/sql/aster_store_messages.sql) takes the
   * advisory locks that serialise concurrent copies of one message, checks each for a copy seen in
   * the last 24 hours, inserts the messages and their bytes (routing claims them from the table), all in the
   * statement's one transaction. Each raw message is a parameter of its own, sent as binary, rather
   * than one bytea[] literal that would travel as hex text at twice the size.
   */
  private async commit(group: Waiting[]): Promise<Stored[]> {
    const raws = group.map((_, i) => `$${i + 2}::bytea`).join(', ');
    const rows: { ord: number; stored_id: string; is_duplicate: boolean }[] = await this.db.query(
      `SELECT ord, stored_id, is_duplicate FROM aster_store_messages($1::jsonb, ARRAY[${raws}]) ORDER BY ord`,
      [storableJson(group.map((w) => w.envelope)), ...group.map((w) => w.raw)],
    );
    if (rows.length !== group.length) throw new Error(`aster_store_messages answered ${rows.length} rows for ${group.length} messages`);
    return rows.map((r) => ({ id: r.stored_id, duplicate: r.is_duplicate }));
  }
}
