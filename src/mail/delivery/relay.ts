// The way out: one pooled nodemailer transport to RELAY_URL, or, with RELAY_URL unset, an outbox
// folder of .eml files (ASTER_DATA_DIR/outbox) for trying Aster without a mail server.
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, pipeline, type Readable } from 'node:stream';
import nodemailer, { type Transporter } from 'nodemailer';
import { ASTER_CONFIG } from '../../config/config.module';
import type { AsterConfig } from '../../config/config';
import { answerFromError, type RelayAnswer } from './retry';

/** A letter: whole, or a stream read once (a forward, which carries the original; letters.ts). */
export type LetterBytes = Buffer | Readable;

/**
 * A letter stream nodemailer may read only once. nodemailer's pool sends a message again over
 * another connection when the first was found closed before a byte went out; by then it has
 * already started reading the stream, and a second read would continue where the first stopped.
 * So a second read fails the attempt (ESTREAM, `temporary`) and the delivery is retried later
 * with a freshly composed letter.
 */
class ReadOnce extends PassThrough {
  private piped = false;

  override pipe<T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T {
    if (this.piped) {
      this.destroy(Object.assign(new Error('the letter stream was already read once; the next attempt composes it again'), { code: 'ESTREAM' }));
      return destination;
    }
    this.piped = true;
    return super.pipe(destination, options);
  }
}

export function readOnce(letter: Readable): Readable {
  const once = new ReadOnce();
  pipeline(letter, once, () => undefined); // errors reach `once`; destroying `once` stops the letter
  return once;
}

export interface OutgoingEnvelope {
  /** The per-delivery bounce address. */
  from: string;
  to: string;
}

@Injectable()
export class Relay implements OnApplicationShutdown {
  private readonly logger = new Logger('Relay');
  private transport: Transporter | undefined;

  constructor(@Inject(ASTER_CONFIG) private readonly config: AsterConfig) {}

  onApplicationShutdown(): void {
    this.transport?.close();
  }

  /** Hands one letter to the relay (or the outbox); never throws: the answer says what happened. */
  async send(id: string, envelope: OutgoingEnvelope, raw: LetterBytes): Promise<RelayAnswer> {
    if (!this.config.relayUrl) return this.writeToOutbox(id, raw);
    try {
      const message = Buffer.isBuffer(raw) ? raw : readOnce(raw);
      const info = (await this.relay().sendMail({ envelope: { from: envelope.from, to: envelope.to }, raw: message })) as { response?: string };
      return {
        outcome: 'sent',
        response: String(info.response ?? '250 accepted')
          .replace(/\s+/g, ' ')
          .trim(),
      };
    } catch (err) {
      return answerFromError(err);
    }
  }

  private relay(): Transporter {
    if (!this.transport) {
      const url = new URL(this.config.relayUrl!);
      const secure = url.protocol === 'smtps:';
      this.transport = nodemailer.createTransport({
        host: url.hostname.replace(/^\[|\]$/g, ''),
        port: Number(url.port) || (secure ? 465 : 25),
        secure,
        auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
        pool: true,
        maxConnections: 4,
        maxMessages: 500,
        name: this.config.mailDomain,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        // Inactivity, not total time; keep connection + greeting + socket below DELIVER_QUEUE's expiry.
        socketTimeout: 30_000,
      });
    }
    return this.transport;
  }

  private async writeToOutbox(id: string, raw: LetterBytes): Promise<RelayAnswer> {
    const dir = join(this.config.dataDir, 'outbox');
    const file = join(dir, `${id}.eml`);
    try {
      await mkdir(dir, { recursive: true });
      await writeFile(`${file}.tmp`, raw); // a stream is written as it is read
      await rename(`${file}.tmp`, file);
      this.logger.log(`RELAY_URL is not set: wrote ${file}`);
      return { outcome: 'sent', response: `written to ${file}` };
    } catch (err) {
      if (!Buffer.isBuffer(raw)) raw.destroy();
      return { outcome: 'temporary', response: `could not write ${file}: ${err instanceof Error ? err.message : String(err)}` };
    }
  }
}
