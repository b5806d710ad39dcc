// Issue 11, end to end over SMTP and HTTP: a client never receives another client's domain wherever
// the original hides it (items 1–2), one bad message never stalls the others (item 3), and one
// unverified sender cannot write to many clients at once (item 7).
import { simpleParser } from 'mailparser';
import { DataSource } from 'typeorm';
import { SmtpReceiver } from '../src/mail/intake/receive';
import { decidedMessage, fetchRaw, seedClient, tokenFor, type SeededClient } from './support/fixtures';
import { Sink } from './support/sink';
import { sendRaw, waitFor } from './support/smtp';
import { startTestApp, type TestApp } from './support/test-app';

const MAIL_DOMAIN = 'notify.artsites.test';
const SHARED = `domains@${MAIL_DOMAIN}`;
const STAFF = 'staff@artsites.test';
const LINDA = 'linda@pence-mail.test';
const HARBOR = 'orders@harborlane-mail.test';

const b64 = (text: string) =>
  Buffer.from(text)
    .toString('base64')
    .replace(/.{1,76}/g, '$&\r\n');

interface MailParts {
  from?: string;
  subject?: string;
  messageId?: string;
  headers?: string[];
  text?: string;
  html?: string;
  parts?: string[];
}

/** A registrar notice about lindapence.com, with whatever else an attacker adds. */
function notice(p: MailParts = {}): string {
  const id = p.messageId ?? `${Math.random().toString(36).slice(2)}@gandi.net`;
  const head = [
    `From: ${p.from ?? 'Gandi <noreply@gandi.net>'}`,
    `To: ${SHARED}`,
    `Subject: ${p.subject ?? 'Renewal confirmation for lindapence.com'}`,
    'Date: Tue, 24 Nov 2026 09:12:00 +0000',
    `Message-ID: <${id}>`,
    ...(p.headers ?? []),
    'MIME-Version: 1.0',
  ];
  const text = p.text ?? 'Your domain lindapence.com was renewed until 2028-11-24.';
  if (!p.html && !p.parts) return [...head, 'Content-Type: text/plain; charset=utf-8', '', text, ''].join('\r\n');
  return [
    ...head,
    'Content-Type: multipart/mixed; boundary="outer"',
    '',
    '--outer',
    'Content-Type: text/plain; charset=utf-8',
    '',
    text,
    ...(p.html ? ['--outer', 'Content-Type: text/html; charset=utf-8', '', p.html] : []),
    ...(p.parts ?? []).flatMap((part) => ['--outer', part]),
    '--outer--',
    '',
  ].join('\r\n');
}

const csv = (content: string) =>
  [
    'Content-Type: text/csv; name="domains.csv"',
    'Content-Disposition: attachment; filename="domains.csv"',
    'Content-Transfer-Encoding: base64',
    '',
    b64(content),
  ].join('\r\n');

describe('hardening (issue 11)', () => {
  const sink = new Sink();
  let t: TestApp;
  let port: number;
  let db: DataSource;
  let linda: SeededClient;
  let harbor: SeededClient;
  let lindaToken: string;

  const send = async (raw: string | Buffer, from = 'noreply@gandi.net') => {
    const result = await sendRaw(port, { from, to: [SHARED] }, raw);
    expect(result.responseCode).toBe(250);
    return /queued as (\S+)/.exec(result.response)![1];
  };
  const decided = (id: string) => decidedMessage(t, id);
  /** The letter a contact got about the message that carried this marker in its Message-ID. */
  const letterTo = (address: string, deliveryId: string) =>
    waitFor(async () => sink.to(address).find((m) => m.raw.toString('latin1').includes(deliveryId)), `letter ${deliveryId} to ${address}`, 20_000);

  beforeAll(async () => {
    await sink.start();
    t = await startTestApp({
      RELAY_URL: sink.url,
      STAFF_EMAIL: STAFF,
      SENDER_VERIFICATION: 'flag',
      MAX_CLIENTS_PER_UNVERIFIED: '3',
      DNS_SERVERS: '127.0.0.1:9',
      DNS_TIMEOUT_MS: '200',
    });
    port = t.app.get(SmtpReceiver).address()!.port;
    db = t.app.get(DataSource);
    linda = await seedClient(t, { name: 'Linda Pence Studio', contacts: [{ name: 'Linda Pence', email: LINDA }], domains: ['lindapence.com'] });
    harbor = await seedClient(t, { name: 'Harbor Lane Bakery', contacts: [{ name: 'Harbor Lane', email: HARBOR }], domains: ['harborlane.org'] });
    for (const [i, name] of ['moreau-ceramique.fr', 'okaforphoto.co.uk', 'olgavolkova.art'].entries()) {
      await seedClient(t, { name: `Client ${i}`, contacts: [{ name: `Contact ${i}`, email: `c${i}@clients.test` }], domains: [name] });
    }
    lindaToken = await tokenFor(t, 'client', linda.id);
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  describe("item 1: another client's domain is found wherever it hides, and the original stays with staff", () => {
    it.each<[string, MailParts]>([
      ['a CSV attachment', { parts: [csv('domain,expires\r\nlindapence.com,2028-11-24\r\nharborlane.org,2027-01-03\r\n')] }],
      ['an HTML comment', { html: '<p>lindapence.com was renewed.</p><!-- harborlane.org -->' }],
      ['the HTML title', { html: '<html><head><title>harborlane.org</title></head><body><p>lindapence.com</p></body></html>' }],
      ['an alt attribute', { html: '<p>lindapence.com <img src="cid:logo" alt="harborlane.org"></p>' }],
      [
        'a nested message/rfc822',
        {
          parts: [
            [
              'Content-Type: message/rfc822',
              'Content-Disposition: attachment',
              '',
              'From: registry@nic.test',
              'X-Domain: harborlane.org',
              'Subject: status',
              '',
              'locked',
            ].join('\r\n'),
          ],
        },
      ],
      ['an X- header', { headers: ['X-Registrant-Domain: harborlane.org'] }],
    ])('%s: both clients get a digest, Linda cannot read the original', async (_where, parts) => {
      const id = await send(notice(parts));
      const m = await decided(id);
      expect(m.decision).toBe('digest');
      expect([...m.clientIds].sort()).toEqual([linda.id, harbor.id].sort());
      expect(m.deliveries.map((d: { email: string }) => d.email).sort()).toEqual([HARBOR, LINDA].sort());
      const toLinda = m.deliveries.find((d: { email: string }) => d.email === LINDA);
      const letter = await letterTo(LINDA, toLinda.id);
      expect(letter.raw.toString('latin1').toLowerCase()).not.toContain('harborlane');
      expect((await t.http().get(`/api/messages/${id}/raw`).set('Authorization', lindaToken)).status).toBe(404);
      expect((await fetchRaw(t, id)).status).toBe(200); // staff keep it
    });

    it('a message forwarded whole to Linda alone is hers to read raw', async () => {
      const id = await send(notice({ parts: [csv('domain\r\nlindapence.com\r\n')] }));
      const m = await decided(id);
      expect(m.decision).toBe('forward');
      expect((await t.http().get(`/api/messages/${id}/raw`).set('Authorization', lindaToken)).status).toBe(200);
    });

    it('a held message about Linda alone is not hers to read raw until it is forwarded whole', async () => {
      const id = await send(
        notice({ subject: 'Renewal', text: 'Your domain lindapence.com was renewed.', headers: ['Auto-Submitted: auto-forwarded', 'X-Aster-Notice: loop'] }),
      );
      const m = await decided(id);
      expect(m.status).toBe('held');
      expect((await t.http().get(`/api/messages/${id}/raw`).set('Authorization', lindaToken)).status).toBe(404);
    });
  });

  describe('item 2: a digest carries nothing of another client', () => {
    it("neither the Message-ID nor the sender when they name another client's domain", async () => {
      const id = await send(
        notice({
          from: 'Hostmaster <hostmaster@harborlane.org>',
          messageId: 'ticket-4411@mail.harborlane.org',
          headers: ['In-Reply-To: <x@harborlane.org>', 'References: <x@harborlane.org>'],
          text: 'lindapence.com and harborlane.org were renewed.',
        }),
        'hostmaster@harborlane.org',
      );
      const m = await decided(id);
      expect(m.decision).toBe('digest');
      const toLinda = m.deliveries.find((d: { email: string }) => d.email === LINDA);
      const letter = await letterTo(LINDA, toLinda.id);
      expect(letter.raw.toString('latin1').toLowerCase()).not.toContain('harborlane');
      const parsed = await simpleParser(letter.raw);
      expect(parsed.headers.has('references')).toBe(false);
      expect(parsed.headers.has('in-reply-to')).toBe(false);
    });
  });

  describe('item 3: one bad message never stalls the others', () => {
    it('stores and routes a Subject that decodes to NUL', async () => {
      const id = await send(notice({ subject: '=?utf-8?Q?Renewal_lindapence.com_=00?=' }));
      const m = await decided(id);
      expect(m.status).toBe('forwarded');
      expect(m.subject).toBe('Renewal lindapence.com ');
    });

    it('stores a raw NUL byte in the Message-ID (250, not a 451 for ever)', async () => {
      const raw = Buffer.from(notice({ messageId: 'nul\u0000byte@gandi.net' }), 'latin1');
      const id = await send(raw);
      const m = await decided(id);
      expect(m.messageId).toBe('nulbyte@gandi.net');
      expect(m.status).toBe('forwarded');
    });

    it("decides the rest of a batch when one message's write fails, and holds that one for staff", async () => {
      // A write PostgreSQL refuses for this one message only, whatever the batch (a trigger of the
      // test's own database): the kind of failure a value it cannot store causes.
      await db.query(`CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.subject LIKE '%POISON%' THEN RAISE EXCEPTION 'refused' USING ERRCODE = '22P05'; END IF; RETURN NEW; END $$`);
      await db.query('CREATE TRIGGER poison BEFORE UPDATE ON inbound_message FOR EACH ROW EXECUTE FUNCTION poison()');
      try {
        const ids = await Promise.all([
          send(notice({ subject: 'Renewal lindapence.com one' })),
          send(notice({ subject: 'Renewal lindapence.com POISON' })),
          send(notice({ subject: 'Renewal lindapence.com two' })),
        ]);
        const [one, poisoned, two] = await Promise.all(ids.map(decided));
        expect(one.status).toBe('forwarded');
        expect(two.status).toBe('forwarded');
        expect(poisoned).toMatchObject({ status: 'held', holdReason: 'routing_failed' });
        expect(poisoned.decisionReason).toMatch(/routing failed/i);
        // The hold asked for a staff alert (a pg-boss job, worked within a poll or two): its letter follows.
        await waitFor(async () => {
          const [{ n }] = await db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM delivery WHERE form = 'staff_alert'`);
          return n > 0 ? true : undefined;
        }, 'the staff alert letter');
      } finally {
        await db.query('DROP TRIGGER poison ON inbound_message');
        await db.query('DROP FUNCTION poison()');
      }
    });
  });

  describe('item 7: one unverified sender cannot alarm many clients', () => {
    const everyone = 'lindapence.com, harborlane.org, moreau-ceramique.fr and okaforphoto.co.uk expire soon.';
    it('holds an unverified message naming more clients than MAX_CLIENTS_PER_UNVERIFIED', async () => {
      const id = await send(notice({ from: 'Registry Services <alerts@registry-alerts.test>', text: everyone }), 'alerts@registry-alerts.test');
      const m = await decided(id);
      expect(m).toMatchObject({ status: 'held', holdReason: 'unverified_sender' });
      expect(m.deliveries.filter((d: { form: string }) => d.form !== 'staff_alert')).toEqual([]);
    });

    it('sends digests for an unverified message naming up to the limit', async () => {
      const id = await send(
        notice({ from: 'Registry Services <alerts@registry-alerts.test>', text: 'lindapence.com, harborlane.org and olgavolkova.art expire soon.' }),
        'alerts@registry-alerts.test',
      );
      const m = await decided(id);
      expect(m.decision).toBe('digest');
      expect(m.clientIds).toHaveLength(3);
    });
  });
});
