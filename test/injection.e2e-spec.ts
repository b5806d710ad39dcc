// Values from clients, contacts, registrars and registrar mail reach mail headers and HTML: end to
// end, through the API and SMTP to the letters at a relay sink and to the guidance pages, none of
// them may add a header or a recipient, or put live markup on a page.
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { SmtpReceiver } from '../src/mail/intake/receive';
import { Sink, type SunkMessage } from './support/sink';
import { sendRaw, waitFor } from './support/smtp';
import { startTestApp, type TestApp } from './support/test-app';

const MAIL_DOMAIN = 'notify.artsites.test';
const STAFF = 'staff@artsites.test';
const CONTACT = 'linda@pence-mail.test';

const HEADER = 'Evil\r\nBcc: victim@x.test';
const CLIENT_NAME = `Evil Studio\r\nBcc: victim@x.test\r\nX-Injected: client <script>alert("client")</script>`;
const CONTACT_NAME = `Linda\r\nBcc: victim@x.test\r\n\r\n<b>injected body</b> <script>alert("contact")</script>`;
const REGISTRAR_NAME = 'Evil Registrar <script>alert("registrar")</script>';
const REGISTRAR_NOTES = `<script>alert("notes")</script>\r\nBcc: victim@x.test\r\n<img src=x onerror=alert("notes")>`;
const SUBJECT = `Transfer request for lindapence.com\r\nBcc: victim@x.test\r\nX-Injected: subject <script>alert("subject")</script>`;

/** An RFC 2047 encoded-word: how CR, LF and markup arrive inside a header of real mail. */
const encodedWord = (text: string) => `=?UTF-8?B?${Buffer.from(text).toString('base64')}?=`;

// Every header a letter may carry (as in src/mail/notices/injection.spec.ts); anything else is injected.
const ALLOWED_HEADERS = new Set([
  'auto-submitted',
  'x-aster-notice',
  'from',
  'to',
  'reply-to',
  'in-reply-to',
  'references',
  'subject',
  'message-id',
  'date',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
]);

/** The names of the letter's own header fields (its first header block). */
function headerNames(raw: Buffer): string[] {
  const text = raw.toString('latin1');
  const head = text.slice(0, text.indexOf('\r\n\r\n'));
  return head
    .split('\r\n')
    .filter((line) => !/^[ \t]/.test(line))
    .map((line) => line.slice(0, line.indexOf(':')).toLowerCase());
}

const addresses = (field: AddressObject | AddressObject[] | undefined) => (Array.isArray(field) ? field : field ? [field] : []).flatMap((a) => a.value);

/** The checks every letter must pass, whatever hostile values went into it. */
async function expectHarmless(letter: SunkMessage, to: string): Promise<ParsedMail> {
  expect(letter.to).toEqual([to]);
  for (const name of headerNames(letter.raw)) expect(ALLOWED_HEADERS.has(name) ? name : `injected header: ${name}`).toBe(name);
  const mail = await simpleParser(letter.raw);
  expect(mail.bcc).toBeUndefined();
  expect(mail.cc).toBeUndefined();
  expect(mail.headers.has('x-injected')).toBe(false);
  expect(addresses(mail.to).map((a) => a.address)).toEqual([to]);
  expect(mail.subject).not.toMatch(/[\r\n]/);
  const html = typeof mail.html === 'string' ? mail.html : '';
  expect(html).not.toBe('');
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<img\b[^>]*onerror/i);
  expect(html).not.toMatch(/<b>injected body<\/b>/);
  return mail;
}

describe('injection: hostile names, notes and subjects end to end', () => {
  const sink = new Sink();
  let t: TestApp;
  let clientId: string;
  let guidancePath: string;

  const letters = (address: string, predicate: (m: ParsedMail) => boolean, what: string) =>
    waitFor(
      async () => {
        for (const letter of sink.to(address)) {
          if (predicate(await simpleParser(letter.raw))) return letter;
        }
        return undefined;
      },
      what,
      20_000,
    );

  beforeAll(async () => {
    await sink.start();
    t = await startTestApp({ RELAY_URL: sink.url, STAFF_EMAIL: STAFF, PUBLIC_URL: 'https://domains.artsites.test' });
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  it('takes hostile names and notes through the API as data, and refuses a contact address with CR/LF', async () => {
    const badEmail = await t
      .http()
      .post('/api/clients')
      .set('Authorization', t.adminAuth)
      .send({ name: 'Someone', contacts: [{ name: 'Someone', email: `${CONTACT}\r\nBcc: victim@x.test` }] })
      .expect(400);
    expect(badEmail.body.errors.map((e: { field: string }) => e.field)).toEqual(['contacts.0.email']);

    // Names are free text: the API keeps them as written, and every letter and page encodes them.
    const client = await t
      .http()
      .post('/api/clients')
      .set('Authorization', t.adminAuth)
      .send({ name: CLIENT_NAME, notes: '<script>alert("client notes")</script>', contacts: [{ name: CONTACT_NAME, email: CONTACT }] })
      .expect(201);
    clientId = client.body.id;
    expect(client.body.name).toBe(CLIENT_NAME);
    expect(client.body.contacts[0].name).toBe(CONTACT_NAME);
    expect(client.headers['content-type']).toMatch(/^application\/json/);

    await t.http().post('/api/registrars').set('Authorization', t.adminAuth).send({ name: REGISTRAR_NAME, notes: REGISTRAR_NOTES }).expect(201);
    const domain = await t
      .http()
      .post('/api/domains')
      .set('Authorization', t.adminAuth)
      .send({ name: 'lindapence.com', clientId, registrar: REGISTRAR_NAME, notes: '<script>alert("domain notes")</script>' })
      .expect(201);
    guidancePath = new URL(domain.body.guidanceUrl).pathname;
  });

  it('forwards an inbound notice with a hostile subject and sender name: no injected header or recipient, no live markup', async () => {
    const raw = [
      `From: ${encodedWord(`Gandi\r\nBcc: victim@x.test`)} <noreply@gandi.net>`,
      `To: lindapence.com@${MAIL_DOMAIN}`,
      `Subject: ${encodedWord(SUBJECT)}`,
      'Date: Tue, 24 Nov 2026 09:12:00 +0000',
      'Message-ID: <hostile-1@gandi.net>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/alternative; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'A transfer of lindapence.com was requested. <script>alert("text")</script>',
      '--b1',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>A transfer of lindapence.com was requested.</p><script>alert("html")</script><img src=x onerror=alert("html")>',
      '--b1--',
      '',
    ].join('\r\n');
    const result = await sendRaw(t.app.get(SmtpReceiver).address()!.port, { from: 'noreply@gandi.net', to: [`lindapence.com@${MAIL_DOMAIN}`] }, raw);
    expect(result.responseCode).toBe(250);

    const letter = await letters(CONTACT, (m) => (m.subject ?? '').includes('Transfer request'), 'the forwarded notice');
    const mail = await expectHarmless(letter, CONTACT);
    // The hostile text is there to read, as one line of text in the subject and escaped in the HTML.
    expect(mail.subject).toBe('[lindapence.com] Transfer request for lindapence.com Bcc: victim@x.test X-Injected: subject <script>alert("subject")</script>');
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;subject&quot;)&lt;/script&gt;');
    expect(mail.html).toContain('Evil Registrar &lt;script&gt;');
    expect(mail.html).toContain('Evil Studio');
    expect(addresses(mail.to)[0].name).not.toMatch(/[\r\n]/);
    // Only the contact was written to: no victim@x.test anywhere in any envelope.
    expect(sink.messages.flatMap((m) => m.to).filter((to) => to.includes('victim'))).toEqual([]);
  });

  it('sends the welcome letter with the hostile client and contact names encoded', async () => {
    await t.http().post(`/api/clients/${clientId}/welcome`).set('Authorization', t.adminAuth).send({}).expect(200);
    const letter = await letters(CONTACT, (m) => !(m.subject ?? '').includes('Transfer request'), 'the welcome letter');
    const mail = await expectHarmless(letter, CONTACT);
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;client&quot;)&lt;/script&gt;');
    expect(mail.text).toContain('<script>alert("client")</script>');
  });

  it('alerts staff about a held message with a hostile subject without letting it into the alert', async () => {
    const raw = [
      'From: Someone <someone@registrar.test>',
      `To: domains@${MAIL_DOMAIN}`,
      `Subject: ${encodedWord(`${HEADER}\r\nX-Injected: held <script>alert("held")</script><img src=x onerror=alert(1)>`)}`,
      'Message-ID: <hostile-held@registrar.test>',
      '',
      'Nothing about any domain Aster tracks.',
      '',
    ].join('\r\n');
    expect((await sendRaw(t.app.get(SmtpReceiver).address()!.port, { from: 'someone@registrar.test', to: [`domains@${MAIL_DOMAIN}`] }, raw)).responseCode).toBe(
      250,
    );
    const alert = await letters(STAFF, (m) => (m.text ?? '').includes('X-Injected: held'), 'the staff alert');
    const mail = await expectHarmless(alert, STAFF);
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;held&quot;)&lt;/script&gt;');
  });

  it('shows registrar names and notes on the guidance page escaped, never as markup', async () => {
    const page = await t.http().get(guidancePath).expect(200);
    expect(page.text).not.toMatch(/<script/i);
    expect(page.text).not.toMatch(/<img\b/i);
    expect(page.text).toContain('&lt;script&gt;alert(&quot;notes&quot;)&lt;/script&gt;');
    expect(page.text).toContain('&lt;img src=x onerror=alert(&quot;notes&quot;)&gt;');
    expect(page.text).toContain('Evil Registrar &lt;script&gt;alert(&quot;registrar&quot;)&lt;/script&gt;');
    // Were anything to slip through, the page's policy would not run it.
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
  });
});
