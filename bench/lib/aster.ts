// Aster as the bench runs it: a separate process (`node dist/src/main.js`) on a fresh database of
// the bench's PostgreSQL (lib/pg-cluster.ts), stopped with SIGTERM; plus the few API calls the bench makes
// (the portfolio, and its own count of messages and deliveries).
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { childPids } from './proc';

export const ROOT = join(__dirname, '..', '..');
export const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';

export function databaseUrl(base: string, name: string): string {
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function withAdmin<T>(base: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: databaseUrl(base, 'postgres') });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export interface AsterOptions {
  databaseUrl: string;
  smtpPort: number;
  httpPort: number;
  relayUrl: string;
  dataDir: string;
  logFile: string;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeFlags?: string[];
  env?: Record<string, string>;
}

/**
 * The environment of the benchmarked process. All load comes from one loopback address, so the
 * per-address limits of the SMTP and HTTP edges (which a real MX applies to each registrar's
 * address) are lifted; Postfix's equivalents (anvil) do not apply to $mynetworks either.
 */
export const BENCH_ENV: Record<string, string> = {
  LOG_LEVEL: 'warn',
  SENDER_VERIFICATION: 'off',
  SMTP_MAX_CONNECTIONS: '5000',
  SMTP_MAX_CONNECTIONS_PER_ADDRESS: '5000',
  SMTP_RATE_PER_MINUTE: '1000000000',
  // The soak holds its sessions for 30 minutes; Aster's 10-minute session deadline (a slowloris
  // guard) would cut each with a 421 that the generator does not retry.
  SMTP_SESSION_TIMEOUT: '2h',
  HTTP_RATE_PER_MINUTE: '1000000000',
  HTTP_TOKEN_RATE_PER_MINUTE: '1000000000',
};

/** A start that failed because a port was taken between choosing it and Aster's listen() (EADDRINUSE). */
export class PortTaken extends Error {}

export class AsterProcess {
  private constructor(
    readonly child: ChildProcess,
    readonly options: AsterOptions,
  ) {}

  get pid(): number {
    return this.child.pid!;
  }

  /** Its worker processes (ASTER_WORKER_PROCESSES), which route and deliver. */
  workerPids(): number[] {
    return childPids(this.pid);
  }

  /** The main process and its worker processes. */
  pids(): number[] {
    return [this.pid, ...this.workerPids()];
  }

  get api(): string {
    return `http://127.0.0.1:${this.options.httpPort}`;
  }

  static async start(options: AsterOptions): Promise<AsterProcess> {
    const log = createWriteStream(options.logFile, { flags: 'a' });
    const child = spawn(process.execPath, [...(options.nodeFlags ?? []), join(ROOT, 'dist', 'src', 'main.js')], {
      cwd: options.dataDir,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: options.databaseUrl,
        ASTER_DATA_DIR: options.dataDir,
        SMTP_PORT: String(options.smtpPort),
        HTTP_PORT: String(options.httpPort),
        RELAY_URL: options.relayUrl,
        ADMIN_TOKEN,
        ...BENCH_ENV,
        // Aster's own default unless the bench is asked for another (BENCH_WORKER_PROCESSES=2).
        ...(process.env.BENCH_WORKER_PROCESSES ? { ASTER_WORKER_PROCESSES: process.env.BENCH_WORKER_PROCESSES } : {}),
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    // This start's own output (the log file is appended to across starts), to tell a port taken.
    let output = '';
    const keep = (d: Buffer) => (output = (output + d.toString()).slice(-20_000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const aster = new AsterProcess(child, options);
    let exited: string | undefined;
    child.once('exit', (code, signal) => (exited = `exited with ${code ?? signal}`));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (exited) {
        if (/EADDRINUSE/.test(output)) throw new PortTaken(`a port was taken: SMTP ${options.smtpPort}, HTTP ${options.httpPort}`);
        throw new Error(`Aster ${exited} while starting; see ${options.logFile}`);
      }
      try {
        const res = await fetch(`${aster.api}/api/health`);
        if (res.ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`Aster did not answer /api/health within 60 s; see ${options.logFile}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return aster;
  }

  /** SIGTERM, then wait for the exit (the CPU profile, if any, is written then). */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.api}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts Aster on `options`' ports, or on fresh ones (`freshPorts`). A port found free can be taken
 * by another process before Aster binds it (EADDRINUSE): then it starts again on fresh ports, and
 * `options` follows (a restart reuses them).
 */
export async function startAster(options: AsterOptions, freshPorts: boolean, log: (line: string) => void): Promise<AsterProcess> {
  for (let attempt = 1; ; attempt++) {
    if (freshPorts || attempt > 1) {
      options.smtpPort = await freePort();
      options.httpPort = await freePort();
    }
    try {
      return await AsterProcess.start(options);
    } catch (err) {
      if (!(err instanceof PortTaken) || attempt >= 5) throw err;
      log(`${err.message}; starting again on fresh ports`);
    }
  }
}

/**
 * The bench's portfolio, through the API: `clients` clients with one notice-receiving contact each
 * (contact-<c>@client-bench.test) and `domains` tracked domains artsite-<d>.com, domain d belonging
 * to client d mod `clients`. Returns the domain names in order of d.
 */
export async function createPortfolio(aster: AsterProcess, clients: number, domains: number): Promise<string[]> {
  const names: string[] = [];
  for (let c = 0; c < clients; c++) {
    const client = await aster.call<{ id: string }>('POST', '/api/clients', {
      name: `Bench Studio ${c}`,
      contacts: [{ name: `Contact ${c}`, email: `contact-${c}@client-bench.test` }],
    });
    for (let d = c; d < domains; d += clients) {
      await aster.call('POST', '/api/domains', { name: `artsite-${d}.com`, clientId: client.id, registrar: 'Gandi', expiresAt: '2027-03-01' });
    }
  }
  for (let d = 0; d < domains; d++) names.push(`artsite-${d}.com`);
  return names;
}

/** What Aster's own tables say about a run's messages: stored, deliveries, sent, and messages with more than one delivery. */
export interface AsterLedger {
  stored: number;
  deliveries: number;
  sent: number;
  /** Messages with more than one delivery row (one contact per client: each should have one). */
  multiDelivered: number;
}

/** Read from inbound_message and delivery; undefined if those tables are not what this expects (the hot path is being rewritten). */
export async function asterLedger(url: string): Promise<AsterLedger | undefined> {
  const c = new Client({ connectionString: url });
  try {
    await c.connect();
    const { rows } = await c.query(
      `SELECT (SELECT count(*) FROM inbound_message) AS stored,
              (SELECT count(*) FROM delivery) AS deliveries,
              (SELECT count(*) FROM delivery WHERE status = 'sent') AS sent,
              (SELECT count(*) FROM (SELECT 1 FROM delivery GROUP BY "inboundMessageId" HAVING count(*) > 1) x) AS multi`,
    );
    const r = rows[0];
    return { stored: Number(r.stored), deliveries: Number(r.deliveries), sent: Number(r.sent), multiDelivered: Number(r.multi) };
  } catch {
    return undefined;
  } finally {
    await c.end().catch(() => undefined);
  }
}
