// Stage 2, store, as a group commit (issue 15, item 3): messages of concurrent SMTP sessions that
// arrive while a store round trip is in flight are committed together in the next one, with the
// duplicate rule kept inside a group, one refused message answered alone, and the database being
// away answered 451 to every waiting session. Driven over real SMTP against a real PostgreSQL; the
// group in flight is held by an advisory lock that the test takes on its first message's key (the
// lock aster_store_messages takes), so which messages share a group never depends on timing.
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { SmtpReceiver } from '../src/mail/intake/receive';
import { MessageStore } from '../src/mail/intake/store';
import { registrarMail } from './support/mail';
import { sendRaw, waitFor, type SendResult } from './support/smtp';
import { startTestApp, type TestApp } from './support/test-app';

const SHARED = 'domains@notify.artsites.test';
const SENDER = 'noreply@gandi.net';

const queuedId = (response: string) => /queued as ([0-9a-f-]{36})/.exec(response)?.[1] ?? '';

describe('store: group commit across sessions', () => {
  let t: TestApp;
  let port: number;
  let store: MessageStore;
  let db: DataSource;
  /** The test's own connection, which holds the advisory lock that keeps a group in flight. */
  let holder: Client;
  let holderPid: number;

  const mail = (messageId: string, subject = `Renewal ${messageId}`) => registrarMail({ subject, body: 'Your domain was renewed.', messageId });
  const send = (raw: string, from = SENDER): Promise<SendResult> => sendRaw(port, { from, to: [SHARED] }, raw);
  /** The key aster_store_messages locks for a message: (envelope sender, Message-ID). */
  const lockKey = (from: string, messageId: string) => `hashtextextended(${literal(from)} || E'\\n' || ${literal(messageId)}, 0)`;
  const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

  /**
   * Sends `first` and holds its group in flight (its statement waits for the lock the test holds),
   * then sends `rest`, waits until all of them wait in the store for the next group, and lets the
   * first go. Resolves with the SMTP answers, first's then rest's.
   */
  async function behindOneInFlight(first: string, rest: { raw: string; from?: string }[]): Promise<{ first: SendResult; rest: SendResult[] }> {
    const key = lockKey(SENDER, /^Message-ID: <([^>]+)>/m.exec(first)![1]);
    await holder.query(`SELECT pg_advisory_lock(${key})`);
    let firstAnswer: Promise<SendResult> | undefined;
    let restAnswers: Promise<SendResult[]> | undefined;
    try {
      firstAnswer = send(first);
      await waitFor(async () => {
        const rows = await holder.query(
          `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'`,
        );
        return rows.rowCount ? true : undefined;
      }, 'the first group to wait for the advisory lock');
      restAnswers = Promise.all(rest.map((m) => send(m.raw, m.from)));
      await waitFor(async () => (store.waitingCount === rest.length ? true : undefined), `${rest.length} messages to wait for the next group`);
    } finally {
      await holder.query(`SELECT pg_advisory_unlock(${key})`);
    }
    return { first: await firstAnswer, rest: await restAnswers };
  }

  /** The transaction that inserted each message's bytes (raw_message rows are never updated). */
  const insertingTransactions = async (ids: string[]): Promise<string[]> => {
    const rows: { id: string; xid: string }[] = await db.query(`SELECT "messageId" AS id, xmin::text AS xid FROM raw_message WHERE "messageId" = ANY($1)`, [
      ids,
    ]);
    const byId = new Map(rows.map((r) => [r.id, r.xid]));
    return ids.map((id) => byId.get(id) ?? 'missing');
  };

  beforeAll(async () => {
    // More sessions and messages from 127.0.0.1 than a real registrar may use.
    t = await startTestApp({ SMTP_MAX_CONNECTIONS_PER_ADDRESS: '100', SMTP_RATE_PER_MINUTE: '10000' });
    port = t.app.get(SmtpReceiver).address()!.port;
    store = t.app.get(MessageStore);
    db = t.app.get(DataSource);
    holder = new Client({ connectionString: t.database.url });
    await holder.connect();
    holderPid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  });
  afterAll(async () => {
    await holder?.end();
    await t?.close();
  });

  it('stores the messages that arrive while one round trip is in flight in one transaction, and answers each 250', async () => {
    const { first, rest } = await behindOneInFlight(
      mail('group-lead@gandi.net'),
      Array.from({ length: 12 }, (_, i) => ({ raw: mail(`group-${i}@gandi.net`) })),
    );
    expect([first, ...rest].map((r) => r.response)).toEqual(Array(13).fill(expect.stringMatching(/^250 2\.6\.0 Ok: queued as [0-9a-f-]{36}$/)));
    const ids = rest.map((r) => queuedId(r.response));
    expect(new Set(ids).size).toBe(12);
    // Twelve messages, one commit; the first went on its own, before them.
    const xids = await insertingTransactions(ids);
    expect(new Set(xids).size).toBe(1);
    expect(xids[0]).not.toBe('missing');
    expect((await insertingTransactions([queuedId(first.response)]))[0]).not.toBe(xids[0]);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM inbound_message WHERE "messageId" LIKE 'group-%@gandi.net'`);
    expect(n).toBe(13);
  });

  it('stores two copies of one message in one group once, the later counted as a duplicate of the earlier', async () => {
    const copy = mail('twice-in-a-group@gandi.net');
    const { rest } = await behindOneInFlight(mail('twice-lead@gandi.net'), [{ raw: copy }, { raw: copy }, { raw: copy, from: 'other@gandi.net' }]);
    expect(rest.map((r) => r.responseCode)).toEqual([250, 250, 250]);
    const [a, b, other] = rest.map((r) => queuedId(r.response));
    expect(b).toBe(a);
    expect(other).not.toBe(a);
    // Which of the two came first in the group is the order the sessions reached the store; one of them.
    expect(rest.slice(0, 2).filter((r) => r.response.endsWith('(already received)'))).toHaveLength(1);
    expect(rest[2].response).not.toContain('already received');
    const rows: { envelopeFrom: string; duplicates: number }[] = await db.query(
      `SELECT "envelopeFrom", duplicates FROM inbound_message WHERE "messageId" = 'twice-in-a-group@gandi.net' ORDER BY "envelopeFrom"`,
    );
    expect(rows).toEqual([
      { envelopeFrom: SENDER, duplicates: 1 },
      { envelopeFrom: 'other@gandi.net', duplicates: 0 },
    ]);
    // Both stored copies in one transaction: the duplicate was found inside the group, not after a commit.
    const [xa, xother] = await insertingTransactions([a, other]);
    expect(xa).toBe(xother);
  });

  it('answers only the message PostgreSQL refuses with its error; the rest of its group get 250 and are stored', async () => {
    // A write PostgreSQL refuses for this one message only (a trigger of the test's own database): the
    // kind of failure a value it cannot store causes.
    await db.query(`CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW."messageId" LIKE 'poison%' THEN RAISE EXCEPTION 'refused' USING ERRCODE = '22P05'; END IF; RETURN NEW; END $$`);
    await db.query('CREATE TRIGGER refuse_poison BEFORE INSERT ON inbound_message FOR EACH ROW EXECUTE FUNCTION refuse_poison()');
    try {
      const { first, rest } = await behindOneInFlight(mail('refuse-lead@gandi.net'), [
        { raw: mail('good-1@gandi.net') },
        { raw: mail('poison-1@gandi.net') },
        { raw: mail('good-2@gandi.net') },
      ]);
      expect(first.responseCode).toBe(250);
      const [good1, poisoned, good2] = rest;
      expect(good1.response).toMatch(/^250 2\.6\.0 Ok: queued as /);
      expect(good2.response).toMatch(/^250 2\.6\.0 Ok: queued as /);
      expect(poisoned.response).toMatch(/^451 4\.3\.0 /);
      const stored: { messageId: string }[] = await db.query(
        `SELECT "messageId" FROM inbound_message WHERE "messageId" IN ('good-1@gandi.net', 'good-2@gandi.net', 'poison-1@gandi.net') ORDER BY 1`,
      );
      expect(stored.map((r) => r.messageId)).toEqual(['good-1@gandi.net', 'good-2@gandi.net']);
      // The group's statement failed as a whole; the two were then stored one by one.
      const [x1, x2] = await insertingTransactions([queuedId(good1.response), queuedId(good2.response)]);
      expect(x1).not.toBe('missing');
      expect(x2).not.toBe('missing');
      expect(x1).not.toBe(x2);
    } finally {
      await db.query('DROP TRIGGER refuse_poison ON inbound_message');
      await db.query('DROP FUNCTION refuse_poison()');
    }
  });

  it('answers 451 4.3.0 to every waiting session when the database goes away, and stores again once it is back', async () => {
    const name = new URL(t.database.url).pathname.slice(1);
    const admin = new Client({ connectionString: t.database.url.replace(`/${name}`, '/postgres') });
    await admin.connect();
    const count = async () => (await db.query(`SELECT count(*)::int AS n FROM inbound_message WHERE "messageId" LIKE 'away-%'`))[0].n as number;
    const key = lockKey(SENDER, 'away-lead@gandi.net');
    await holder.query(`SELECT pg_advisory_lock(${key})`);
    try {
      const first = send(mail('away-lead@gandi.net'));
      const inFlight = await waitFor(async () => {
        const rows = await holder.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'`,
        );
        return rows.rows[0]?.pid;
      }, 'the first group to wait for the advisory lock');
      const rest = Promise.all([1, 2, 3].map((i) => send(mail(`away-${i}@gandi.net`))));
      await waitFor(async () => (store.waitingCount === 3 ? true : undefined), '3 messages to wait for the next group');
      // The database refuses new connections and drops Aster's: first every other one, then the one
      // in flight (still waiting for the test's lock, so it cannot commit meanwhile).
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE datname = $1 AND pid <> ALL($2::int[]) AND backend_type = $3', [
        name,
        [inFlight, holderPid],
        'client backend',
      ]);
      await admin.query('SELECT pg_terminate_backend($1, 10000)', [inFlight]);
      expect((await first).response).toMatch(/^451 4\.3\.0 /);
      expect((await rest).map((r) => r.response)).toEqual(Array(3).fill(expect.stringMatching(/^451 4\.3\.0 /)));
    } finally {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      await admin.end();
      await holder.query(`SELECT pg_advisory_unlock(${key})`);
    }
    expect(await count()).toBe(0);
    const again = await waitFor(async () => {
      const r = await send(mail('away-1@gandi.net'));
      return r.responseCode === 250 ? r : undefined;
    }, 'SMTP to accept again');
    expect(again.response).toMatch(/^250 /);
    expect(await count()).toBe(1);
  });

  // The function itself, called as store.ts calls it, on the app's database.
  describe('aster_store_messages', () => {
    const raw = (s: string) => Buffer.from(s, 'latin1');
    const envelope = (messageId: string | null, from = SENDER) => ({ from, to: [SHARED], remoteAddress: '192.0.2.7', helo: 'mx.gandi.net', messageId });
    const storeGroup = async (envelopes: ReturnType<typeof envelope>[]) =>
      (
        await holder.query<{ ord: number; stored_id: string; is_duplicate: boolean }>(
          `SELECT ord, stored_id, is_duplicate FROM aster_store_messages($1::jsonb, $2::bytea[]) ORDER BY ord`,
          [JSON.stringify(envelopes), envelopes.map((e, i) => raw(`Message-ID: <${e.messageId}>\r\n\r\nbody ${i}\r\n`))],
        )
      ).rows;

    it('answers one row per input, in order, with the duplicate rule applied within the group', async () => {
      const rows = await storeGroup([
        envelope('a@gandi.net'),
        envelope(null),
        envelope('a@gandi.net'),
        envelope('a@gandi.net', 'other@gandi.net'),
        envelope(null),
      ]);
      expect(rows.map((r) => [r.ord, r.is_duplicate])).toEqual([
        [1, false],
        [2, false],
        [3, true],
        [4, false],
        [5, false],
      ]);
      expect(rows[2].stored_id).toBe(rows[0].stored_id);
      // Without a Message-ID every copy is stored.
      expect(new Set([rows[0], rows[1], rows[3], rows[4]].map((r) => r.stored_id)).size).toBe(4);
      const stored = await holder.query(`SELECT id, "envelopeFrom", "envelopeTo", "remoteAddress", helo, size, duplicates FROM inbound_message WHERE id = $1`, [
        rows[0].stored_id,
      ]);
      expect(stored.rows[0]).toMatchObject({
        envelopeFrom: SENDER,
        envelopeTo: [SHARED],
        remoteAddress: '192.0.2.7',
        helo: 'mx.gandi.net',
        size: Buffer.byteLength('Message-ID: <a@gandi.net>\r\n\r\nbody 0\r\n'),
        duplicates: 1,
      });
      const bytes = await holder.query(`SELECT raw FROM raw_message WHERE "messageId" = $1`, [rows[3].stored_id]);
      expect(bytes.rows[0].raw.toString('latin1')).toBe('Message-ID: <a@gandi.net>\r\n\r\nbody 3\r\n');
      // A later group sees the copy committed before it.
      const later = await storeGroup([envelope('a@gandi.net')]);
      expect(later[0]).toMatchObject({ stored_id: rows[0].stored_id, is_duplicate: true });
    });

    it('stores each message at stage stored, due for routing at once, with no job', async () => {
      const rows = await storeGroup([envelope('no-job@gandi.net'), envelope(null)]);
      const stored = await holder.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM inbound_message WHERE id = ANY($1) AND stage = 'stored' AND "routeAfter" <= now()`,
        [rows.map((r) => r.stored_id)],
      );
      expect(stored.rows[0].n).toBe(2);
      const jobs = await holder.query<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.job WHERE data->>'messageId' = ANY($1)`, [
        rows.map((r) => r.stored_id),
      ]);
      expect(jobs.rows[0].n).toBe(0);
    });

    it('refuses envelopes and raw messages that do not pair up', async () => {
      await expect(holder.query(`SELECT * FROM aster_store_messages($1::jsonb, $2::bytea[])`, [JSON.stringify([envelope('x@gandi.net')]), []])).rejects.toThrow(
        /1 envelopes but 0 raw messages/,
      );
    });
  });
});
