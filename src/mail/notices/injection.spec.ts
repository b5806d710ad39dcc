// Values that reach a header or the HTML come from clients, contacts and registrars: none of them
// may add a header, a recipient or live markup to a letter.
import { composeDigest, composeForward, composeWelcome } from './compose';
import { addresses, headerNames, htmlOf, latin1OriginalMessage, LINDAPENCE, parse, SETTINGS } from './spec-fixtures';

const HEADER_INJECTION = 'Evil\r\nBcc: victim@x.test';
const LF_INJECTION = 'Evil\nX-Injected: yes\n\n<b>body</b>';
const SCRIPT = '<script>alert(1)</script>';

// Every header a letter may carry; anything else is injected.
const ALLOWED = new Set([
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
]);

type Field = 'clientName' | 'contactName' | 'subject' | 'originalText' | 'originalFrom' | 'registrar' | 'messageId';

async function compose(letter: 'forward' | 'digest' | 'welcome', field: Field, value: string): Promise<Buffer> {
  const to = { name: field === 'contactName' ? value : 'Linda Pence', email: 'linda@pence-mail.test' };
  const clientName = field === 'clientName' ? value : 'Linda Pence Studio';
  const domain = { ...LINDAPENCE, registrar: field === 'registrar' ? value : LINDAPENCE.registrar };
  const original = {
    ...latin1OriginalMessage(),
    subject: field === 'subject' ? value : 'Transfer request',
    text: field === 'originalText' ? value : 'A transfer was requested.',
    from: field === 'originalFrom' ? value : 'Gandi <noreply@gandi.test>',
    messageId: field === 'messageId' ? value : '<tr-1@gandi.test>',
  };
  const common = { deliveryId: 'd-1', to, clientName, kind: 'transfer_request' as const, domains: [domain], unverifiedSender: true };
  if (letter === 'forward') return composeForward(SETTINGS, { ...common, original });
  if (letter === 'digest') return composeDigest(SETTINGS, { ...common, original: { ...original, domains: ['lindapence.com'] } });
  return composeWelcome(SETTINGS, {
    letterId: 'w-1',
    to,
    clientName,
    domains: [{ ...domain, noticeAddress: 'lindapence.com@notify.artsites.test' }],
    guidanceIndexUrl: 'https://domains.artsites.test/guide',
  });
}

const cases: ['forward' | 'digest' | 'welcome', Field][] = [
  ['forward', 'clientName'],
  ['forward', 'contactName'],
  ['forward', 'subject'],
  ['forward', 'originalText'],
  ['forward', 'originalFrom'],
  ['forward', 'registrar'],
  ['forward', 'messageId'],
  ['digest', 'clientName'],
  ['digest', 'contactName'],
  ['digest', 'originalFrom'],
  ['digest', 'registrar'],
  ['digest', 'messageId'],
  ['welcome', 'clientName'],
  ['welcome', 'contactName'],
  ['welcome', 'registrar'],
];

describe.each(cases)('%s with a hostile %s', (letter, field) => {
  it.each([HEADER_INJECTION, LF_INJECTION])('adds no header and no recipient: %j', async (value) => {
    const message = await compose(letter, field, value);
    for (const name of headerNames(message)) expect(ALLOWED.has(name) ? name : `injected: ${name}`).toBe(name);
    const mail = await parse(message);
    expect(mail.bcc).toBeUndefined();
    expect(mail.cc).toBeUndefined();
    expect(addresses(mail.to).map((a) => a.address)).toEqual(['linda@pence-mail.test']);
    expect(mail.headers.has('x-injected')).toBe(false);
    expect(htmlOf(mail)).not.toContain('<b>body</b>');
  });

  it('puts no live markup in the HTML', async () => {
    const mail = await parse(await compose(letter, field, SCRIPT));
    const html = htmlOf(mail);
    expect(html).not.toMatch(/<script/i);
  });
});

describe('hostile values are shown, harmlessly', () => {
  it.each([
    ['forward', 'clientName'],
    ['forward', 'subject'],
    ['forward', 'originalText'],
    ['digest', 'clientName'],
    ['welcome', 'clientName'],
    ['welcome', 'contactName'],
  ] as const)('%s: %s appears escaped in the HTML and as written in the text', async (letter, field) => {
    const mail = await parse(await compose(letter, field, SCRIPT));
    expect(htmlOf(mail)).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.text).toContain(SCRIPT);
  });

  it('keeps a hostile subject in the Subject as one line of text', async () => {
    const mail = await parse(await compose('forward', 'subject', HEADER_INJECTION));
    expect(mail.subject).toBe('[lindapence.com] Evil Bcc: victim@x.test');
  });

  it('keeps a hostile contact name in the To display name', async () => {
    const mail = await parse(await compose('forward', 'contactName', HEADER_INJECTION));
    expect(addresses(mail.to)).toEqual([{ name: 'Evil Bcc: victim@x.test', address: 'linda@pence-mail.test' }]);
  });

  it('shows a guidance URL that is not http(s) as text, never as a link', async () => {
    const message = await composeForward(SETTINGS, {
      deliveryId: 'd-2',
      to: { name: 'Linda Pence', email: 'linda@pence-mail.test' },
      clientName: 'Linda Pence Studio',
      kind: 'other',
      domains: [{ ...LINDAPENCE, guidanceUrl: 'javascript:alert(1)' }],
      original: latin1OriginalMessage(),
      unverifiedSender: false,
    });
    const html = htmlOf(await parse(message));
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).toContain('javascript:alert(1)');
  });
});
