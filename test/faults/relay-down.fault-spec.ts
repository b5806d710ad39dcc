// The relay down for a while under load, then back: everything delivered, nothing failed.
import { Sink } from '../support/sink';
import { startAster } from './support/aster-process';
import { registrarMessage, smtpLoad } from './support/load';
import { copies, freshDatabase, seedLinda, stopEmbedded, waitUntil } from './support/world';

describe('relay down under load', () => {
  const sink = new Sink();
  afterAll(async () => {
    await sink.stop();
    await stopEmbedded();
  });

  it('delivers everything once the relay is back, and fails nothing', async () => {
    await sink.start();
    const db = await freshDatabase();
    const aster = await startAster({ DATABASE_URL: db.url, RELAY_URL: sink.url });
    try {
      await seedLinda(aster);
      sink.down();
      const token = `relay${Date.now()}`;
      const outcomes = await smtpLoad({
        port: () => aster.smtpPort,
        count: 200,
        sessions: 10,
        from: 'noreply@gandi.net',
        to: 'domains@notify.artsites.test',
        message: (i) => registrarMessage(i, token),
      });
      expect(outcomes.every((o) => o.code === 250)).toBe(true);
      // Wait until deliveries have really failed against the dead relay before bringing it back.
      await waitUntil(
        async () => {
          const text = await (await aster.api('/metrics')).text();
          return /aster_deliveries\{status="queued",form="forward"\} 200/.test(text) && !/aster_queue_depth\{queue="intake-route"\} [1-9]/.test(text);
        },
        'every message routed and waiting for the relay',
        60_000,
      );
      const waiting = await (await aster.api('/api/messages?limit=1')).json();
      const one = await (await aster.api(`/api/messages/${waiting.items[0].id}`)).json();
      await waitUntil(
        async () => {
          const m = await (await aster.api(`/api/messages/${one.id}`)).json();
          return m.deliveries[0].attempts >= 1;
        },
        'a failed attempt against the dead relay',
        30_000,
      );

      sink.up();
      await waitUntil(async () => (await copies(sink, token)).byIndex.size === 200, 'all 200 copies at the sink', 180_000);
      const { byIndex } = await copies(sink, token);
      expect([...byIndex.values()].every((ids) => ids.length === 1)).toBe(true);
      const metrics = await (await aster.api('/metrics')).text();
      expect(metrics).toMatch(/aster_deliveries\{status="sent",form="forward"\} 200/);
      expect(metrics).not.toMatch(/aster_deliveries\{status="failed"/);
      const after = await (await aster.api(`/api/messages/${one.id}`)).json();
      expect(after.deliveries[0].attemptLog[0].outcome).toBe('temporary');
    } finally {
      await aster.kill('SIGTERM');
      await db.drop();
    }
  }, 400_000);
});
