// The SMTP load generator that drives Aster and Postfix alike: N sessions, each one TCP connection
// (greeting and EHLO once) reused for message after message — MAIL, RCPT, DATA, the bytes, the
// final dot — with no pipelining, sending the next message as soon as the previous one is
// answered (a closed loop). For every message it records when MAIL FROM was written, when the
// final dot was written and when the answer came, so it reports per-message latency (which
// Postfix's smtp-source does not).
import { connect, type Socket } from 'node:net';
import { now } from './stats';

export interface OutgoingMessage {
  token: string;
  from: string;
  to: string;
  /** The message, CRLF line ends, ending with CRLF, no line starting with a dot. */
  raw: Buffer;
}

export interface SentMessage {
  token: string;
  /** MAIL FROM written. */
  startedAt: number;
  /** Final dot written. */
  dataEndAt: number;
  /** The final answer read. */
  answeredAt: number;
  code: number;
  reply: string;
}

export interface LoadResult {
  sessions: number;
  sent: SentMessage[];
  /** First MAIL FROM of the run to the last answer. */
  startedAt: number;
  endedAt: number;
  errors: string[];
}

/** One SMTP connection read reply by reply. */
export class SmtpConnection {
  private buffer = '';
  private waiter: (() => void) | undefined;
  private closed: Error | undefined;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.setNoDelay(true);
    socket.on('data', (d: string) => {
      this.buffer += d;
      this.wake();
    });
    socket.on('error', (err) => {
      this.closed = err;
      this.wake();
    });
    socket.on('close', () => {
      this.closed ??= new Error('connection closed');
      this.wake();
    });
  }

  static open(port: number, host = '127.0.0.1'): Promise<SmtpConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, host);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new SmtpConnection(socket));
      });
      socket.once('error', reject);
    });
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  /** The next complete reply (every line of a multi-line one). */
  async reply(timeoutMs = 120_000): Promise<{ code: number; text: string }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = /^(?:\d{3}-[^\r\n]*\r\n)*(\d{3})(?: [^\r\n]*)?\r\n/.exec(this.buffer);
      if (m) {
        this.buffer = this.buffer.slice(m[0].length);
        return { code: Number(m[1]), text: m[0].trimEnd() };
      }
      if (this.closed) throw this.closed;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no SMTP reply within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  async command(line: string, expect: number): Promise<{ code: number; text: string }> {
    this.socket.write(`${line}\r\n`);
    const r = await this.reply();
    if (r.code !== expect) throw new Error(`${line.split(' ')[0]}: ${r.text}`);
    return r;
  }

  async greet(helo: string): Promise<void> {
    const banner = await this.reply();
    if (banner.code !== 220) throw new Error(`greeting: ${banner.text}`);
    await this.command(`EHLO ${helo}`, 250);
  }

  async quit(): Promise<void> {
    try {
      this.socket.write('QUIT\r\n');
      await this.reply(2000);
    } catch {
      // closing anyway
    }
    this.socket.destroy();
  }

  destroy(): void {
    this.socket.destroy();
  }
}

const END_OF_DATA = Buffer.from('.\r\n');

/** Sends one message on an open, greeted connection; never throws for an SMTP refusal. */
export async function sendOne(c: SmtpConnection, m: OutgoingMessage): Promise<SentMessage> {
  const startedAt = now();
  const fail = (code: number, reply: string, at = now()): SentMessage => ({ token: m.token, startedAt, dataEndAt: at, answeredAt: at, code, reply });
  c.write(`MAIL FROM:<${m.from}>\r\n`);
  let r = await c.reply();
  if (r.code !== 250) return fail(r.code, r.text);
  c.write(`RCPT TO:<${m.to}>\r\n`);
  r = await c.reply();
  if (r.code !== 250) {
    await c.command('RSET', 250);
    return fail(r.code, r.text);
  }
  c.write('DATA\r\n');
  r = await c.reply();
  if (r.code !== 354) return fail(r.code, r.text);
  c.write(m.raw);
  c.write(END_OF_DATA);
  const dataEndAt = now();
  r = await c.reply();
  return { token: m.token, startedAt, dataEndAt, answeredAt: now(), code: r.code, reply: r.text };
}

/**
 * Sends `count` messages over `sessions` connections; `message(i)` builds the i-th. Connections are
 * opened and greeted before the clock starts.
 */
export async function runLoad(options: { port: number; sessions: number; count: number; message: (i: number) => OutgoingMessage }): Promise<LoadResult> {
  const connections = await Promise.all(
    Array.from({ length: options.sessions }, async () => {
      const c = await SmtpConnection.open(options.port);
      await c.greet('mx.registrar-bench.test');
      return c;
    }),
  );
  const sent: SentMessage[] = [];
  const errors: string[] = [];
  let next = 0;
  const startedAt = now();
  await Promise.all(
    connections.map(async (c) => {
      while (next < options.count) {
        const i = next++;
        const m = options.message(i);
        try {
          sent.push(await sendOne(c, m));
        } catch (err) {
          errors.push(`${m.token}: ${err instanceof Error ? err.message : String(err)}`);
          return;
        }
      }
    }),
  );
  const endedAt = now();
  await Promise.all(connections.map((c) => c.quit()));
  return { sessions: options.sessions, sent, startedAt, endedAt, errors };
}
