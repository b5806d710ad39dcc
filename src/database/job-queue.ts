// Durable jobs in PostgreSQL (pg-boss), through its public API only: what is scheduled for later and
// is not the mail hot path (staff alerts). The hot path runs on Aster's own tables (claim-loop.ts):
// routing claims stored messages, delivery claims due deliveries. A job that must commit with the work
// it refers to is sent inside that transaction (`sendInTransaction`, pg-boss's `db` option).
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { PgBoss, type SendOptions } from 'pg-boss';
import type { EntityManager } from 'typeorm';
import { ASTER_CONFIG } from '../config/config.module';
import type { AsterConfig } from '../config/config';
import { workerLink } from './worker-processes';

export const DATABASE_URL = Symbol('DATABASE_URL');

/** pg-boss queues Aster no longer uses (migration HotPathOnOwnTables1795790000000). */
const RETIRED_QUEUES = ['intake-route', 'deliver'];

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
  private readonly listeners = new Map<string, () => void>();

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
    // Routing and delivery used to be pg-boss queues; their work is on Aster's own tables now.
    // A database that still has those queues loses them, with their leftover jobs, through the API.
    if (this.config.roles.includes('worker')) {
      for (const retired of RETIRED_QUEUES) if (await this.boss.getQueue(retired)) await this.boss.deleteQueue(retired);
    }
  }

  /** Before the database connections close: let running jobs finish, hand back the rest. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.boss.stop({ graceful: true, timeout: 10_000 }).catch((err: unknown) => this.logger.warn(String(err)));
  }

  async define(queue: QueueDefinition): Promise<void> {
    const { name, ...options } = queue;
    await this.boss.createQueue(name, options);
  }

  async send(queue: string, data: object, options: SendOptions = {}): Promise<void> {
    await this.boss.send(queue, data, options);
  }

  /** Starts working a queue in this process (only in the `worker` role), one job at a time. */
  async work<T extends object>(queue: string, handler: JobHandler<T>, options: { pollingIntervalSeconds?: number } = {}): Promise<void> {
    if (!this.config.roles.includes('worker')) return;
    await this.boss.work<T>(queue, { includeMetadata: true, batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 }, async (jobs) => {
      for (const job of jobs) await handler(job.data, { id: job.id, retryCount: job.retryCount });
    });
  }

  /**
   * Sends a job inside the caller's transaction (pg-boss's `db` option): it commits or rolls back with
   * the caller's work.
   */
  async sendInTransaction(manager: EntityManager, queue: string, data: object, options: SendOptions = {}): Promise<void> {
    const runner = manager.queryRunner;
    if (!runner) throw new Error('sendInTransaction needs a manager bound to a transaction');
    const db = {
      executeSql: async (text: string, values?: unknown[]) => ({ rows: (await runner.query(text, values, true)).records as unknown[] }),
    };
    await this.boss.send(queue, data, { ...options, db } as SendOptions);
  }

  /**
   * Asks for work on `name` (a loop of claim-loop.ts: `intake-route`, `deliver`) to be done now: the
   * loop registered in this process wakes; in the main process, whose work runs in worker processes
   * (worker-processes.ts), one of them is told over IPC.
   */
  nudge(name: string): void {
    const local = this.listeners.get(name);
    if (local) local();
    else workerLink.nudge?.(name);
  }

  /** Registers this process's loop for `name`'s nudges. */
  onNudge(name: string, wake: () => void): void {
    this.listeners.set(name, wake);
  }
}
