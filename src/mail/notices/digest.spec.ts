import { NOTICE_KINDS } from '../intake/classify';
import { composeDigest, EXPLANATIONS, noticeMessageId, type DigestInput } from './compose';
import { DIGEST_NO_DATES, DIGEST_WHY_SUMMARY } from './digest';
import { escapeHtml } from './html';
import { UNVERIFIED_WARNING } from './sections';
import { addresses, flat, headerLines, htmlOf, LINDAPENCE, NO_STAFF, parse, presence, SETTINGS, visible } from './spec-fixtures';

const DELIVERY = '0e5de2a4-7c61-4a0a-8f57-6b2b8f4a9c02';

// A registrar's bulk notice about three clients' domains: Linda's lindapence.com, Omar's
// omarhaddad.eu and Nina's ninaokafor.art and bücher-nina.de (an IDN, written in Unicode).
const BULK_TEXT = [
  'Hi ArtSites Hosting,',
  '',
  'The following domains in your account will expire soon. Auto-renew is OFF',
  'for them, so they will stop working on their expiration date unless you',
  'renew them.',
  '',
  '  Domain                  Expires on      Auto-renew',
  '  lindapence.com          Dec 8, 2026     OFF',
  '  omarhaddad.eu           Dec 19, 2026    OFF',
  '  ninaokafor.art          Dec 21, 2026    OFF',
  '  bücher-nina.de          22.12.2026      OFF',
  '',
  'Renew before 2026-12-01 to keep the current price.',
  'omarhaddad.eu and ninaokafor.art were registered on 2019-06-30.',
  '',
  'Renew them in your Domain List: https://ap.www.namecheap.test/domains/list/?d=omarhaddad.eu',
  'Questions? hostmaster@ninaokafor.art',
].join('\n');

const OTHERS = ['omarhaddad', 'ninaokafor', 'bücher-nina', 'xn--bcher-nina-', 'nina'];

function input(overrides: Partial<DigestInput> = {}): DigestInput {
  return {
    deliveryId: DELIVERY,
    to: { name: 'Linda Pence', email: 'linda@pence-mail.test' },
    clientName: 'Linda Pence Studio',
    kind: 'expiry_reminder',
    domains: [LINDAPENCE],
    original: {
      messageId: '<5f48580ab11d1d01.e4386e8b@mail.namecheap.test>',
      date: new Date('2026-11-18T11:30:45Z'),
      // A display name is the registrar's free text, and may name anything.
      from: 'Namecheap re omarhaddad.eu <expiry@namecheap.test>',
      text: BULK_TEXT,
      domains: ['lindapence.com', 'omarhaddad.eu', 'ninaokafor.com'],
    },
    unverifiedSender: false,
    ...overrides,
  };
}

describe('composeDigest: privacy', () => {
  it("contains none of the other clients' domains anywhere: raw bytes, headers, either part, attachments", async () => {
    const message = await composeDigest(SETTINGS, input());
    const raw = message.toString('latin1').toLowerCase();
    const mail = await parse(message);
    const decoded = [mail.subject, mail.text, htmlOf(mail), ...headerLines(message), ...[...mail.headers.values()].map((v) => JSON.stringify(v))]
      .join('\n')
      .toLowerCase();
    for (const other of OTHERS) {
      expect(presence(raw, other)).toEqual({ needle: other, present: false });
      expect(presence(decoded, other)).toEqual({ needle: other, present: false });
    }
    expect(mail.attachments).toHaveLength(0);
    // And it does name the client's own domain.
    expect(mail.text).toContain('lindapence.com');
  });

  it("is not titled with the original subject but with the own domain and the kind's headline", async () => {
    const mail = await parse(await composeDigest(SETTINGS, input()));
    expect(mail.subject).toBe(`[lindapence.com] ${EXPLANATIONS.expiry_reminder.headline}`);
  });

  it("says the registrar's message covered other domains too and that the host's staff keep it", async () => {
    const mail = await parse(await composeDigest(SETTINGS, input()));
    expect(flat(mail.text)).toContain(DIGEST_WHY_SUMMARY);
    expect(visible(htmlOf(mail))).toContain(escapeHtml(DIGEST_WHY_SUMMARY));
    expect(flat(mail.text)).toContain("The registrar's message was sent on 18 November 2026, 11:30 UTC.");
    // Not who sent it: a sender such as hostmaster@<another client's domain> names that domain.
    expect(flat(mail.text)).not.toContain('expiry@namecheap.test');
  });

  it("lists the dates on the client's own lines and the general ones, not those of other clients' lines", async () => {
    const mail = await parse(await composeDigest(SETTINGS, input()));
    const text = flat(mail.text);
    expect(text).toContain('- Expiry date: 8 December 2026');
    expect(text).toContain('- Deadline: 1 December 2026');
    for (const other of ['19 December 2026', '21 December 2026', '22 December 2026', '30 June 2019']) expect(text).not.toContain(other);
    expect(visible(htmlOf(mail))).toContain('Expiry date: 8 December 2026');
  });

  it('says so when the original gives no dates', async () => {
    const mail = await parse(
      await composeDigest(SETTINGS, input({ original: { ...input().original, text: 'omarhaddad.eu: 2026-12-19\nlindapence.com is affected.' } })),
    );
    expect(flat(mail.text)).toContain(DIGEST_NO_DATES);
  });
});

describe('composeDigest: headers', () => {
  it('sets From, To, Auto-Submitted, X-Aster-Notice, References and In-Reply-To (the original), Reply-To and Message-ID', async () => {
    const mail = await parse(await composeDigest(SETTINGS, input()));
    expect(addresses(mail.from)).toEqual([{ name: 'ArtSites notices', address: 'notices@notify.artsites.test' }]);
    expect(addresses(mail.to)).toEqual([{ name: 'Linda Pence', address: 'linda@pence-mail.test' }]);
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.headers.get('x-aster-notice')).toBe(DELIVERY);
    expect(mail.references).toBe('<5f48580ab11d1d01.e4386e8b@mail.namecheap.test>');
    expect(mail.inReplyTo).toBe('<5f48580ab11d1d01.e4386e8b@mail.namecheap.test>');
    expect(addresses(mail.replyTo)).toEqual([{ name: '', address: 'support@artsites.test' }]);
    expect(mail.messageId).toBe(noticeMessageId(DELIVERY, 'notify.artsites.test'));
  });

  it.each([
    ["a host of another client's domain", '<ticket-4411@mail.omarhaddad.eu>'],
    ["another client's domain", '<a1b2.omarhaddad.eu@registrar.test>'],
  ])('carries no References or In-Reply-To when the original Message-ID names %s', async (_case, messageId) => {
    const message = await composeDigest(SETTINGS, input({ original: { ...input().original, messageId } }));
    const names = headerLines(message).map((l) => l.split(':')[0].toLowerCase());
    expect(names).not.toContain('references');
    expect(names).not.toContain('in-reply-to');
    expect(message.toString('latin1')).not.toContain('omarhaddad');
  });

  it("keeps a Message-ID that names the reader's own domain or none of a client", async () => {
    for (const messageId of ['<x@lindapence.com>', '<x@mail.namecheap.test>']) {
      const mail = await parse(await composeDigest(SETTINGS, input({ original: { ...input().original, messageId } })));
      expect(mail.references).toBe(messageId);
    }
  });

  it('has no Reply-To without STAFF_EMAIL, and no References without an original Message-ID', async () => {
    const message = await composeDigest(NO_STAFF, input({ original: { ...input().original, messageId: null } }));
    const names = headerLines(message).map((l) => l.split(':')[0].toLowerCase());
    expect(names).not.toContain('reply-to');
    expect(names).not.toContain('references');
    expect(names).not.toContain('in-reply-to');
  });
});

describe('composeDigest: body', () => {
  it.each(NOTICE_KINDS)('explains a %s notice in both parts', async (kind) => {
    const mail = await parse(await composeDigest(SETTINGS, input({ kind })));
    const e = EXPLANATIONS[kind];
    for (const s of [e.headline, e.lead.replace('{domains}', 'lindapence.com'), e.whatItIs, e.shouldYouAct, ...e.whatToDo, ...e.neverDo]) {
      expect(presence(flat(mail.text), s)).toEqual({ needle: s, present: true });
      expect(presence(visible(htmlOf(mail)), escapeHtml(s))).toEqual({ needle: escapeHtml(s), present: true });
    }
  });

  it("shows the own domain's registrar, key dates and transfer guidance link", async () => {
    const mail = await parse(await composeDigest(SETTINGS, input()));
    expect(mail.text).toMatch(/Registrar: +Gandi SAS/);
    expect(mail.text).toMatch(/Expires: +3 March 2027/);
    expect(mail.text).toContain(LINDAPENCE.guidanceUrl);
    expect(htmlOf(mail)).toContain(`href="${LINDAPENCE.guidanceUrl}"`);
  });

  it.each([true, false])('shows the unverified-sender banner only when unverifiedSender=%s is true', async (unverifiedSender) => {
    const mail = await parse(await composeDigest(SETTINGS, input({ unverifiedSender })));
    expect(flat(mail.text).includes(UNVERIFIED_WARNING)).toBe(unverifiedSender);
    expect(visible(htmlOf(mail)).includes(escapeHtml(UNVERIFIED_WARNING))).toBe(unverifiedSender);
  });

  it('refuses a digest about no domain', async () => {
    await expect(composeDigest(SETTINGS, input({ domains: [] }))).rejects.toThrow(/at least one/);
  });
});
