// The SQL functions that insert pg-boss jobs inside Aster's own statements (migration
// HotPathFunctions) must make the same rows pg-boss itself makes for the same options: the queue's
// retry and expiry settings, retention, policy, and the slot of a debounced job.
import { DataSource } from 'typeorm';
import { JobQueue } from '../src/database/job-queue';
import { DELIVER_QUEUE, STAFF_ALERT_INTERVAL_SECONDS, STAFF_ALERT_QUEUE } from '../src/mail/delivery/queues';
import { startTestApp, type TestApp } from './support/test-app';

interface JobRow {
  name: string;
  data: object;
  priority: number;
  state: string;
  retry_limit: number;
  retry_delay: number;
  retry_backoff: boolean;
  expire_seconds: number;
  keep_seconds: number;
  policy: string | null;
  dead_letter: string | null;
  singleton_key: string | null;
  singleton_on: Date | null;
  start_after: Date;
}

describe('jobs inserted by SQL functions', () => {
  let t: TestApp;
  let db: DataSource;
  const jobs = async (key: string): Promise<JobRow[]> =>
    db.query(
      `SELECT name, data, priority, state, retry_limit, retry_delay, retry_backoff, extract(epoch FROM expire_in)::int AS expire_seconds,
              round(extract(epoch FROM keep_until - start_after))::int AS keep_seconds, policy, dead_letter, singleton_key, singleton_on, start_after
         FROM pgboss.job WHERE singleton_key = $1 ORDER BY start_after`,
      [key],
    );
  const comparable = ({ singleton_key: _k, start_after: _s, singleton_on: _o, ...row }: JobRow) => row;

  beforeAll(async () => {
    t = await startTestApp({ ASTER_ROLES: 'api' }); // no workers: the jobs stay as inserted
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  it('aster_enqueue makes the row pg-boss makes for the same queue and data', async () => {
    const [{ inserted }] = await db.query(`SELECT aster_enqueue($1, $2::jsonb, 'by-sql') AS inserted`, [
      DELIVER_QUEUE.name,
      JSON.stringify({ deliveryId: 'd1' }),
    ]);
    expect(inserted).toBe(true);
    await t.app.get(JobQueue).send(DELIVER_QUEUE.name, { deliveryId: 'd1' }, { singletonKey: 'by-pg-boss' });
    const [sql] = await jobs('by-sql');
    const [boss] = await jobs('by-pg-boss');
    expect(comparable(sql)).toEqual(comparable(boss));
    expect(sql).toMatchObject({ state: 'created', retry_limit: DELIVER_QUEUE.retryLimit, expire_seconds: DELIVER_QUEUE.expireInSeconds });
  });

  it('refuses a queue that does not exist instead of losing the job', async () => {
    await expect(db.query(`SELECT aster_enqueue('no-such-queue', '{}'::jsonb, NULL)`)).rejects.toThrow(/no job queue named no-such-queue/);
  });

  it('aster_enqueue_slot debounces like pg-boss: this slot, then the next one, then nothing more', async () => {
    // Both loops must run in one slot. Near a slot boundary (a loaded machine can take seconds over
    // them), wait for the next slot to begin rather than fail once every few hundred runs.
    const slotMs = STAFF_ALERT_INTERVAL_SECONDS * 1000;
    const [{ now }] = await db.query<{ now: string }[]>('SELECT extract(epoch FROM now()) * 1000 AS now');
    const leftMs = slotMs - (Number(now) % slotMs);
    if (leftMs < 10_000) await new Promise((r) => setTimeout(r, leftMs + 200));
    for (let i = 0; i < 3; i++) await db.query(`SELECT aster_enqueue_slot($1, 'slot-sql', $2)`, [STAFF_ALERT_QUEUE.name, STAFF_ALERT_INTERVAL_SECONDS]);
    for (let i = 0; i < 3; i++) {
      await t.app
        .get(JobQueue)
        .send(STAFF_ALERT_QUEUE.name, {}, { singletonKey: 'slot-boss', singletonSeconds: STAFF_ALERT_INTERVAL_SECONDS, singletonNextSlot: true });
    }
    const sql = await jobs('slot-sql');
    const boss = await jobs('slot-boss');
    expect(sql).toHaveLength(2);
    expect(boss).toHaveLength(2);
    expect(sql.map(comparable)).toEqual(boss.map(comparable));
    // The same slots.
    expect(sql.map((j) => j.singleton_on!.getTime())).toEqual(boss.map((j) => j.singleton_on!.getTime()));
    // The second job waits for the start of the next slot.
    expect(Math.abs(sql[1].start_after.getTime() - boss[1].start_after.getTime())).toBeLessThan(1000);
    expect(sql[1].singleton_on!.getTime() - sql[0].singleton_on!.getTime()).toBe(STAFF_ALERT_INTERVAL_SECONDS * 1000);
  });
});
