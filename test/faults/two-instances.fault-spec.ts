// Two Aster instances on one database under load: every message forwarded exactly once, also when
// every message and delivery is made due again while both instances sweep for work.
import { Sink } from '../support/sink';
import { startAster } from './support/aster-process';
import { registrarMessage, smtpLoad } from './support/load';
import { copies, freshDatabase, pendingJobs, query, seedLinda, stopEmbedded, waitUntil } from './support/world';

describe('two instances on one database', () => {
  const sink = new Sink();
  afterAll(async () => {
    await sink.stop();
    await stopEmbedded();
  });

  it('forwards every message exactly once', async () => {
    await sink.start();
    const db = await freshDatabase();
    const a = await startAster({ DATABASE_URL: db.url, RELAY_URL: sink.url });
    const b = await startAster({ DATABASE_URL: db.url, RELAY_URL: sink.url });
    try {
      await seedLinda(a);
      const token = `two${Date.now()}`;
      const load = (port: number, offset: number) =>
        smtpLoad({
          port: () => port,
          count: 150,
          sessions: 5,
          from: 'noreply@gandi.net',
          to: 'domains@notify.artsites.test',
          message: (i) => registrarMessage(i + offset, token),
        });
      const [ra, rb] = await Promise.all([load(a.smtpPort, 0), load(b.smtpPort, 150)]);
      expect([...ra, ...rb].every((o) => o.code === 250)).toBe(true);
      await waitUntil(async () => (await copies(sink, token)).byIndex.size === 300, 'all 300 copies', 180_000);
      const { byIndex } = await copies(sink, token);
      expect([...byIndex.values()].filter((ids) => ids.length !== 1)).toEqual([]);
      // Once no job is left anywhere, nothing more can arrive: count again.
      await waitUntil(
        async () => !/aster_queue_depth\{queue="(deliver|intake-route)"\} [1-9]/.test(await (await a.api('/metrics')).text()),
        'empty queues',
        60_000,
      );
      expect(sink.messages.length).toBe(300);

      // The hazard of two instances: both claim the same work. A claim is the row lock of the pass
      // that works it (claim-loop.ts), so it cannot be taken back while that pass runs; what the
      // loops look at is every stored message and every queued delivery that is due. Make all of
      // them due again, many times, with both instances sweeping: nothing may be decided or sent a
      // second time.
      for (let round = 0; round < 5; round++) {
        const [{ touched }] = await query<{ touched: string }>(
          db.url,
          `WITH m AS (UPDATE inbound_message SET "routeAfter" = now() RETURNING 1),
                d AS (UPDATE delivery SET "nextAttemptAt" = now() RETURNING 1)
           SELECT (SELECT count(*) FROM m) + (SELECT count(*) FROM d) AS touched`,
        );
        expect(Number(touched)).toBe(300 + 300);
        await new Promise((r) => setTimeout(r, 1200)); // past both instances' sweeps
      }
      await waitUntil(async () => (await pendingJobs(db.url)) === 0, 'nothing left to do', 120_000);
      await new Promise((r) => setTimeout(r, 1000));
      expect(sink.messages.length).toBe(300);
      const [{ n }] = await query<{ n: string }>(db.url, 'SELECT count(*) AS n FROM delivery');
      expect(Number(n)).toBe(300);
      for (const aster of [a, b]) {
        const metrics = await (await aster.api('/metrics')).text();
        expect(metrics).toMatch(/aster_deliveries\{status="sent",form="forward"\} 300/);
      }
    } finally {
      await a.kill('SIGTERM');
      await b.kill('SIGTERM');
      await db.drop();
    }
  }, 400_000);
});
