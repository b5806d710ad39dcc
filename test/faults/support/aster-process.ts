// Aster as a separate process (node dist/src/main.js), the way it runs in production, so a test can
// kill -9 it, restart it, or run two of them on one database.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const ADMIN_TOKEN = 'fault-test-admin-token-0123456789';
const MAIN = join(__dirname, '..', '..', '..', 'dist', 'src', 'main.js');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      server.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

export interface AsterProcess {
  child: ChildProcess;
  httpPort: number;
  smtpPort: number;
  /** Everything the process wrote, for the failure message of a test. */
  output: () => string;
  /** Signals the main process; SIGKILL also kills its worker processes at the same moment (a crash of the host). */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** The worker processes the main process runs (ASTER_WORKER_PROCESSES). */
  workerPids(): number[];
  api(path: string, init?: RequestInit): Promise<Response>;
}

/** Child processes of `pid` (Linux /proc). */
export function childPids(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

/** A start that failed because a port was taken between freePort() and Aster's listen(). */
class PortTaken extends Error {}

/**
 * Starts Aster on the given ports, or on free ones. A port found free can be taken by another
 * process before Aster binds it (CI went red once on `EADDRINUSE` while other work ran): then it
 * starts again on fresh ports, and updates `ports` so a caller that restarts on "the same" ports
 * (the kill test) follows. A second start on given ports first waits for them to come free.
 */
export async function startAster(env: Record<string, string>, ports?: { httpPort: number; smtpPort: number }): Promise<AsterProcess> {
  for (let attempt = 1; ; attempt++) {
    const httpPort = ports && attempt <= 3 ? ports.httpPort : await freePort();
    const smtpPort = ports && attempt <= 3 ? ports.smtpPort : await freePort();
    try {
      const aster = await startOn(env, httpPort, smtpPort);
      if (ports) Object.assign(ports, { httpPort, smtpPort });
      return aster;
    } catch (err) {
      if (!(err instanceof PortTaken) || attempt >= 8) throw err;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

async function startOn(env: Record<string, string>, httpPort: number, smtpPort: number): Promise<AsterProcess> {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH,
      HTTP_PORT: String(httpPort),
      SMTP_PORT: String(smtpPort),
      ADMIN_TOKEN,
      LOG_LEVEL: 'warn',
      SENDER_VERIFICATION: 'off',
      MAIL_DOMAIN: 'notify.artsites.test',
      DELIVERY_FIRST_RETRY: '1s',
      // The load comes from one address (loopback): lift the per-address limits meant for the internet.
      SMTP_RATE_PER_MINUTE: '1000000',
      SMTP_MAX_CONNECTIONS_PER_ADDRESS: '200',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  child.stderr.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`http://127.0.0.1:${httpPort}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
    });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      if (/EADDRINUSE/.test(output)) throw new PortTaken(`a port was taken: ${httpPort}/${smtpPort}`);
      throw new Error(`aster exited with ${child.exitCode}:\n${output}`);
    }
    const ok = await api('/api/health').then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`aster did not become healthy:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    httpPort,
    smtpPort,
    output: () => output,
    api,
    workerPids: () => childPids(child.pid!),
    kill: async (signal) => {
      const workers = signal === 'SIGKILL' ? childPids(child.pid!) : [];
      if (child.exitCode === null) child.kill(signal);
      for (const pid of workers) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await exited;
    },
  };
}
