// The `worker` role in child processes of its own (ASTER_WORKER_PROCESSES, default 1), so that routing
// and delivery run on another core than the SMTP listener and the API: Node runs JavaScript on one
// core per process. The main process forks the children, restarts one that dies, wakes them when a
// message is stored (IPC), gathers their latency metrics for /metrics, and stops them before the
// database. A child stops by itself when the main process goes away (its IPC channel closes), so a
// `kill -9` of the main process leaves nothing running for long; what a dead process had claimed
// (its transactions' row locks, claim-loop.ts) is free again as soon as its connections close.
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setPriority } from 'node:os';
import type { MetricObjectWithValues, MetricValue } from 'prom-client';

/** How much lower the worker processes' CPU priority is than the main process's (nice). */
const WORKER_NICENESS = 5;

/** Set in a worker child's environment. */
export const WORKER_CHILD_ENV = 'ASTER_WORKER_CHILD';

type ChildMessage =
  | { type: 'aster-nudge'; queue: string }
  | { type: 'aster-metrics-request'; id: string }
  | { type: 'aster-metrics'; id: string; metrics: MetricObjectWithValues<MetricValue<string>>[] };

export function isWorkerChild(): boolean {
  return process.env[WORKER_CHILD_ENV] === '1' && typeof process.send === 'function';
}

/** Hooks the main process's and the children's modules use, set up by main.ts. */
export const workerLink: {
  /** Main process: wake a child's loop `queue` (a message was stored, a delivery queued). */
  nudge?: (queue: string) => void;
  /** Main process: the children's own metrics (latencies, process figures), for /metrics. */
  childMetrics?: () => Promise<MetricObjectWithValues<MetricValue<string>>[][]>;
} = {};

interface Logger {
  info(msg: string): void;
  error(msg: string): void;
}

export class WorkerProcesses {
  private readonly children: (ChildProcess | undefined)[];
  private stopping = false;
  private turn = 0;
  private readonly pendingNudges = new Set<string>();

  constructor(
    private readonly count: number,
    private readonly env: NodeJS.ProcessEnv,
    private readonly log: Logger,
  ) {
    this.children = new Array<ChildProcess | undefined>(count).fill(undefined);
  }

  start(): void {
    for (let i = 0; i < this.count; i++) this.spawn(i);
    workerLink.nudge = (queue) => this.nudge(queue);
    workerLink.childMetrics = () => this.metrics();
  }

  private spawn(slot: number): void {
    const child = fork(process.argv[1], process.argv.slice(2), {
      env: { ...this.env, [WORKER_CHILD_ENV]: '1', ASTER_ROLES: 'worker' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.children[slot] = child;
    // Background work yields the CPU to the SMTP listener, whose answers senders wait for.
    try {
      if (child.pid) setPriority(child.pid, WORKER_NICENESS);
    } catch {
      // not permitted here: same priority as the main process
    }
    this.log.info(`worker process ${slot + 1} started (pid ${child.pid})`);
    child.on('exit', (code, signal) => {
      if (this.children[slot] === child) this.children[slot] = undefined;
      if (this.stopping) return;
      this.log.error(`worker process ${slot + 1} (pid ${child.pid}) exited (${signal ?? `code ${code}`}); starting another in 1 s`);
      setTimeout(() => {
        if (!this.stopping) this.spawn(slot);
      }, 1000).unref();
    });
    child.on('error', (err) => this.log.error(`worker process ${slot + 1}: ${err.message}`));
  }

  /** Wakes one child's worker for `queue`, at most once per turn of the event loop. */
  private nudge(queue: string): void {
    if (this.pendingNudges.has(queue)) return;
    this.pendingNudges.add(queue);
    setImmediate(() => {
      this.pendingNudges.delete(queue);
      const live = this.children.filter((c): c is ChildProcess => Boolean(c?.connected));
      if (live.length === 0) return;
      const child = live[this.turn++ % live.length];
      child.send({ type: 'aster-nudge', queue } satisfies ChildMessage, () => undefined);
    });
  }

  private async metrics(): Promise<MetricObjectWithValues<MetricValue<string>>[][]> {
    const live = this.children.filter((c): c is ChildProcess => Boolean(c?.connected));
    return Promise.all(
      live.map(
        (child) =>
          new Promise<MetricObjectWithValues<MetricValue<string>>[]>((resolve) => {
            const id = randomUUID();
            const timer = setTimeout(() => done([]), 2000);
            const onMessage = (msg: ChildMessage) => {
              if (msg?.type === 'aster-metrics' && msg.id === id) done(msg.metrics);
            };
            const done = (metrics: MetricObjectWithValues<MetricValue<string>>[]) => {
              clearTimeout(timer);
              child.off('message', onMessage);
              resolve(metrics);
            };
            child.on('message', onMessage);
            child.send({ type: 'aster-metrics-request', id } satisfies ChildMessage, (err) => err && done([]));
          }),
      ),
    );
  }

  /** Asks every child to finish its running jobs and stop; waits up to `timeoutMs`. */
  async stop(timeoutMs = 20_000): Promise<void> {
    this.stopping = true;
    workerLink.nudge = undefined;
    workerLink.childMetrics = undefined;
    await Promise.all(
      this.children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => {
              child.kill('SIGKILL');
              resolve();
            }, timeoutMs);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
  }
}

/**
 * In a worker child: answer the main process's nudges and metrics requests, and stop when the main
 * process goes away.
 */
export function serveMainProcess(handlers: {
  nudge(queue: string): void;
  metrics(): Promise<MetricObjectWithValues<MetricValue<string>>[]>;
  stop(reason: string): void;
}): void {
  process.on('message', (msg: ChildMessage) => {
    if (msg?.type === 'aster-nudge') handlers.nudge(msg.queue);
    else if (msg?.type === 'aster-metrics-request') {
      void handlers
        .metrics()
        .catch(() => [])
        .then((metrics) => process.send?.({ type: 'aster-metrics', id: msg.id, metrics } satisfies ChildMessage, () => undefined));
    }
  });
  process.on('disconnect', () => handlers.stop('the main process is gone'));
}
