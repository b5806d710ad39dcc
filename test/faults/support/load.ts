// An SMTP load generator that records, for every message, exactly what the server answered:
// `250`, a 4xx/5xx code, or nothing at all (connection refused or cut mid-transaction).
import { connect, type Socket } from 'node:net';

export type Outcome = { code: number; text: string } | { code: 0; text: string };

interface Session {
  socket: Socket;
  buffer: string;
  waiting: ((line: string | null) => void) | undefined;
}

function open(port: number): Promise<Session> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const session: Session = { socket, buffer: '', waiting: undefined };
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      session.buffer += d;
      flush(session);
    });
    socket.on('close', () => {
      const w = session.waiting;
      session.waiting = undefined;
      w?.(null);
    });
    socket.once('error', (err) => reject(err));
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      socket.on('error', () => undefined);
      resolve(session);
    });
  });
}

function flush(session: Session): void {
  const m = /^(?:\d{3}-.*\r\n)*\d{3}(?: .*)?\r\n/.exec(session.buffer);
  if (m && session.waiting) {
    session.buffer = session.buffer.slice(m[0].length);
    const w = session.waiting;
    session.waiting = undefined;
    w(m[0].trimEnd().split('\r\n').pop()!);
  }
}

function reply(session: Session, timeoutMs = 30_000): Promise<string | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      session.waiting = undefined;
      resolve(null);
    }, timeoutMs);
    session.waiting = (line) => {
      clearTimeout(timer);
      resolve(line);
    };
    flush(session);
  });
}

async function command(session: Session, line: string): Promise<string | null> {
  session.socket.write(line + '\r\n');
  return reply(session);
}

const codeOf = (line: string | null): Outcome => (line ? { code: Number(line.slice(0, 3)), text: line } : { code: 0, text: 'no answer' });

export interface LoadOptions {
  port: () => number;
  count: number;
  sessions: number;
  from: string;
  to: string;
  message: (i: number) => string;
  /** Called after each answer (e.g. to kill the server after N acceptances). */
  onOutcome?: (i: number, outcome: Outcome) => void;
  /** Pause before reconnecting after a connection failure. */
  retryPauseMs?: number;
  /** Stop taking new messages once this says so (the outcomes array is then shorter than count). */
  until?: () => boolean;
}

/** Sends `count` messages over `sessions` parallel connections; each message is tried once. */
export async function smtpLoad(options: LoadOptions): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(options.count);
  let next = 0;
  const worker = async () => {
    let session: Session | undefined;
    while (next < options.count && !options.until?.()) {
      const i = next++;
      let outcome: Outcome;
      try {
        if (!session || session.socket.destroyed) {
          session = await open(options.port());
          const greeting = await reply(session);
          if (!greeting?.startsWith('220')) throw new Error(`greeting ${greeting}`);
          const ehlo = await command(session, 'EHLO load.test');
          if (!ehlo?.startsWith('250')) throw new Error(`ehlo ${ehlo}`);
        }
        outcome = codeOf(await command(session, `MAIL FROM:<${options.from}>`));
        if (outcome.code === 250) outcome = codeOf(await command(session, `RCPT TO:<${options.to}>`));
        if (outcome.code === 250) outcome = codeOf(await command(session, 'DATA'));
        if (outcome.code === 354) {
          const body = options.message(i).replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..');
          session.socket.write(body.endsWith('\r\n') ? body : body + '\r\n');
          outcome = codeOf(await command(session, '.'));
        } else if (outcome.code !== 0) {
          await command(session, 'RSET');
        }
      } catch (err) {
        outcome = { code: 0, text: `no answer: ${err instanceof Error ? err.message : String(err)}` };
      }
      if (outcome.code === 0) {
        session?.socket.destroy();
        session = undefined;
        await new Promise((r) => setTimeout(r, options.retryPauseMs ?? 20));
      }
      outcomes[i] = outcome;
      options.onOutcome?.(i, outcome);
    }
    if (session && !session.socket.destroyed) {
      await command(session, 'QUIT').catch(() => undefined);
      session.socket.destroy();
    }
  };
  await Promise.all(Array.from({ length: options.sessions }, worker));
  return outcomes.slice(0, next);
}

export function registrarMessage(i: number, token: string): string {
  return [
    'From: Gandi <noreply@gandi.net>',
    'To: domains@notify.artsites.test',
    `Subject: Expiry reminder lindapence.com ${token}-${i}`,
    `Message-ID: <${token}-${i}@gandi.net>`,
    'Date: Wed, 25 Nov 2026 08:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Your domain lindapence.com expires on 2027-03-01. Reference ${token}-${i}.`,
    '',
  ].join('\r\n');
}
