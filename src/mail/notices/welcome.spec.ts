import { composeWelcome, noticeMessageId, type WelcomeInput } from './compose';
import { escapeHtml } from './html';
import { addresses, flat, headerLines, htmlOf, LINDAPENCE, LINDAPENCE_DE, NO_STAFF, parse, presence, SETTINGS, visible } from './spec-fixtures';
import { MOVE_STEPS, WELCOME_SUBJECT } from './welcome';

const LETTER = '9f3e1d7c-0b5a-4c9e-8a62-d4b0c3e2f1a7';
const GUIDE = 'https://domains.artsites.test/guide';

function input(overrides: Partial<WelcomeInput> = {}): WelcomeInput {
  return {
    letterId: LETTER,
    to: { name: 'Linda Pence', email: 'linda@pence-mail.test' },
    clientName: 'Linda Pence Studio',
    hostName: 'ArtSites Hosting',
    domains: [
      { ...LINDAPENCE, noticeAddress: 'lindapence.com@notify.artsites.test' },
      { ...LINDAPENCE_DE, noticeAddress: 'xn--lindapenc-j4a.de@notify.artsites.test' },
    ],
    guidanceIndexUrl: GUIDE,
    ...overrides,
  };
}

describe('composeWelcome', () => {
  it('sets From, To, Subject, Reply-To, Message-ID, Auto-Submitted and X-Aster-Notice, and refers to no message', async () => {
    const message = await composeWelcome(SETTINGS, input());
    const mail = await parse(message);
    expect(addresses(mail.from)).toEqual([{ name: 'ArtSites notices', address: 'notices@notify.artsites.test' }]);
    expect(addresses(mail.to)).toEqual([{ name: 'Linda Pence', address: 'linda@pence-mail.test' }]);
    expect(mail.subject).toBe(WELCOME_SUBJECT);
    expect(addresses(mail.replyTo)).toEqual([{ name: '', address: 'support@artsites.test' }]);
    expect(mail.messageId).toBe(noticeMessageId(LETTER, 'notify.artsites.test'));
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.headers.get('x-aster-notice')).toBe(LETTER);
    const names = headerLines(message).map((l) => l.split(':')[0].toLowerCase());
    expect(names).not.toContain('references');
    expect(names).not.toContain('in-reply-to');
    expect(mail.attachments).toHaveLength(0);
  });

  it('has no Reply-To without STAFF_EMAIL', async () => {
    expect((await parse(await composeWelcome(NO_STAFF, input()))).replyTo).toBeUndefined();
  });

  // What the letter must say (issue 4, item 7), each in both parts.
  const statements: [string, string][] = [
    ['the host manages the domains', 'ArtSites Hosting manages your domain names at the registrars'],
    ['its addresses are on file at the registrars', 'Our addresses are on file there'],
    [
      'every registrar mail is copied to them',
      'Every message a registrar sends about your domains is copied to you by e-mail, from notices@notify.artsites.test',
    ],
    ['the original comes attached', "The registrar's original is attached unchanged."],
    ['digests name only their domains', 'you receive a summary that names only your domains'],
    ['they are the registrant', 'You are the registrant of your domain names'],
    ['they alone approve a transfer', 'You alone can approve a move of one of them to another registrar.'],
    [
      'the policy and its date',
      "ICANN's Transfer Policy as updated on 21 August 2025: the registrant approves a transfer, and no administrative contact is needed any more.",
    ],
    ['never approve an unrequested move', 'do not approve it, and tell us'],
    ['the client', 'Linda Pence Studio'],
    ['the contact', 'Hello Linda Pence,'],
    ...MOVE_STEPS.map((step, i): [string, string] => [`move step ${i + 1}`, step]),
  ];

  it.each(statements)('says %s', async (_what, sentence) => {
    const mail = await parse(await composeWelcome(SETTINGS, input()));
    expect(presence(flat(mail.text), sentence)).toEqual({ needle: sentence, present: true });
    expect(presence(visible(htmlOf(mail)), escapeHtml(sentence))).toEqual({ needle: escapeHtml(sentence), present: true });
  });

  it('links the guidance index and lists each domain with registrar, expiry, notice address and guidance link', async () => {
    const mail = await parse(await composeWelcome(SETTINGS, input()));
    const text = mail.text!;
    const html = htmlOf(mail);
    expect(text).toContain(GUIDE);
    expect(html).toContain(`href="${GUIDE}"`);
    expect(text).toMatch(
      /lindapence\.com\n +Registrar: +Gandi SAS\n +Registered: +3 March 2016\n +Expires: +3 March 2027\n +Notice address: +lindapence\.com@notify\.artsites\.test/,
    );
    expect(text).toMatch(
      /lindapencé\.de \(xn--lindapenc-j4a\.de\)\n +Registrar: +not on record\n +Registered: +not on record\n +Expires: +not on record\n +Notice address: +xn--lindapenc-j4a\.de@notify\.artsites\.test/,
    );
    for (const d of [LINDAPENCE, LINDAPENCE_DE]) {
      expect(text).toContain(d.guidanceUrl);
      expect(html).toContain(`href="${d.guidanceUrl}"`);
    }
    expect(visible(html)).toContain('lindapence.com@notify.artsites.test');
    expect(visible(html)).toContain('3 March 2027');
  });

  it('speaks of "your web host" when the host has no name', async () => {
    const mail = await parse(await composeWelcome(SETTINGS, input({ hostName: undefined })));
    expect(flat(mail.text)).toContain('Your web host manages your domain names at the registrars');
    expect(flat(mail.text)).toContain('This letter explains how your web host looks after');
  });

  it('says so when the client has no domains yet', async () => {
    const mail = await parse(await composeWelcome(SETTINGS, input({ domains: [] })));
    expect(flat(mail.text)).toContain('We do not manage any domain names for you yet.');
    expect(mail.text).not.toContain('Notice address');
  });

  it('is an HTML document in English with a title and no external resources', async () => {
    const html = htmlOf(await parse(await composeWelcome(SETTINGS, input())));
    expect(html).toMatch(/<html lang="en">/);
    expect(html).toContain(`<title>${WELCOME_SUBJECT}</title>`);
    expect(html).not.toMatch(/\ssrc=|<link\b|<script\b|<img\b|url\(|@import/i);
  });
});
