// The way out: one pooled nodemailer transport to RELAY_URL, or, with RELAY_URL unset, an outbox
// folder of .eml files (ASTER_DATA_DIR/outbox) for trying Aster without a mail server.
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { ASTER_CONFIG } from '../../config/config.module';
import type { AsterConfig } from '../../config/config';
import { answerFromError, type RelayAnswer } from './retry';

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
  async send(id: string, envelope: OutgoingEnvelope, raw: Buffer): Promise<RelayAnswer> {
    if (!this.config.relayUrl) return this.writeToOutbox(id, raw);
    try {
      const info = (await this.relay().sendMail({ envelope: { from: envelope.from, to: envelope.to }, raw })) as { response?: string };
      return { outcome: 'sent', response: String(info.response ?? '250 accepted').replace(/\s+/g, ' ').trim() };
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

  private async writeToOutbox(id: string, raw: Buffer): Promise<RelayAnswer> {
    const dir = join(this.config.dataDir, 'outbox');
    const file = join(dir, `${id}.eml`);
    try {
      await mkdir(dir, { recursive: true });
      await writeFile(`${file}.tmp`, raw);
      await rename(`${file}.tmp`, file);
      this.logger.log(`RELAY_URL is not set: wrote ${file}`);
      return { outcome: 'sent', response: `written to ${file}` };
    } catch (err) {
      return { outcome: 'temporary', response: `could not write ${file}: ${err instanceof Error ? err.message : String(err)}` };
    }
  }
}
