import { NOTICE_KINDS } from '../intake/classify';
import { composeForward, composeForwardStream, EXPLANATIONS, noticeMessageId, type ForwardInput } from './compose';
import { escapeHtml } from './html';
import { UNVERIFIED_WARNING } from './sections';
import {
  addresses,
  flat,
  gandiOriginalMessage,
  headerLines,
  htmlOf,
  latin1Original,
  latin1OriginalMessage,
  LINDAPENCE,
  LINDAPENCE_DE,
  NO_STAFF,
  parse,
  presence,
  SETTINGS,
  visible,
} from './spec-fixtures';

const DELIVERY = '5b0c7a52-3f0e-4d8e-9d1a-2f6f1f0c9e11';

function input(overrides: Partial<ForwardInput> = {}): ForwardInput {
  return {
    deliveryId: DELIVERY,
    to: { name: 'Linda Pence', email: 'linda@pence-mail.test' },
    clientName: 'Linda Pence Studio',
    kind: 'transfer_request',
    domains: [LINDAPENCE],
    original: latin1OriginalMessage(),
    unverifiedSender: false,
    ...overrides,
  };
}

describe('composeForward: headers', () => {
  it('sets From, To, Subject, Auto-Submitted, X-Aster-Notice, References, In-Reply-To, Reply-To and Message-ID', async () => {
    const mail = await parse(await composeForward(SETTINGS, input()));
    expect(addresses(mail.from)).toEqual([{ name: 'ArtSites notices', address: 'notices@notify.artsites.test' }]);
    expect(addresses(mail.to)).toEqual([{ name: 'Linda Pence', address: 'linda@pence-mail.test' }]);
    expect(mail.subject).toBe('[lindapence.com] Transfert sortant du domaine lindapence.com');
    expect(mail.headers.get('auto-submitted')).toBe('auto-forwarded');
    expect(mail.headers.get('x-aster-notice')).toBe(DELIVERY);
    expect(mail.references).toBe('<transfert-4471@ovh.test>');
    expect(mail.inReplyTo).toBe('<transfert-4471@ovh.test>');
    expect(addresses(mail.replyTo)).toEqual([{ name: '', address: 'support@artsites.test' }]);
    expect(mail.messageId).toBe(`<${DELIVERY}@notify.artsites.test>`);
  });

  it('gives the same Message-ID on every composition of the same delivery (a resend after a crash)', async () => {
    const first = await parse(await composeForward(SETTINGS, input()));
    const second = await parse(await composeForward(SETTINGS, input()));
    expect(first.messageId).toBe(noticeMessageId(DELIVERY, SETTINGS.mailDomain));
    expect(second.messageId).toBe(first.messageId);
  });

  it('has no Reply-To without STAFF_EMAIL', async () => {
    const message = await composeForward(NO_STAFF, input());
    expect((await parse(message)).replyTo).toBeUndefined();
    expect(headerLines(message).some((l) => /^reply-to:/i.test(l))).toBe(false);
  });

  it('has no References or In-Reply-To when the original has no Message-ID', async () => {
    const message = await composeForward(SETTINGS, input({ original: { ...latin1OriginalMessage(), messageId: null } }));
    const names = headerLines(message).map((l) => l.split(':')[0].toLowerCase());
    expect(names).not.toContain('references');
    expect(names).not.toContain('in-reply-to');
  });

  it.each([
    ['one domain', [LINDAPENCE], 'Renewal', '[lindapence.com] Renewal'],
    ['two domains: the first and how many more', [LINDAPENCE, LINDAPENCE_DE], 'Renewal', '[lindapence.com +1] Renewal'],
    ['a Unicode domain name', [LINDAPENCE_DE], 'Renewal', '[lindapencé.de] Renewal'],
    ['no original subject: the headline', [LINDAPENCE], '  ', `[lindapence.com] ${EXPLANATIONS.transfer_request.headline}`],
  ])('subject with %s', async (_case, domains, subject, expected) => {
    const message = await composeForward(SETTINGS, input({ domains, original: { ...latin1OriginalMessage(), subject } }));
    expect((await parse(message)).subject).toBe(expected);
    // Encoded as RFC 2047 words: the header block itself is ASCII.
    expect(headerLines(message).join('\n')).toMatch(/^[\x20-\x7e\n\t]*$/);
  });

  it('refuses a notice about no domain', async () => {
    await expect(composeForward(SETTINGS, input({ domains: [] }))).rejects.toThrow(/at least one domain/);
  });
});

describe('composeForward: body', () => {
  it.each(NOTICE_KINDS)('explains a %s notice in both the plain-text and the HTML part', async (kind) => {
    const mail = await parse(await composeForward(SETTINGS, input({ kind })));
    const e = EXPLANATIONS[kind];
    const lead = e.lead.replace('{domains}', 'lindapence.com');
    const sentences = [e.headline, lead, e.whatItIs, e.shouldYouAct, ...e.whatToDo, ...e.neverDo];
    for (const s of sentences) {
      expect(presence(flat(mail.text), s)).toEqual({ needle: s, present: true });
      expect(presence(visible(htmlOf(mail)), escapeHtml(s))).toEqual({ needle: escapeHtml(s), present: true });
    }
    // The explanation opens the letter: before the domain's details and the original.
    const text = mail.text!;
    expect(text.indexOf(e.headline)).toBeGreaterThanOrEqual(0);
    expect(text.indexOf(e.headline)).toBeLessThan(text.indexOf('\nYour domain\n---'));
    expect(text.indexOf('\nYour domain\n---')).toBeLessThan(text.indexOf("\nThe registrar's message\n---"));
  });

  it('shows each domain with its registrar, key dates and transfer guidance link', async () => {
    const mail = await parse(await composeForward(SETTINGS, input({ domains: [LINDAPENCE, LINDAPENCE_DE] })));
    const text = mail.text!;
    const html = htmlOf(mail);
    expect(text).toMatch(/Registrar: +Gandi SAS/);
    expect(text).toMatch(/Registered: +3 March 2016/);
    expect(text).toMatch(/Expires: +3 March 2027/);
    expect(text).toContain('lindapencé.de (xn--lindapenc-j4a.de)');
    expect(text).toMatch(/Registrar: +not on record/);
    for (const d of [LINDAPENCE, LINDAPENCE_DE]) {
      expect(text).toContain(d.guidanceUrl);
      expect(html).toContain(`href="${d.guidanceUrl}"`);
    }
    expect(html).toContain('3 March 2016');
    expect(html).toContain('3 March 2027');
    expect(html).toContain('Gandi SAS');
  });

  it.each([
    [true, 'shows'],
    [false, 'does not show'],
  ])('unverifiedSender=%s %s the warning banner', async (unverifiedSender) => {
    const mail = await parse(await composeForward(SETTINGS, input({ unverifiedSender })));
    expect(presence(flat(mail.text), UNVERIFIED_WARNING).present).toBe(unverifiedSender);
    expect(presence(visible(htmlOf(mail)), escapeHtml(UNVERIFIED_WARNING)).present).toBe(unverifiedSender);
  });

  it('keeps the original text as written in the plain-text part, and escaped in the HTML part', async () => {
    const text = 'Approve here:\n  <a href="https://evil.test/pay">Pay now</a>\n    Domain:   lindapence.com\n</pre><script>alert(1)</script>';
    const mail = await parse(await composeForward(SETTINGS, input({ original: { ...latin1OriginalMessage(), text } })));
    expect(mail.text).toContain(text);
    const html = htmlOf(mail);
    expect(html).toContain(escapeHtml(text));
    expect(html).not.toContain('href="https://evil.test/pay"');
    expect(html).not.toMatch(/<script/i);
  });

  it('says so when the original has no text to show', async () => {
    const mail = await parse(await composeForward(SETTINGS, input({ original: { ...latin1OriginalMessage(), text: '' } })));
    expect(flat(mail.text)).toContain('open the attached original to read it');
  });

  it('is an accessible single-column HTML document without external resources', async () => {
    const mail = await parse(await composeForward(SETTINGS, input()));
    const html = htmlOf(mail);
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    expect(html).toContain(`<title>${escapeHtml(mail.subject!)}</title>`);
    expect(html).toContain('max-width:600px');
    expect(html).not.toMatch(/\ssrc=|<link\b|<script\b|<img\b|url\(|@import/i);
    // Every link goes to the web, written out as its own text.
    for (const [, href, label] of html.matchAll(/<a href="([^"]*)"[^>]*>([^<]*)<\/a>/g)) {
      expect(href).toMatch(/^(https:|mailto:)/);
      if (href.startsWith('https:')) expect(label).toBe(href);
    }
  });

  it('wraps its own plain text at 72 columns (the original keeps its lines)', async () => {
    const mail = await parse(await composeForward(SETTINGS, input({ kind: 'registrant_verification', unverifiedSender: true })));
    const own = mail.text!.split("The registrar's message")[0];
    for (const line of own.split('\n')) {
      if (line.length > 72) expect(line.trim()).toMatch(/^\S+$/); // a link longer than a line
    }
  });
});

describe('composeForward: the attached original', () => {
  it('attaches an 8-bit Latin-1 original with a lone "." line, a 1,200-octet line and a bare LF byte for byte (base64)', async () => {
    const raw = latin1Original();
    const message = await composeForward(SETTINGS, input());
    const mail = await parse(message);
    expect(mail.attachments).toHaveLength(1);
    const [attached] = mail.attachments;
    expect(attached.contentType).toBe('message/rfc822');
    expect(attached.filename).toBe('original.eml');
    expect(attached.contentDisposition).toBe('attachment');
    expect(attached.headers.get('content-transfer-encoding')).toBe('base64');
    expect(Buffer.compare(attached.content, raw)).toBe(0);
  });

  it('attaches a 7-bit original as 7bit (RFC 2046), byte for byte', async () => {
    const original = await gandiOriginalMessage();
    const mail = await parse(await composeForward(SETTINGS, input({ original })));
    const [attached] = mail.attachments;
    expect(attached.contentType).toBe('message/rfc822');
    expect(attached.headers.get('content-transfer-encoding')).toBe('7bit');
    expect(Buffer.compare(attached.content, original.raw)).toBe(0);
  });

  it('attaches a 7-bit original without a final line break byte for byte', async () => {
    const raw = Buffer.from('From: a@reg.test\r\nSubject: x\r\n\r\nno final line break', 'ascii');
    const mail = await parse(await composeForward(SETTINGS, input({ original: { ...latin1OriginalMessage(), raw } })));
    expect(Buffer.compare(mail.attachments[0].content, raw)).toBe(0);
  });
});

describe('composeForwardStream', () => {
  const read = async (stream: NodeJS.ReadableStream): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
  /** A 7bit original of ~3 MB (CRLF lines of ASCII), attached as it is. */
  const bigOriginal = (): Buffer =>
    Buffer.from(
      `From: Gandi <noreply@gandi.net>\r\nSubject: Portfolio export\r\n\r\n${'lindapence.com renewed until 2028; the export follows.\r\n'.repeat(60_000)}`,
    );

  it.each([
    ['a Latin-1 original (base64)', () => latin1OriginalMessage()],
    ['a 3 MB 7bit original', () => ({ ...latin1OriginalMessage(), raw: bigOriginal() })],
  ])('streams the letter composeForward builds, for %s', async (_case, original) => {
    const o = original();
    const [whole, streamed] = await Promise.all([
      composeForward(SETTINGS, input({ original: o })),
      read(composeForwardStream(SETTINGS, input({ original: o }))),
    ]);
    const [a, b] = await Promise.all([parse(whole), parse(streamed)]);
    expect(b.subject).toBe(a.subject);
    expect(b.text).toBe(a.text);
    expect(b.html).toBe(a.html);
    expect(b.messageId).toBe(a.messageId);
    expect(b.inReplyTo).toBe(a.inReplyTo);
    expect(headerLines(streamed).filter((l) => !/^(date|content-type):/i.test(l))).toEqual(headerLines(whole).filter((l) => !/^(date|content-type):/i.test(l)));
    const attached = b.attachments.find((x) => x.contentType === 'message/rfc822');
    expect(Buffer.compare(attached!.content, o.raw)).toBe(0);
    // Same size but for the two MIME boundaries, which are random per composition.
    expect(Math.abs(streamed.length - whole.length)).toBeLessThan(200);
  });

  it('refuses a notice about no domain, like composeForward', () => {
    expect(() => composeForwardStream(SETTINGS, input({ domains: [] }))).toThrow(/at least one domain/);
  });
});
