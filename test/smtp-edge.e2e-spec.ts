// The SMTP port faces the internet: open-relay probes, SMTP smuggling with the published end-of-data
// tricks, header limits, Received loops, connection and rate limits, timeouts and STARTTLS, each
// driven over a real socket against the running app.
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { DataSource } from 'typeorm';
import { SmtpReceiver } from '../src/mail/intake/receive';
import { fetchRaw, seedClient } from './support/fixtures';
import { registrarMail as gandiMail } from './support/mail';
import { Sink } from './support/sink';
import { RawSmtp, sendRaw, waitFor } from './support/smtp';
import { startTestApp, type TestApp } from './support/test-app';
import { selfSignedCertificate } from './support/tls';

const MAIL_DOMAIN = 'notify.artsites.test';
const SHARED = `domains@${MAIL_DOMAIN}`;
const ALIAS = `lindapence.com@${MAIL_DOMAIN}`;

function registrarMail(opts: { subject: string; body?: string; headers?: string[]; messageId?: string }): string {
  return gandiMail({ ...opts, to: SHARED, leading: opts.headers, body: opts.body ?? 'lindapence.com expires on 2027-03-01.' });
}

const port = (t: TestApp) => t.app.get(SmtpReceiver).address()!.port;
const countStored = async (t: TestApp) => (await t.app.get(DataSource).query('SELECT count(*)::int AS n FROM inbound_message'))[0].n as number;
const queuedId = (reply: string) => /queued as ([0-9a-f-]{36})/.exec(reply)?.[1];

async function rawOf(t: TestApp, id: string): Promise<Buffer> {
  const res = await fetchRaw(t, id);
  expect(res.status).toBe(200);
  return res.body;
}

/** Opens a session up to an accepted DATA (354). */
async function openData(p: number, rcpt = SHARED): Promise<RawSmtp> {
  const { smtp: dialogue } = await RawSmtp.open(p);
  expect(await dialogue.command('EHLO mx.registrar.test')).toMatch(/^250/);
  expect(await dialogue.command('MAIL FROM:<noreply@gandi.net>')).toMatch(/^250 /);
  expect(await dialogue.command(`RCPT TO:<${rcpt}>`)).toMatch(/^250 /);
  expect(await dialogue.command('DATA')).toMatch(/^354 /);
  return dialogue;
}

describe('SMTP edge', () => {
  const sink = new Sink();
  let t: TestApp;

  beforeAll(async () => {
    await sink.start();
    // This file alone starts well over a hundred transactions a minute from 127.0.0.1.
    t = await startTestApp({ RELAY_URL: sink.url, SMTP_RATE_PER_MINUTE: '1000' });
    await seedClient(t, { name: 'Linda Pence Studio', contacts: [{ name: 'Linda Pence', email: 'linda@pence-mail.test' }], domains: ['lindapence.com'] });
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  describe('open-relay probes are refused', () => {
    let smtp: RawSmtp;
    beforeEach(async () => {
      smtp = (await RawSmtp.open(port(t))).smtp;
      await smtp.command('EHLO probe.attacker.test');
      expect(await smtp.command('MAIL FROM:<probe@attacker.test>')).toMatch(/^250 /);
    });
    afterEach(() => smtp.close());

    it.each([
      ['a foreign domain', 'victim@other.test', /^550 5\.1\.1 .*relaying denied/],
      ['a foreign domain in an address literal', 'victim@[192.0.2.1]', /^550 5\.1\.1 .*relaying denied/],
      ['a quoted local part holding a foreign address', `"victim@other.test"@${MAIL_DOMAIN}`, /^5\d\d /],
      ['the percent hack', `victim%other.test@${MAIL_DOMAIN}`, /^550 5\.1\.1 /],
      ['a source route', `@${MAIL_DOMAIN}:victim@other.test`, /^5\d\d /],
      ['two at-signs', `victim@other.test@${MAIL_DOMAIN}`, /^5\d\d /],
      ['a UUCP bang path', `other.test!victim@${MAIL_DOMAIN}`, /^550 5\.1\.1 /],
      ['our domain as a subdomain of another', `domains@${MAIL_DOMAIN}.other.test`, /^550 5\.1\.1 .*relaying denied/],
      ['a look-alike of our domain (Cyrillic o)', 'domains@n\u043etify.artsites.test', /^5\d\d /],
    ])('%s: RCPT TO:<%s>', async (_what, address, expected) => {
      const reply = await smtp.command(`RCPT TO:<${address}>`);
      expect(reply).toMatch(expected);
      // With no recipient accepted there is nothing to send.
      expect(await smtp.command('DATA')).toMatch(/^503 /);
    });

    it('offers no AUTH and no STARTTLS without a certificate, and answers VRFY and EXPN with nothing', async () => {
      expect(await smtp.command('AUTH LOGIN')).toMatch(/^5\d\d /);
      expect(await smtp.command('STARTTLS')).toMatch(/^5\d\d /);
      expect(await smtp.command(`VRFY ${SHARED}`)).not.toMatch(/^250/);
      expect(await smtp.command('EXPN domains')).not.toMatch(/^250/);
    });
  });

  describe('SMTP smuggling: no end-of-data trick splits one message in two', () => {
    // The malformed end-of-data sequences of SEC Consult's research (Longin, December 2023), as
    // hannob/smtpsmug sends them. Each is followed by a complete second transaction that a
    // vulnerable receiver would run as a message of its own, from a forged sender.
    const TRICKS: [string, string][] = [
      ['<LF>.<LF>', '\n.\n'],
      ['<CR>.<CR>', '\r.\r'],
      ['<CR>.<LF>', '\r.\n'],
      ['<LF>.<CR>', '\n.\r'],
      ['<LF>.<CR><LF>', '\n.\r\n'],
      ['<CR><LF>.<LF>', '\r\n.\n'],
      ['<CR>.<CR><LF>', '\r.\r\n'],
      ['<CR><LF>.<CR>', '\r\n.\r'],
      ['<CR><LF><NUL>.<CR><LF>', '\r\n\x00.\r\n'],
      ['<CR><LF>.<NUL><CR><LF>', '\r\n.\x00\r\n'],
    ];
    const smuggled = (name: string) =>
      [
        'MAIL FROM:<ceo@bank.test>',
        `RCPT TO:<${SHARED}>`,
        'DATA',
        'From: Bank CEO <ceo@bank.test>',
        `To: ${SHARED}`,
        `Subject: Smuggled after ${name}`,
        '',
        'Please pay the invoice for lindapence.com at https://pay.bank.test/',
      ].join('\r\n');

    it.each(TRICKS)('%s stays inside the first message, which is stored once', async (name, trick) => {
      const before = await countStored(t);
      const smtp = await openData(port(t));
      try {
        const data = `${registrarMail({ subject: `Smuggling test ${name}`, body: 'First message.' })}${trick}${smuggled(name)}`;
        smtp.write(Buffer.from(`${data}\r\n.\r\n`, 'latin1'));
        const reply = await smtp.reply();
        expect(reply).toMatch(/^250 2\.6\.0 Ok: queued as /);
        // Had the trick ended the first message, the smuggled MAIL FROM, RCPT TO, DATA and its end
        // would have had answers of their own before this one.
        expect(await smtp.command('QUIT')).toMatch(/^221 /);
        expect(await countStored(t)).toBe(before + 1);
        const raw = await rawOf(t, queuedId(reply)!);
        expect(raw.equals(Buffer.from(`${data}\r\n`, 'latin1'))).toBe(true);
        expect(raw.toString('latin1')).toContain('MAIL FROM:<ceo@bank.test>');
      } finally {
        smtp.close();
      }
    });

    it('the same with the trick cut across TCP writes', async () => {
      const before = await countStored(t);
      const smtp = await openData(port(t));
      try {
        const data = `${registrarMail({ subject: 'Smuggling test in pieces', body: 'First message.' })}\n.\n${smuggled('pieces')}`;
        const bytes = Buffer.from(`${data}\r\n.\r\n`, 'latin1');
        const cut = bytes.indexOf('\n.\n');
        for (const piece of [bytes.subarray(0, cut + 1), bytes.subarray(cut + 1, cut + 2), bytes.subarray(cut + 2)]) smtp.write(piece);
        expect(await smtp.reply()).toMatch(/^250 2\.6\.0 /);
        expect(await smtp.command('QUIT')).toMatch(/^221 /);
        expect(await countStored(t)).toBe(before + 1);
      } finally {
        smtp.close();
      }
    });

    it('never passes a trick on: the forwarded notice has no bare CR or LF, and goes to the contact alone', async () => {
      const smtp = await openData(port(t), ALIAS);
      let id: string | undefined;
      try {
        const data =
          registrarMail({
            subject: 'Transfer request for lindapence.com',
            body: 'A transfer of lindapence.com was requested.',
            headers: ['Cc: victim@other.test', 'Bcc: victim2@other.test'],
          }) + `\n.\r\n${smuggled('forwarding')}`;
        smtp.write(Buffer.from(`${data}\r\n.\r\n`, 'latin1'));
        id = queuedId(await smtp.reply());
      } finally {
        smtp.close();
      }
      expect(id).toBeDefined();
      const letter = await waitFor(
        async () => {
          for (const sunk of sink.to('linda@pence-mail.test')) {
            if ((await simpleParser(sunk.raw)).subject === '[lindapence.com] Transfer request for lindapence.com') return sunk;
          }
          return undefined;
        },
        'the forwarded notice',
        20_000,
      );
      const bytes = letter.raw.toString('latin1');
      // Every letter sent so far, the forwarded smuggling attempts of the tests above included.
      for (const sunk of sink.messages) {
        expect(sunk.raw.toString('latin1')).not.toMatch(/\r(?!\n)/);
        expect(sunk.raw.toString('latin1')).not.toMatch(/(?<!\r)\n/);
      }
      const mail = await simpleParser(letter.raw);
      const original = mail.attachments.find((a) => a.contentType === 'message/rfc822');
      // The original, bare LFs and all, travels encoded, so no relay further on can read a trick in it.
      expect(bytes).toMatch(/Content-Type: message\/rfc822[\s\S]*?Content-Transfer-Encoding: base64/i);
      expect(original!.content.toString('latin1')).toContain('\n.\r\nMAIL FROM:<ceo@bank.test>');
      expect(sink.messages.flatMap((m) => m.to).filter((to) => to.endsWith('other.test'))).toEqual([]);
    });
  });

  describe('header limits', () => {
    const fields = (n: number, name = 'X-Registrar-Field') => Array.from({ length: n }, (_, i) => `${name}-${i}: value ${i}`);

    it.each([
      // registrarMail writes 7 fields of its own.
      ['1000 header fields', registrarMail({ subject: 'Many fields', headers: fields(1000 - 7) }), /^250 2\.6\.0 /],
      [
        '1001 header fields',
        registrarMail({ subject: 'Too many fields', headers: fields(1001 - 7) }),
        /^554 5\.6\.0 Message header has more than 1000 fields$/,
      ],
      [
        'a 70 KB header (one folded field)',
        registrarMail({ subject: 'Huge header', headers: [`X-Filler: ${Array.from({ length: 80 }, () => 'y'.repeat(900)).join('\r\n ')}`] }),
        /^552 5\.3\.4 Message header exceeds the fixed maximum of 65536 bytes$/,
      ],
      ['a small header over a 2 MB body', registrarMail({ subject: 'Big body', body: `${'lindapence.com '.repeat(64)}\r\n`.repeat(2000) }), /^250 2\.6\.0 /],
      [
        '100 Received fields',
        registrarMail({ subject: 'Long way', headers: fields(100, 'Received').map((f) => f.replace(/^Received-\d+/, 'Received')) }),
        /^250 2\.6\.0 /,
      ],
      [
        '101 Received fields',
        registrarMail({ subject: 'Loop', headers: fields(101, 'Received').map((f) => f.replace(/^Received-\d+/, 'Received')) }),
        /^554 5\.4\.6 Too many Received header fields .*loop/,
      ],
    ])('%s', async (_what, raw, expected) => {
      const before = await countStored(t);
      const result = await sendRaw(port(t), { from: 'noreply@gandi.net', to: [SHARED] }, raw);
      expect(result.response).toMatch(expected);
      expect(await countStored(t)).toBe(before + (result.responseCode === 250 ? 1 : 0));
    });

    it('takes at most 100 recipients a message (RFC 5321 §4.5.3.1.8), each one a lookup', async () => {
      const names = Array.from({ length: 101 }, (_, i) => `recipient-test-${i}.com`);
      const csv = `name,client\n${names.map((n) => `${n},Linda Pence Studio`).join('\n')}\n`;
      const imported = await t.http().post('/api/domains/import').set('Authorization', t.adminAuth).set('Content-Type', 'text/csv').send(csv);
      expect(imported.status).toBeLessThan(300);
      const smtp = (await RawSmtp.open(port(t))).smtp;
      try {
        await smtp.command('EHLO mx.registrar.test');
        await smtp.command('MAIL FROM:<noreply@gandi.net>');
        const replies = [];
        for (const name of names) replies.push(await smtp.command(`RCPT TO:<${name}@${MAIL_DOMAIN}>`));
        expect(replies.slice(0, 100).every((r) => r.startsWith('250 '))).toBe(true);
        expect(replies[100]).toMatch(/^452 4\.5\.3 /);
      } finally {
        smtp.close();
      }
    });

    it('holds a message of 31 to 100 hops as a loop, as the decide stage does', async () => {
      const received = Array.from({ length: 40 }, (_, i) => `Received: from hop${i}.test by hop${i + 1}.test; Tue, 24 Nov 2026 09:00:00 +0000`);
      const result = await sendRaw(
        port(t),
        { from: 'noreply@gandi.net', to: [SHARED] },
        registrarMail({ subject: 'Expiry of lindapence.com', headers: received }),
      );
      const id = queuedId(result.response)!;
      const message = await waitFor(async () => {
        const m = (await t.http().get(`/api/messages/${id}`).set('Authorization', t.adminAuth)).body;
        return m.stage === 'decided' ? m : undefined;
      }, 'the decision');
      expect(message).toMatchObject({ status: 'held', holdReason: 'loop', deliveries: [] });
    });
  });
});

describe('SMTP edge: connection and rate limits', () => {
  let t: TestApp;
  const open: RawSmtp[] = [];
  const connect = async (localAddress = '127.0.0.1') => {
    const { smtp, greeting } = await RawSmtp.open(port(t), { localAddress });
    open.push(smtp);
    return { smtp, greeting };
  };

  /** A session as soon as the listener has a place again (the sessions of a previous test end asynchronously). */
  const connectWhenFree = (localAddress: string) =>
    waitFor(async () => {
      const { smtp, greeting } = await connect(localAddress);
      return greeting.startsWith('220 ') ? smtp : undefined;
    }, `a session from ${localAddress}`);

  beforeAll(async () => {
    t = await startTestApp({ SMTP_MAX_CONNECTIONS: '4', SMTP_MAX_CONNECTIONS_PER_ADDRESS: '2', SMTP_RATE_PER_MINUTE: '3' });
  });
  afterEach(() => open.splice(0).forEach((s) => s.close()));
  afterAll(() => t.close());

  it('refuses a third session from one address with 421 4.7.0, not one from another address', async () => {
    const first = await connect();
    const second = await connect();
    expect([first.greeting, second.greeting]).toEqual([expect.stringMatching(/^220 /), expect.stringMatching(/^220 /)]);
    const third = await connect();
    expect(third.greeting).toMatch(/^421 4\.7\.0 Too many connections from your address \(at most 2 at a time\)/);
    await third.smtp.closedByServer();
    expect((await connect('127.0.0.2')).greeting).toMatch(/^220 /);
    // A session that ends frees its place.
    first.smtp.close();
    const again = await waitFor(async () => {
      const attempt = await connect();
      return attempt.greeting.startsWith('220') ? attempt : undefined;
    }, 'a place for 127.0.0.1');
    expect(again.greeting).toMatch(/^220 /);
  });

  it('refuses sessions over SMTP_MAX_CONNECTIONS in total with 421', async () => {
    for (const address of ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4']) await connectWhenFree(address);
    const fifth = await connect('127.0.0.5');
    expect(fifth.greeting).toMatch(/^421 .*Too many connected clients/);
    await fifth.smtp.closedByServer();
  });

  it('refuses the fourth MAIL FROM in a minute from one address with 450 4.7.1, not from another', async () => {
    const smtp = await connectWhenFree('127.0.0.6');
    await smtp.command('EHLO mx.registrar.test');
    for (let i = 0; i < 3; i++) {
      expect(await smtp.command('MAIL FROM:<noreply@gandi.net>')).toMatch(/^250 /);
      expect(await smtp.command('RSET')).toMatch(/^250 /);
    }
    expect(await smtp.command('MAIL FROM:<noreply@gandi.net>')).toMatch(
      /^450 4\.7\.1 Too many messages from your address \(at most 3 a minute\); please try again in \d+ seconds$/,
    );
    const other = await connectWhenFree('127.0.0.7');
    await other.command('EHLO mx.other-registrar.test');
    expect(await other.command('MAIL FROM:<noreply@other-registrar.test>')).toMatch(/^250 /);
  });
});

describe('SMTP edge: recipient guessing (enumeration of tracked domains)', () => {
  // Small values, so the test stays fast; the defaults are 3, 10, 1000 ms and 30 an hour.
  const SOFT = 3;
  const HARD = 10;
  const DELAY_MS = 100;
  const PER_HOUR = 12;
  // Timers count whole milliseconds, and so does Date.now: a held reply may read 1 ms short.
  const HELD = DELAY_MS - 1;
  let t: TestApp;
  const open: RawSmtp[] = [];

  beforeAll(async () => {
    t = await startTestApp({
      SMTP_RATE_PER_MINUTE: '1000',
      SMTP_RCPT_SOFT_ERRORS: String(SOFT),
      SMTP_RCPT_HARD_ERRORS: String(HARD),
      SMTP_RCPT_ERROR_DELAY_MS: String(DELAY_MS),
      SMTP_RCPT_ERRORS_PER_HOUR: String(PER_HOUR),
    });
    await seedClient(t, {
      name: 'Linda Pence Studio',
      contacts: [{ name: 'Linda Pence', email: 'linda@pence-mail.test' }],
      domains: ['lindapence.com', 'pence-prints.net'],
    });
  });
  afterEach(() => open.splice(0).forEach((s) => s.close()));
  afterAll(() => t.close());

  /** A session from `localAddress` up to an accepted MAIL FROM. */
  const transaction = async (localAddress: string) => {
    const { smtp, greeting } = await RawSmtp.open(port(t), { localAddress });
    open.push(smtp);
    expect(greeting).toMatch(/^220 /);
    expect(await smtp.command('EHLO mx.guesser.test')).toMatch(/^250/);
    expect(await smtp.command('MAIL FROM:<probe@guesser.test>')).toMatch(/^250 /);
    return smtp;
  };
  const guesses = Array.from({ length: 300 }, (_, i) => `guess-${i}.com@${MAIL_DOMAIN}`);

  /** RCPT after RCPT until the session ends; each reply with the time it took. */
  async function guess(smtp: RawSmtp, addresses: string[]): Promise<{ reply: string; ms: number }[]> {
    const answers = [];
    for (const address of addresses) {
      const started = Date.now();
      const reply = await smtp.command(`RCPT TO:<${address}>`);
      answers.push({ reply, ms: Date.now() - started });
      if (reply.startsWith('421')) break;
    }
    return answers;
  }

  it('answers 300 guesses in one session with 550 only up to the hard limit, held back past the soft one, then 421 4.7.0 and closes', async () => {
    const smtp = await transaction('127.0.0.10');
    // A hit among the guesses is held back like a miss: the timing tells nothing.
    const addresses = [...guesses.slice(0, 5), `lindapence.com@${MAIL_DOMAIN}`, ...guesses.slice(5)];
    const started = Date.now();
    const answers = await guess(smtp, addresses);
    await smtp.closedByServer();
    const elapsed = Date.now() - started;
    const replies = answers.map((a) => a.reply);
    // HARD refusals and the one hit are answered; the next RCPT gets 421, and nothing after it.
    expect(answers).toHaveLength(HARD + 2);
    expect(replies.filter((r) => r.startsWith('550 5.1.1 '))).toHaveLength(HARD);
    expect(replies[5]).toMatch(/^250 /);
    expect(replies[HARD + 1]).toBe(`421 4.7.0 Too many unknown recipients in this session (${HARD}); closing, please check your addresses and try again later`);
    // Up to the soft limit no reply waits; past it every one does, the hit included.
    const held = answers.slice(SOFT, HARD + 1).map((a) => a.ms);
    expect(held).toHaveLength(HARD + 1 - SOFT);
    for (const ms of held) expect(ms).toBeGreaterThanOrEqual(HELD);
    expect(elapsed).toBeGreaterThanOrEqual((HARD + 1 - SOFT) * HELD);
  });

  it('answers 300 pipelined guesses the same way: HARD refusals, then 421 and the connection closed', async () => {
    const smtp = await transaction('127.0.0.11');
    smtp.write(guesses.map((g) => `RCPT TO:<${g}>\r\n`).join(''));
    const replies: string[] = [];
    for (;;) {
      const reply = await smtp.reply();
      replies.push(reply);
      if (reply.startsWith('421')) break;
    }
    await smtp.closedByServer();
    expect(replies.slice(0, HARD).every((r) => r.startsWith('550 5.1.1 '))).toBe(true);
    expect(replies).toHaveLength(HARD + 1);
    expect(replies[HARD]).toMatch(/^421 4\.7\.0 Too many unknown recipients in this session/);
  });

  it('counts the address over its sessions: the next session is cut off early, a later one refused at connect, another address not at all', async () => {
    const first = await transaction('127.0.0.12');
    expect((await guess(first, guesses.slice(0, 20))).at(-1)!.reply).toMatch(/^421 4\.7\.0 /);
    await first.closedByServer();
    // A new session from the same address starts with the address's count, not from zero.
    const second = await transaction('127.0.0.12');
    const answers = await guess(second, guesses.slice(20, 40));
    expect(answers.map((a) => a.reply.slice(0, 3))).toEqual([...Array(PER_HOUR - HARD).fill('550'), '421']);
    expect(answers.at(-1)!.reply).toMatch(
      new RegExp(`^421 4\\.7\\.0 Too many unknown recipients from your address \\(at most ${PER_HOUR} an hour\\); closing, please try again in \\d+ minutes$`),
    );
    await second.closedByServer();
    // Once the hour's count is used up, the address is turned away before it can say anything.
    const { smtp: third, greeting } = await RawSmtp.open(port(t), { localAddress: '127.0.0.12' });
    open.push(third);
    expect(greeting).toMatch(/^421 4\.7\.0 Too many unknown recipients from your address/);
    await third.closedByServer();
    // Another address is not concerned.
    const other = await transaction('127.0.0.13');
    expect(await other.command(`RCPT TO:<lindapence.com@${MAIL_DOMAIN}>`)).toMatch(/^250 /);
  });

  it('leaves legitimate use alone: valid recipients and one typo, then the message is stored', async () => {
    const before = await countStored(t);
    const smtp = await transaction('127.0.0.14');
    const answers = await guess(smtp, [SHARED, `lindapence.com@${MAIL_DOMAIN}`, `lindapense.com@${MAIL_DOMAIN}`, `pence-prints.net@${MAIL_DOMAIN}`]);
    expect(answers.map((a) => a.reply.slice(0, 3))).toEqual(['250', '250', '550', '250']);
    expect(await smtp.command('DATA')).toMatch(/^354 /);
    smtp.write(`${registrarMail({ subject: 'Renewal of lindapence.com and pence-prints.net' })}\r\n.\r\n`);
    expect(await smtp.reply()).toMatch(/^250 2\.6\.0 Ok: queued as /);
    // The next message of the same session goes as fast as the first.
    expect(await smtp.command('MAIL FROM:<noreply@gandi.net>')).toMatch(/^250 /);
    expect(await smtp.command(`RCPT TO:<${SHARED}>`)).toMatch(/^250 /);
    expect(await countStored(t)).toBe(before + 1);
  });

  it('forgets a session closed while its reply is held back, and goes on serving others', async () => {
    const receiver = t.app.get(SmtpReceiver);
    const smtp = await transaction('127.0.0.15');
    await guess(smtp, guesses.slice(0, SOFT + 1));
    // This reply is held back; the guesser hangs up before it comes.
    smtp.write(`RCPT TO:<${guesses[SOFT + 1]}>\r\n`);
    await waitFor(async () => (receiver['heldReplies'].size === 1 ? true : undefined), 'the reply to be held back');
    smtp.close();
    await waitFor(
      async () => (receiver['heldReplies'].size === 0 && receiver['recipientErrors'].trackedSessions === 0 ? true : undefined),
      'the session to be forgotten',
    );
    const other = await transaction('127.0.0.16');
    expect(await other.command(`RCPT TO:<${SHARED}>`)).toMatch(/^250 /);
  });
});

describe('SMTP edge: timeouts', () => {
  let t: TestApp;
  const open: RawSmtp[] = [];
  beforeAll(async () => {
    t = await startTestApp({ SMTP_IDLE_TIMEOUT: '1s', SMTP_SESSION_TIMEOUT: '3s', SMTP_RATE_PER_MINUTE: '1000' });
  });
  afterEach(() => open.splice(0).forEach((s) => s.close()));
  afterAll(() => t.close());

  const connect = async () => {
    const { smtp, greeting } = await RawSmtp.open(port(t));
    open.push(smtp);
    expect(greeting).toMatch(/^220 /);
    return smtp;
  };

  it('closes an idle session with 421 after SMTP_IDLE_TIMEOUT', async () => {
    const smtp = await connect();
    await smtp.command('EHLO mx.registrar.test');
    const started = Date.now();
    expect(await smtp.reply(10_000)).toMatch(/^421 .*Timeout/);
    await smtp.closedByServer();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('ends a session that keeps itself busy with 421 4.4.2 at SMTP_SESSION_TIMEOUT', async () => {
    const smtp = await connect();
    const started = Date.now();
    let reply = await smtp.command('EHLO mx.registrar.test');
    while (!reply.startsWith('421')) reply = await smtp.command('NOOP');
    expect(reply).toBe('421 4.4.2 Session lasted too long; closing, please reconnect');
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_900);
    await smtp.closedByServer();
  });

  it('cuts a message trickled a byte at a time (slowloris) at the deadline, and stores nothing', async () => {
    const before = await countStored(t);
    const smtp = await connect();
    await smtp.command('EHLO mx.registrar.test');
    await smtp.command('MAIL FROM:<noreply@gandi.net>');
    await smtp.command(`RCPT TO:<${SHARED}>`);
    expect(await smtp.command('DATA')).toMatch(/^354 /);
    const bytes = Buffer.from(registrarMail({ subject: 'Slow', body: 'x'.repeat(10_000) }));
    let sent = 0;
    // The attack itself: a byte every 100 ms, well inside the idle timeout.
    const drip = setInterval(() => {
      if (!smtp.isClosed && sent < bytes.length) smtp.write(bytes.subarray(sent, ++sent));
    }, 100);
    try {
      expect(await smtp.reply(10_000)).toMatch(/^421 4\.4\.2 /);
      await smtp.closedByServer();
    } finally {
      clearInterval(drip);
    }
    expect(await countStored(t)).toBe(before);
  });
});

describe('SMTP edge: STARTTLS with TLS_CERT and TLS_KEY', () => {
  const certificate = selfSignedCertificate();
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ TLS_CERT: certificate.certFile, TLS_KEY: certificate.keyFile });
  });
  afterAll(() => t.close());

  it('offers STARTTLS, upgrades with the configured certificate, then takes mail (still without AUTH)', async () => {
    const { smtp, greeting } = await RawSmtp.open(port(t));
    try {
      expect(greeting).toMatch(/^220 /);
      const ehlo = await smtp.command('EHLO mx.registrar.test');
      expect(ehlo).toMatch(/STARTTLS/);
      expect(ehlo).not.toMatch(/AUTH/);
      expect(await smtp.command('STARTTLS')).toMatch(/^220 /);
      const secure = await smtp.upgrade(certificate.cert);
      expect(secure.authorized).toBe(true);
      expect(secure.getProtocol()).toMatch(/^TLSv1\.[23]$/);
      expect(secure.getPeerCertificate().subject.CN).toBe('localhost');
      const again = await smtp.command('EHLO mx.registrar.test');
      expect(again).not.toMatch(/STARTTLS|AUTH/);
      expect(await smtp.command('MAIL FROM:<noreply@gandi.net>')).toMatch(/^250 /);
      expect(await smtp.command(`RCPT TO:<${SHARED}>`)).toMatch(/^250 /);
      expect(await smtp.command('DATA')).toMatch(/^354 /);
      smtp.write(`${registrarMail({ subject: 'Over TLS' })}\r\n.\r\n`);
      expect(await smtp.reply()).toMatch(/^250 2\.6\.0 Ok: queued as /);
    } finally {
      smtp.close();
    }
  });

  it('lets a registrar MTA that requires TLS deliver (nodemailer, requireTLS)', async () => {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: port(t),
      secure: false,
      requireTLS: true,
      name: 'mx.registrar.test',
      tls: { ca: certificate.cert, servername: 'localhost' },
    });
    try {
      const info = await transport.sendMail({ envelope: { from: 'noreply@gandi.net', to: [SHARED] }, raw: registrarMail({ subject: 'Required TLS' }) });
      expect(info.response).toMatch(/^250 2\.6\.0 /);
    } finally {
      transport.close();
    }
  });

  it('drops commands pipelined behind STARTTLS in clear text (STARTTLS command injection)', async () => {
    const { smtp } = await RawSmtp.open(port(t));
    try {
      await smtp.command('EHLO mx.registrar.test');
      smtp.write('STARTTLS\r\nMAIL FROM:<injected@attacker.test>\r\n');
      expect(await smtp.reply()).toMatch(/^220 /);
      await smtp.upgrade(certificate.cert);
      await smtp.command('EHLO mx.registrar.test');
      // Had the injected MAIL FROM survived the handshake, this recipient would be accepted.
      expect(await smtp.command(`RCPT TO:<${SHARED}>`)).toMatch(/^503 /);
    } finally {
      smtp.close();
    }
  });
});
