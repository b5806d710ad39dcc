// Stage 1, receive: the SMTP listener. Like a well-run MX it refuses every recipient it does not
// own (550 5.1.1), never relays, offers no AUTH, refuses oversized mail (552 5.3.4), and answers
// 250 only once the store stage has committed the message; anything that stops the store from
// committing is a 451 4.3.0, so the sender retries. Its port faces the internet, so it also keeps
// the limits of smtp-limits.ts (sessions, rate, time, refused recipients, header) and offers
// STARTTLS when it has a certificate. End of data is <CRLF>.<CRLF> only: smtp-server never takes a
// bare <LF>.<LF> or <CR>.<CR> for it, so no message can be split in two (SMTP smuggling;
// test/smtp-edge.e2e-spec.ts).
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import { ASTER_CONFIG } from '../../config/config.module';
import type { AsterConfig } from '../../config/config';
import { parseDomainName, toAsciiHost } from '../../domains/domain-name';
import { DomainsService } from '../../domains/domains.service';
import { MetricsService } from '../../metrics/metrics.service';
import { BounceAddresses } from '../delivery/bounce-addresses';
import { DeliveriesService } from '../delivery/deliveries.service';
import { installGreetPause } from './greet-pause';
import { IntakePipeline } from './intake.pipeline';
import { AddressLimits, CLOSE_GRACE_MS, HEADER_LIMITS, HeaderInspector, MAX_RECIPIENTS, RecipientErrors, type HeaderProblem } from './smtp-limits';
import { MessageStore } from './store';
import { loadTlsCertificate, type TlsCertificate } from './tls-certificate';

/** An SMTP answer for smtp-server, with its enhanced status code (RFC 3463) in front of the text. */
class SmtpReply extends Error {
  constructor(
    readonly responseCode: number,
    enhancedCode: string,
    text: string,
  ) {
    super(`${enhancedCode} ${text}`);
  }
}

/** Every SMTP refusal Aster gives, in one place. */
const REPLIES = {
  notOurDomain: (address: string, mailDomain: string) =>
    new SmtpReply(550, '5.1.1', `<${address}>: relaying denied; this server only receives mail for @${mailDomain}`),
  noSuchMailbox: (address: string) => new SmtpReply(550, '5.1.1', `<${address}>: no such mailbox here`),
  lookupFailed: () => new SmtpReply(451, '4.3.0', 'Temporary local problem while checking the recipient; please try again later'),
  storeFailed: () => new SmtpReply(451, '4.3.0', 'Temporary local problem: the message could not be stored; please try again later'),
  tooBig: (limit: number) => new SmtpReply(552, '5.3.4', `Message exceeds the fixed maximum message size of ${limit} bytes`),
  tooManySessions: (limit: number) =>
    new SmtpReply(421, '4.7.0', `Too many connections from your address (at most ${limit} at a time); please try again later`),
  tooManyMessages: (limit: number, seconds: number) =>
    new SmtpReply(450, '4.7.1', `Too many messages from your address (at most ${limit} a minute); please try again in ${seconds} seconds`),
  sessionTooLong: () => new SmtpReply(421, '4.4.2', 'Session lasted too long; closing, please reconnect'),
  tooManyRefusedInSession: (limit: number) =>
    new SmtpReply(421, '4.7.0', `Too many unknown recipients in this session (${limit}); closing, please check your addresses and try again later`),
  tooManyRefusedFromAddress: (limit: number, seconds: number) =>
    new SmtpReply(
      421,
      '4.7.0',
      `Too many unknown recipients from your address (at most ${limit} an hour); closing, please try again in ${Math.ceil(seconds / 60)} minutes`,
    ),
  // RFC 5321 §4.5.3.1.7 and §4.3.2: 552 for too much data, 554 for a message refused as it is.
  header: {
    'too-large': () => new SmtpReply(552, '5.3.4', `Message header exceeds the fixed maximum of ${HEADER_LIMITS.maxBytes} bytes`),
    'too-many-fields': () => new SmtpReply(554, '5.6.0', `Message header has more than ${HEADER_LIMITS.maxFields} fields`),
    // RFC 3463 X.4.6: routing loop detected.
    'too-many-hops': () => new SmtpReply(554, '5.4.6', `Too many Received header fields (more than ${HEADER_LIMITS.maxReceived}): a mail loop`),
  } satisfies Record<HeaderProblem, () => SmtpReply>,
};

/** A reply text that opens with an enhanced status code, e.g. `4.7.1 Too many…`. */
const OWN_ENHANCED_CODE = /^[245]\.\d{1,3}\.\d{1,3} /;

type SmtpConnection = SMTPServer['connections'] extends Set<infer C> ? C : never;

/**
 * smtp-server puts in front of an application's reply the enhanced status code it derives from
 * the reply code alone (450 → 4.2.1 "mailbox disabled", 554 → 5.6.0), which would misstate why
 * Aster refuses; a reply whose text already opens with its own (SmtpReply) is sent as it is.
 */
function keepOwnEnhancedCodes(server: SMTPServer): void {
  const track = server.connections.add.bind(server.connections);
  server.connections.add = (connection: SmtpConnection) => {
    const send = connection.send.bind(connection);
    connection.send = (code, data, context) =>
      send(code, data, context === undefined && typeof data === 'string' && OWN_ENHANCED_CODE.test(data) ? false : context);
    return track(connection);
  };
}

export type RecipientKind = 'mailbox' | 'alias' | 'bounce';

/** How long a tracked domain's alias is known to exist without asking the database again. */
const ALIAS_CACHE_MS = 10_000;
/** At most this many remembered (the cache starts over when full). */
const ALIAS_CACHE_SIZE = 10_000;

@Injectable()
export class SmtpReceiver implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('SMTP');
  private server: SMTPServer | undefined;
  private readonly limits: AddressLimits;
  private readonly recipientErrors: RecipientErrors;
  /** RCPT replies being held back past the soft limit (SMTP_RCPT_ERROR_DELAY_MS), by session id. */
  private readonly heldReplies = new Map<string, NodeJS.Timeout>();
  /** Read when the app is built, before anything starts: a bad file stops Aster at once. */
  private readonly certificate: TlsCertificate | undefined;
  /** Each open session's deadline (SMTP_SESSION_TIMEOUT), by session id. */
  private readonly deadlines = new Map<string, NodeJS.Timeout>();

  constructor(
    @Inject(ASTER_CONFIG) private readonly config: AsterConfig,
    private readonly domains: DomainsService,
    private readonly store: MessageStore,
    private readonly pipeline: IntakePipeline,
    private readonly deliveries: DeliveriesService,
    private readonly bounces: BounceAddresses,
    metrics: MetricsService,
  ) {
    metrics.smtpConnections = () => this.server?.connections.size ?? 0;
    this.limits = new AddressLimits(config.smtp);
    this.recipientErrors = new RecipientErrors(config.smtp.recipientErrors);
    this.certificate = config.roles.includes('smtp') && config.smtp.tls ? loadTlsCertificate(config.smtp.tls) : undefined;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.roles.includes('smtp')) return;
    const smtp = this.config.smtp;
    installGreetPause();
    const server = new SMTPServer({
      // Read by greet-pause.ts (smtp-server ignores options it does not know).
      ...({ greetPauseMs: smtp.greetPauseMs } as Partial<SMTPServerOptions>),
      name: this.config.mailDomain,
      banner: 'Aster registrar-mail intake',
      size: this.config.maxMessageBytes,
      rejectOversized: true,
      authOptional: true,
      ...this.tlsOptions(),
      hideENHANCEDSTATUSCODES: false,
      disableReverseLookup: true,
      logger: false,
      maxClients: smtp.maxConnections,
      maxRecipients: MAX_RECIPIENTS,
      socketTimeout: smtp.idleTimeoutMs,
      closeTimeout: CLOSE_GRACE_MS,
      onConnect: (session, callback) => callback(this.admitSession(session)),
      onClose: (session) => this.endSession(session),
      onMailFrom: (_address, session, callback) => callback(this.admitTransaction(session)),
      onRcptTo: (address, session, callback) => this.admitRecipient(address, session, callback),
      onData: (stream, session, callback) => this.receive(stream, session, callback),
    });
    keepOwnEnhancedCodes(server);
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

  /** Stop accepting mail first; sessions in DATA finish (smtp-server waits CLOSE_GRACE_MS for them). */
  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    for (const timer of this.deadlines.values()) clearTimeout(timer);
    this.deadlines.clear();
    for (const timer of this.heldReplies.values()) clearTimeout(timer);
    this.heldReplies.clear();
  }

  /**
   * STARTTLS with the operator's certificate (TLS_CERT, TLS_KEY), TLS 1.2 at least; without one
   * STARTTLS is neither offered nor accepted (smtp-server's built-in certificate has expired, and its
   * key is public). AUTH never: nobody sends through Aster.
   */
  private tlsOptions(): Partial<SMTPServerOptions> {
    if (!this.certificate) return { disabledCommands: ['AUTH', 'STARTTLS'], hideSTARTTLS: true };
    return { disabledCommands: ['AUTH'], hideSTARTTLS: false, ...this.certificate, minVersion: 'TLSv1.2' };
  }

  /** Like Haraka's connect hook: one address may hold so many sessions; each session has a deadline. */
  private admitSession(session: SMTPServerSession): Error | undefined {
    // An address that has used up its unknown recipients for the hour has nothing to send but guesses.
    const guesser = this.recipientErrors.admitAddress(session.remoteAddress);
    if (!guesser.ok && guesser.reason === 'address') return REPLIES.tooManyRefusedFromAddress(guesser.limit, guesser.retryAfterSeconds);
    if (!this.limits.openSession(session.id, session.remoteAddress)) {
      return REPLIES.tooManySessions(this.config.smtp.maxConnectionsPerAddress);
    }
    this.recipientErrors.openSession(session.id);
    // The idle timeout restarts with every byte, so a client that trickles a byte at a time would
    // keep its session for ever (slowloris); the deadline does not.
    const deadline = setTimeout(() => this.expire(session.id), this.config.smtp.sessionTimeoutMs);
    deadline.unref();
    this.deadlines.set(session.id, deadline);
    return undefined;
  }

  private expire(sessionId: string): void {
    this.deadlines.delete(sessionId);
    for (const connection of this.server?.connections ?? []) {
      // 421 closes the connection; a message still arriving is not stored, and its sender retries (one
      // being committed at that very moment may be, and its resend is then stored once: store.ts).
      if (connection.session.id === sessionId) connection.send(421, REPLIES.sessionTooLong().message, false);
    }
  }

  private endSession(session: SMTPServerSession): void {
    this.limits.closeSession(session.id);
    this.recipientErrors.endSession(session.id);
    // A session closed while its reply was held back: nobody is left to answer.
    clearTimeout(this.heldReplies.get(session.id));
    this.heldReplies.delete(session.id);
    clearTimeout(this.deadlines.get(session.id));
    this.deadlines.delete(session.id);
  }

  /** Each MAIL FROM starts a transaction; an address may start so many a minute (SMTP_RATE_PER_MINUTE). */
  private admitTransaction(session: SMTPServerSession): Error | undefined {
    const admission = this.limits.startTransaction(session.remoteAddress);
    return admission.ok ? undefined : REPLIES.tooManyMessages(this.config.smtp.messagesPerMinute, admission.retryAfterSeconds);
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
    // Only a correctly signed bounce address of an existing delivery; an unsigned or wrongly signed
    // one is refused like any unknown address, before the database is asked (intake/bounce.ts).
    const bounce = await this.bounces.read(address);
    if (bounce) return bounce.signed && (await this.deliveries.exists(bounce.deliveryId)) ? 'bounce' : undefined;
    const alias = parseDomainName(local);
    if (alias.ok && (await this.isTracked(alias.name.ascii))) return 'alias';
    return undefined;
  }

  /** Tracked domains seen lately at RCPT, with when that answer goes stale (ms). */
  private readonly trackedSeen = new Map<string, number>();

  /**
   * Whether a domain is tracked, for its alias at RCPT. A yes is remembered for ALIAS_CACHE_MS, so a
   * registrar writing about one domain over and over does not cost a query per message; a no is
   * never remembered (a domain added a moment ago must get its mail). A domain deleted meanwhile is
   * still accepted for that long: routing then holds its mail as `unmatched`, nothing is lost.
   */
  private async isTracked(name: string): Promise<boolean> {
    const now = Date.now();
    if ((this.trackedSeen.get(name) ?? 0) > now) return true;
    if ((await this.domains.findByAsciiNames([name])).length === 0) return false;
    if (this.trackedSeen.size >= ALIAS_CACHE_SIZE) this.trackedSeen.clear();
    this.trackedSeen.set(name, now + ALIAS_CACHE_MS);
    return true;
  }

  /**
   * Like Postfix's smtpd_soft_error_limit, smtpd_error_sleep_time and smtpd_hard_error_limit, for
   * refused recipients only: whether an alias exists shows in the reply, so guesses are what a
   * session must not make many of. Past the soft limit every RCPT reply of the session, accepted or
   * not, waits SMTP_RCPT_ERROR_DELAY_MS on a timer (so a hit takes as long as a miss, and no
   * other session waits); past the hard limit, or the address's hourly limit, the next RCPT gets
   * 421 4.7.0 unanswered by any lookup, and the connection closes.
   */
  private admitRecipient(rcpt: SMTPServerAddress, session: SMTPServerSession, callback: (err?: Error | null) => void): void {
    const admission = this.recipientErrors.admit(session.id, session.remoteAddress);
    if (!admission.ok) {
      callback(
        admission.reason === 'session'
          ? REPLIES.tooManyRefusedInSession(admission.limit)
          : REPLIES.tooManyRefusedFromAddress(admission.limit, admission.retryAfterSeconds),
      );
      return;
    }
    this.checkRecipient(rcpt).then(
      () => this.answerRecipient(session, callback),
      (err: Error) => {
        if (err instanceof SmtpReply && err.responseCode === 550) this.recipientErrors.refused(session.id, session.remoteAddress);
        this.answerRecipient(session, callback, err);
      },
    );
  }

  private answerRecipient(session: SMTPServerSession, callback: (err?: Error | null) => void, err?: Error): void {
    const delayMs = this.recipientErrors.replyDelayMs(session.id);
    if (delayMs === 0) {
      callback(err);
      return;
    }
    const timer = setTimeout(() => {
      this.heldReplies.delete(session.id);
      callback(err);
    }, delayMs);
    timer.unref();
    this.heldReplies.set(session.id, timer);
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
    let chunks: Buffer[] = [];
    let length = 0;
    const header = new HeaderInspector();
    stream.on('data', (chunk: Buffer) => {
      if (!header.done) header.feed(chunk);
      // Past a limit, keep draining the stream (SMTP answers only after the end) but stop holding the bytes.
      if (header.problem) chunks = [];
      else if (length + chunk.length <= this.config.maxMessageBytes) chunks.push(chunk);
      length += chunk.length;
    });
    stream.once('error', (err) => callback(err));
    stream.once('end', () => {
      if (stream.sizeExceeded || length > this.config.maxMessageBytes) {
        callback(REPLIES.tooBig(this.config.maxMessageBytes));
        return;
      }
      if (header.problem) {
        callback(REPLIES.header[header.problem]());
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
