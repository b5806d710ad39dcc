// kill -9 in the middle of a load of 2,000 messages (three times), then a restart: every message that got 250 is
// forwarded, none twice; every message that did not get 250 was refused with a 4xx or never answered.
// The kill takes Aster's main process and its worker processes at once (the host going down); a
// second test kills only a worker process, which the main process replaces.
import { Sink } from '../support/sink';
import { startAster, type AsterProcess } from './support/aster-process';
import { registrarMessage, smtpLoad, type Outcome } from './support/load';
import { copies, freshDatabase, pendingJobs, query, seedLinda, stopEmbedded, waitUntil } from './support/world';

/** Registrar mail to the shared mailbox over 10 sessions; a refused or cut message is retried after 0.5 s. */
function registrarLoad(port: () => number, count: number, token: string, onOutcome: (outcome: Outcome) => void): Promise<Outcome[]> {
  return smtpLoad({
    port,
    count,
    sessions: 10,
    from: 'noreply@gandi.net',
    to: 'domains@notify.artsites.test',
    message: (i) => registrarMessage(i, token),
    retryPauseMs: 500,
    onOutcome: (_i, outcome) => onOutcome(outcome),
  });
}

describe('kill -9 under load', () => {
  const sink = new Sink();
  afterAll(async () => {
    await sink.stop();
    await stopEmbedded();
  });

  it('forwards every accepted message exactly once after a restart', async () => {
    await sink.start();
    const db = await freshDatabase();
    const env = { DATABASE_URL: db.url, RELAY_URL: sink.url };
    let aster: AsterProcess = await startAster(env);
    const ports = { httpPort: aster.httpPort, smtpPort: aster.smtpPort };
    try {
      await seedLinda(aster);
      const token = `kill${Date.now()}`;
      let accepted = 0;
      // Three kills, each at a moment when some messages are between their 250 and the next one: a
      // 250 given before the commit would lose one of those (a window of a millisecond or two).
      const killAt = new Set([500, 1000, 1500]);
      let restarted: Promise<void> = Promise.resolve();
      let kills = 0;
      const outcomes = await registrarLoad(
        () => ports.smtpPort,
        2000,
        token,
        (outcome) => {
          if (outcome.code === 250 && killAt.has(++accepted)) {
            restarted = restarted.then(async () => {
              expect(aster.workerPids().length).toBeGreaterThan(0);
              await aster.kill('SIGKILL');
              kills++;
              aster = await startAster(env, ports);
            });
          }
        },
      );
      await restarted;
      expect(kills).toBe(3);
      const codes = new Map<number, number>();
      for (const o of outcomes) codes.set(o.code, (codes.get(o.code) ?? 0) + 1);
      const ok = outcomes.flatMap((o, i) => (o.code === 250 ? [i] : []));
      // Every answer is 250, a temporary refusal, or none at all (the connection died with the process).
      expect([...codes.keys()].filter((c) => c !== 250 && c !== 0 && !(c >= 400 && c < 500))).toEqual([]);
      expect(ok.length).toBeGreaterThan(1000);
      expect(codes.get(0) ?? 0).toBeGreaterThan(0); // the kill really happened mid-load

      // A 250 means committed: every accepted message is stored at once, before anything is routed.
      const stored = new Set(
        (await query<{ messageId: string }>(db.url, `SELECT "messageId" FROM inbound_message WHERE "messageId" LIKE $1`, [`${token}-%`])).map(
          (r) => r.messageId,
        ),
      );
      expect(ok.filter((i) => !stored.has(`${token}-${i}@gandi.net`))).toEqual([]);

      await waitUntil(
        async () => {
          const { byIndex } = await copies(sink, token);
          return ok.every((i) => byIndex.has(i));
        },
        'a copy of every accepted message',
        240_000,
      );
      // What the killed process had claimed is claimed again once its connections are gone: a second
      // copy, if any, would be sent then, so count only once nothing is left to route or deliver.
      await waitUntil(async () => (await pendingJobs(db.url)) === 0, 'the route and deliver queues to empty', 180_000);
      const { byIndex } = await copies(sink, token);
      const missing = ok.filter((i) => !byIndex.has(i));
      const twice = [...byIndex].filter(([, ids]) => new Set(ids).size > 1).map(([i]) => i);
      const resent = [...byIndex].filter(([, ids]) => ids.length > 1).length;
      expect({ missing, twice }).toEqual({ missing: [], twice: [] });
      // A resend after a crash between the relay's 250 and its commit carries the same Message-ID
      // (DESIGN.md, stage 8); count them so the number is visible in the test output if any.
      if (resent) console.log(`${resent} copies were resent with the same Message-ID after the kill`);
      expect(resent).toBeLessThanOrEqual(10);
    } finally {
      await aster.kill('SIGTERM');
      await db.drop();
    }
  }, 400_000);

  it('replaces a worker process killed under load, and forwards every accepted message exactly once', async () => {
    const sink = await new Sink().start();
    const db = await freshDatabase();
    const aster = await startAster({ DATABASE_URL: db.url, RELAY_URL: sink.url });
    try {
      await seedLinda(aster);
      const token = `wkill${Date.now()}`;
      const [worker] = aster.workerPids();
      expect(worker).toBeDefined();
      let accepted = 0;
      const outcomes = await registrarLoad(
        () => aster.smtpPort,
        400,
        token,
        (outcome) => {
          if (outcome.code === 250 && ++accepted === 150) process.kill(worker, 'SIGKILL');
        },
      );
      // The SMTP listener never noticed: every message was accepted.
      expect(outcomes.filter((o) => o.code !== 250)).toEqual([]);
      await waitUntil(() => aster.workerPids().some((pid) => pid !== worker), 'a new worker process', 30_000);
      await waitUntil(
        async () => {
          const { byIndex } = await copies(sink, token);
          return outcomes.every((_o, i) => byIndex.has(i));
        },
        'a copy of every accepted message',
        180_000,
      );
      await waitUntil(async () => (await pendingJobs(db.url)) === 0, 'the route and deliver queues to empty', 180_000);
      const { byIndex } = await copies(sink, token);
      const twice = [...byIndex].filter(([, ids]) => new Set(ids).size > 1).map(([i]) => i);
      const resent = [...byIndex].filter(([, ids]) => ids.length > 1).length;
      expect(twice).toEqual([]);
      if (resent) console.log(`${resent} copies were resent with the same Message-ID after the worker was killed`);
      expect(resent).toBeLessThanOrEqual(10);
    } finally {
      await aster.kill('SIGTERM');
      await sink.stop();
      await db.drop();
    }
  }, 400_000);
});
