// The letter builder against what a receiving system reads (mailparser) and against the message
// MailComposer builds from the same letter (composeLetterStream still uses it): same headers, same
// parts, same text, HTML and attachment, whatever the names, subjects, bodies and originals.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { composeForward, type ForwardInput, type NoticeSettings } from './compose';
import { composeLetter, composeLetterStream, type Letter } from './letter';
import { textTransferEncoding } from './letter-mime';
import { explanation, footer, letterBody, WHY_COPIED } from './sections';
import { addresses, headerLines, latin1Original, LINDAPENCE, LINDAPENCE_DE, NO_STAFF, parse, SETTINGS } from './spec-fixtures';

const FIXTURES = join(__dirname, '../../../test/fixtures/mail');

const read = async (stream: NodeJS.ReadableStream): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

/** A real letter's body: the page chrome, a kind's explanation, the footer. */
function body(domains = [LINDAPENCE]): { text: string; html: string } {
  return letterBody(
    '[lindapence.com] Transfer request',
    'Copy of a registrar message, for Linda Pence Studio',
    [explanation('transfer_request', domains)],
    footer(SETTINGS.staffEmail, WHY_COPIED),
  );
}

function letter(overrides: Partial<Letter> = {}): Letter {
  return {
    to: { name: 'Linda Pence', email: 'linda@pence-mail.test' },
    subject: '[lindapence.com] Transfer request',
    id: '5b0c7a52-3f0e-4d8e-9d1a-2f6f1f0c9e11',
    autoSubmitted: 'auto-forwarded',
    inReplyTo: '<tr-1@gandi.test>',
    ...body(),
    original: latin1Original(),
    ...overrides,
  };
}

/** Latin letters outnumbered: MimeNode sends such a text base64. */
const CYRILLIC = 'Уважаемый клиент,\n\nдомен lindapence.com будет перенесён к другому регистратору.\nЕсли вы не запрашивали перенос, сообщите нам.\n';

const cases: [string, Partial<Letter>, NoticeSettings?][] = [
  ['an 8-bit original (base64) and a realistic body', {}],
  ['a 7-bit original (attached as 7bit)', { original: readFileSync(join(FIXTURES, '01-gandi-transfer-request.eml')) }],
  ['no original (multipart/alternative alone)', { original: undefined }],
  ['a non-ASCII contact name with specials', { to: { name: 'Jörg Müller, "the boss" <ceo@x.test>', email: 'joerg@müller-mail.test' } }],
  ['a non-ASCII subject', { subject: '[lindapencé.de] Renouvellement à effectuer – échéance le 3 décembre' }],
  [
    'a long ASCII subject needing folding',
    { subject: `[lindapence.com +3] ${'Your domain transfer request needs your approval before the deadline '.repeat(3)}` },
  ],
  [
    'a long non-ASCII subject needing several encoded words',
    { subject: `[lindapencé.de] ${'Demande de transfert sortant reçue, à approuver avant l’échéance '.repeat(3)}` },
  ],
  [
    'header injection in every value',
    {
      to: { name: 'Evil\r\nBcc: victim@x.test', email: 'linda@pence-mail.test' },
      subject: 'Evil\r\nX-Injected: yes\r\n\r\n<b>body</b>',
      inReplyTo: '<a@b>\r\nBcc: victim@x.test',
    },
  ],
  ['no In-Reply-To, no Reply-To', { inReplyTo: null }, NO_STAFF],
  ['an auto-generated letter', { autoSubmitted: 'auto-generated', original: undefined }],
  ['a Cyrillic body (base64 text parts)', { text: CYRILLIC, html: `<p>${CYRILLIC}</p>` }],
  ['a short ASCII body (7bit text parts)', { text: 'Hello,\n\nA transfer was requested.\n', html: '<p>Hello</p>\n' }],
  [
    'a body of tricky lines: trailing spaces, tabs, "=", a lone CR, 75 to 77 characters, one long word',
    {
      text: `trailing spaces   \n\ttab\tand = sign =3D\nlone\rCR\n${'a'.repeat(75)}\n${'b '.repeat(38)}\n${'c'.repeat(77)}\n${'https://x.test/'.repeat(20)}\nlast line without a break`,
      html: `<p>${'é'.repeat(100)}</p>\n<p>=?utf-8?Q?not_a_word?= </p>`,
    },
  ],
];

/** The top-level header lines, unfolded, without Date and Content-Type (its boundary is random). */
const stableHeaderLines = (message: Buffer): string[] => headerLines(message).filter((l) => !/^(date|content-type):/i.test(l));

/** Every Content-* line of the message's parts in order, unfolded, with the boundaries named by position. */
function partHeaders(message: Buffer): string[] {
  const lines = message.toString('latin1').split('\r\n');
  const unfolded = lines.reduce<string[]>((out, line) => {
    if (/^[ \t]/.test(line) && out.length) out[out.length - 1] += line;
    else out.push(line);
    return out;
  }, []);
  const boundaries: string[] = [];
  return unfolded
    .filter((l) => /^content-(type|transfer-encoding|disposition):/i.test(l))
    .map((l) =>
      l.replace(/boundary="?([^";]+)"?/i, (_m, b: string) => {
        boundaries.push(b);
        return `boundary=#${boundaries.length}`;
      }),
    );
}

/** What a receiving system reads of a letter. */
function reading(mail: ParsedMail): unknown {
  return {
    subject: mail.subject,
    from: addresses(mail.from),
    to: addresses(mail.to),
    replyTo: addresses(mail.replyTo),
    cc: mail.cc,
    bcc: mail.bcc,
    messageId: mail.messageId,
    inReplyTo: mail.inReplyTo,
    references: mail.references,
    autoSubmitted: mail.headers.get('auto-submitted'),
    notice: mail.headers.get('x-aster-notice'),
    mimeVersion: mail.headers.get('mime-version'),
    headerNames: [...mail.headers.keys()].sort(),
    text: mail.text,
    html: mail.html,
    attachments: mail.attachments.map((a) => ({
      contentType: a.contentType,
      filename: a.filename,
      disposition: a.contentDisposition,
      transferEncoding: a.headers.get('content-transfer-encoding'),
      content: a.content.toString('base64'),
    })),
  };
}

describe('composeLetter against MailComposer (composeLetterStream) for the same letter', () => {
  it.each(cases)('%s', async (_case, overrides, settings = SETTINGS) => {
    const input = letter(overrides);
    const built = await composeLetter(settings, input);
    const composed = await read(composeLetterStream(settings, input));
    expect(stableHeaderLines(built)).toEqual(stableHeaderLines(composed));
    expect(partHeaders(built)).toEqual(partHeaders(composed));
    const [a, b] = await Promise.all([simpleParser(built), simpleParser(composed)]);
    expect(reading(a)).toEqual(reading(b));
  });
});

describe('composeLetter: the message itself', () => {
  it.each(cases)('%s: CRLF lines only, encoded lines of at most 76 characters, an ASCII header block', async (_case, overrides, settings = SETTINGS) => {
    const input = letter(overrides);
    const message = await composeLetter(settings, input);
    const text = message.toString('latin1');
    expect(text).not.toMatch(/(^|[^\r])\n|\r(?!\n)/);
    // Up to the attached original, which keeps its own lines.
    const original = text.indexOf('Content-Type: message/rfc822');
    const ours = original >= 0 ? text.slice(0, original) : text;
    expect(ours.split('\r\n').filter((l) => l.length > 76)).toEqual([]);
    // Unless an address needs SMTPUTF8 (a non-ASCII local part), the header block is ASCII.
    expect(headerLines(message).join('\n')).toMatch(/^[\x20-\x7e\n\t]*$/);
  });

  it('gives a new boundary to every letter, of characters quoted-printable and base64 never produce', async () => {
    const [a, b] = await Promise.all([composeLetter(SETTINGS, letter()), composeLetter(SETTINGS, letter())]);
    const boundary = (m: Buffer): string[] => [...m.toString('latin1').matchAll(/boundary="([^"]+)"/g)].map((x) => x[1]);
    expect(boundary(a)).toHaveLength(2);
    expect(boundary(a)[0]).not.toBe(boundary(a)[1]);
    expect(boundary(a)[0]).not.toBe(boundary(b)[0]);
    for (const x of boundary(a)) expect(x).toContain('=_');
  });

  it('keeps every line of a body of more lines than its memo holds, each line new', async () => {
    const text = Array.from({ length: 3000 }, (_, i) => `Line ${i}: ${'é'.repeat(i % 50)} ${i % 7 ? 'plain' : 'trailing space '}`).join('\n');
    const mail = await parse(await composeLetter(SETTINGS, letter({ text, html: `<pre>${text}</pre>` })));
    expect(mail.text).toBe(text);
    expect(mail.html).toBe(`<pre>${text}</pre>`);
  });
  it('gives each line its own encoding, however like another line it is', async () => {
    const lines = [
      'Renewal due',
      'enewal due',
      'Renewal du',
      'Renewal due ',
      'Renewal due\t',
      'renewal due',
      'Renewal due.',
      'échéance',
      'écheance',
      'é',
      'e',
      '',
    ];
    for (const order of [lines, [...lines].reverse()]) {
      const text = order.join('\n');
      const mail = await parse(await composeLetter(SETTINGS, letter({ text: `${text}\nà`, html: `<p>${text}</p>` })));
      expect(mail.text).toBe(`${text}\nà`);
      expect(mail.html).toBe(`<p>${text}</p>`);
    }
  });
});

describe('textTransferEncoding: how MimeNode sends a text body', () => {
  it.each([
    ['printable ASCII in short lines', '7bit', 'Hello,\r\n\r\nA transfer was requested.\r\n'],
    ['a line of 76 characters', '7bit', 'a'.repeat(76)],
    ['a line of 77 characters', 'quoted-printable', 'a'.repeat(77)],
    ['mostly English with an é', 'quoted-printable', 'A transfer of lindapencé.de was requested.'],
    ['a control character', 'quoted-printable', 'bell\x07 in an English sentence'],
    ['Cyrillic', 'base64', CYRILLIC],
    ['only non-ASCII', 'base64', 'éééé'],
  ])('%s → %s', (_case, expected, text) => {
    expect(textTransferEncoding(text)).toBe(expected);
  });
});

describe('a composed forward through mailparser', () => {
  const settings = SETTINGS;
  const forward = (raw: Buffer, contact = { name: 'Linda Pence', email: 'linda@pence-mail.test' }): ForwardInput => ({
    deliveryId: 'd-1',
    to: contact,
    clientName: 'Linda Pence Studio',
    kind: 'transfer_request',
    domains: [LINDAPENCE, LINDAPENCE_DE],
    original: {
      raw,
      subject: 'Transfer request',
      from: 'Gandi <noreply@gandi.test>',
      messageId: '<tr-1@gandi.test>',
      date: new Date('2026-11-17T09:14:01Z'),
      text: 'A transfer was requested.',
    },
    unverifiedSender: false,
  });

  const corpus = readdirSync(FIXTURES).filter((f) => f.endsWith('.eml'));

  it.each(corpus)('attaches %s byte for byte', async (file) => {
    const raw = readFileSync(join(FIXTURES, file));
    const mail = await parse(await composeForward(settings, forward(raw)));
    const attached = mail.attachments.filter((a) => a.contentType === 'message/rfc822');
    expect(attached).toHaveLength(1);
    expect(Buffer.compare(attached[0].content, raw)).toBe(0);
  });

  it.each([
    ['an 8-bit original', latin1Original],
    ['a 7-bit original with a line that starts like a boundary and a lone "."', () => Buffer.from('Subject: x\r\n\r\n--=_Aster_0_1\r\n.\r\n--\r\nend\r\n')],
    [
      'an original of 900 kB',
      () => Buffer.concat([readFileSync(join(FIXTURES, '01-gandi-transfer-request.eml')), Buffer.from('lindapence.com renewed.\r\n'.repeat(36_000))]),
    ],
    ['an empty original', () => Buffer.alloc(0)],
  ])('gives two contacts of one message %s byte for byte, each letter addressed to its contact', async (_case, original) => {
    const raw = original();
    const contacts = [
      { name: 'Linda Pence', email: 'linda@pence-mail.test' },
      { name: 'Omar Haddad', email: 'omar@haddad.test' },
    ];
    for (const contact of contacts) {
      const mail = await parse(await composeForward(settings, forward(raw, contact)));
      expect(addresses(mail.to)).toEqual([{ name: contact.name, address: contact.email }]);
      const [attached] = mail.attachments;
      expect(attached.contentType).toBe('message/rfc822');
      expect(Buffer.compare(attached.content, raw)).toBe(0);
    }
  });
});
