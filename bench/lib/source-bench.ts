// The trial of issue 15 and of its held-out check: Postfix's own load generator, smtp-source, sends
// N × 4 KB messages over S sessions to Aster, then to Postfix, each on fresh state (a new database
// and Aster process; a new Postfix instance), alternated for R rounds on the same machine, the same
// sink; the figures are the medians over the rounds.
//
//   smtp-source -s 10 -m 5000 -l 4096 -f noreply@gandi-bench.test -t artsite-7.com@notify.localhost \
//               -S 'Your domain artsite-7.com expires in 30 days' 127.0.0.1:<port>
//
// The message: smtp-source's own (From, To, Date, a Message-Id unique per message —
// <pid.fd.count@host> — the Subject given, 4096 bytes of numbered X lines), to the per-domain alias
// of a tracked domain that the Subject names too, so Aster routes every one to one client (client
// 7's contact) and Postfix's alias map forwards it to the same address. `--smtp-source=file` sends a
// registrar-like 4 KB message instead (smtp-source -F: the same bytes every time, without a
// Message-ID, which Aster would take for one message resent and store once).
//
// Accept latency: smtp-source reports none, so it talks to a proxy (accept-proxy.ts) that forwards
// every byte at once and times MAIL FROM → the answer to the final dot, as our own generator does.
// `--source-direct` leaves the proxy out (rates only), to see what the extra hop costs.
//
// Lost and doubled: each copy at the sink names the message it came from (the first id of
// References in Aster's notice, the Message-ID Postfix keeps; see bench/sink.ts); a run's copies are
// those naming its smtp-source process's id prefix. In the file form Aster's copies are told apart
// by their own (per-delivery) Message-ID and Postfix's by the Message-ID its cleanup adds. For Aster,
// its own tables are read too: messages stored, delivery rows, rows marked sent.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AcceptProxy, type ProxiedMessage } from './accept-proxy';
import { asterLedger, createPortfolio, databaseUrl, freePort, startAster, withAdmin, type AsterLedger, type AsterOptions } from './aster';
import { registrarMessage } from './messages';
import type { BenchPostgres } from './pg-cluster';
import { PostfixInstance } from './postfix';
import { CpuMeter, machineCpu, pidsWhere } from './proc';
import type { SinkHandle } from './sink-handle';
import { isForeign } from './smtp-bench';
import { median, ms, percentile, rate, table } from './stats';

export type SourceForm = 'generated' | 'file';

export interface SourceOptions {
  rounds: number;
  count: number;
  sessions: number;
  /** smtp-source -l: body bytes (generated form). */
  bodyBytes: number;
  form: SourceForm;
  /** smtp-source -d: one connection per session for all its messages (default: a connection per message, smtp-source's own default). */
  reuse: boolean;
  /** No proxy in front: no latency figures. */
  direct: boolean;
  /** Messages sent before each measured run (same form, not measured), after which the bench waits for their copies. */
  warmup: number;
  pg: BenchPostgres;
  work: string;
  sink: SinkHandle;
  log: (line: string) => void;
  /** Keep each round's database. */
  keep: boolean;
}

export interface SourceRun {
  round: number;
  system: 'Aster' | 'Postfix';
  loadavg: string;
  /** 'ok', or how smtp-source ended (it stops at the first refusal). */
  exit: string;
  count: number;
  /** 250s to the final dot, counted by the proxy (undefined with --source-direct). */
  accepted: number | undefined;
  /** Distinct messages with a copy at the sink. */
  copies: number;
  /** Copies beyond the first of a message. */
  doubled: number;
  /** Copies at the sink that named no message (should be 0). */
  unidentified: number;
  /** Accepted (or, direct, sent) messages without a copy. */
  lost: number;
  /** Copies per second, first connection → last copy at the sink. */
  e2eRate: number;
  /** Accepted per second, first connection → last answer (proxy). */
  intakeRate: number;
  /** MAIL FROM → answer to the final dot, ms. */
  acceptP50: number;
  acceptP99: number;
  acceptMax: number;
  /** Final dot → answer, ms. */
  dotP99: number;
  /** Connection accepted → greeting, ms. */
  greetP99: number;
  cpuMsPerMessage: number;
  /** CPU of the timing proxy per message (what the extra hop costs the machine). */
  proxyCpuMsPerMessage: number;
  machineBusy: number;
  othersBusy: number;
  /** Aster only: its tables' count of this run's messages, deliveries and sent deliveries. */
  ledger?: AsterLedger;
}

interface Target {
  name: 'Aster' | 'Postfix';
  port: number;
  pids: () => number[];
  database?: string;
  ledger?: () => Promise<AsterLedger | undefined>;
}

const FROM = 'noreply@gandi-bench.test';
const DOMAIN_INDEX = 7;
const CLIENTS = 10;
const DOMAINS = 100;

function smtpSourceBinary(): string {
  for (const p of ['/usr/sbin/smtp-source', '/usr/bin/smtp-source']) if (existsSync(p)) return p;
  throw new Error('smtp-source not found (Debian: apt-get install postfix, "No configuration")');
}

/** The arguments after `smtp-source`, the target host:port last. */
function sourceArgs(o: SourceOptions, count: number, port: number, file: string): string[] {
  const domain = `artsite-${DOMAIN_INDEX}.com`;
  return [
    '-s',
    String(o.sessions),
    '-m',
    String(count),
    ...(o.form === 'file' ? ['-F', file] : ['-l', String(o.bodyBytes), '-S', `Your domain ${domain} expires in 30 days`]),
    '-f',
    FROM,
    '-t',
    `${domain}@notify.localhost`,
    ...(o.reuse ? ['-d'] : []),
    `127.0.0.1:${port}`,
  ];
}

/** The command line as the report shows it (the port left symbolic). */
export function sourceCommand(o: SourceOptions): string {
  return `smtp-source ${sourceArgs(o, o.count, 0, '<registrar-like 4 KB message>')
    .map((a) => (a.includes(' ') ? `'${a}'` : a))
    .join(' ')
    .replace('127.0.0.1:0', '127.0.0.1:<port>')}`;
}

/** Runs smtp-source to the end; `pid` is known at once (the Message-Ids carry it). */
function runSmtpSource(args: string[], timeoutMs: number): { pid: number; startedAt: number; done: Promise<string> } {
  const startedAt = performance.timeOrigin + performance.now();
  const child = spawn(smtpSourceBinary(), args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const done = new Promise<string>((resolve) => {
    child.once('error', (err) => resolve(`did not run: ${err.message}`));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code === 0 ? 'ok' : `${signal ? `killed (${signal})` : `exit ${code}`}: ${stderr.trim().split('\n').slice(-2).join(' / ')}`);
    });
  });
  return { pid: child.pid ?? 0, startedAt, done };
}

/** The copies at the sink that belong to one smtp-source run. */
class RunCopies {
  private readonly before: Map<string, number>;
  private readonly totalBefore: number;

  constructor(
    private readonly sink: SinkHandle,
    private readonly form: SourceForm,
    private readonly pid: number,
  ) {
    this.before = new Map([...sink.byOrigin].map(([k, v]) => [k, v.length]));
    this.totalBefore = sink.total;
  }

  /** smtp-source's Message-Id is <%04x pid.%04x fd.%04x count@host>. */
  private mine(key: string): boolean {
    return this.form === 'generated' ? key.startsWith(`<${this.pid.toString(16).padStart(4, '0')}.`) : !this.before.has(key);
  }

  /** Arrival times per message of this run. */
  arrivals(): number[][] {
    const out: number[][] = [];
    for (const [key, times] of this.sink.byOrigin) if (this.mine(key)) out.push(times.slice(this.before.get(key) ?? 0));
    return out;
  }

  distinct(): number {
    let n = 0;
    for (const key of this.sink.byOrigin.keys()) if (this.mine(key)) n++;
    return n;
  }

  /** Copies the sink took since the run began that named no message, or another run's. */
  others(): number {
    const mine = this.arrivals().reduce((a, t) => a + t.length, 0);
    return this.sink.total - this.totalBefore - mine;
  }

  async waitFor(expected: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.distinct() < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  }
}

/** One smtp-source run against one system, measured. */
async function trial(target: Target, round: number, o: SourceOptions, file: string): Promise<SourceRun> {
  // Warm-up: the same form, straight to the system; wait for its copies.
  if (o.warmup > 0) {
    const w = runSmtpSource(sourceArgs(o, o.warmup, target.port, file), 300_000);
    const copies = new RunCopies(o.sink, o.form, w.pid);
    const exit = await w.done;
    await copies.waitFor(o.warmup, 120_000);
    o.log(`warm-up ${target.name}: ${exit}, ${copies.distinct()}/${o.warmup} copies`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  const loadavg = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const ledger0 = await target.ledger?.();
  const proxy = o.direct ? undefined : await AcceptProxy.start(target.port);
  const cpu = new CpuMeter(target.pids);
  const proxyCpu = proxy ? new CpuMeter(() => [proxy.pid]) : undefined;
  const excluded = new Set<number>();
  let sourcePid = 0;
  const foreign = new CpuMeter(() => {
    excluded.clear();
    for (const pid of [...target.pids(), process.pid, o.sink.pid, proxy?.pid ?? 0, sourcePid]) excluded.add(pid);
    return pidsWhere((cmd, pid) => !excluded.has(pid) && isForeign(cmd, target.database ?? '-', o.pg.kind === 'own' ? 'aster-bench' : undefined));
  });
  const machine0 = machineCpu();
  const run = runSmtpSource(sourceArgs(o, o.count, proxy?.port ?? target.port, file), Math.max(600_000, o.count * 200));
  sourcePid = run.pid;
  const copies = new RunCopies(o.sink, o.form, run.pid);
  const exit = await run.done;
  const seen: ProxiedMessage[] = proxy ? await proxy.flush() : [];
  const proxySeconds = proxyCpu?.stop() ?? NaN;
  await proxy?.stop();
  const accepted = proxy ? seen.filter((m) => m.code === 250).length : undefined;
  const expected = accepted ?? (exit === 'ok' ? o.count : 0);
  await copies.waitFor(expected, Math.max(300_000, o.count * 100));
  // A late duplicate (a resend) would come within moments of the rest.
  await new Promise((r) => setTimeout(r, 1500));
  const cpuSeconds = cpu.stop();
  const foreignSeconds = foreign.stop();
  const machine1 = machineCpu();
  const ledger1 = await target.ledger?.();

  const arrivals = copies.arrivals();
  const firsts = arrivals.map((t) => Math.min(...t));
  const distinct = arrivals.length;
  const firstConnect = proxy ? Math.min(...seen.map((m) => m.connectedAt)) : run.startedAt;
  const lastCopy = Math.max(...firsts);
  const ok = seen.filter((m) => m.code === 250);
  const machineSeconds = (machine1.total - machine0.total) / 100;
  const countFor = Math.max(1, accepted ?? o.count);
  return {
    round,
    system: target.name,
    loadavg,
    exit,
    count: o.count,
    accepted,
    copies: distinct,
    doubled: arrivals.reduce((a, t) => a + t.length - 1, 0),
    unidentified: copies.others(),
    lost: Math.max(0, expected - distinct),
    e2eRate: distinct > 0 && distinct >= expected ? distinct / ((lastCopy - firstConnect) / 1000) : NaN,
    intakeRate: ok.length ? ok.length / ((Math.max(...ok.map((m) => m.answeredAt)) - firstConnect) / 1000) : NaN,
    acceptP50: percentile(
      ok.map((m) => m.answeredAt - m.mailAt),
      50,
    ),
    acceptP99: percentile(
      ok.map((m) => m.answeredAt - m.mailAt),
      99,
    ),
    acceptMax: ok.length ? Math.max(...ok.map((m) => m.answeredAt - m.mailAt)) : NaN,
    dotP99: percentile(
      ok.map((m) => m.answeredAt - m.dotAt),
      99,
    ),
    greetP99: percentile([...new Set(seen.map((m) => m.greetedAt - m.connectedAt))].filter(Number.isFinite), 99),
    cpuMsPerMessage: (cpuSeconds * 1000) / countFor,
    proxyCpuMsPerMessage: (proxySeconds * 1000) / countFor,
    machineBusy: (machine1.busy - machine0.busy) / 100 / Math.max(0.01, machineSeconds),
    othersBusy: foreignSeconds / Math.max(0.01, machineSeconds),
    ledger:
      ledger0 && ledger1
        ? {
            stored: ledger1.stored - ledger0.stored,
            deliveries: ledger1.deliveries - ledger0.deliveries,
            sent: ledger1.sent - ledger0.sent,
            multiDelivered: ledger1.multiDelivered,
          }
        : undefined,
  };
}

/** R rounds of Aster then Postfix, each on fresh state. */
export async function runSourceBench(o: SourceOptions): Promise<SourceRun[]> {
  smtpSourceBinary();
  const file = join(o.work, 'registrar-4k.eml');
  // smtp-source -F reads lines and sends each with CRLF: write LF line ends. No Message-ID (see above).
  const message = registrarMessage({
    size: '4k',
    token: 'smtp-source',
    domain: `artsite-${DOMAIN_INDEX}.com`,
    to: `artsite-${DOMAIN_INDEX}.com@notify.localhost`,
  })
    .toString('latin1')
    .split('\r\n')
    .filter((l) => !/^message-id:/i.test(l))
    .join('\n');
  writeFileSync(file, message);
  const runs: SourceRun[] = [];
  for (let round = 1; round <= o.rounds; round++) {
    // Aster: a new database, a new process, the portfolio through the API.
    const dbName = `aster_bench_${process.pid}_source${round}`;
    const dbUrl = databaseUrl(o.pg.baseUrl, dbName);
    await withAdmin(o.pg.baseUrl, (c) => c.query(`CREATE DATABASE ${dbName}`));
    const dataDir = join(o.work, `aster-source${round}`);
    mkdirSync(dataDir, { recursive: true });
    const options: AsterOptions = {
      databaseUrl: dbUrl,
      smtpPort: 0,
      httpPort: 0,
      relayUrl: o.sink.url,
      dataDir,
      logFile: join(o.work, `aster-source${round}.log`),
    };
    const aster = await startAster(options, true, o.log);
    try {
      await createPortfolio(aster, CLIENTS, DOMAINS);
      const backends = () => pidsWhere((cmd) => cmd.includes(` ${dbName} `) && cmd.startsWith('postgres:'));
      const r = await trial(
        { name: 'Aster', port: options.smtpPort, pids: () => [...aster.pids(), ...backends()], database: dbName, ledger: () => asterLedger(dbUrl) },
        round,
        o,
        file,
      );
      runs.push(r);
      o.log(describe(r));
    } finally {
      await aster.stop();
      if (!o.keep) await withAdmin(o.pg.baseUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)).catch(() => undefined);
    }
    // Postfix: a new instance, forwarding to the same contact.
    const pfPort = await freePort();
    const postfix = PostfixInstance.start(join(o.work, `postfix-source${round}`), pfPort, o.sink.port, `contact-${DOMAIN_INDEX % CLIENTS}@client-bench.test`);
    try {
      const r = await trial({ name: 'Postfix', port: pfPort, pids: () => postfix.pids() }, round, o, file);
      runs.push(r);
      o.log(describe(r));
    } finally {
      postfix.stop();
    }
  }
  return runs;
}

function describe(r: SourceRun): string {
  return (
    `smtp-source round ${r.round} ${r.system}: ${r.exit}; ${r.accepted ?? '?'} accepted, ${r.copies} copies (${r.lost} lost, ${r.doubled} doubled) ` +
    `at ${rate(r.e2eRate)}/s; accept p50 ${ms(r.acceptP50)} p99 ${ms(r.acceptP99)} max ${ms(r.acceptMax)} ms; ${r.cpuMsPerMessage.toFixed(2)} CPU ms/msg; ` +
    `machine ${(r.machineBusy * 100).toFixed(0)}% busy, ${(r.othersBusy * 100).toFixed(0)}% by others; load ${r.loadavg}`
  );
}

/** The report's section: every run, then the medians and their ratio, then the check's verdicts. */
export function sourceReport(runs: SourceRun[], o: SourceOptions): string[] {
  const out: string[] = [];
  const aster = runs.filter((r) => r.system === 'Aster');
  const postfix = runs.filter((r) => r.system === 'Postfix');
  out.push(`### smtp-source: Aster and Postfix alternated, ${o.rounds} round${o.rounds > 1 ? 's' : ''}`);
  out.push('');
  out.push(
    `\`${sourceCommand(o)}\` — ${o.form === 'generated' ? "smtp-source's own message" : 'a registrar-like 4 KB message (-F)'}, ` +
      `${o.reuse ? 'one connection per session (-d)' : 'a new connection per message (smtp-source’s default)'}; ` +
      `${o.warmup ? `${o.warmup} messages of warm-up before each measured run; ` : ''}` +
      `${o.direct ? 'straight to the system (no latency figures)' : 'through the bench’s timing proxy (accept-proxy.ts)'}. ` +
      'Each run on fresh state: a new database and Aster process, a new Postfix instance.',
  );
  out.push('');
  const f = (v: number | undefined) => (v === undefined ? '–' : String(v));
  out.push(
    table(
      [
        'round',
        'system',
        'messages',
        'accepted',
        'copies',
        'lost',
        'doubled',
        'copies/s (first connection → last copy)',
        'accept p50 / p99 / max ms (MAIL FROM → 250)',
        'dot→250 p99 ms',
        'connect→greeting p99 ms',
        'CPU ms/msg of the system (of the timing proxy)',
        'machine busy / of it others',
        'load average',
        'Aster tables: stored / deliveries / sent',
        'smtp-source',
      ],
      runs.map((r) => [
        r.round,
        r.system,
        r.count,
        f(r.accepted),
        r.copies + (r.unidentified ? ` (+${r.unidentified} unidentified)` : ''),
        r.lost,
        r.doubled,
        rate(r.e2eRate),
        `${ms(r.acceptP50)} / ${ms(r.acceptP99)} / ${ms(r.acceptMax)}`,
        ms(r.dotP99),
        ms(r.greetP99),
        `${r.cpuMsPerMessage.toFixed(2)}${Number.isFinite(r.proxyCpuMsPerMessage) ? ` (${r.proxyCpuMsPerMessage.toFixed(2)})` : ''}`,
        `${(r.machineBusy * 100).toFixed(0)}% / ${(r.othersBusy * 100).toFixed(0)}%`,
        r.loadavg,
        r.ledger
          ? `${r.ledger.stored} / ${r.ledger.deliveries} / ${r.ledger.sent}${r.ledger.multiDelivered ? ` (${r.ledger.multiDelivered} with >1)` : ''}`
          : '–',
        r.exit,
      ]),
    ),
  );
  out.push('');
  const med = (rs: SourceRun[], pick: (r: SourceRun) => number) => median(rs.map(pick));
  const rows: [string, (r: SourceRun) => number, (v: number) => string][] = [
    ['copies/s, first connection → last copy', (r) => r.e2eRate, rate],
    ['accepted/s, first connection → last 250', (r) => r.intakeRate, rate],
    ['accept p50 ms', (r) => r.acceptP50, ms],
    ['accept p99 ms', (r) => r.acceptP99, ms],
    ['accept max ms', (r) => r.acceptMax, ms],
    ['dot→250 p99 ms', (r) => r.dotP99, ms],
    ['CPU ms/msg', (r) => r.cpuMsPerMessage, (v) => v.toFixed(2)],
  ];
  out.push(
    table(
      ['median over the rounds', 'Aster', 'Postfix', 'Aster / Postfix'],
      rows.map(([label, pick, fmt]) => {
        const a = med(aster, pick);
        const p = med(postfix, pick);
        return [label, fmt(a), fmt(p), Number.isFinite(a / p) ? (a / p).toFixed(2) : '–'];
      }),
    ),
  );
  out.push('');
  const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
  const ratio = med(aster, (r) => r.e2eRate) / med(postfix, (r) => r.e2eRate);
  const p99a = med(aster, (r) => r.acceptP99);
  const p99p = med(postfix, (r) => r.acceptP99);
  const sum = (rs: SourceRun[], pick: (r: SourceRun) => number) => rs.reduce((a, r) => a + pick(r), 0);
  const checks: string[][] = [['end-to-end rate, median Aster / median Postfix ≥ 1.0', Number.isFinite(ratio) ? ratio.toFixed(2) : '–', verdict(ratio >= 1)]];
  if (!o.direct) checks.push(["accept p99 ≤ Postfix's (medians)", `${ms(p99a)} ms vs ${ms(p99p)} ms`, verdict(p99a <= p99p)]);
  for (const [name, rs] of [
    ['Aster', aster],
    ['Postfix', postfix],
  ] as const) {
    const lost = sum(rs, (r) => r.lost);
    const doubled = sum(rs, (r) => r.doubled);
    const failed = rs.filter((r) => r.exit !== 'ok').length;
    checks.push([
      `${name}: nothing lost or doubled`,
      `${lost} lost, ${doubled} doubled over ${rs.length} run${rs.length > 1 ? 's' : ''}${failed ? `; smtp-source failed in ${failed}` : ''}`,
      verdict(lost === 0 && doubled === 0 && failed === 0),
    ]);
  }
  out.push(table(['check (as the held-out check compares)', 'measured', 'verdict'], checks));
  out.push('');
  return out;
}
