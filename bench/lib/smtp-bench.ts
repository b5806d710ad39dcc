// One measured SMTP run against one system: the load, then the wait until the sink holds every
// forwarded copy; intake and end-to-end figures from the per-message times.
import { registrarMessage, type MessageSize } from './messages';
import { CpuMeter, machineCpu, pidsWhere } from './proc';
import type { SinkHandle } from './sink-handle';
import { runLoad } from './smtp-load';
import type { StageBreakdown } from './stages';
import { percentile } from './stats';

export interface System {
  name: 'Aster' | 'Postfix';
  port: number;
  /** The processes whose CPU counts for this system. */
  pids: () => number[];
  /** Aster only: per-stage times of the run's messages (their Message-IDs start with the prefix). */
  breakdown?: (messageIdPrefix: string) => Promise<StageBreakdown | undefined>;
  /** Its own processes (Aster: the main process and its workers), apart from PostgreSQL. */
  mainPids?: () => number[];
  /** Aster only: transactions committed or rolled back so far in its database. */
  transactions?: () => Promise<number>;
}

export interface RunResult {
  system: System['name'];
  size: MessageSize;
  sessions: number;
  count: number;
  accepted: number;
  refused: number;
  errors: string[];
  /** Accepted messages per second, first MAIL FROM to the last answer. */
  intakeRate: number;
  /** MAIL FROM → 250, ms. */
  acceptP50: number;
  acceptP99: number;
  /** Final dot → 250, ms (the store-and-commit part). */
  dotP50: number;
  dotP99: number;
  arrived: number;
  /** Copies per second, first MAIL FROM to the last copy at the sink. */
  e2eRate: number;
  /** 250 → copy at the sink, ms. */
  e2eP50: number;
  e2eP99: number;
  /** CPU seconds of the system's processes per message, ms. */
  cpuMsPerMessage: number;
  /** Of which the main process (Aster's node process), ms per message. */
  mainCpuMsPerMessage?: number;
  /** Share of the whole machine's CPU busy during the run (all processes, the bench's own included). */
  machineBusy: number;
  /** Share of the machine's CPU used by processes that have nothing to do with the bench (other work on the machine). */
  othersBusy: number;
  wallSeconds: number;
  stages?: StageBreakdown;
  /** PostgreSQL transactions (each autocommitted statement is one) per accepted message. */
  transactionsPerMessage?: number;
}

let runCounter = 0;

export async function measure(
  system: System,
  sink: SinkHandle,
  options: {
    size: MessageSize;
    sessions: number;
    count: number;
    domains: string[];
    to: string;
    timeoutMs: number;
    /** The bench database: PostgreSQL backends serving other databases count as other work. */
    database: string;
    /** Processes of the bench that are not the measured system's (the other system, when it is idle). */
    alsoOurs?: () => number[];
    /** The bench's own PostgreSQL cluster_name, if it runs one: the machine's server is then other work. */
    cluster?: string;
  },
): Promise<RunResult> {
  const run = ++runCounter;
  const xacts0 = await system.transactions?.().catch(() => undefined);
  const cpu = new CpuMeter(system.pids);
  const main = system.mainPids ? new CpuMeter(() => system.mainPids!()) : undefined;
  const ours = new Set<number>();
  const foreign = new CpuMeter(() => {
    ours.clear();
    for (const pid of [...system.pids(), ...(options.alsoOurs?.() ?? []), process.pid, sink.pid]) ours.add(pid);
    return pidsWhere((cmd, pid) => !ours.has(pid) && isForeign(cmd, options.database, options.cluster));
  });
  const machine0 = machineCpu();
  const load = await runLoad({
    port: system.port,
    sessions: options.sessions,
    count: options.count,
    message: (i) => {
      const token = `bm${run}-${String(i).padStart(6, '0')}`;
      return {
        token,
        from: 'noreply@gandi-bench.test',
        to: options.to,
        raw: registrarMessage({ size: options.size, token, domain: options.domains[i % options.domains.length], to: options.to }),
      };
    },
  });
  const accepted = load.sent.filter((s) => s.code === 250);
  const tokens = accepted.map((s) => s.token);
  const arrived = await sink.waitFor(tokens, options.timeoutMs);
  const cpuSeconds = cpu.stop();
  const mainSeconds = main?.stop();
  const foreignSeconds = foreign.stop();
  const machine1 = machineCpu();
  const machineSeconds = (machine1.total - machine0.total) / 100;
  const busySeconds = (machine1.busy - machine0.busy) / 100;
  const arrivals = accepted.map((s) => sink.arrivals.get(s.token)?.at ?? NaN).filter(Number.isFinite);
  const lastArrival = Math.max(...arrivals);
  const e2e = accepted.map((s) => (sink.arrivals.get(s.token)?.at ?? NaN) - s.answeredAt).filter(Number.isFinite);
  const accept = accepted.map((s) => s.answeredAt - s.startedAt);
  const dot = accepted.map((s) => s.answeredAt - s.dataEndAt);
  const wall = (lastArrival - load.startedAt) / 1000;
  // The delivery row is marked sent just after the sink's answer: give it a moment.
  // A breakdown that fails (it reads tables the hot path may no longer write) leaves the figures out.
  const stages = system.breakdown ? await new Promise((r) => setTimeout(r, 500)).then(() => system.breakdown!(`bm${run}-`)).catch(() => undefined) : undefined;
  // Backends report their transaction counts within a second or so of going idle.
  const xacts1 = xacts0 === undefined ? undefined : await new Promise((r) => setTimeout(r, 1200)).then(() => system.transactions!()).catch(() => undefined);
  return {
    stages,
    transactionsPerMessage: xacts0 === undefined || xacts1 === undefined ? undefined : (xacts1 - xacts0) / Math.max(1, accepted.length),
    system: system.name,
    size: options.size,
    sessions: options.sessions,
    count: options.count,
    accepted: accepted.length,
    refused: load.sent.length - accepted.length,
    errors: load.errors,
    intakeRate: accepted.length / ((load.endedAt - load.startedAt) / 1000),
    acceptP50: percentile(accept, 50),
    acceptP99: percentile(accept, 99),
    dotP50: percentile(dot, 50),
    dotP99: percentile(dot, 99),
    arrived,
    e2eRate: arrived === tokens.length ? arrived / wall : NaN,
    e2eP50: percentile(e2e, 50),
    e2eP99: percentile(e2e, 99),
    cpuMsPerMessage: (cpuSeconds * 1000) / Math.max(1, accepted.length),
    mainCpuMsPerMessage: mainSeconds === undefined ? undefined : (mainSeconds * 1000) / Math.max(1, accepted.length),
    machineBusy: busySeconds / Math.max(0.01, machineSeconds),
    othersBusy: foreignSeconds / Math.max(0.01, machineSeconds),
    wallSeconds: wall,
  };
}

/**
 * Whether a process is other work on the machine: anything but the bench's own processes and
 * PostgreSQL's shared background processes (WAL writer, checkpointer …, which work for the bench
 * too). A backend serving another database is other work; so is every process of another cluster
 * when the bench runs its own (`cluster`, its cluster_name).
 */
export function isForeign(cmdline: string, database: string, cluster?: string): boolean {
  const pg = /^postgres: ([^:]+): (.*)$/.exec(cmdline.trim());
  if (!pg) return true;
  if (cluster && pg[1] !== cluster) return true;
  const backend = /^\S+ (\S+) (?:\S+\(\d+\)|\[local\])/.exec(pg[2]);
  return backend ? backend[1] !== database : false;
}
