// A registrar message larger than one 1 MB slice, end to end: routed from its stored bytes read in
// slices and parsed streaming, forwarded as a letter composed as the relay reads it, with the
// original attached byte for byte, and as a privacy digest when it names two clients.
import { randomBytes } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { SmtpReceiver } from '../src/mail/intake/receive';
import { fetchRaw, seedClient } from './support/fixtures';
import { Sink } from './support/sink';
import { sendRaw, waitFor } from './support/smtp';
import { startTestApp, type TestApp } from './support/test-app';

const MAIL_DOMAIN = 'notify.artsites.test';
const SHARED = `domains@${MAIL_DOMAIN}`;

/** A notice with a text part, an HTML part and a `bytes` attachment (random, base64). */
function largeNotice(subject: string, text: string, bytes: number, extraHeaders: string[] = []): Buffer {
  return Buffer.from(
    [
      'From: Gandi <noreply@gandi.net>',
      `To: ${SHARED}`,
      `Subject: ${subject}`,
      'Date: Tue, 24 Nov 2026 09:12:00 +0000',
      `Message-ID: <${randomBytes(6).toString('hex')}@gandi.net>`,
      ...extraHeaders,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="outer"',
      '',
      '--outer',
      'Content-Type: text/plain; charset=utf-8',
      '',
      text,
      '--outer',
      'Content-Type: application/zip; name="portfolio-export.zip"',
      'Content-Disposition: attachment; filename="portfolio-export.zip"',
      'Content-Transfer-Encoding: base64',
      '',
      randomBytes(bytes)
        .toString('base64')
        .replace(/.{1,76}/g, '$&\r\n'),
      '--outer--',
      '',
    ].join('\r\n'),
  );
}

describe('forwarding a message of several MB', () => {
  const sink = new Sink();
  let t: TestApp;
  let port: number;

  const send = async (raw: Buffer) => {
    const result = await sendRaw(port, { from: 'noreply@gandi.net', to: [SHARED] }, raw);
    expect(result.responseCode).toBe(250);
    return /queued as (\S+)/.exec(result.response)![1];
  };
  const settled = (id: string) =>
    waitFor(
      async () => {
        const m = (await t.http().get(`/api/messages/${id}`).set('Authorization', t.adminAuth).expect(200)).body;
        return m.stage === 'decided' && m.deliveries.length > 0 && m.deliveries.every((d: { status: string }) => d.status !== 'queued') ? m : undefined;
      },
      `deliveries of ${id}`,
      30_000,
    );

  beforeAll(async () => {
    await sink.start();
    t = await startTestApp({ RELAY_URL: sink.url, PUBLIC_URL: 'https://domains.artsites.test' });
    port = t.app.get(SmtpReceiver).address()!.port;
    await seedClient(t, { name: 'Linda Pence Studio', contacts: [{ name: 'Linda Pence', email: 'linda@pence-mail.test' }], domains: ['lindapence.com'] });
    await seedClient(t, { name: 'Omar Haddad Ceramics', contacts: [{ name: 'Omar Haddad', email: 'omar@haddad.test' }], domains: ['omarhaddad.eu'] });
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  it('routes it and forwards it with the original attached byte for byte', async () => {
    const raw = largeNotice('Portfolio export for lindapence.com', 'Your export of lindapence.com is attached.', 3 * 1024 * 1024);
    expect(raw.length).toBeGreaterThan(4 * 1024 * 1024);
    const id = await send(raw);
    const m = await settled(id);
    expect(m).toMatchObject({ decision: 'forward', domains: ['lindapence.com'], subject: 'Portfolio export for lindapence.com' });
    expect(m.deliveries[0]).toMatchObject({ email: 'linda@pence-mail.test', status: 'sent' });
    const letter = sink.to('linda@pence-mail.test').at(-1)!;
    const mail = await simpleParser(letter.raw);
    expect(mail.subject).toBe('[lindapence.com] Portfolio export for lindapence.com');
    expect(mail.text).toContain('Your export of lindapence.com is attached.');
    expect(mail.inReplyTo ?? '').toMatch(/^<[0-9a-f]{12}@gandi\.net>$/);
    const attached = mail.attachments.find((a) => a.contentType === 'message/rfc822');
    expect(Buffer.compare(attached!.content, raw)).toBe(0);
    // The stored copy, read back through the API, is the same bytes too.
    const stored = await fetchRaw(t, id);
    expect(Buffer.compare(stored.body, raw)).toBe(0);
  });

  it('sends a digest of it to each client it names, with the sent date and no attachment', async () => {
    const raw = largeNotice('Domains expiring soon', 'These domains expire on 2026-12-20:\r\n- lindapence.com\r\n- omarhaddad.eu', 2 * 1024 * 1024);
    const id = await send(raw);
    const m = await settled(id);
    expect(m.decision).toBe('digest');
    for (const address of ['linda@pence-mail.test', 'omar@haddad.test']) {
      const mail = await simpleParser(sink.to(address).at(-1)!.raw);
      expect(mail.attachments.filter((a) => a.contentType === 'message/rfc822')).toHaveLength(0);
      expect(mail.text).toContain('2026');
      expect(mail.references === undefined ? '' : [mail.references].flat().join(' ')).toContain('@gandi.net');
    }
  });
});
