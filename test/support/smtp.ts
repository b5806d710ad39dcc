// Talking SMTP to the app under test: nodemailer for whole messages; a raw socket for the dialogue,
// which can STARTTLS mid-way and connect from a chosen local address (any 127.x.y.z on Linux), so
// that per-address limits can be seen from two addresses.
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import nodemailer from 'nodemailer';

export interface SendResult {
  ok: boolean;
  /** The server's final answer, e.g. "250 2.0.0 Ok: queued as …" or "550 5.1.1 …". */
  response: string;
  responseCode: number;
}

/** Sends raw bytes with the given envelope; resolves with the server's answer either way. */
export async function sendRaw(port: number, envelope: { from: string; to: string[] }, raw: string | Buffer): Promise<SendResult> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, name: 'mx.registrar.test' });
  try {
    const info = await transport.sendMail({ envelope, raw });
    return { ok: true, response: info.response, responseCode: Number(info.response.slice(0, 3)) };
  } catch (err) {
    const e = err as { response?: string; responseCode?: number; message: string };
    return { ok: false, response: e.response ?? e.message, responseCode: e.responseCode ?? 0 };
  } finally {
    transport.close();
  }
}

/** An SMTP dialogue over a socket that may be upgraded to TLS; replies are read whole, by code. */
export class RawSmtp {
  private buffer = '';
  private waiters: (() => void)[] = [];
  private closed = false;
  private constructor(private socket: Socket | TLSSocket) {
    this.listen(socket);
  }

  static async open(port: number, options: { localAddress?: string } = {}): Promise<{ smtp: RawSmtp; greeting: string }> {
    const socket = connectTcp({ port, host: '127.0.0.1', localAddress: options.localAddress });
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const smtp = new RawSmtp(socket);
    return { smtp, greeting: await smtp.reply() };
  }

  private listen(socket: Socket | TLSSocket): void {
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      this.buffer += d;
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  private wake(): void {
    this.waiters.splice(0).forEach((w) => w());
  }

  /** Whether the server has closed the connection. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** The next complete reply (all lines of a multi-line reply). */
  async reply(timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = /^(?:\d{3}-.*\r\n)*\d{3}(?: .*)?\r\n/.exec(this.buffer);
      if (m) {
        this.buffer = this.buffer.slice(m[0].length);
        return m[0].trimEnd();
      }
      if (this.closed) throw new Error(`connection closed; buffer: ${JSON.stringify(this.buffer)}`);
      if (Date.now() > deadline) throw new Error(`no SMTP reply; buffer: ${JSON.stringify(this.buffer)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, deadline - Date.now());
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Resolves once the server has closed the connection (or fails after the timeout). */
  async closedByServer(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('the server kept the connection open');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, deadline - Date.now());
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async command(line: string): Promise<string> {
    this.socket.write(line + '\r\n');
    return this.reply();
  }

  write(data: string | Buffer): void {
    this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  /** After a 220 to STARTTLS: the TLS handshake on the same socket, checking the certificate against `ca`. */
  async upgrade(ca: Buffer): Promise<TLSSocket> {
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('close');
    this.buffer = '';
    const secure = connectTls({ socket: plain, ca, servername: 'localhost' });
    await new Promise<void>((resolve, reject) => secure.once('secureConnect', resolve).once('error', reject));
    this.socket = secure;
    this.listen(secure);
    return secure;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Polls until `check` returns a value that is not undefined (no fixed sleeps in tests). */
export async function waitFor<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
