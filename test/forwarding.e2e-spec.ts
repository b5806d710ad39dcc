// Stage 8 end to end: registrar mail in over SMTP, notices out to a real SMTP sink standing in for
// the relay, with retries, failures, bounces, staff alerts and welcome letters.
import { readFileSync } from 'node:fs';
import { simpleParser, type ParsedMail } from 'mailparser';
import { DataSource } from 'typeorm';
import { DeliveryWorker } from '../src/mail/delivery/delivery.worker';
import { SmtpReceiver } from '../src/mail/intake/receive';
import { seedClient, type SeededClient } from './support/fixtures';
import { registrarMail as gandiMail } from './support/mail';
import { Sink } from './support/sink';
import { sendRaw, waitFor } from './support/smtp';
import { startTestApp, type TestApp } from './support/test-app';

const MAIL_DOMAIN = 'notify.artsites.test';
const SHARED = `domains@${MAIL_DOMAIN}`;
const STAFF = 'staff@artsites.test';

function registrarMail(subject: string, body: string, messageId?: string): string {
  return gandiMail({ to: SHARED, subject, body, messageId });
}

describe('forwarding notices', () => {
  const sink = new Sink();
  let t: TestApp;
  let port: number;
  let linda: SeededClient;
  let omar: SeededClient;

  const send = async (raw: string, to = [SHARED]) => {
    const result = await sendRaw(port, { from: 'noreply@gandi.net', to }, raw);
    expect(result.responseCode).toBe(250);
    return /queued as (\S+)/.exec(result.response)![1];
  };
  const message = async (id: string) => (await t.http().get(`/api/messages/${id}`).set('Authorization', t.adminAuth).expect(200)).body;
  const settled = (id: string, done: (d: { status: string }) => boolean = (d) => d.status !== 'queued') =>
    waitFor(
      async () => {
        const m = await message(id);
        return m.stage === 'decided' && m.deliveries.length > 0 && m.deliveries.every(done) ? m : undefined;
      },
      `deliveries of ${id}`,
      20_000,
    );
  const received = (address: string, count = 1) =>
    waitFor(async () => (sink.to(address).length >= count ? sink.to(address) : undefined), `${count} letter(s) to ${address}`, 20_000);

  beforeAll(async () => {
    await sink.start();
    t = await startTestApp({ RELAY_URL: sink.url, STAFF_EMAIL: STAFF, DELIVERY_FIRST_RETRY: '1s', PUBLIC_URL: 'https://domains.artsites.test' });
    port = t.app.get(SmtpReceiver).address()!.port;
    linda = await seedClient(t, {
      name: 'Linda Pence Studio',
      contacts: [
        { name: 'Linda Pence', email: 'linda@pence-mail.test' },
        { name: 'Accountant', email: 'books@pence-mail.test', receivesNotices: false },
      ],
      domains: ['lindapence.com', 'lindapence.co.uk'],
    });
    omar = await seedClient(t, { name: 'Omar Haddad Ceramics', contacts: [{ name: 'Omar Haddad', email: 'omar@haddad.test' }], domains: ['omarhaddad.eu'] });
    await seedClient(t, { name: 'Nina Okafor Prints', contacts: [{ name: 'Nina Okafor', email: 'nina@okafor.test' }], domains: ['ninaokafor.art'] });
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  it('forwards a notice to each notice-receiving contact, explained, with the original attached byte for byte', async () => {
    const raw = registrarMail(
      'Transfer request for lindapence.com',
      'A transfer of lindapence.com to another registrar was requested.\r\nApprove it here: https://www.gandi.net/transfer',
      'tr-1@gandi.net',
    );
    const id = await send(raw);
    const m = await settled(id);
    expect(m.deliveries).toHaveLength(1);
    expect(m.deliveries[0]).toMatchObject({ email: 'linda@pence-mail.test', status: 'sent', attempts: 1, lastResponse: expect.stringMatching(/^250 /) });
    const [letter] = await received('linda@pence-mail.test');
    expect(letter.from).toMatch(new RegExp(`^bounces\\+${m.deliveries[0].id}\\.[0-9a-f]{16}@${MAIL_DOMAIN}$`));
    expect(sink.to('books@pence-mail.test')).toHaveLength(0);

    const mail: ParsedMail = await simpleParser(letter.raw);
    expect(mail.from?.text).toContain(`notices@${MAIL_DOMAIN}`);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value[0].address : '').toBe('linda@pence-mail.test');
    expect(mail.subject).toBe('[lindapence.com] Transfer request for lindapence.com');
    expect(mail.headers.get('auto-submitted')).toBe('auto-forwarded');
    expect(mail.references === undefined ? '' : [mail.references].flat().join(' ')).toContain('tr-1@gandi.net');
    expect(mail.replyTo?.value[0].address).toBe(STAFF);
    expect(mail.text).toMatch(/transfer/i);
    expect(mail.text).toContain('https://domains.artsites.test/guide/domain/');
    expect(mail.html).toMatch(/transfer/i);
    const attached = mail.attachments.find((a) => a.contentType === 'message/rfc822');
    expect(attached).toBeDefined();
    expect(Buffer.compare(attached!.content, Buffer.from(raw))).toBe(0);
  });

  it('sends each client of a multi-client notice a privacy digest naming only its own domains', async () => {
    const id = await send(
      registrarMail('Domains expiring soon', 'These domains expire on 2026-12-20:\r\n- lindapence.com\r\n- omarhaddad.eu\r\n- ninaokafor.art\r\n'),
    );
    const m = await settled(id);
    expect(m.decision).toBe('digest');
    const others: Record<string, string[]> = {
      'linda@pence-mail.test': ['omarhaddad', 'ninaokafor'],
      'omar@haddad.test': ['lindapence', 'ninaokafor'],
      'nina@okafor.test': ['lindapence', 'omarhaddad'],
    };
    for (const [address, foreign] of Object.entries(others)) {
      const letters = await received(address);
      const digest = letters[letters.length - 1];
      const bytes = digest.raw.toString('latin1').toLowerCase();
      for (const name of foreign) expect(bytes).not.toContain(name);
      const mail = await simpleParser(digest.raw);
      expect(mail.attachments.filter((a) => a.contentType === 'message/rfc822')).toHaveLength(0);
      expect(mail.references === undefined ? '' : [mail.references].flat().join(' ')).toContain(m.messageId);
    }
  });

  it('retries 451 answers and ends sent after three attempts, each recorded', async () => {
    sink.script.push(451, 451);
    const id = await send(registrarMail('Renewal confirmation omarhaddad.eu', 'omarhaddad.eu was renewed until 2028.'));
    const m = await settled(id);
    const d = m.deliveries[0];
    expect(d).toMatchObject({ status: 'sent', attempts: 3 });
    expect(d.attemptLog.map((a: { outcome: string }) => a.outcome)).toEqual(['temporary', 'temporary', 'sent']);
    expect(d.attemptLog[0].response).toMatch(/^451 /);
  });

  it('marks a delivery failed at once on 550', async () => {
    sink.refuse.set('nina@okafor.test', 550);
    try {
      const id = await send(registrarMail('Auth code for ninaokafor.art', 'Your auth code for ninaokafor.art is X7-99.'));
      const m = await settled(id);
      expect(m.deliveries[0]).toMatchObject({ status: 'failed', attempts: 1, lastResponse: expect.stringMatching(/^550 /) });
    } finally {
      sink.refuse.delete('nina@okafor.test');
    }
  });

  it('delivers everything once a relay that was down comes back', async () => {
    sink.down();
    const ids = [
      await send(registrarMail('Expiry reminder lindapence.co.uk', 'lindapence.co.uk expires on 2027-01-05.')),
      await send(registrarMail('Expiry reminder omarhaddad.eu', 'omarhaddad.eu expires on 2027-02-01.')),
    ];
    await waitFor(async () => {
      const ms = await Promise.all(ids.map(message));
      return ms.every((m) => m.deliveries[0]?.attempts >= 1 && m.deliveries[0].status === 'queued') ? true : undefined;
    }, 'failed attempts while the relay is down');
    sink.up();
    for (const id of ids) {
      const m = await settled(id);
      expect(m.deliveries[0].status).toBe('sent');
      expect(m.deliveries[0].attemptLog[0].outcome).toBe('temporary');
    }
  });

  it('never sends again a delivery the relay accepted, whatever reruns its job', async () => {
    const id = await send(registrarMail('WHOIS data reminder', 'Please review the data of lindapence.com.'));
    const m = await settled(id);
    const before = sink.to('linda@pence-mail.test').length;
    await t.app.get(DeliveryWorker).attempt(m.deliveries[0].id);
    await t.app.get(DeliveryWorker).attempt(m.deliveries[0].id);
    expect(sink.to('linda@pence-mail.test')).toHaveLength(before);
    expect((await message(id)).deliveries[0].attempts).toBe(1);
  });

  it('marks a delivery failed when a delivery status notification comes back to its bounce address', async () => {
    const id = await send(registrarMail('Expiry reminder ninaokafor.art', 'ninaokafor.art expires on 2027-03-01.'));
    const m = await settled(id);
    const delivery = m.deliveries[0];
    // The letter's envelope sender is its signed bounce address; a real DSN returns its header.
    const letter = (await received('nina@okafor.test')).find((l) => l.from.startsWith(`bounces+${delivery.id}.`))!;
    const bounceAddress = letter.from;
    const letterHeader = letter.raw.toString('latin1').split('\r\n\r\n')[0];
    const dsn = [
      'From: Mail Delivery System <MAILER-DAEMON@mx.okafor.test>',
      `To: ${bounceAddress}`,
      'Subject: Undelivered Mail Returned to Sender',
      `Message-ID: <dsn-${delivery.id}@mx.okafor.test>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'I am sorry to have to inform you that your message could not be delivered.',
      '--b1',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.okafor.test',
      '',
      'Final-Recipient: rfc822; nina@okafor.test',
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 <nina@okafor.test>: Recipient address rejected',
      '--b1',
      'Content-Type: text/rfc822-headers',
      '',
      letterHeader,
      '--b1--',
      '',
    ].join('\r\n');
    const result = await sendRaw(port, { from: '', to: [bounceAddress] }, dsn);
    expect(result.responseCode).toBe(250);
    const dsnId = /queued as (\S+)/.exec(result.response)![1];
    const after = await waitFor(async () => {
      const x = await message(id);
      return x.deliveries[0].status === 'failed' ? x : undefined;
    }, 'the delivery to be marked failed');
    expect(after.deliveries[0].lastResponse).toBe('bounced: 5.1.1 (Action: failed)');
    expect(await message(dsnId)).toMatchObject({ decision: 'bounce', status: 'discarded', domains: [], deliveries: [] });
    const unknown = await sendRaw(port, { from: '', to: [bounceAddress.replace(delivery.id, '00000000-0000-4000-8000-000000000000')] }, dsn);
    expect(unknown.response).toMatch(/^550 5\.1\.1 /);
  });

  it('alerts staff about held messages and failed deliveries, batched', async () => {
    await send(registrarMail('Hello from a registrar', 'Nothing about any domain we track.'));
    const alerts = await received(STAFF);
    const alert = await simpleParser(alerts[0].raw);
    expect(alert.subject).toMatch(/held message/);
    expect(alert.text).toContain('/api/messages/');
    // Within the ten-minute slot a second held message does not make a second alert letter yet: its
    // alert waits for the start of the next slot (which may be seconds away, at the end of a slot).
    await send(registrarMail('Another unrelated note', 'Still nothing we track.'));
    const db = t.app.get(DataSource);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'staff-alert' AND state = 'created' AND start_after > now()`);
    expect(n).toBe(1);
    expect(sink.to(STAFF)).toHaveLength(alerts.length);
  });

  it('sends the welcome letter once per contact unless forced', async () => {
    const first = await t.http().post(`/api/clients/${omar.id}/welcome`).set('Authorization', t.adminAuth).send({}).expect(200);
    expect(first.body.queued).toEqual([expect.objectContaining({ email: 'omar@haddad.test' })]);
    const letters = await waitFor(async () => {
      const all = await Promise.all(sink.to('omar@haddad.test').map((l) => simpleParser(l.raw)));
      const welcome = all.filter((x) => /keep you informed/i.test(x.subject ?? '') || /welcome/i.test(x.subject ?? ''));
      return welcome.length ? welcome : undefined;
    }, 'the welcome letter');
    expect(letters[0].text).toContain('omarhaddad.eu');
    expect(letters[0].text).toContain(`omarhaddad.eu@${MAIL_DOMAIN}`);
    const again = await t.http().post(`/api/clients/${omar.id}/welcome`).set('Authorization', t.adminAuth).send({}).expect(200);
    expect(again.body).toMatchObject({ queued: [], skipped: [expect.objectContaining({ email: 'omar@haddad.test' })] });
    const forced = await t.http().post(`/api/clients/${omar.id}/welcome`).set('Authorization', t.adminAuth).send({ force: true }).expect(200);
    expect(forced.body.queued).toHaveLength(1);
    await t.http().post(`/api/clients/00000000-0000-4000-8000-000000000000/welcome`).set('Authorization', t.adminAuth).send({}).expect(404);
    await t.http().post(`/api/clients/${linda.id}/welcome`).set('Authorization', t.adminAuth).send({ force: 'yes' }).expect(400);
  });
});

describe('without RELAY_URL', () => {
  it('writes each notice as an .eml file in the outbox', async () => {
    const t = await startTestApp();
    try {
      await seedClient(t, { name: 'Linda', contacts: [{ name: 'Linda', email: 'linda@pence-mail.test' }], domains: ['lindapence.com'] });
      const port = t.app.get(SmtpReceiver).address()!.port;
      const result = await sendRaw(
        port,
        { from: 'noreply@gandi.net', to: [SHARED] },
        registrarMail('Expiry reminder lindapence.com', 'lindapence.com expires soon.'),
      );
      const id = /queued as (\S+)/.exec(result.response)![1];
      const m = await waitFor(async () => {
        const x = (await t.http().get(`/api/messages/${id}`).set('Authorization', t.adminAuth)).body;
        return x.deliveries?.[0]?.status === 'sent' ? x : undefined;
      }, 'the outbox file');
      const file = `${t.config.dataDir}/outbox/${m.deliveries[0].id}.eml`;
      expect(m.deliveries[0].lastResponse).toBe(`written to ${file}`);
      const mail = await simpleParser(readFileSync(file));
      expect(mail.subject).toBe('[lindapence.com] Expiry reminder lindapence.com');
    } finally {
      await t.close();
    }
  });
});
