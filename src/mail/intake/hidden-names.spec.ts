// Issue 11, item 1: a client must never receive another client's domain, wherever it hides. Each
// message below names Linda's domain where anyone sees it and Harbor Lane's only somewhere a reader
// does not look first; matching (parse, then extractCandidates) must find both, so the message goes
// out as privacy digests instead of whole.
import { parse } from './parse';
import { extractCandidates } from './match';

const b64 = (text: string, encoding: BufferEncoding = 'utf8') =>
  Buffer.from(text, encoding)
    .toString('base64')
    .replace(/.{1,76}/g, '$&\r\n');

/** A renewal notice for lindapence.com with one more part (or header lines) added. */
function mail(opts: { headers?: string[]; html?: string; parts?: string[] }): Buffer {
  const body = [
    '--outer',
    'Content-Type: multipart/alternative; boundary="alt"',
    '',
    '--alt',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Your domain lindapence.com was renewed until 2028-11-24.',
    '--alt',
    'Content-Type: text/html; charset=utf-8',
    '',
    opts.html ?? '<p>Your domain <b>lindapence.com</b> was renewed until 2028-11-24.</p>',
    '--alt--',
    ...(opts.parts ?? []).flatMap((p) => ['--outer', p]),
    '--outer--',
    '',
  ];
  return Buffer.from(
    [
      'From: "Gandi" <noreply@gandi.net>',
      'To: domains@notify.artsites.test',
      'Subject: Renewal confirmation',
      'Date: Tue, 24 Nov 2026 09:12:00 +0100',
      'Message-ID: <renew-7@gandi.net>',
      ...(opts.headers ?? []),
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="outer"',
      '',
      ...body,
    ].join('\r\n'),
    'utf8',
  );
}

const attachment = (type: string, filename: string, content: string, encoding: BufferEncoding = 'utf8') =>
  [
    `Content-Type: ${type}; name="${filename}"`,
    `Content-Disposition: attachment; filename="${filename}"`,
    'Content-Transfer-Encoding: base64',
    '',
    b64(content, encoding),
  ].join('\r\n');

const nested = (disposition: string, inner: string[]) => ['Content-Type: message/rfc822', `Content-Disposition: ${disposition}`, '', ...inner].join('\r\n');

const CASES: [string, Buffer][] = [
  [
    'a CSV attachment',
    mail({ parts: [attachment('text/csv', 'domains.csv', 'domain,expires\r\nlindapence.com,2028-11-24\r\nharborlane.org,2027-01-03\r\n')] }),
  ],
  [
    'a CSV sent as octet-stream (the filename says CSV)',
    mail({ parts: [attachment('application/octet-stream', 'domains.csv', 'harborlane.org;2027-01-03\r\n')] }),
  ],
  ['a JSON attachment', mail({ parts: [attachment('application/json', 'renewals.json', '{"domains":["harborlane.org"]}')] })],
  ['an XML attachment', mail({ parts: [attachment('application/xml', 'epp.xml', '<domain:name>harborlane.org</domain:name>')] })],
  ['a calendar invitation', mail({ parts: [attachment('text/calendar', 'expiry.ics', 'BEGIN:VEVENT\r\nSUMMARY:harborlane.org expires\r\nEND:VEVENT\r\n')] })],
  ['a text attachment in Latin-1', mail({ parts: [attachment('text/plain; charset=iso-8859-1', 'liste.txt', 'Domäne: harborlane.org\r\n', 'latin1')] })],
  ['an HTML attachment', mail({ parts: [attachment('text/html', 'invoice.html', '<!-- harborlane.org --><p>Invoice</p>')] })],
  ['an HTML comment', mail({ html: '<p>Your domain <b>lindapence.com</b> was renewed.</p><!-- also harborlane.org -->' })],
  ['the HTML title', mail({ html: '<html><head><title>harborlane.org renewal</title></head><body><p>lindapence.com</p></body></html>' })],
  ['an alt attribute', mail({ html: '<p>lindapence.com <img src="cid:x" alt="harborlane.org"></p>' })],
  ['a hidden element', mail({ html: '<p>lindapence.com</p><div style="display:none">harborlane.org</div>' })],
  [
    'a forwarded message (attachment) whose header alone names it',
    mail({ parts: [nested('attachment', ['From: registry@nic.test', 'X-Registrant-Domain: harborlane.org', 'Subject: status', '', 'Nothing here.'])] }),
  ],
  [
    'a forwarded message (attachment), in its text',
    mail({ parts: [nested('attachment', ['From: registry@nic.test', 'Subject: status', '', 'harborlane.org is locked.'])] }),
  ],
  [
    'a forwarded message (inline), in its header',
    mail({ parts: [nested('inline', ['From: registry@nic.test', 'Reply-To: hostmaster@harborlane.org', 'Subject: status', '', 'Nothing here.'])] }),
  ],
  [
    'a message forwarded inside a forwarded message',
    mail({
      parts: [
        nested('attachment', [
          'From: a@nic.test',
          'Content-Type: multipart/mixed; boundary="in"',
          '',
          '--in',
          nested('attachment', ['From: b@nic.test', 'X-Domain: harborlane.org', '', 'deep']),
          '--in--',
        ]),
      ],
    }),
  ],
  ['an X- header', mail({ headers: ['X-Original-Domain: harborlane.org'] })],
  ['In-Reply-To', mail({ headers: ['In-Reply-To: <ticket-4411@mail.harborlane.org>'] })],
  ['References', mail({ headers: ['References: <a@gandi.net> <b@harborlane.org>'] })],
  ['List-Unsubscribe', mail({ headers: ['List-Unsubscribe: <mailto:leave@harborlane.org>'] })],
  ['an encoded header', mail({ headers: ['Organization: =?utf-8?Q?harborlane=2Eorg?='] })],
  ['a header folded over lines', mail({ headers: ['Comments: renewed together with', ' harborlane.org'] })],
  ['the filename of a PDF', mail({ parts: [attachment('application/pdf', 'harborlane.org-invoice.pdf', '%PDF-1.4 binary')] })],
  ['a NUL inside the name', mail({ headers: ['Keywords: harbor\u0000lane.org'] })],
];

describe('matching sees every part of a message', () => {
  it.each(CASES)('finds a domain named only in %s', async (_where, raw) => {
    const parsed = await parse(raw);
    if (!parsed.ok) throw new Error(parsed.reason);
    const candidates = extractCandidates(parsed.message);
    expect(candidates).toContain('lindapence.com');
    expect(candidates).toContain('harborlane.org');
  });

  it('does not invent a name that is not there', async () => {
    const parsed = await parse(mail({ parts: [attachment('text/csv', 'domains.csv', 'domain\r\nlindapence.com\r\n')] }));
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(extractCandidates(parsed.message).filter((c) => c !== 'gandi.net' && c !== 'nic.test')).toEqual(['lindapence.com']);
  });

  it('lists what it could not read: a PDF, an archive, an image', async () => {
    const parsed = await parse(
      mail({
        parts: [attachment('application/pdf', 'invoice.pdf', '%PDF'), attachment('application/zip', 'a.zip', 'PK'), attachment('image/png', 'logo.png', 'png')],
      }),
    );
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.message.unscannable.map((u) => u.contentType)).toEqual(['application/pdf', 'application/zip', 'image/png']);
  });

  it('keeps no value PostgreSQL cannot store', async () => {
    const parsed = await parse(
      Buffer.from('From: a@gandi.net\r\nSubject: =?utf-8?Q?x_=00?=\r\nMessage-ID: <a\u0000b@gandi.net>\r\n\r\nbody \u0000 here\r\n', 'latin1'),
    );
    if (!parsed.ok) throw new Error(parsed.reason);
    const { subject, text, messageId, headers } = parsed.message;
    expect(subject).toBe('x ');
    expect(messageId).toBe('ab@gandi.net');
    expect(text).not.toContain('\u0000');
    expect(JSON.stringify(headers)).not.toContain('\\u0000');
  });
});
