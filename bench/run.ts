// `npm run bench`: Aster under load on loopback, side by side with Postfix, in one run (issues 7 and
// 15). Phases: intake and end to end with our own load generator (smtp), Postfix's smtp-source with
// Aster and Postfix alternated (source), matching (bench/match.ts), memory, API latency
// (autocannon), and on request a soak at a steady rate. Prints a Markdown report.
//
//   npm run bench                      smtp, source, match, memory, api
//   npm run bench -- --quick           small counts, to check that everything works
//   npm run bench -- --only=smtp,api   some phases (smtp, source, match, memory, api, soak)
//   npm run bench -- --only=smtp --plan=4k:10    some SMTP runs only
//   npm run bench -- --smtp-source     the smtp-source trial alone (issue 15's): 3 rounds of Aster
//                                      then Postfix, 5,000 × 4 KB over 10 sessions each, medians;
//                                      --smtp-source=file sends a registrar-like message (-F),
//                                      --smtp-source=reuse keeps one connection per session (-d);
//                                      --source-rounds, --source-count, --source-sessions,
//                                      --source-warmup=<n>, --source-direct (no timing proxy)
//   npm run bench -- --soak=40:30      40 messages/s for 30 minutes to Aster (500 domains, 5
//                                      sessions), a row per minute; --soak-interval=<s>,
//                                      --soak-sessions=<n>, --soak-domains=<n>
//   npm run bench -- --pg=machine      the PostgreSQL DATABASE_URL names instead of the bench's own
//                                      (default postgres://root@127.0.0.1:5432/postgres)
//   npm run bench -- --socket[=/var/run/postgresql]
//                                      Aster talks to PostgreSQL over its Unix socket instead of
//                                      loopback TCP (an experiment on the cost of round trips)
//   npm run bench -- --profile         Aster under --cpu-prof (with count-queries.js preloaded),
//                                      PostgreSQL under auto_explain, pg_stat_activity sampled;
//                                      one SMTP run of Aster alone (4 KB, 10 sessions) and the API
//                                      phase; summaries are printed (not benchmark figures)
//
// PostgreSQL: by default a cluster of the bench's own (initdb into the run's temporary directory,
// PostgreSQL's default settings, its own port; see lib/pg-cluster.ts), stopped and deleted at the
// end. Each phase creates its databases aster_bench_<pid>… on it and drops them at the end (kept,
// with the work directory, when BENCH_KEEP is set). BENCH_WAIT_QUIET: how long to wait for other
// work on the machine to settle before starting (seconds, default 120). BENCH_REPORT: also write
// the report there.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runApiBench, seedPortfolio, type ApiResult } from './lib/api-bench';
import { AsterProcess, createPortfolio, databaseUrl, freePort, ROOT, startAster, withAdmin, type AsterOptions } from './lib/aster';
import { logSize, slowStatements } from './lib/auto-explain';
import { summarizeProfile } from './lib/cpu-profile';
import { runMemoryBench, type MemoryResult } from './lib/memory-bench';
import { machinePostgres, startOwnPostgres, type BenchPostgres } from './lib/pg-cluster';
import { PostfixInstance } from './lib/postfix';
import { PgSampler, type PgSample } from './lib/pg-sampler';
import { childPids, machineCpu, memory, pidsWhere } from './lib/proc';
import { SinkHandle } from './lib/sink-handle';
import { runSoak, soakReport, type SoakResult } from './lib/soak';
import { runSourceBench, sourceReport, type SourceOptions, type SourceRun } from './lib/source-bench';
import { stageBreakdown, transactionCount } from './lib/stages';
import { measure, type RunResult, type System } from './lib/smtp-bench';
import { mb, ms, rate, table } from './lib/stats';
import type { MessageSize } from './lib/messages';

const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const PROFILE = args.includes('--profile');
/** The value of --name=value, or `bare` when the option is given without one. */
function option(name: string, bare?: string): string | undefined {
  const a = args.find((x) => x === `--${name}` || x.startsWith(`--${name}=`));
  if (a === undefined) return undefined;
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : bare;
}
const KEEP = !!process.env.BENCH_KEEP;
/** `own` (default): a cluster of the bench's own with PostgreSQL's defaults; `machine`: DATABASE_URL. */
const PG_MODE = option('pg') ?? 'own';
if (PG_MODE !== 'own' && PG_MODE !== 'machine') throw new Error(`--pg=${PG_MODE}: own or machine`);
/** Aster reaches PostgreSQL through a Unix socket instead of loopback TCP (an experiment; see docs/benchmarks.md). */
const SOCKET = option('socket', '');
/** Some SMTP runs only, e.g. --plan=4k:10,50k:10 (quicker checks while changing Aster). */
const PLAN = option('plan')
  ?.split(',')
  .map((p) => p.split(':'))
  .map(([size, n]) => [size as MessageSize, Number(n)] as [MessageSize, number]);
/** --smtp-source[=file][,reuse]: the smtp-source trial (alone, unless --only names more). */
const SOURCE = option('smtp-source', 'generated')?.split(',');
/** --soak[=rate:minutes] (default 40:30). */
const SOAK = option('soak', '40:30')?.split(':').map(Number) as [number, number] | undefined;
if (SOAK && !(SOAK[0] > 0 && SOAK[1] > 0)) throw new Error('--soak=<messages per second>:<minutes>, e.g. --soak=40:30');
const ONLY = (option('only') ?? (SOURCE || SOAK ? [...(SOURCE ? ['source'] : []), ...(SOAK ? ['soak'] : [])].join(',') : 'smtp,source,match,memory,api')).split(
  ',',
);
if (SOAK && !ONLY.includes('soak')) ONLY.push('soak');
const BASE_URL = process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const MAIL_TO = 'domains@notify.localhost';

/** Messages per run: enough for a stable p99, few enough to keep the whole run near ten minutes. */
const COUNTS: Record<'4k' | '50k', Record<number, number>> = QUICK
  ? { '4k': { 1: 50, 10: 200, 50: 300 }, '50k': { 1: 30, 10: 100, 50: 150 } }
  : PROFILE
    ? { '4k': { 1: 300, 10: 1000, 50: 1000 }, '50k': { 1: 200, 10: 500, 50: 500 } }
    : { '4k': { 1: 200, 10: 1000, 50: 1500 }, '50k': { 1: 100, 10: 500, 50: 800 } };
const SESSIONS = [1, 10, 50];

function sh(cmd: string, argv: string[]): string {
  try {
    return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  return {
    date: new Date().toISOString(),
    nproc: cpus().length,
    memoryGiB: (totalmem() / 1024 ** 3).toFixed(1),
    cpu: /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? 'unknown',
    kernel: sh('uname', ['-r']),
    node: process.version,
    postfix: PostfixInstance.version(),
    commit: sh('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD']),
    dirty: sh('git', ['-C', ROOT, 'status', '--porcelain', '--', 'src', 'migrations']).split('\n').filter(Boolean).length,
    loadavg: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
  };
}

function log(line: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

/** Share of the machine's CPU busy over `seconds`. */
async function busyShare(seconds: number): Promise<number> {
  const a = machineCpu();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const b = machineCpu();
  return (b.busy - a.busy) / Math.max(1, b.total - a.total);
}

/** Waits (up to BENCH_WAIT_QUIET seconds, default 120) for the machine to be under 20% busy; says how it went. */
async function waitForQuiet(): Promise<string> {
  const limit = Number(process.env.BENCH_WAIT_QUIET ?? 120);
  const deadline = Date.now() + limit * 1000;
  for (;;) {
    const busy = await busyShare(3);
    if (busy < 0.2) return `${(busy * 100).toFixed(0)}% busy before the start`;
    if (Date.now() > deadline) return `${(busy * 100).toFixed(0)}% busy before the start (other work on the machine; waited ${limit} s for it to settle)`;
    log(`the machine is ${(busy * 100).toFixed(0)}% busy with other work; waiting for it to settle`);
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const quiet = await waitForQuiet();
  const info = machine();
  const work = mkdtempSync(join(tmpdir(), 'aster-bench-'));
  chmodSync(work, 0o755); // the postfix and postgres users must reach what lies below it
  const dbName = `aster_bench_${process.pid}`;
  const report: string[] = [];
  const out = (s = '') => report.push(s);
  let pg: BenchPostgres | undefined;
  let sink: SinkHandle | undefined;
  let aster: AsterProcess | undefined;
  let postfix: PostfixInstance | undefined;
  let mainDatabase = false;
  const cpuProfDir = join(work, 'cpu-profiles');
  const queryCountsFile = join(work, 'query-counts.json');
  let queryCounts: { perMessage: number; top: [string, number][] } | undefined;
  try {
    pg = PG_MODE === 'machine' ? machinePostgres(BASE_URL) : startOwnPostgres(join(work, 'pg'), await freePort(), log);
    // pg_ctl runs the bench's cluster as a daemon, Postfix's master is one, and Aster would outlive
    // the bench too: a bench stopped by a signal stops its children (Aster stops its workers), the
    // cluster and any Postfix instance.
    const ownCluster = pg;
    for (const signal of ['SIGINT', 'SIGTERM'] as const)
      process.once(signal, () => {
        log(`${signal}: stopping Aster, Postfix and the bench's PostgreSQL`);
        for (const pid of childPids(process.pid)) {
          try {
            process.kill(pid, 'SIGTERM');
          } catch {
            // gone already
          }
        }
        void new Promise((r) => setTimeout(r, 3000))
          .then(() => ownCluster.stop())
          .then(() => PostfixInstance.stopUnder(work))
          .then(() => KEEP || rmSync(work, { recursive: true, force: true }))
          .finally(() => process.exit(130));
      });
    const cluster = await pg.describe();
    log(`work dir ${work}; PostgreSQL: ${cluster}`);
    const baseUrl = pg.baseUrl;
    const dbUrl = databaseUrl(baseUrl, dbName);
    const serverLogFrom = logSize(pg.logFile);
    sink = await SinkHandle.start();

    // The phases that share one Aster process on one database: smtp, memory, api.
    let asterOptions: AsterOptions | undefined;
    let asterSystem: System | undefined;
    let domains: string[] = [];
    const asterPids = () => [...(aster?.pids() ?? []), ...pidsWhere((cmd) => cmd.includes(` ${dbName} `) && cmd.startsWith('postgres:'))];
    if (ONLY.some((p) => p === 'smtp' || p === 'memory' || p === 'api')) {
      log(`database ${dbName}`);
      await withAdmin(baseUrl, (c) => c.query(`CREATE DATABASE ${dbName}`));
      mainDatabase = true;
      if (PROFILE) {
        // Plans of slow statements, this database only, into the server log.
        await withAdmin(baseUrl, async (c) => {
          await c.query(`ALTER DATABASE ${dbName} SET session_preload_libraries = 'auto_explain'`);
          await c.query(`ALTER DATABASE ${dbName} SET auto_explain.log_min_duration = '10ms'`);
          await c.query(`ALTER DATABASE ${dbName} SET auto_explain.log_analyze = on`);
          await c.query(`ALTER DATABASE ${dbName} SET auto_explain.log_buffers = on`);
        });
      }
      // --socket: the own cluster's socket directory, or the one given (the machine's server).
      const socket = SOCKET === undefined ? undefined : SOCKET || pg.socketDir || '/var/run/postgresql';
      asterOptions = {
        databaseUrl: socket ? `${dbUrl}?host=${encodeURIComponent(socket)}` : dbUrl,
        smtpPort: 0, // chosen by startAster
        httpPort: 0,
        relayUrl: sink.url,
        dataDir: work,
        logFile: join(work, 'aster.log'),
        nodeFlags: [...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`, '-r', join(ROOT, 'bench', 'lib', 'count-queries.js')] : [])],
        env: {
          ...(PROFILE ? { BENCH_QUERY_COUNTS: queryCountsFile } : {}),
        },
      };
      aster = await startAster(asterOptions, true, log);
      log(`Aster pid ${aster.pid}: SMTP ${asterOptions.smtpPort}, HTTP ${asterOptions.httpPort}; sink ${sink.port}`);
      // 10 clients with one notice-receiving contact each, 100 tracked domains among them.
      domains = await createPortfolio(aster, 10, 100);
      asterSystem = {
        name: 'Aster',
        port: asterOptions.smtpPort,
        pids: asterPids,
        breakdown: (prefix) => stageBreakdown(dbUrl, prefix),
        transactions: () => transactionCount(dbUrl),
        mainPids: () => aster!.pids(),
      };
    }

    const smtpResults: RunResult[] = [];
    const pgSamples: { label: string; sample: PgSample }[] = [];
    const ownClusterName = pg.kind === 'own' ? 'aster-bench' : undefined;
    if (ONLY.includes('smtp') && aster && asterSystem) {
      const systems: System[] = [asterSystem];
      const alsoOurs = () => [...asterPids(), ...(postfix?.pids() ?? [])];
      if (!PROFILE) {
        const pfPort = await freePort();
        postfix = PostfixInstance.start(join(work, 'postfix'), pfPort, sink.port, 'contact@client-bench.test');
        systems.push({ name: 'Postfix', port: pfPort, pids: () => postfix!.pids() });
        log(`Postfix on ${pfPort} (master pid ${postfix.masterPid()})`);
      }
      for (const system of systems) {
        const warm = await measure(system, sink, {
          size: '4k',
          sessions: 10,
          count: QUICK ? 50 : 300,
          domains,
          to: MAIL_TO,
          timeoutMs: 120_000,
          database: dbName,
          alsoOurs,
          cluster: ownClusterName,
        });
        log(`warm-up ${system.name}: ${warm.accepted} accepted, ${warm.arrived} arrived`);
      }
      // Under --profile: one representative run of Aster alone, its PostgreSQL activity sampled.
      const plan: [MessageSize, number][] = PLAN
        ? PLAN
        : PROFILE
          ? [['4k', 10]]
          : (['4k', '50k'] as const).flatMap((size) => SESSIONS.map((n) => [size, n] as [MessageSize, number]));
      for (const [size, sessions] of plan) {
        for (const system of systems) {
          const count = COUNTS[size as '4k' | '50k'][sessions];
          const sampler = PROFILE ? new PgSampler(baseUrl, dbName) : undefined;
          await sampler?.start();
          if (PROFILE) process.kill(aster.pid, 'SIGUSR2'); // count statements from here (count-queries.js)
          const r = await measure(system, sink, {
            size,
            sessions,
            count,
            domains,
            to: MAIL_TO,
            timeoutMs: 300_000,
            database: dbName,
            alsoOurs,
            cluster: ownClusterName,
          });
          if (sampler) pgSamples.push({ label: `${system.name} ${size} x${sessions} (intake and routing)`, sample: await sampler.stop(12) });
          if (PROFILE) {
            process.kill(aster.pid, 'SIGUSR2');
            await new Promise((res) => setTimeout(res, 500));
            const rows = JSON.parse(readFileSync(queryCountsFile, 'utf8')) as [string, number][];
            queryCounts = { perMessage: rows.reduce((a, [, n]) => a + n, 0) / r.accepted, top: rows.map(([q, n]) => [q, n / r.accepted]) };
          }
          smtpResults.push(r);
          log(
            `${system.name} ${size} x${sessions}: ${r.accepted}/${count} accepted at ${rate(r.intakeRate)}/s (p50 ${ms(r.acceptP50)} p99 ${ms(r.acceptP99)} ms); ` +
              `${r.arrived} forwarded at ${rate(r.e2eRate)}/s, 250→sink p99 ${ms(r.e2eP99)} ms; ${r.cpuMsPerMessage.toFixed(2)} CPU ms/msg; machine ${(r.machineBusy * 100).toFixed(0)}% busy, ${(r.othersBusy * 100).toFixed(0)}% by others` +
              (r.errors.length ? `; errors: ${r.errors.slice(0, 3).join(' / ')}` : ''),
          );
          await new Promise((res) => setTimeout(res, 1000));
        }
      }
      postfix?.stop();
      postfix = undefined;
    }

    let matchOutput = '';
    if (ONLY.includes('match')) {
      log('matching (bench/match.ts)');
      matchOutput = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, 'bench', 'match.ts')], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: baseUrl },
        encoding: 'utf8',
      }).trim();
      log(matchOutput);
    }

    let memoryResult: MemoryResult | undefined;
    let rssAfterLoad: number | undefined;
    if (ONLY.includes('memory') && aster && asterOptions) {
      // Each case on a fresh process, so that neither inherits the other's (or the load's) heap;
      // what the process holds after the load phase is reported beside them.
      rssAfterLoad = memory(aster.pid).rss;
      await aster.stop();
      aster = await startAster(asterOptions, false, log);
      log(`memory (Aster restarted, pid ${aster.pid})`);
      memoryResult = await runMemoryBench(aster, asterOptions.smtpPort, sink, { to: MAIL_TO, domain: domains[0], idle: 1000, databaseUrl: dbUrl });
      log(JSON.stringify(memoryResult));
    }

    let apiResults: ApiResult[] = [];
    let apiSeed = '';
    if (ONLY.includes('api') && aster) {
      log('seeding 100,000 domains and 200,000 messages');
      apiSeed = await seedPortfolio(dbUrl, { domains: QUICK ? 10_000 : 100_000, messages: QUICK ? 20_000 : 200_000 });
      log(apiSeed);
      apiResults = await runApiBench(aster, dbUrl, { durationSeconds: QUICK ? 3 : 8, profile: PROFILE, log });
    }

    await aster?.stop();

    // The phases with Aster processes of their own, each on fresh databases.
    const sourceOptions: SourceOptions = {
      rounds: Number(option('source-rounds') ?? (QUICK ? 1 : 3)),
      count: Number(option('source-count') ?? (QUICK ? 300 : 5000)),
      sessions: Number(option('source-sessions') ?? 10),
      bodyBytes: 4096,
      form: SOURCE?.includes('file') ? 'file' : 'generated',
      reuse: !!SOURCE?.includes('reuse'),
      direct: args.includes('--source-direct'),
      warmup: Number(option('source-warmup') ?? (QUICK ? 50 : 200)),
      pg,
      work,
      sink,
      log,
      keep: KEEP,
    };
    let sourceRuns: SourceRun[] = [];
    if (ONLY.includes('source')) {
      log(`smtp-source: ${sourceOptions.rounds} rounds of ${sourceOptions.count} messages over ${sourceOptions.sessions} sessions, Aster then Postfix`);
      sourceRuns = await runSourceBench(sourceOptions);
    }
    let soak: SoakResult | undefined;
    if (ONLY.includes('soak')) {
      const [soakRate, minutes] = SOAK ?? (QUICK ? [20, 1] : [40, 30]);
      soak = await runSoak({
        rate: soakRate,
        minutes,
        intervalSeconds: Number(option('soak-interval') ?? (minutes < 5 ? 20 : 60)),
        sessions: Number(option('soak-sessions') ?? 5),
        domains: Number(option('soak-domains') ?? 500),
        clients: 50,
        pg,
        work,
        sink,
        log,
        keep: KEEP,
      });
    }

    // The report.
    out(`## Run of ${info.date}` + (QUICK ? ' — quick (small counts, 10,000 domains: a check that it works, not the benchmark)' : ''));
    out();
    out(
      table(
        ['machine', 'value'],
        [
          ['CPU', `${info.nproc} × ${info.cpu}`],
          ['memory', `${info.memoryGiB} GiB`],
          ['kernel / Node', `${info.kernel} / ${info.node}`],
          ['Postfix', info.postfix],
          ['Aster commit', `${info.commit}${info.dirty ? ` + ${info.dirty} uncommitted files in src/ and migrations/` : ''}`],
          ['load average at start', `${info.loadavg}; ${quiet}`],
          ['PostgreSQL', cluster],
          ['command', `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`],
        ],
      ),
    );
    out();
    if (smtpResults.length) {
      out('### Intake (load generator → 250)');
      out();
      out(
        table(
          [
            'size',
            'sessions',
            'messages',
            'Aster msg/s',
            'Aster p50 ms',
            'Aster p99 ms',
            'Postfix msg/s',
            'Postfix p50 ms',
            'Postfix p99 ms',
            'ratio msg/s',
            'Aster dot→250 p99 ms',
            'Postfix dot→250 p99 ms',
          ],
          pairs(smtpResults).map(([a, p]) => [
            a.size,
            a.sessions,
            a.count,
            rate(a.intakeRate),
            ms(a.acceptP50),
            ms(a.acceptP99),
            rate(p.intakeRate),
            ms(p.acceptP50),
            ms(p.acceptP99),
            (a.intakeRate / p.intakeRate).toFixed(2),
            ms(a.dotP99),
            ms(p.dotP99),
          ]),
        ),
      );
      out();
      out('### End to end (first MAIL FROM → every copy at the sink)');
      out();
      out(
        table(
          [
            'size',
            'sessions',
            'Aster copies/s',
            'Aster 250→sink p50 / p99 ms',
            'Postfix copies/s',
            'Postfix 250→sink p50 / p99 ms',
            'ratio Aster/Postfix',
            'Aster CPU ms/msg: node processes + their PostgreSQL backends',
            'Aster PostgreSQL transactions/msg',
            'Postfix CPU ms/msg (all daemons)',
            'machine busy A / P',
            'of it outside the bench A / P',
          ],
          pairs(smtpResults).map(([a, p]) => [
            a.size,
            a.sessions,
            `${rate(a.e2eRate)}${a.arrived < a.accepted ? ` (${a.arrived}/${a.accepted} arrived)` : ''}`,
            `${ms(a.e2eP50)} / ${ms(a.e2eP99)}`,
            `${rate(p.e2eRate)}${p.arrived < p.accepted ? ` (${p.arrived}/${p.accepted} arrived)` : ''}`,
            `${ms(p.e2eP50)} / ${ms(p.e2eP99)}`,
            (a.e2eRate / p.e2eRate).toFixed(2),
            `${a.mainCpuMsPerMessage?.toFixed(1) ?? '–'} + ${(a.cpuMsPerMessage - (a.mainCpuMsPerMessage ?? 0)).toFixed(1)}`,
            a.transactionsPerMessage?.toFixed(1) ?? '–',
            p.cpuMsPerMessage.toFixed(2),
            `${(a.machineBusy * 100).toFixed(0)}% / ${(p.machineBusy * 100).toFixed(0)}%`,
            `${(a.othersBusy * 100).toFixed(0)}% / ${(p.othersBusy * 100).toFixed(0)}%`,
          ]),
        ),
      );
      for (const line of stageTable(smtpResults)) out(line);
      const failures = smtpResults.filter((r) => r.refused || r.errors.length);
      for (const f of failures) out(`\n${f.system} ${f.size} x${f.sessions}: ${f.refused} refused, errors: ${f.errors.slice(0, 5).join(' / ')}`);
      out();
    }
    if (matchOutput) {
      out('### Matching (bench/match.ts)');
      out();
      out('```');
      out(matchOutput);
      out('```');
      out();
    }
    if (memoryResult) {
      out('### Memory (Aster process)');
      out();
      out(
        table(
          ['case', 'RSS before MB', 'peak RSS MB (VmHWM)', 'peak RSS MB (sampled)', 'note'],
          [
            [
              'one 25 MB message: until 250',
              mb(memoryResult.big.before),
              mb(memoryResult.big.hwmAtAccept),
              mb(memoryResult.big.sampledAtAccept),
              `${(memoryResult.big.bytes / 1e6).toFixed(1)} MB accepted in ${ms(memoryResult.big.acceptMs)} ms`,
            ],
            [
              'one 25 MB message: until its copy is at the sink',
              mb(memoryResult.big.before),
              mb(memoryResult.big.hwmForwarded),
              mb(memoryResult.big.sampledForwarded),
              memoryResult.big.forwarded
                ? `forwarded ${(memoryResult.big.forwardedBytes / 1e6).toFixed(1)} MB after ${ms(memoryResult.big.forwardMs)} ms`
                : 'copy did not arrive',
            ],
            ...memoryResult.big.workers.map((w) => [
              `one 25 MB message: worker process (pid ${w.pid}: route, compose, relay)`,
              mb(w.before),
              mb(w.hwm),
              mb(w.sampled),
              'the main process above receives and stores it',
            ]),
            [
              `${memoryResult.idle.connections} idle SMTP connections`,
              mb(memoryResult.idle.before),
              mb(memoryResult.idle.hwm),
              mb(memoryResult.idle.sampled),
              `${memoryResult.idle.greeted} greeted, held ${memoryResult.idle.heldSeconds} s`,
            ],
          ],
        ),
      );
      if (rssAfterLoad) out(`\nFor comparison, the RSS of the Aster process at the end of the intake and end-to-end runs above: ${mb(rssAfterLoad)} MB.`);
      if (memoryResult.big.phases.length) {
        out();
        out("The 25 MB message, part by part (RSS sampled every 20 ms; times from the pipeline's timestamps):");
        out();
        out(
          table(
            ['part', 'ms', 'peak RSS MB'],
            memoryResult.big.phases.map((p) => [p.phase, ms(p.ms), mb(p.peak)]),
          ),
        );
      }
      out();
    }
    if (apiResults.length) {
      out('### API (autocannon)');
      out();
      out(apiSeed);
      out();
      out(
        table(
          ['request', 'connections', 'requests/s', 'p50 ms', 'p99 ms', 'max ms', 'non-2xx', 'errors'],
          apiResults.map((r) => [`\`${r.label}\``, r.connections, rate(r.rps), ms(r.p50), ms(r.p99), ms(r.max), r.non2xx, r.errors]),
        ),
      );
      out();
      for (const r of apiResults)
        if (r.topQueries?.length) {
          out(`Sampled active queries during \`${r.label}\` (${r.connections} connections), share of samples:`);
          out();
          for (const q of r.topQueries) out(`- ${(q.share * 100).toFixed(0)}% \`${q.query.slice(0, 400)}\``);
          out();
        }
    }
    for (const { label, sample } of pgSamples) {
      out(`### PostgreSQL activity during ${label}: ${sample.samples} samples of pg_stat_activity`);
      out();
      out(
        table(
          ['backend state (wait event)', 'mean backends'],
          sample.states.map((s) => [s.state, s.share.toFixed(2)]),
        ),
      );
      out();
      out(
        table(
          ['active statement', 'mean backends', 'wait events'],
          sample.queries.map((q) => [`\`${q.query.slice(0, 300)}\``, q.share.toFixed(2), q.waits]),
        ),
      );
      out();
    }
    if (queryCounts) {
      out(`### Statements sent to PostgreSQL per message (count-queries.js): ${queryCounts.perMessage.toFixed(1)} in all`);
      out();
      out(
        table(
          ['statement', 'per message'],
          queryCounts.top.slice(0, 30).map(([q, n]) => [`\`${q.slice(0, 140)}\``, n.toFixed(2)]),
        ),
      );
      out();
    }
    if (PROFILE && smtpResults.length) {
      out('### Aster alone (profiled; not benchmark figures)');
      out();
      out(
        table(
          [
            'size',
            'sessions',
            'messages',
            'msg/s',
            'accept p50 / p99 ms',
            'copies/s',
            '250→sink p50 / p99 ms',
            'CPU ms/msg: node + PostgreSQL',
            'transactions/msg',
          ],
          smtpResults.map((a) => [
            a.size,
            a.sessions,
            a.count,
            rate(a.intakeRate),
            `${ms(a.acceptP50)} / ${ms(a.acceptP99)}`,
            rate(a.e2eRate),
            `${ms(a.e2eP50)} / ${ms(a.e2eP99)}`,
            `${a.mainCpuMsPerMessage?.toFixed(1) ?? '–'} + ${(a.cpuMsPerMessage - (a.mainCpuMsPerMessage ?? 0)).toFixed(1)}`,
            a.transactionsPerMessage?.toFixed(1) ?? '–',
          ]),
        ),
      );
      out();
    }
    if (PROFILE) {
      const slow = slowStatements(dbName, serverLogFrom, pg.logFile);
      out(`### Statements slower than 10 ms (auto_explain, ${slow.reduce((a, x) => a + x.count, 0)} in all)`);
      out();
      for (const x of slow.slice(0, 8)) {
        out(`${x.count} × mean ${ms(x.meanMs)} ms, max ${ms(x.maxMs)} ms: \`${x.query.slice(0, 500)}\``);
        out();
        out('```');
        out(x.plan.split('\n').slice(0, 40).join('\n'));
        out('```');
        out();
      }
      out('### CPU profile of the Aster process (node --cpu-prof)');
      out();
      for (const f of readdirSync(cpuProfDir).filter((x) => x.endsWith('.cpuprofile'))) out(summarizeProfile(join(cpuProfDir, f)));
    }
    if (!PROFILE) {
      const verdicts = targets(smtpResults, matchOutput, memoryResult, apiResults);
      if (verdicts.length) {
        out('### Targets of issue 7');
        out();
        out(table(['target', 'measured', 'verdict'], verdicts));
        out();
      }
    }
    if (sourceRuns.length) for (const line of sourceReport(sourceRuns, sourceOptions)) out(line);
    if (soak) for (const line of soakReport(soak)) out(line);
    out(`Whole run: ${((Date.now() - started) / 1000).toFixed(0)} s.`);
    const text = report.join('\n');
    process.stdout.write(`${text}\n`);
    if (process.env.BENCH_REPORT) writeFileSync(process.env.BENCH_REPORT, `${text}\n`);
  } finally {
    await aster?.stop().catch(() => undefined);
    try {
      postfix?.stop();
    } catch (err) {
      log(`postfix stop: ${String(err)}`);
    }
    await sink?.stop().catch(() => undefined);
    if (KEEP) {
      // For a closer look (EXPLAIN ANALYZE, the CPU profile): drop them by hand afterwards.
      log(
        pg?.kind === 'own'
          ? `kept ${work} (BENCH_KEEP); the bench's PostgreSQL is stopped, its data in ${join(work, 'pg', 'data')} (start it with pg_ctl as the postgres user)`
          : `kept database ${dbName} and ${work} (BENCH_KEEP)`,
      );
      await pg?.stop();
    } else {
      if (pg?.kind === 'machine' && mainDatabase)
        await withAdmin(pg.baseUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)).catch((err: unknown) =>
          log(`drop database: ${String(err)}`),
        );
      await pg?.stop();
      rmSync(work, { recursive: true, force: true });
    }
  }
}

/** Labels of the per-stage figures stages.ts gives today; a figure it gives under another name shows under that name. */
const STAGE_LABELS: Record<string, string> = {
  storedToDecided: 'stored → routed',
  routeWait: 'route job wait',
  routeRun: 'route job run',
  decidedToSent: 'routed → sent',
  deliverWait: 'deliver job wait',
  deliverRun: 'deliver job run',
};

/**
 * Inside Aster, from the pipeline's own timestamps (lib/stages.ts): every [p50, p99] pair it returns,
 * whatever their names, or nothing when it returns nothing (it reads tables the hot path may change).
 */
function stageTable(results: RunResult[]): string[] {
  const staged = results.filter((r) => r.stages && typeof r.stages === 'object');
  const pairOf = (v: unknown): [number, number] | undefined =>
    Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number') ? (v as [number, number]) : undefined;
  const keys = [
    ...new Set(
      staged.flatMap((r) =>
        Object.entries(r.stages as object)
          .filter(([, v]) => pairOf(v))
          .map(([k]) => k),
      ),
    ),
  ];
  if (!keys.length) return [];
  const pq = (v: [number, number] | undefined) => (v ? `${ms(v[0])} / ${ms(v[1])}` : '–');
  return [
    '',
    "Inside Aster, from the pipeline's own timestamps (p50 / p99 ms; bench/lib/stages.ts):",
    '',
    table(
      ['size', 'sessions', ...keys.map((k) => STAGE_LABELS[k] ?? k)],
      staged.map((r) => [r.size, r.sessions, ...keys.map((k) => pq(pairOf((r.stages as unknown as Record<string, unknown>)[k])))]),
    ),
  ];
}

/** Each target of issue 7 with what this run measured and whether it is met. */
function targets(smtp: RunResult[], match: string, memoryResult: MemoryResult | undefined, api: ApiResult[]): string[][] {
  const rows: string[][] = [];
  const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
  const ps = pairs(smtp);
  if (ps.length) {
    const ratios = ps.map(([a, p]) => ({ label: `${a.size} ×${a.sessions}`, ratio: a.e2eRate / p.e2eRate }));
    const ref = ratios.find((r) => r.label === '4k ×10');
    const worst = ratios.reduce((m, r) => (r.ratio < m.ratio ? r : m));
    rows.push([
      'end-to-end rate Aster/Postfix ≥ 1.0',
      `${ref ? `${ref.ratio.toFixed(2)} at 4 KB × 10 sessions; ` : ''}lowest ${worst.ratio.toFixed(2)} (${worst.label}), highest ${Math.max(...ratios.map((r) => r.ratio)).toFixed(2)}`,
      verdict(ratios.every((r) => r.ratio >= 1)),
    ]);
    for (const [a, p] of ps.filter(([a]) => a.sessions === 10)) {
      rows.push([`accept p99 at 10 sessions ≤ Postfix's (${a.size})`, `${ms(a.acceptP99)} ms vs ${ms(p.acceptP99)} ms`, verdict(a.acceptP99 <= p.acceptP99)]);
    }
  }
  const perMessage = [...match.matchAll(/(\d+) tracked domains: extract ([\d.]+) ms \+ lookup ([\d.]+) ms/g)].map((m) => ({
    n: Number(m[1]),
    ms: Number(m[2]) + Number(m[3]),
  }));
  const small = perMessage.find((x) => x.n === 100);
  const large = perMessage.find((x) => x.n === 100_000);
  if (small && large) {
    rows.push([
      'matching with 100,000 domains within 1.2× the time with 100',
      `${large.ms.toFixed(3)} ms vs ${small.ms.toFixed(3)} ms per message (${(large.ms / small.ms).toFixed(2)}×)`,
      verdict(large.ms <= 1.2 * small.ms),
    ]);
  }
  for (const connections of [...new Set(api.map((r) => r.connections))]) {
    const at = api.filter((r) => r.connections === connections);
    const slow = at.filter((r) => !(r.p99 < 50));
    rows.push([
      `API p99 < 50 ms (${connections} connection${connections > 1 ? 's' : ''})`,
      at.map((r) => `${r.label.replace(/^GET /, '').replace(/<1…\d+>/, '…')}: ${ms(r.p99)}`).join('; '),
      slow.length ? `**missed** by ${slow.length} of ${at.length}` : 'met',
    ]);
  }
  if (memoryResult) {
    const big = Math.max(memoryResult.big.hwmForwarded, memoryResult.big.sampledForwarded);
    const idle = Math.max(memoryResult.idle.hwm, memoryResult.idle.sampled);
    rows.push([
      'peak RSS < 300 MB: one 25 MB message (received, routed and forwarded), main process',
      `${mb(big)} MB (${mb(memoryResult.big.hwmAtAccept)} MB until the 250)`,
      verdict(big < 300 * 1024 * 1024),
    ]);
    for (const w of memoryResult.big.workers) {
      const peak = Math.max(w.hwm, w.sampled);
      rows.push(['peak RSS < 300 MB: one 25 MB message, worker process', `${mb(peak)} MB`, verdict(peak < 300 * 1024 * 1024)]);
    }
    rows.push(['peak RSS < 300 MB: 1,000 idle SMTP connections', `${mb(idle)} MB`, verdict(idle < 300 * 1024 * 1024)]);
  }
  return rows;
}

/** Aster's run and Postfix's run of the same size and concurrency, side by side. */
function pairs(results: RunResult[]): [RunResult, RunResult][] {
  const out: [RunResult, RunResult][] = [];
  for (const a of results.filter((r) => r.system === 'Aster')) {
    const p = results.find((r) => r.system === 'Postfix' && r.size === a.size && r.sessions === a.sessions);
    if (p) out.push([a, p]);
  }
  return out;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
