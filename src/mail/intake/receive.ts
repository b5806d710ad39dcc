// Stage 1, receive: the SMTP listener. Like a well-run MX it refuses every recipient it does not
// own (550 5.1.1), never relays, offers no AUTH, refuses oversized mail (552 5.3.4), and answers
// 250 only once the store stage has committed the message; anything that stops the store from
// committing is a 451 4.3.0, so the sender retries.
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { ASTER_CONFIG } from '../../config/config.module';
import type { AsterConfig } from '../../config/config';
import { parseDomainName, toAsciiHost } from '../../domains/domain-name';
import { DomainsService } from '../../domains/domains.service';
import { DeliveriesService } from '../delivery/deliveries.service';
import { bounceDeliveryId } from './bounce';
import { IntakePipeline } from './intake.pipeline';
import { MessageStore } from './store';

/** An SMTP answer for smtp-server: it adds the enhanced status code that goes with `code`. */
class SmtpReply extends Error {
  constructor(
    readonly responseCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** Every SMTP refusal Aster gives, in one place. */
const REPLIES = {
  notOurDomain: (address: string, mailDomain: string) =>
    new SmtpReply(550, `<${address}>: relaying denied; this server only receives mail for @${mailDomain}`),
  noSuchMailbox: (address: string) => new SmtpReply(550, `<${address}>: no such mailbox here`),
  lookupFailed: () => new SmtpReply(451, 'Temporary local problem while checking the recipient; please try again later'),
  storeFailed: () => new SmtpReply(451, 'Temporary local problem: the message could not be stored; please try again later'),
  tooBig: (limit: number) => new SmtpReply(552, `Message exceeds the fixed maximum message size of ${limit} bytes`),
};

export type RecipientKind = 'mailbox' | 'alias' | 'bounce';

@Injectable()
export class SmtpReceiver implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('SMTP');
  private server: SMTPServer | undefined;

  constructor(
    @Inject(ASTER_CONFIG) private readonly config: AsterConfig,
    private readonly domains: DomainsService,
    private readonly store: MessageStore,
    private readonly pipeline: IntakePipeline,
    private readonly deliveries: DeliveriesService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.roles.includes('smtp')) return;
    const server = new SMTPServer({
      name: this.config.mailDomain,
      banner: 'Aster registrar-mail intake',
      size: this.config.maxMessageBytes,
      rejectOversized: true,
      authOptional: true,
      // No AUTH ever; STARTTLS only with a real certificate (smtp-server's built-in one has expired).
      disabledCommands: ['AUTH', 'STARTTLS'],
      hideSTARTTLS: true,
      hideENHANCEDSTATUSCODES: false,
      disableReverseLookup: true,
      logger: false,
      onRcptTo: (address, _session, callback) => {
        this.checkRecipient(address).then(() => callback(), (err: Error) => callback(err));
      },
      onData: (stream, session, callback) => this.receive(stream, session, callback),
    });
    server.on('error', (err) => this.logger.error(`SMTP server error: ${err.message}`));
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(this.config.smtp.port, this.config.smtp.host, () => {
        server.server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const { port } = this.address()!;
    this.logger.log(`SMTP intake on ${this.config.smtp.host}:${port} for @${this.config.mailDomain}`);
  }

  /** Stop accepting mail first; sessions in DATA finish (smtp-server waits for them). */
  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Where the listener is bound (the real port when SMTP_PORT=0). */
  address(): AddressInfo | undefined {
    const a = this.server?.server.address();
    return a && typeof a === 'object' ? a : undefined;
  }

  /** Like Haraka's rcpt hook: refused unless something explicitly accepts the address. */
  async recipientKind(address: string): Promise<RecipientKind | undefined> {
    const at = address.lastIndexOf('@');
    if (at <= 0 || toAsciiHost(address.slice(at + 1)) !== this.config.mailDomain) return undefined;
    const local = address.slice(0, at).toLowerCase();
    if (local === this.config.adminMailbox) return 'mailbox';
    const bounce = bounceDeliveryId(address.toLowerCase(), this.config.mailDomain);
    if (bounce) return (await this.deliveries.exists(bounce)) ? 'bounce' : undefined;
    const alias = parseDomainName(local);
    if (alias.ok && (await this.domains.findByAsciiNames([alias.name.ascii])).length > 0) return 'alias';
    return undefined;
  }

  private async checkRecipient(rcpt: SMTPServerAddress): Promise<void> {
    const address = rcpt.address;
    const at = address.lastIndexOf('@');
    if (at <= 0 || toAsciiHost(address.slice(at + 1)) !== this.config.mailDomain) {
      throw REPLIES.notOurDomain(address, this.config.mailDomain);
    }
    let kind: RecipientKind | undefined;
    try {
      kind = await this.recipientKind(address);
    } catch (err) {
      this.logger.error(`recipient lookup failed: ${err instanceof Error ? err.message : String(err)}`);
      throw REPLIES.lookupFailed();
    }
    if (!kind) throw REPLIES.noSuchMailbox(address);
  }

  private receive(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null, message?: string) => void): void {
    const chunks: Buffer[] = [];
    let length = 0;
    stream.on('data', (chunk: Buffer) => {
      // Past the limit, keep draining the stream but stop holding the bytes.
      if (length + chunk.length <= this.config.maxMessageBytes) chunks.push(chunk);
      length += chunk.length;
    });
    stream.once('error', (err) => callback(err));
    stream.once('end', () => {
      if (stream.sizeExceeded || length > this.config.maxMessageBytes) {
        callback(REPLIES.tooBig(this.config.maxMessageBytes));
        return;
      }
      const mailFrom = session.envelope.mailFrom;
      const envelope = {
        from: mailFrom ? mailFrom.address.toLowerCase() : '',
        to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
        remoteAddress: session.remoteAddress ?? null,
        helo: session.hostNameAppearsAs ?? null,
      };
      this.store.store(envelope, Buffer.concat(chunks, length)).then(
        (stored) => {
          callback(null, `Ok: queued as ${stored.id}${stored.duplicate ? ' (already received)' : ''}`);
          if (!stored.duplicate) this.pipeline.nudge();
        },
        (err: unknown) => {
          this.logger.error(`store failed: ${err instanceof Error ? err.message : String(err)}`);
          callback(REPLIES.storeFailed());
        },
      );
    });
  }
}
