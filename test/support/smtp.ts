// Talking SMTP to the app under test: nodemailer for whole messages, a raw socket for the dialogue.
import { connect, type Socket } from 'node:net';
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

/** A line-by-line SMTP dialogue over a plain socket, for checking each answer by code. */
export class SmtpDialogue {
  private buffer = '';
  private waiters: (() => void)[] = [];
  private constructor(private readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      this.buffer += d;
      this.waiters.splice(0).forEach((w) => w());
    });
  }

  static async open(port: number): Promise<{ dialogue: SmtpDialogue; greeting: string }> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const dialogue = new SmtpDialogue(socket);
    return { dialogue, greeting: await dialogue.reply() };
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

  async command(line: string): Promise<string> {
    this.socket.write(line + '\r\n');
    return this.reply();
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
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
