// The routing chain after `store` runs as durable jobs: stopping the app in the middle of
// processing, or running two instances on one database, finishes every message exactly once.
import { DataSource } from 'typeorm';
import { IntakePipeline } from '../src/mail/intake/intake.pipeline';
import { SmtpReceiver } from '../src/mail/intake/receive';
import { seedClient } from './support/fixtures';
import { sendRaw, waitFor } from './support/smtp';
import { createTestDatabase, startTestApp, type TestApp } from './support/test-app';

const MAIL_DOMAIN = 'notify.artsites.test';

function expiryNotice(i: number): string {
  return [
    'From: "Namecheap" <support@namecheap.com>',
    `To: domains@${MAIL_DOMAIN}`,
    `Subject: Domain expiration notice #${i}: lindapence.com`,
    `Message-ID: <expiry-${i}-${Date.now()}@namecheap.com>`,
    'Date: Wed, 25 Nov 2026 08:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Your domain lindapence.com will expire on December 24, 2026. Reminder ${i}.`,
    '',
  ].join('\r\n');
}

async function sendMany(t: TestApp, from: number, count: number): Promise<string[]> {
  const port = t.app.get(SmtpReceiver).address()!.port;
  const ids: string[] = [];
  for (let i = from; i < from + count; i++) {
    const result = await sendRaw(port, { from: 'bounces@namecheap.com', to: [`domains@${MAIL_DOMAIN}`] }, expiryNotice(i));
    expect(result.responseCode).toBe(250);
    ids.push(/queued as (\S+)/.exec(result.response)![1]);
  }
  return ids;
}

async function deliveriesPerMessage(db: DataSource, ids: string[]): Promise<Map<string, number>> {
  const rows: { id: string; n: number; stage: string }[] = await db.query(
    `SELECT m.id, m.stage, count(d.id)::int AS n FROM inbound_message m LEFT JOIN delivery d ON d."inboundMessageId" = m.id
      WHERE m.id = ANY($1::uuid[]) GROUP BY m.id`,
    [ids],
  );
  return new Map(rows.filter((r) => r.stage === 'decided').map((r) => [r.id, r.n]));
}

describe('intake jobs survive restarts and run once', () => {
  it('finishes messages stored while no worker ran, after a restart, exactly once', async () => {
    const database = await createTestDatabase();
    const intakeOnly = await startTestApp({ ASTER_ROLES: 'api,smtp' }, { database, keepDatabase: true });
    await seedClient(intakeOnly, {
      name: 'Linda Pence Studio',
      contacts: [
        { name: 'Linda', email: 'linda@pence-mail.test' },
        { name: 'Assistant', email: 'assist@pence-mail.test' },
      ],
      domains: ['lindapence.com'],
    });
    const ids = await sendMany(intakeOnly, 0, 10);
    expect((await deliveriesPerMessage(intakeOnly.app.get(DataSource), ids)).size).toBe(0);
    await intakeOnly.close();

    // A full instance that is stopped while it is still working through a second batch…
    const first = await startTestApp({}, { database, keepDatabase: true });
    ids.push(...(await sendMany(first, 10, 20)));
    await first.close();

    // …and a fresh one that finishes everything.
    const second = await startTestApp({}, { database });
    try {
      const db = second.app.get(DataSource);
      const counts = await waitFor(
        async () => {
          const c = await deliveriesPerMessage(db, ids);
          return c.size === ids.length ? c : undefined;
          // A job the stopped instance had claimed but not finished is retried when it expires
          // (30 s, checked every 15 s): the same path that recovers from a crash.
        },
        'every message to be decided',
        75_000,
      );
      expect([...counts.values()].every((n) => n === 2)).toBe(true);

      // A job that runs again (a crash after the commit, a second instance) changes nothing.
      const pipeline = second.app.get(IntakePipeline);
      await Promise.all([...ids.slice(0, 5), ...ids.slice(0, 5)].map((id) => pipeline.route(id)));
      const again = await deliveriesPerMessage(db, ids);
      expect([...again.values()].every((n) => n === 2)).toBe(true);
    } finally {
      await second.close();
    }
  }, 150_000);

  it('two instances on one database route every message exactly once', async () => {
    const database = await createTestDatabase();
    const a = await startTestApp({}, { database, keepDatabase: true });
    const b = await startTestApp({}, { database, keepDatabase: true });
    try {
      await seedClient(a, {
        name: 'Linda Pence Studio',
        contacts: [{ name: 'Linda', email: 'linda@pence-mail.test' }],
        domains: ['lindapence.com'],
      });
      const ids = [...(await sendMany(a, 100, 10)), ...(await sendMany(b, 200, 10))];
      // Both instances race on the same jobs, and also run some by hand at the same time.
      await Promise.all(ids.slice(0, 10).flatMap((id) => [a.app.get(IntakePipeline).route(id), b.app.get(IntakePipeline).route(id)]));
      const db = a.app.get(DataSource);
      const counts = await waitFor(async () => {
        const c = await deliveriesPerMessage(db, ids);
        return c.size === ids.length ? c : undefined;
      }, 'every message to be decided');
      expect([...counts.values()]).toEqual(ids.map(() => 1));
    } finally {
      await a.close();
      await b.close();
      await database.drop();
    }
  }, 90_000);
});
