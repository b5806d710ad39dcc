// parse() streams the message through MailParser and drains attachments unread; what it returns
// must be exactly what the simpleParser version returned (subject, text, html, addresses,
// Message-ID, From, header fields), for the corpus and for messages with large attachments.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser, type AddressObject } from 'mailparser';
import { bareMessageId, parse, readMessage, type ParseOutcome } from './parse';

const DIR = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'mail');

/** parse() as it was, with simpleParser (attachments read whole), for comparison. */
async function reference(raw: Buffer): Promise<ParseOutcome> {
  let mail;
  try {
    mail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  } catch (err) {
    return { ok: false, reason: `mailparser could not read the message: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (!mail.headerLines.some((h) => /^[\x21-\x39\x3b-\x7e]+$/.test(h.key))) return { ok: false, reason: 'the message has no header fields' };
  const addresses = (field: AddressObject | AddressObject[] | undefined): string[] => {
    const out: string[] = [];
    const walk = (entries: AddressObject['value']) => {
      for (const e of entries) {
        if (e.address) out.push(e.address);
        if (e.group) walk(e.group);
      }
    };
    for (const f of field ? (Array.isArray(field) ? field : [field]) : []) walk(f.value);
    return out;
  };
  return {
    ok: true,
    message: {
      subject: mail.subject ?? '',
      text: mail.text ?? '',
      html: typeof mail.html === 'string' ? mail.html : '',
      addresses: [
        ...addresses(mail.from),
        ...addresses(mail.to),
        ...addresses(mail.cc),
        ...addresses(mail.replyTo),
        ...addresses(mail.headers.get('sender') as AddressObject | undefined),
      ],
      unscannable: [],
      messageId: bareMessageId(mail.messageId),
      from: mail.from?.text ?? null,
      date: mail.date ?? null,
      headers: mail.headerLines.map((h) => ({ key: h.key, value: h.line.slice(h.line.indexOf(':') + 1).trim() })),
    },
  };
}

function base64Lines(bytes: Buffer): string {
  return bytes.toString('base64').replace(/.{1,76}/g, '$&\r\n');
}

/** A registrar notice with text and HTML parts, a big attachment, a forwarded message and a text part after them. */
function withAttachment(attachmentBytes: number): Buffer {
  return Buffer.from(
    [
      'From: "Gandi" <noreply@gandi.net>',
      'To: domains@notify.artsites.test, "Linda" <linda@pence-mail.test>',
      'Cc: billing@gandi.net',
      'Reply-To: support@gandi.net',
      'Sender: bounces@gandi.net',
      'Subject: =?utf-8?Q?Renouvellement_de_lindapence.com_=E2=80=94_facture?=',
      'Date: Tue, 24 Nov 2026 09:12:00 +0100',
      'Message-ID: <invoice-42@gandi.net>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="outer"',
      '',
      '--outer',
      'Content-Type: multipart/alternative; boundary="alt"',
      '',
      '--alt',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'lindapence.com was renewed until 2028-11-24.',
      '--alt',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p><b>lindapence.com</b> was renewed until 2028-11-24.</p>',
      '--alt--',
      '--outer',
      'Content-Type: application/pdf; name="invoice.pdf"',
      'Content-Disposition: attachment; filename="invoice.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      base64Lines(randomBytes(attachmentBytes)),
      '--outer',
      'Content-Type: message/rfc822',
      'Content-Disposition: attachment',
      '',
      'From: registry@example.test',
      'Subject: inner',
      '',
      'The inner message names omarhaddad.eu.',
      '--outer',
      'Content-Type: image/png',
      'Content-Transfer-Encoding: base64',
      'Content-ID: <logo@gandi.net>',
      '',
      base64Lines(randomBytes(2000)),
      '--outer',
      'Content-Type: text/plain; charset=iso-8859-1',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Merci de votre confiance =E0 bient=F4t.',
      '--outer--',
      '',
    ].join('\r\n'),
    'utf8',
  );
}

async function expectSameAsReference(raw: Buffer): Promise<ParseOutcome> {
  const [now, before] = await Promise.all([parse(raw), reference(raw)]);
  if (now.ok && before.ok) {
    // An unreadable Date header reads as the time of parsing in both: only compare readable ones.
    // What matching reads besides (every header of every part, attachments as text) is new.
    const { date: a, headerValues: _headers, attached: _attached, unscannable: _unscannable, fromAddress: _fromAddress, ...restNow } = now.message;
    const { date: b, unscannable: _none, ...restBefore } = before.message;
    expect(restNow).toEqual(restBefore);
    expect(a === null).toBe(b === null);
    if (a && b && !Number.isNaN(Date.parse(String(now.message.headers.find((h) => h.key === 'date')?.value)))) expect(a.getTime()).toBe(b.getTime());
  } else {
    expect(now).toEqual(before);
  }
  return now;
}

describe('parse', () => {
  it.each(readdirSync(DIR).filter((f) => f.endsWith('.eml')))('reads corpus message %s as simpleParser did', async (file) => {
    const outcome = await expectSameAsReference(readFileSync(join(DIR, file)));
    expect(outcome.ok).toBe(true);
  });

  it.each([
    ['100 KB', 100 * 1024],
    ['3 MB', 3 * 1024 * 1024],
  ])('reads a message with a %s attachment as simpleParser did, the attachment unread', async (_size, bytes) => {
    const outcome = await expectSameAsReference(withAttachment(bytes));
    if (!outcome.ok) throw new Error(outcome.reason);
    const m = outcome.message;
    expect(m.subject).toBe('Renouvellement de lindapence.com — facture');
    expect(m.text).toContain('lindapence.com was renewed until 2028-11-24.');
    expect(m.text).toContain('Merci de votre confiance à bientôt.');
    expect(m.text).not.toMatch(/[A-Za-z0-9+/]{76}/); // nothing of the attachment
    expect(m.html).toContain('<b>lindapence.com</b>');
    expect(m.addresses).toEqual([
      'noreply@gandi.net',
      'domains@notify.artsites.test',
      'linda@pence-mail.test',
      'billing@gandi.net',
      'support@gandi.net',
      'bounces@gandi.net',
    ]);
    expect(m.messageId).toBe('invoice-42@gandi.net');
    expect(m.from).toBe('"Gandi" <noreply@gandi.net>');
    expect(m.date?.toISOString()).toBe('2026-11-24T08:12:00.000Z');
    expect(m.headers.map((h) => h.key)).toEqual(['from', 'to', 'cc', 'reply-to', 'sender', 'subject', 'date', 'message-id', 'mime-version', 'content-type']);
    // The PDF and the image cannot be read for names; the forwarded message is read (it is mail).
    expect(m.unscannable).toEqual([{ contentType: 'application/pdf', filename: 'invoice.pdf' }, expect.objectContaining({ contentType: 'image/png' })]);
    expect(m.headerValues).toEqual(expect.arrayContaining(['invoice.pdf', 'registry@example.test', 'inner']));
  });

  it.each([
    ['no bytes', ''],
    ['a blank line', '\r\n'],
    ['text without a header field', 'garbage without a colon\r\n\r\nbody\r\n'],
    ['a field name with a space', 'Not A Field: x\r\n\r\nbody\r\n'],
  ])('holds %s as unparseable, as before', async (_case, raw) => {
    const outcome = await expectSameAsReference(Buffer.from(raw, 'latin1'));
    expect(outcome).toEqual({ ok: false, reason: 'the message has no header fields' });
  });

  it('gives no date and no Message-ID when the headers have none', async () => {
    const outcome = await expectSameAsReference(Buffer.from('Subject: hi\r\n\r\nbody\r\n'));
    expect(outcome).toMatchObject({ ok: true, message: { subject: 'hi', text: 'body\n', date: null, messageId: null, from: null, addresses: [] } });
  });
});

describe('readMessage', () => {
  it('reads what parse reads, and a message parse calls unparseable too', async () => {
    const raw = withAttachment(1000);
    const outcome = await parse(raw);
    expect(outcome.ok && outcome.message).toEqual(await readMessage(raw));
    expect(await readMessage(Buffer.from('no header here\r\n\r\nbody'))).toMatchObject({ subject: '', text: 'body', messageId: null });
  });

  it('reads for a letter without what only matching needs', async () => {
    const raw = withAttachment(1000);
    const full = await readMessage(raw);
    const letter = await readMessage(raw, { scan: false });
    expect(letter).toEqual({ ...full, headerValues: [], attached: { text: [], html: [] }, unscannable: [] });
  });
});
