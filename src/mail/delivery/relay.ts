// The way out. RELAY_URL unset: an outbox folder of .eml files (ASTER_DATA_DIR/outbox) for trying
// Aster without a mail server. A plain smtp:// relay without credentials: nodemailer's own SMTP
// client (lib/smtp-connection) on a few sessions kept open and reused letter after letter
// (RelaySessions). smtps:// or credentials in the URL: nodemailer's pooled transport.
//
// Why not the pooled transport for every relay: both pipeline MAIL, RCPT and DATA in one write
// when the relay offers PIPELINING (RFC 2920; nodemailer's smtp-connection does it either way),
// but the transport wraps each letter in a Mail object and a MimeNode that streams the raw bytes
// through two more transforms, and that cost two to three times the CPU of the SMTP exchange
// itself (issue 15; bench/experiments/relay-pipelining.ts measures it).
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, pipeline, type Readable } from 'node:stream';
import nodemailer, { type Transporter } from 'nodemailer';
import { normalizeDomain } from 'nodemailer/lib/shared';
import SMTPConnection, { type SMTPConnectionOptions } from 'nodemailer/lib/smtp-connection';
import { ASTER_CONFIG } from '../../config/config.module';
import type { AsterConfig } from '../../config/config';
import { answerFromError, type RelayAnswer } from './retry';

/** A letter: whole, or a stream read once (a forward, which carries the original; letters.ts). */
export type LetterBytes = Buffer | Readable;

/**
 * A letter stream the pooled transport may read only once. nodemailer's pool sends a message
 * again over another connection when the first was found closed before a byte went out; by then
 * it has already started reading the stream, and a second read would continue where the first
 * stopped.
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

/** Inactivity, not total time; keep connection + greeting + socket below DELIVER_QUEUE's expiry. */
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as const;
/** Sessions open to the relay at most, and letters per session before it is ended and another opened. */
const MAX_SESSIONS = 4;
const MAX_LETTERS_PER_SESSION = 500;

@Injectable()
export class Relay implements OnApplicationShutdown {
  private readonly logger = new Logger('Relay');
  private transport: Transporter | undefined;
  private sessions: RelaySessions | undefined;

  constructor(@Inject(ASTER_CONFIG) private readonly config: AsterConfig) {}

  onApplicationShutdown(): void {
    this.transport?.close();
    this.sessions?.close();
  }

  /** Hands one letter to the relay (or the outbox); never throws: the answer says what happened. */
  async send(id: string, envelope: OutgoingEnvelope, raw: LetterBytes): Promise<RelayAnswer> {
    if (!this.config.relayUrl) return this.writeToOutbox(id, raw);
    try {
      const url = new URL(this.config.relayUrl);
      const plain = url.protocol === 'smtp:' && !url.username;
      const response = plain ? await this.relaySessions(url).send(envelope, raw) : await this.sendByTransport(url, envelope, raw);
      return { outcome: 'sent', response: oneLine(response ?? '250 accepted') };
    } catch (err) {
      if (!Buffer.isBuffer(raw)) raw.destroy(); // a letter never read (no session, envelope refused) stops its composer
      return answerFromError(err);
    }
  }

  private relaySessions(url: URL): RelaySessions {
    this.sessions ??= new RelaySessions({ host: hostOf(url), port: Number(url.port) || 25, name: this.config.mailDomain, ...TIMEOUTS });
    return this.sessions;
  }

  private async sendByTransport(url: URL, envelope: OutgoingEnvelope, raw: LetterBytes): Promise<string | undefined> {
    if (!this.transport) {
      const secure = url.protocol === 'smtps:';
      this.transport = nodemailer.createTransport({
        host: hostOf(url),
        port: Number(url.port) || (secure ? 465 : 25),
        secure,
        auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
        pool: true,
        maxConnections: MAX_SESSIONS,
        maxMessages: MAX_LETTERS_PER_SESSION,
        name: this.config.mailDomain,
        ...TIMEOUTS,
      });
    }
    const message = Buffer.isBuffer(raw) ? raw : readOnce(raw);
    const info = (await this.transport.sendMail({ envelope: { from: envelope.from, to: envelope.to }, raw: message })) as { response?: string };
    return info.response;
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

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * An envelope address as nodemailer's transport writes it (MimeNode._normalizeAddress): an
 * internationalised domain as its A-label (punycode) when the local part is ASCII, kept in UTF-8
 * when the local part needs SMTPUTF8 anyway. Contacts' addresses may carry either (IsEmail).
 */
function envelopeAddress(address: string): string {
  if (!/[^\p{ASCII}]/u.test(address)) return address;
  const at = address.lastIndexOf('@');
  if (at < 0) return address;
  const local = address.slice(0, at);
  return `${local}@${normalizeDomain(address.slice(at + 1), /[^\p{ASCII}]/u.test(local))}`;
}

interface Session {
  connection: SMTPConnection;
  letters: number;
  /** The relay or the network ended it, or Aster is shutting down: not to be used again. */
  ended: boolean;
  /** Called once when it ends: a reset waiting for its reply learns that none will come. */
  onEnd?: () => void;
}

/**
 * Up to MAX_SESSIONS SMTP sessions to one relay, each greeted once and then given letter after
 * letter (nodemailer's smtp-connection does the SMTP: PIPELINING when offered, STARTTLS when
 * offered, dot-stuffing and CRLF, the replies, the timeouts). What the pooled transport did
 * between letters is done here the same way (nodemailer's pool-resource.js): after a refused
 * letter the session is reset (RSET) and reused; after anything else (a lost connection, a
 * timeout, a letter stream that failed halfway, a 421) it is closed and a new one opened for the
 * next letter. Unlike that pool, a letter is never sent a second time over another session: a
 * session the relay closed while idle is noticed ('end') and dropped, and a letter that meets a
 * session closing at that very moment gets a temporary answer and is retried by the queue.
 * An idle session ends after TIMEOUTS.socketTimeout without traffic (nodemailer's socket timeout).
 */
class RelaySessions {
  private readonly idle: Session[] = [];
  private readonly waiting: { resolve(session: Session): void; reject(err: unknown): void }[] = [];
  /** Sessions open or being opened. */
  private count = 0;
  private closed = false;

  constructor(private readonly options: SMTPConnectionOptions) {}

  /** The relay's final answer to the letter; throws nodemailer's error (read by answerFromError). */
  async send(envelope: OutgoingEnvelope, letter: LetterBytes): Promise<string> {
    const session = await this.acquire();
    try {
      const info = await new Promise<{ response: string }>((resolve, reject) =>
        session.connection.send({ from: envelopeAddress(envelope.from), to: [envelopeAddress(envelope.to)] }, letter, (err, sent) =>
          err ? reject(err) : resolve(sent),
        ),
      );
      session.letters++;
      this.release(session);
      return info.response;
    } catch (err) {
      await this.afterFailure(session, err as { code?: string; responseCode?: number });
      throw err;
    }
  }

  close(): void {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) waiter.reject(Object.assign(new Error('Aster is shutting down'), { code: 'ECONNECTION' }));
    for (const session of this.idle.splice(0)) this.end(session, 'quit');
  }

  private acquire(): Promise<Session> {
    if (this.closed) return Promise.reject(Object.assign(new Error('Aster is shutting down'), { code: 'ECONNECTION' }));
    const session = this.idle.pop();
    if (session) return Promise.resolve(session);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.openForWaiting();
    });
  }

  /** Opens a session when letters wait and there is room; the first waiting letter gets it, or its error. */
  private openForWaiting(): void {
    if (this.closed || this.waiting.length === 0 || this.count >= MAX_SESSIONS) return;
    this.count++;
    const session: Session = { connection: new SMTPConnection(this.options), letters: 0, ended: false };
    let greeted = false;
    const failed = (err: unknown) => {
      if (greeted) return this.end(session, 'close');
      greeted = true; // settled: the error goes to one letter only
      this.end(session, 'close');
      this.waiting.shift()?.reject(err);
    };
    // smtp-connection reports a failure to connect either to connect()'s callback (a connection
    // closed before the greeting) or as 'error' (refused, timed out, a 421 greeting). Later, an
    // 'error' with no letter in flight (an idle session's timeout) only ends the session; during
    // a letter it reaches that letter's send() callback too.
    session.connection.on('error', failed);
    session.connection.once('end', () => failed(Object.assign(new Error('Connection closed before the greeting'), { code: 'ECONNECTION' })));
    session.connection.connect((err) => {
      if (err) return failed(err);
      if (greeted) return;
      greeted = true;
      this.release(session);
    });
  }

  private release(session: Session): void {
    if (session.ended) return;
    if (this.closed || session.letters >= MAX_LETTERS_PER_SESSION) return this.end(session, 'quit');
    const waiter = this.waiting.shift();
    if (waiter) waiter.resolve(session);
    else this.idle.push(session);
  }

  /**
   * As pool-resource.js: a letter the relay refused leaves a session to reset (RSET) and reuse;
   * anything else ends it. The answer waits for the reset (one round trip), so the next letter
   * finds the session ready instead of opening another.
   */
  private async afterFailure(session: Session, err: { code?: string; responseCode?: number }): Promise<void> {
    if (session.ended) return;
    if ((err.code !== 'EENVELOPE' && err.code !== 'EMESSAGE') || err.responseCode === 421) return this.end(session, 'close');
    const reset = await new Promise<boolean>((resolve) => {
      session.onEnd = () => resolve(false);
      session.connection.reset((resetErr) => resolve(!resetErr));
    });
    session.onEnd = undefined;
    if (reset) this.release(session);
    else this.end(session, 'close');
  }

  private end(session: Session, how: 'quit' | 'close'): void {
    if (session.ended) return;
    session.ended = true;
    this.count--;
    const idleAt = this.idle.indexOf(session);
    if (idleAt >= 0) this.idle.splice(idleAt, 1);
    if (how === 'quit') session.connection.quit();
    else session.connection.close();
    session.onEnd?.();
    this.openForWaiting();
  }
}
