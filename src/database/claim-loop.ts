// Work claimed from Aster's own tables: a loop opens a transaction, claims a batch of rows with
// `FOR UPDATE SKIP LOCKED`, does the work and writes its results in that same transaction, then
// commits once. The row locks are the claim: no other loop, here or in another instance, takes those
// rows while the work runs, and if this process dies the connection goes with it, PostgreSQL drops
// the locks and the rows are claimed again as they were (nothing was committed). So the claim costs
// no write and no commit of its own.
//
// A loop is woken by a nudge (a message was stored, a delivery queued: in this process, or from the
// main process over IPC) and otherwise sweeps on a timer, which finds what another instance stored,
// what a crash left behind and what is scheduled for later.
import { Logger } from '@nestjs/common';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { isDatabaseUnavailable } from './pg-errors';

export interface ClaimLoopOptions<T> {
  /** For logs and nudges: `intake-route`, `deliver`. */
  name: string;
  /** How many independent loops (each with its own connection) claim side by side. */
  loops: number;
  /** At most this many rows per pass. */
  batchSize: number;
  /** Sweep this often when nobody nudges (ms). */
  sweepMs: number;
  /** Claims up to `limit` rows in the open transaction (`… FOR UPDATE SKIP LOCKED`). */
  claim(manager: EntityManager, limit: number): Promise<T[]>;
  /** Works a claimed batch and writes its results through `manager`; the loop commits after. */
  work(manager: EntityManager, batch: T[]): Promise<void>;
}

/** How long a loop waits after the database was away before it claims again (ms). */
const AWAY_PAUSE_MS = 2000;
/** …and after a pass failed for another reason (a bug): the batch is claimed again after this. */
const ERROR_PAUSE_MS = 1000;

export class ClaimLoop<T> {
  private readonly logger: Logger;
  private running = false;
  private readonly loops: Promise<void>[] = [];
  /** Loops asleep, each with the function that wakes it. */
  private readonly sleepers: (() => void)[] = [];
  /** A nudge that came while every loop was busy: the next loop to finish passes again at once. */
  private pending = false;

  constructor(
    private readonly db: DataSource,
    private readonly options: ClaimLoopOptions<T>,
  ) {
    this.logger = new Logger(`ClaimLoop:${options.name}`);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    for (let i = 0; i < this.options.loops; i++) this.loops.push(this.run());
  }

  /** Finishes the passes under way (their batches commit) and stops. */
  async stop(): Promise<void> {
    this.running = false;
    for (const wake of this.sleepers.splice(0)) wake();
    await Promise.all(this.loops.splice(0));
  }

  /** Work is waiting: wake one sleeping loop now instead of at its next sweep. */
  nudge(): void {
    const wake = this.sleepers.shift();
    if (wake) wake();
    else this.pending = true;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let claimed = 0;
      let pause = 0;
      try {
        claimed = await this.pass();
      } catch (err) {
        if (isDatabaseUnavailable(err)) {
          this.logger.warn(`the database is away (${err instanceof Error ? err.message : String(err)}); claiming again in ${AWAY_PAUSE_MS / 1000} s`);
          pause = AWAY_PAUSE_MS;
        } else {
          this.logger.error(`a pass failed; its batch is claimed again: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
          pause = ERROR_PAUSE_MS;
        }
      }
      if (!this.running) break;
      if (pause) await this.sleep(pause);
      // A full batch means more are waiting; a nudge while busy means something new arrived.
      else if (claimed < this.options.batchSize && !this.pending) await this.sleep(this.options.sweepMs);
      this.pending = false;
    }
  }

  /** One transaction: claim, work, commit. Returns how many rows were claimed. */
  private async pass(): Promise<number> {
    const runner: QueryRunner = this.db.createQueryRunner();
    try {
      await runner.connect();
      await runner.startTransaction();
      try {
        const batch = await this.options.claim(runner.manager, this.options.batchSize);
        if (batch.length > 0) await this.options.work(runner.manager, batch);
        await runner.commitTransaction();
        return batch.length;
      } catch (err) {
        if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
        throw err;
      }
    } finally {
      await runner.release().catch(() => undefined);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        const at = this.sleepers.indexOf(wake);
        if (at >= 0) this.sleepers.splice(at, 1);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.push(wake);
    });
  }
}
