// The forwarding hot path on Aster's own tables (issue 15): routing claims stored messages with row
// locks in an open transaction, decides, relays the copies and writes the decisions, deliveries and
// first attempts in that one transaction; a claim dies with its connection; nothing is written into
// pg-boss's tables except through its API.
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { JobQueue } from '../src/database/job-queue';
import { copyId } from '../src/mail/delivery/forwarder';
import { STAFF_ALERT_INTERVAL_SECONDS, STAFF_ALERT_QUEUE } from '../src/mail/delivery/queues';
import { SmtpReceiver } from '../src/mail/intake/receive';
import { seedClient } from './support/fixtures';
import { Sink } from './support/sink';
import { sendRaw, waitFor } from './support/smtp';
import { createTestDatabase, startTestApp, type TestApp } from './support/test-app';

const MAIL_DOMAIN = 'notify.artsites.test';

function notice(tag: string, i: number): string {
  return [
    'From: "Namecheap" <support@namecheap.com>',
    `To: domains@${MAIL_DOMAIN}`,
    `Subject: Domain expiration notice ${tag}-${i}: lindapence.com`,
    `Message-ID: <${tag}-${i}@namecheap.com>`,
    'Date: Wed, 25 Nov 2026 08:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Your domain lindapence.com will expire on December 24, 2026. Reminder ${i}.`,
    '',
  ].join('\r\n');
}

async function store(t: TestApp, tag: string, count: number): Promise<string[]> {
  const port = t.app.get(SmtpReceiver).address()!.port;
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const result = await sendRaw(port, { from: 'bounces@namecheap.com', to: [`domains@${MAIL_DOMAIN}`] }, notice(tag, i));
      expect(result.responseCode).toBe(250);
      return /queued as (\S+)/.exec(result.response)![1];
    }),
  );
}

const seedLinda = (t: TestApp) =>
  seedClient(t, {
    name: 'Linda Pence Studio',
    contacts: [
      { name: 'Linda', email: 'linda@pence-mail.test' },
      { name: 'Assistant', email: 'assist@pence-mail.test' },
    ],
    domains: ['lindapence.com'],
  });

describe('the hot path on our own tables', () => {
  const sink = new Sink();
  beforeAll(() => sink.start());
  afterAll(() => sink.stop());

  it('writes a message’s decision, its deliveries and their first attempts in the one transaction of its routing pass', async () => {
    // Twelve sessions at once from one address: above the per-address default.
    const t = await startTestApp({ RELAY_URL: sink.url, SMTP_MAX_CONNECTIONS_PER_ADDRESS: '20' });
    try {
      await seedLinda(t);
      const ids = await store(t, `one-commit-${Date.now()}`, 12);
      const db = t.app.get(DataSource);
      await waitFor(async () => {
        const [{ n }] = await db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM inbound_message WHERE id = ANY($1) AND stage = 'decided'`, [ids]);
        return n === ids.length ? true : undefined;
      }, 'every message decided');
      // now() is the start of the transaction that runs a statement, the same for every statement of
      // one transaction and different between two: decidedAt, the deliveries' createdAt and the
      // attempts' time are all now() of the write. (xmin would not do: the decisions are written
      // under a savepoint, a subtransaction with an xid of its own.)
      const rows = await db.query<{ id: string; decided: string; created: string[]; attempted: string[]; sent: number }[]>(
        `SELECT m.id, m."decidedAt"::text AS decided,
                array_agg(DISTINCT d."createdAt"::text) AS created, array_agg(DISTINCT a.at::text) AS attempted,
                count(DISTINCT d.id) FILTER (WHERE d.status = 'sent')::int AS sent
           FROM inbound_message m JOIN delivery d ON d."inboundMessageId" = m.id JOIN delivery_attempt a ON a."deliveryId" = d.id
          WHERE m.id = ANY($1) GROUP BY m.id, m."decidedAt"`,
        [ids],
      );
      expect(rows).toHaveLength(ids.length);
      for (const row of rows) {
        expect(row.sent).toBe(2);
        expect(row.created).toEqual([row.decided]);
        expect(row.attempted).toEqual([row.decided]);
      }
      // Each copy's Message-ID comes from its delivery id, which comes from the message and the address.
      const deliveries = await db.query<{ id: string; inboundMessageId: string; email: string }[]>(
        `SELECT id, "inboundMessageId", email FROM delivery WHERE "inboundMessageId" = ANY($1)`,
        [ids],
      );
      for (const d of deliveries) expect(d.id).toBe(copyId(d.inboundMessageId, d.email));
      // Fewer routing transactions than messages: passes take batches.
      expect(new Set(rows.map((r) => r.decided)).size).toBeLessThan(ids.length);
      // No job was made for routing or delivery.
      const [{ jobs }] = await db.query<{ jobs: number }[]>(`SELECT count(*)::int AS jobs FROM pgboss.job WHERE name IN ('intake-route', 'deliver')`);
      expect(jobs).toBe(0);
    } finally {
      await t.close();
    }
  });

  it('skips a message another transaction holds, and claims it once that transaction’s connection dies', async () => {
    const database = await createTestDatabase();
    // Store without a worker, so the message waits.
    const intake = await startTestApp({ ASTER_ROLES: 'api,smtp', RELAY_URL: sink.url }, { database, keepDatabase: true });
    let t: TestApp | undefined;
    const holder = new Client({ connectionString: database.url });
    try {
      await seedLinda(intake);
      const [held, free] = await store(intake, `claimed-${Date.now()}`, 2);
      await intake.close();
      // Another instance's pass that claimed `held` and then hangs (its process is stuck).
      await holder.connect();
      await holder.query('BEGIN');
      await holder.query(`SELECT id FROM inbound_message WHERE id = $1 FOR UPDATE`, [held]);
      t = await startTestApp({ RELAY_URL: sink.url }, { database, keepDatabase: true });
      const db = t.app.get(DataSource);
      const stage = async (id: string) => (await db.query<{ stage: string }[]>(`SELECT stage FROM inbound_message WHERE id = $1`, [id]))[0].stage;
      await waitFor(async () => ((await stage(free)) === 'decided' ? true : undefined), 'the free message routed');
      await new Promise((r) => setTimeout(r, 1500)); // a sweep or more
      expect(await stage(held)).toBe('stored');
      // The stuck instance dies: PostgreSQL drops its locks with its connection.
      const [{ pid }] = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
      holder.on('error', () => undefined);
      await db.query('SELECT pg_terminate_backend($1)', [pid]);
      await waitFor(async () => ((await stage(held)) === 'decided' ? true : undefined), 'the held message claimed and routed');
      const copies = await db.query<{ status: string }[]>(`SELECT status FROM delivery WHERE "inboundMessageId" = $1`, [held]);
      expect(copies.map((c) => c.status)).toEqual(['sent', 'sent']);
    } finally {
      await holder.end().catch(() => undefined);
      await t?.close();
      await database.drop();
    }
  });

  it('answers a duplicate at once while a routing pass holds its first copy (its count is best effort then)', async () => {
    const t = await startTestApp({ ASTER_ROLES: 'api,smtp' });
    const holder = new Client({ connectionString: t.database.url });
    try {
      await seedLinda(t);
      const tag = `dup-claimed-${Date.now()}`;
      const [first] = await store(t, tag, 1);
      await holder.connect();
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM inbound_message WHERE id = $1 FOR UPDATE', [first]);
      // The same message again, while its first copy is claimed: stored once, answered without waiting.
      const [again] = await store(t, tag, 1);
      expect(again).toBe(first);
      await holder.query('ROLLBACK');
      const [again2] = await store(t, tag, 1);
      expect(again2).toBe(first);
      const [{ duplicates }] = await t.app.get(DataSource).query<{ duplicates: number }[]>('SELECT duplicates FROM inbound_message WHERE id = $1', [first]);
      expect(duplicates).toBe(1); // the copy that came while the row was held was not counted
    } finally {
      await holder.end().catch(() => undefined);
      await t.close();
    }
  });

  it('queues what the relay refuses for now as a due delivery, and the delivery loop sends it when it is due', async () => {
    const t = await startTestApp({ RELAY_URL: sink.url, DELIVERY_FIRST_RETRY: '1s' });
    try {
      await seedLinda(t);
      sink.refuse.set('assist@pence-mail.test', 451);
      const [id] = await store(t, `retry-${Date.now()}`, 1);
      const db = t.app.get(DataSource);
      const deliveries = () =>
        db.query<{ email: string; status: string; attempts: number }[]>(
          `SELECT email, status, attempts FROM delivery WHERE "inboundMessageId" = $1 ORDER BY email`,
          [id],
        );
      await waitFor(async () => ((await deliveries()).length === 2 ? true : undefined), 'the routing pass');
      expect(await deliveries()).toEqual([
        { email: 'assist@pence-mail.test', status: 'queued', attempts: 1 },
        { email: 'linda@pence-mail.test', status: 'sent', attempts: 1 },
      ]);
      sink.refuse.delete('assist@pence-mail.test');
      await waitFor(async () => ((await deliveries()).every((d) => d.status === 'sent') ? true : undefined), 'the retry');
      expect((await deliveries()).find((d) => d.email === 'assist@pence-mail.test')).toEqual({ email: 'assist@pence-mail.test', status: 'sent', attempts: 2 });
    } finally {
      sink.refuse.delete('assist@pence-mail.test');
      await t.close();
    }
  });

  it('asks for a staff alert through pg-boss inside the caller’s transaction: rolled back with it, debounced to two slots', async () => {
    const t = await startTestApp({ ASTER_ROLES: 'api', STAFF_EMAIL: 'staff@artsites.test' });
    try {
      const db = t.app.get(DataSource);
      const jobs = t.app.get(JobQueue);
      const count = async () => (await db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1`, [STAFF_ALERT_QUEUE.name]))[0].n;
      const options = { singletonKey: 'staff-alert', singletonSeconds: STAFF_ALERT_INTERVAL_SECONDS, singletonNextSlot: true };
      await db
        .transaction(async (manager) => {
          await jobs.sendInTransaction(manager, STAFF_ALERT_QUEUE.name, {}, options);
          throw new Error('the caller’s work failed');
        })
        .catch(() => undefined);
      expect(await count()).toBe(0);
      for (let i = 0; i < 3; i++) await db.transaction((manager) => jobs.sendInTransaction(manager, STAFF_ALERT_QUEUE.name, {}, options));
      // This slot and the next; a third request finds both taken. (Near a slot boundary the first
      // request may land in one slot and the others in the next two: still at most one per slot.)
      const slots = await db.query<{ slot: Date }[]>(`SELECT singleton_on AS slot FROM pgboss.job WHERE name = $1 ORDER BY 1`, [STAFF_ALERT_QUEUE.name]);
      expect(slots.length).toBeGreaterThanOrEqual(2);
      expect(slots.length).toBeLessThanOrEqual(3);
      expect(new Set(slots.map((s) => s.slot.getTime())).size).toBe(slots.length);
    } finally {
      await t.close();
    }
  });
});
