// Durable jobs in PostgreSQL (pg-boss): work survives crashes and restarts, and any instance may
// finish any job (jobs are claimed with FOR UPDATE SKIP LOCKED). A job that must be committed with
// the work it refers to is inserted in that transaction by the SQL functions aster_enqueue and
// aster_enqueue_slot (src/database/sql/*.sql); this class defines the
// queues, sends jobs on their own and works them.
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import PgBoss from 'pg-boss';
import { ASTER_CONFIG } from '../config/config.module';
import type { AsterConfig } from '../config/config';
import { workerLink } from './worker-processes';

export const DATABASE_URL = Symbol('DATABASE_URL');

export interface QueueDefinition {
  name: string;
  retryLimit: number;
  retryDelay: number;
  retryBackoff: boolean;
  expireInSeconds: number;
}

export type JobHandler<T> = (data: T, job: { id: string; retryCount: number }) => Promise<void>;

@Injectable()
export class JobQueue implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('JobQueue');
  private readonly boss: PgBoss;
  private readonly workers = new Map<string, string[]>();
  private readonly nudges = new Map<string, number>();

  constructor(
    @Inject(DATABASE_URL) databaseUrl: string,
    @Inject(ASTER_CONFIG) private readonly config: AsterConfig,
  ) {
    this.boss = new PgBoss({
      connectionString: databaseUrl,
      schema: 'pgboss',
      max: 6,
      // Maintenance (expiry, archiving) runs where jobs are worked.
      supervise: config.roles.includes('worker'),
      // A job held by an instance that died is retried once it expires; check for that often.
      maintenanceIntervalSeconds: 15,
      schedule: false,
    });
    this.boss.on('error', (err) => this.logger.error(err));
  }

  async onModuleInit(): Promise<void> {
    await this.boss.start();
  }

  /** Before the database connections close: let running jobs finish, hand back the rest. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 }).catch((err: unknown) => this.logger.warn(String(err)));
  }

  async define(queue: QueueDefinition): Promise<void> {
    const { name, ...options } = queue;
    await this.boss.createQueue(name, { name, ...options });
  }

  async send(queue: string, data: object, options: PgBoss.SendOptions = {}): Promise<void> {
    await this.boss.send(queue, data, options);
  }

  /**
   * Starts working a queue in this process (only in the `worker` role). A batch's jobs run one after
   * another, or together with `concurrent` (for I/O-bound work such as SMTP sends). `workers` starts
   * that many independent fetch loops on the queue (pg-boss 10 has no local concurrency setting), so
   * one batch's database round trips overlap another's; each job is still claimed by exactly one
   * (FOR UPDATE SKIP LOCKED).
   */
  async work<T extends object>(
    queue: string,
    handler: JobHandler<T>,
    options: { batchSize?: number; pollingIntervalSeconds?: number; concurrent?: boolean; workers?: number } = {},
  ): Promise<void> {
    await this.workBatches<T>(
      queue,
      async (jobs) => {
        if (options.concurrent) await Promise.all(jobs.map((job) => handler(job.data, job)));
        else for (const job of jobs) await handler(job.data, job);
      },
      options,
    );
  }

  /**
   * Like `work`, with the handler given the whole batch at once (to read and write for all its jobs
   * in one round trip). If it throws, every job of the batch is retried.
   */
  async workBatches<T extends object>(
    queue: string,
    handler: (jobs: { data: T; id: string; retryCount: number }[]) => Promise<void>,
    options: { batchSize?: number; pollingIntervalSeconds?: number; workers?: number } = {},
  ): Promise<void> {
    if (!this.config.roles.includes('worker')) return;
    const batchSize = options.batchSize ?? 1;
    const ids: string[] = [];
    for (let i = 0; i < (options.workers ?? 1); i++) {
      let id = '';
      id = await this.boss.work<T>(queue, { includeMetadata: true, batchSize, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 0.5 }, async (jobs) => {
        await handler(jobs.map((job) => ({ data: job.data, id: job.id, retryCount: job.retryCount })));
        // pg-boss 10 otherwise sleeps out its polling interval even after a full batch, capping a
        // queue at batchSize jobs per 0.5 s (docs/benchmarks.md): a full batch means more are waiting.
        if (jobs.length === batchSize && id) this.boss.notifyWorker(id);
      });
      ids.push(id);
    }
    this.workers.set(queue, ids);
  }

  /**
   * Wakes one of this process's workers for `queue` now instead of at its next poll, in turn: one
   * new job needs one fetch, and a worker that finds its batch full fetches again by itself.
   */
  nudge(queue: string): void {
    const ids = this.workers.get(queue);
    if (!ids?.length) {
      // The worker role runs in child processes (worker-processes.ts): wake one of them.
      workerLink.nudge?.(queue);
      return;
    }
    const turn = this.nudges.get(queue) ?? 0;
    this.nudges.set(queue, turn + 1);
    this.boss.notifyWorker(ids[turn % ids.length]);
  }
}
