// PostgreSQL stopped under load, then started: 451 while it is down, no 250 without a stored
// message, and normal service again without restarting Aster. The test stops a PostgreSQL of its
// own (embedded, in a temporary directory), never the machine's.
import { Client } from 'pg';
import { Sink } from '../support/sink';
import { startAster } from './support/aster-process';
import { Cluster } from './support/cluster';
import { registrarMessage, smtpLoad, type Outcome } from './support/load';
import { copies, waitUntil } from './support/world';

describe('PostgreSQL down under load', () => {
  const sink = new Sink();
  afterAll(() => sink.stop());

  it('answers 451 while the database is down and recovers by itself', async () => {
    await sink.start();
    const pg = await Cluster.create();
    const url = pg.url;
    const aster = await startAster({ DATABASE_URL: url, RELAY_URL: sink.url });
    try {
      const token = `dbdown${Date.now()}`;
      // The client and domain go in by SQL through a connection of our own.
      const sql = new Client({ connectionString: url });
      await sql.connect();
      const [{ id }] = (await sql.query(`INSERT INTO client (name) VALUES ('Linda') RETURNING id`)).rows;
      await sql.query(`INSERT INTO contact ("clientId", name, email) VALUES ($1, 'Linda', 'linda@pence-mail.test')`, [id]);
      await sql.query(`INSERT INTO domain (name, "unicodeName", "clientId") VALUES ('lindapence.com', 'lindapence.com', $1)`, [id]);
      await sql.end();

      let accepted = 0;
      let acceptedAfter = 0;
      let phase: 'up' | 'down' | 'back' = 'up';
      const during: Outcome[] = [];
      let outage: Promise<void> | undefined;
      let outageFailed = false;
      const outcomes = await smtpLoad({
        port: () => aster.smtpPort,
        count: 20_000,
        sessions: 5,
        // Keep the load going through the outage and until 200 more messages were accepted after it.
        // (or at once when the outage went wrong, so that a broken promise fails fast).
        until: () => acceptedAfter >= 200 || outageFailed,
        from: 'noreply@gandi.net',
        to: 'domains@notify.artsites.test',
        message: (i) => registrarMessage(i, token),
        onOutcome: (_i, outcome) => {
          if (phase === 'down') during.push(outcome);
          if (phase === 'back' && outcome.code === 250) acceptedAfter++;
          if (outcome.code === 250 && ++accepted === 150 && !outage) {
            outage = (async () => {
              phase = 'down';
              await pg.send('stop');
              // Down until the listener has refused a good number of messages.
              await waitUntil(() => during.filter((o) => o.code === 451).length >= 50, '451 answers while PostgreSQL is down', 60_000);
              await pg.send('start');
              phase = 'back';
            })();
            outage.catch(() => {
              outageFailed = true;
              void pg.send('start').catch(() => undefined);
            });
          }
        },
      });
      await outage;
      expect(during.filter((o) => o.code === 451).length).toBeGreaterThanOrEqual(50);
      // While PostgreSQL is down (or going down) an answer is 451, or 250 for a commit that made it.
      expect(during.filter((o) => o.code !== 451 && o.code !== 250)).toEqual([]);
      expect(during.filter((o) => o.code === 451).every((o) => /^451 4\.3\.0 /.test(o.text))).toBe(true);
      // Normal service again, without a restart: the last messages of the load were accepted.
      expect(acceptedAfter).toBeGreaterThanOrEqual(200);
      expect(outcomes.slice(-50).every((o) => o.code === 250)).toBe(true);

      // No 250 without a stored message: every accepted message is in the database and forwarded.
      const ok = outcomes.flatMap((o, i) => (o.code === 250 ? [i] : []));
      const refused = outcomes.flatMap((o, i) => (o.code === 451 ? [i] : []));
      const check = new Client({ connectionString: url });
      await check.connect();
      const storedIds = (await check.query(`SELECT "messageId" FROM inbound_message`)).rows.map((r: { messageId: string }) => r.messageId);
      await check.end();
      await waitUntil(async () => (await copies(sink, token)).byIndex.size >= ok.length, 'a copy of every accepted message', 180_000);
      expect(ok.filter((i) => !storedIds.includes(`${token}-${i}@gandi.net`))).toEqual([]);
      // A refused message may not be stored (the sender retries it): none of them is.
      expect(refused.filter((i) => storedIds.includes(`${token}-${i}@gandi.net`))).toEqual([]);
      const { byIndex } = await copies(sink, token);
      expect(ok.filter((i) => !byIndex.has(i))).toEqual([]);
      expect([...byIndex.keys()].filter((i) => !ok.includes(i))).toEqual([]);
    } finally {
      await aster.kill('SIGTERM');
      await pg.close();
    }
  }, 400_000);
});
