// Bounces cannot be forged (issue 11, item 6; the red-team's F8): over SMTP, a letter's envelope
// sender is a signed bounce address; an unsigned or wrongly signed one is refused at RCPT; only a
// real DSN that returns the letter fails the delivery; anything else to the signed address is held,
// the delivery stays sent, and nothing of the sender's text reaches staff.
import { simpleParser } from 'mailparser';
import { DataSource } from 'typeorm';
import { DeliveryWorker } from '../src/mail/delivery/delivery.worker';
import { bounceTag } from '../src/mail/intake/bounce';
import { SmtpReceiver } from '../src/mail/intake/receive';
import { fetchRaw, seedClient } from './support/fixtures';
import { registrarMail } from './support/mail';
import { Sink, type SunkMessage } from './support/sink';
import { sendRaw, waitFor } from './support/smtp';
import { startTestApp, type TestApp } from './support/test-app';

const MAIL_DOMAIN = 'notify.artsites.test';
const SHARED = `domains@${MAIL_DOMAIN}`;
const STAFF = 'staff@artsites.test';
const CONTACT = 'linda@pence-mail.test';
/** What an attacker wants staff to read and act on. */
const LURE = 'Call +1-555-0100 now to reactivate betagallery.com';
const NO_DELIVERY = '00000000-0000-4000-8000-000000000000';
const LURE_PATTERN = /555-0100|reactivate|betagallery/i;

const noticeMail = (subject: string, body: string) => registrarMail({ to: SHARED, subject, body });

/** A DSN as Postfix writes it; `returned` is the third part (the header block it returns). */
function dsn(to: string, options: { action?: string; status?: string; returned?: string } = {}): string {
  return [
    'From: Mail Delivery System <MAILER-DAEMON@mx.pence-mail.test>',
    `To: ${to}`,
    `Subject: Undelivered Mail Returned to Sender: ${LURE}`,
    `Message-ID: <dsn-${Math.random().toString(36).slice(2)}@mx.pence-mail.test>`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
    '',
    '--b1',
    'Content-Description: Notification',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    `I'm sorry to have to inform you that your message could not be delivered. ${LURE}.`,
    '',
    '--b1',
    'Content-Description: Delivery report',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.pence-mail.test',
    '',
    `Final-Recipient: rfc822; ${CONTACT}`,
    `Action: ${options.action ?? 'failed'}`,
    `Status: ${options.status ?? '5.1.1'}`,
    `Diagnostic-Code: smtp; 550 5.1.1 <${CONTACT}>: ${LURE}`,
    '',
    '--b1',
    'Content-Description: Undelivered Message Headers',
    'Content-Type: text/rfc822-headers',
    '',
    options.returned ?? 'From: someone@elsewhere.test\r\nMessage-ID: <not-a-letter-of-ours@elsewhere.test>\r\nSubject: hello',
    '',
    '--b1--',
    '',
  ].join('\r\n');
}

/** The header block of a letter as the relay received it: what a real DSN returns. */
function headerBlock(letter: SunkMessage): string {
  const raw = letter.raw.toString('latin1');
  return raw.slice(0, raw.indexOf('\r\n\r\n'));
}

describe('bounces cannot be forged', () => {
  const sink = new Sink();
  let t: TestApp;
  let port: number;

  const message = async (id: string) => (await t.http().get(`/api/messages/${id}`).set('Authorization', t.adminAuth).expect(200)).body;
  /** Sends a notice to the client and waits until its one letter is sent: the delivery and the letter. */
  const sentNotice = async (subject: string) => {
    const before = sink.to(CONTACT).length;
    const result = await sendRaw(port, { from: 'noreply@gandi.net', to: [SHARED] }, noticeMail(subject, 'lindapence.com expires on 2027-03-01.'));
    expect(result.responseCode).toBe(250);
    const id = /queued as (\S+)/.exec(result.response)![1];
    const m = await waitFor(async () => {
      const x = await message(id);
      return x.deliveries[0]?.status === 'sent' ? x : undefined;
    }, 'the notice to be sent');
    const letter = await waitFor(async () => (sink.to(CONTACT).length > before ? sink.to(CONTACT)[before] : undefined), 'the letter');
    return { messageId: id, delivery: m.deliveries[0] as { id: string; status: string; lastResponse: string }, letter };
  };
  const bounce = async (to: string, raw: string) => {
    const result = await sendRaw(port, { from: '', to: [to] }, raw);
    expect(result.responseCode).toBe(250);
    const id = /queued as (\S+)/.exec(result.response)![1];
    return waitFor(async () => {
      const x = await message(id);
      return x.stage === 'decided' ? x : undefined;
    }, 'the bounce to be routed');
  };

  beforeAll(async () => {
    await sink.start();
    t = await startTestApp({ RELAY_URL: sink.url, STAFF_EMAIL: STAFF });
    port = t.app.get(SmtpReceiver).address()!.port;
    await seedClient(t, { name: 'Linda Pence Studio', contacts: [{ name: 'Linda Pence', email: CONTACT }], domains: ['lindapence.com'] });
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  const heldIds: string[] = [];
  let failedDelivery: string;

  it('signs the envelope sender of each letter, and refuses at RCPT a bounce address without the right tag', async () => {
    const { delivery, letter, messageId } = await sentNotice('Expiry reminder lindapence.com');
    const tag = new RegExp(`^bounces\\+${delivery.id}\\.([0-9a-f]{16})@${MAIL_DOMAIN.replace(/\./g, '\\.')}$`);
    expect(letter.from).toMatch(tag);
    const signed = tag.exec(letter.from)![1];
    // The key is in the database; with it, a signature is right (the check of the last address).
    const [{ value: key }] = await t.app.get(DataSource).query<{ value: Buffer }[]>(`SELECT value FROM secret WHERE name = 'bounce_address'`);
    expect(bounceTag(delivery.id, key)).toBe(signed);
    const wrong = signed.slice(0, -1) + (signed.endsWith('0') ? '1' : '0');
    const other = await sentNotice('Renewal confirmation lindapence.com');
    const refused = [
      `bounces+${delivery.id}@${MAIL_DOMAIN}`, // unsigned, as letters carried before signing
      `bounces+${delivery.id}.${wrong}@${MAIL_DOMAIN}`,
      `bounces+${delivery.id}.${signed.slice(0, 8)}@${MAIL_DOMAIN}`,
      `bounces+${delivery.id}.${/\.([0-9a-f]{16})@/.exec(other.letter.from)![1]}@${MAIL_DOMAIN}`, // another letter's tag
      `bounces+${delivery.id}.${bounceTag(delivery.id, Buffer.alloc(32))}@${MAIL_DOMAIN}`, // a tag under a guessed key
      `bounces+${NO_DELIVERY}.${bounceTag(NO_DELIVERY, key)}@${MAIL_DOMAIN}`, // rightly signed, but no such delivery
    ];
    for (const address of refused) {
      const result = await sendRaw(port, { from: '', to: [address] }, dsn(address, { returned: headerBlock(letter) }));
      expect({ address, response: result.response }).toEqual({ address, response: expect.stringMatching(/^550 5\.1\.1 /) });
    }
    expect((await message(messageId)).deliveries[0]).toMatchObject({ status: 'sent', lastResponse: expect.stringMatching(/^250 /) });
  });

  it('holds what comes to the signed address but is no DSN for the letter: the delivery stays sent', async () => {
    const { delivery, letter, messageId } = await sentNotice('Transfer request for lindapence.com');
    const address = letter.from;
    const forged = [
      // Plain text, quoting the letter's Message-ID and all.
      [
        'plain text "your mail bounced"',
        [
          'From: postmaster@pence-mail.test',
          `To: ${address}`,
          `Subject: Your mail bounced. ${LURE}`,
          'Content-Type: text/plain',
          '',
          `Your message <${delivery.id}@${MAIL_DOMAIN}> could not be delivered.`,
          'Action: failed',
          'Status: 5.1.1',
          LURE,
          '',
        ].join('\r\n'),
      ],
      ['a DSN that does not return the letter', dsn(address)],
      ['a DSN returning a letter to someone else', dsn(address, { returned: `Message-ID: <00000000-0000-4000-8000-000000000000@${MAIL_DOMAIN}>` })],
      // Genuine in form, but it reports a delay, not a failure.
      ['a delayed DSN', dsn(address, { action: 'delayed', status: '4.4.1', returned: headerBlock(letter) })],
    ] as const;
    for (const [name, raw] of forged) {
      const held = await bounce(address, raw);
      expect({ name, ...held }).toMatchObject({ name, status: 'held', holdReason: 'unconfirmed_bounce', decision: 'hold', deliveries: [] });
      expect(held.decisionReason).not.toMatch(LURE_PATTERN);
      expect(held.subject ?? '').not.toMatch(LURE_PATTERN);
      heldIds.push(held.id);
      const after = (await message(messageId)).deliveries[0];
      expect({ name, status: after.status, lastResponse: after.lastResponse }).toEqual({ name, status: 'sent', lastResponse: expect.stringMatching(/^250 /) });
    }
    // Nothing is lost: staff find them in the held queue, byte for byte.
    const queue = await t.http().get('/api/messages?holdReason=unconfirmed_bounce').set('Authorization', t.adminAuth).expect(200);
    expect(queue.body.items.map((m: { id: string }) => m.id).sort()).toEqual([...heldIds].sort());
    const raw = await fetchRaw(t, heldIds[0]);
    expect(raw.body.toString('latin1')).toContain(LURE);
  });

  it('fails the delivery on a real DSN that returns the letter, recording its Status and Action only', async () => {
    const { delivery, letter, messageId } = await sentNotice('Auth code for lindapence.com');
    const filed = await bounce(letter.from, dsn(letter.from, { returned: headerBlock(letter) }));
    expect(filed).toMatchObject({ decision: 'bounce', status: 'discarded', deliveries: [] });
    expect(filed.decisionReason).not.toMatch(LURE_PATTERN);
    const after = await waitFor(async () => {
      const x = await message(messageId);
      return x.deliveries[0].status === 'failed' ? x.deliveries[0] : undefined;
    }, 'the delivery to be marked failed');
    expect(after.lastResponse).toBe('bounced: 5.1.1 (Action: failed)');
    failedDelivery = delivery.id;
  });

  it("tells staff about the held bounces and the failed delivery without a word of the bounces' text", async () => {
    await t.app.get(DeliveryWorker).queueStaffAlert();
    // Alerts are batched: read every alert sent so far until the held bounces and the failure are in them.
    const alerts = await waitFor(
      async () => {
        const all = await Promise.all(sink.to(STAFF).map((l) => simpleParser(l.raw)));
        const text = all.map((a) => a.text ?? '').join('\n');
        return heldIds.every((id) => text.includes(id)) && text.includes('bounced: 5.1.1 (Action: failed)') ? all : undefined;
      },
      'a staff alert naming the held bounces and the failed delivery',
      20_000,
    );
    expect(failedDelivery).toBeDefined();
    for (const alert of alerts) {
      expect(alert.text ?? '').not.toMatch(LURE_PATTERN);
      expect(String(alert.html ?? '')).not.toMatch(LURE_PATTERN);
      expect(alert.subject ?? '').not.toMatch(LURE_PATTERN);
    }
    expect(alerts.map((a) => a.text).join('\n')).toContain('unconfirmed_bounce');
  });
});
