// Two Aster instances on one database under load: every message forwarded exactly once, also when
// jobs run a second time on both instances at once (a job taken back from a slow instance).
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

      // The hazard of two instances: a job taken back from one (it expired while that instance was
      // slow) runs on the other while the first still works on it. Run every route and delivery
      // job once more, on both instances at once: nothing may be decided or sent a second time.
      // Counted as they are inserted: counting pending jobs afterwards would race the instances,
      // which start on them at once.
      const [{ inserted }] = await query<{ inserted: string }>(
        db.url,
        `SELECT (SELECT count(*) FROM inbound_message WHERE aster_enqueue('intake-route', jsonb_build_object('messageId', id), NULL))
              + (SELECT count(*) FROM delivery WHERE aster_enqueue('deliver', jsonb_build_object('deliveryId', id), NULL)) AS inserted`,
      );
      expect(Number(inserted)).toBe(300 + 300);
      await waitUntil(async () => (await pendingJobs(db.url)) === 0, 'the repeated jobs to be done', 120_000);
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
