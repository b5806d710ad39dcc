import { aliasDomains, decodeEntities, extractCandidates, readHtml, tokenCandidate, type MatchSource } from './match';

const MAIL_DOMAIN = 'notify.artsites.test';

const source = (parts: Partial<MatchSource>): MatchSource => ({ subject: '', text: '', html: '', addresses: [], ...parts });

describe('aliasDomains', () => {
  it.each<[string, string[], string[]]>([
    ['a per-domain alias', ['lindapence.com@notify.artsites.test'], ['lindapence.com']],
    ['any case', ['LindaPence.COM@Notify.ArtSites.TEST'], ['lindapence.com']],
    ['in angle brackets', ['<lindapence.com@notify.artsites.test>'], ['lindapence.com']],
    ['a second-level ccTLD', ['lindapence.co.uk@notify.artsites.test'], ['lindapence.co.uk']],
    ['an IDN in Unicode', ['bücher-atelier.de@notify.artsites.test'], ['xn--bcher-atelier-wob.de']],
    ['an IDN in punycode', ['xn--bcher-atelier-wob.de@notify.artsites.test'], ['xn--bcher-atelier-wob.de']],
    ['the shared mailbox', ['domains@notify.artsites.test'], []],
    ['a foreign address', ['lindapence.com@other.test'], []],
    ['a subdomain of the mail domain', ['lindapence.com@sub.notify.artsites.test'], []],
    ['a look-alike mail domain', ['lindapence.com@notify.artsites.test.evil.test'], []],
    ['a host, not a registrable name', ['www.lindapence.com@notify.artsites.test'], []],
    ['a public suffix', ['co.uk@notify.artsites.test'], []],
    ['no local part', ['@notify.artsites.test'], []],
    ['not an address', ['lindapence.com'], []],
    [
      'several, in order, without duplicates',
      ['domains@notify.artsites.test', 'moreau.studio@notify.artsites.test', 'lindapence.com@notify.artsites.test', 'MOREAU.STUDIO@notify.artsites.test'],
      ['moreau.studio', 'lindapence.com'],
    ],
    ['nothing', [], []],
  ])('%s: %j → %j', (_case, recipients, expected) => {
    expect(aliasDomains(recipients, MAIL_DOMAIN)).toEqual(expected);
  });

  it('accepts the mail domain in any case and with a trailing dot', () => {
    expect(aliasDomains(['lindapence.com@notify.artsites.test'], 'Notify.ArtSites.Test.')).toEqual(['lindapence.com']);
  });

  it('gives nothing when the mail domain is empty', () => {
    expect(aliasDomains(['lindapence.com@'], '')).toEqual([]);
  });
});

describe('extractCandidates in plain text', () => {
  it.each<[string, string, string[]]>([
    ['a name in a sentence', 'Your domain lindapence.com expires soon.', ['lindapence.com']],
    ['upper case', 'Transfer of LINDAPENCE.COM was not completed', ['lindapence.com']],
    // Word boundaries: look-alikes are their own candidates, never the tracked name.
    ['a hyphenated look-alike', 'smart-lindapence.com', ['smart-lindapence.com']],
    ['another TLD', 'lindapence.co', ['lindapence.co']],
    ['the name inside another label', 'xlindapence.com', ['xlindapence.com']],
    ['a longer TLD', 'lindapence.community', ['lindapence.community']],
    ['a TLD that is no TLD', 'lindapence.comx', []],
    ['the name as a label of another domain', 'lindapence-com.net', ['lindapence-com.net']],
    ['the name followed by a hyphenated label', 'lindapence.com-evil.net', ['com-evil.net']],
    ['the name as the start of a non-public host', 'lindapence.com.evil.test', []],
    ['the name as the start of another domain', 'https://lindapence.com.evil.com/login', ['evil.com']],
    ['an underscore joins words', 'foo_lindapence.com', []],
    // Hosts and URLs give their registrable domain.
    ['www', 'www.lindapence.com', ['lindapence.com']],
    ['mail', 'mail.lindapence.com', ['lindapence.com']],
    ['a URL with path and query', 'https://shop.lindapence.com/x?y', ['lindapence.com']],
    ['a URL with user and port', 'https://user@shop.lindapence.com:8443/path', ['lindapence.com']],
    ['a second-level ccTLD', 'www.lindapence.co.uk', ['lindapence.co.uk']],
    ['a public suffix alone', 'co.uk and .com', []],
    // IDNs: Unicode and punycode give the same ASCII key.
    ['an IDN in Unicode', 'bücher.de', ['xn--bcher-kva.de']],
    ['an IDN in punycode', 'xn--bcher-kva.de', ['xn--bcher-kva.de']],
    ['an IDN in capitals', 'BÜCHER-ATELIER.DE', ['xn--bcher-atelier-wob.de']],
    ['a Cyrillic IDN with www', 'www.пример.рф', ['xn--e1afmkfd.xn--p1ai']],
    ['a Cyrillic IDN with hyphens', 'Домен галерея-ольги.рф истекает', ['xn----7sbiciaxtd3at2m9a.xn--p1ai']],
    ['an ideographic full stop', 'lindapence。com', ['lindapence.com']],
    ['a soft hyphen inside the name', 'linda\u00ADpence.com', ['lindapence.com']],
    ['a zero-width space inside the name', 'lindapence\u200B.com', ['lindapence.com']],
    // Punctuation around the name.
    ['a full stop', 'It is lindapence.com.', ['lindapence.com']],
    ['parentheses', '(lindapence.com)', ['lindapence.com']],
    ['a comma', 'lindapence.com, moreau.studio', ['lindapence.com', 'moreau.studio']],
    ['quotes and semicolon', '"lindapence.com";', ['lindapence.com']],
    ['angle brackets', '<https://lindapence.com>', ['lindapence.com']],
    ['an apostrophe', "lindapence.com's website", ['lindapence.com']],
    ['a German compound', 'Ihre lindapence.com-Domain', ['lindapence.com']],
    ['two dots before', 'see ..lindapence.com', ['lindapence.com']],
    // E-mail addresses.
    ['an address', 'write to hostmaster@lindapence.com today', ['lindapence.com']],
    ['an address in brackets', 'Linda <hostmaster@mail.lindapence.com>', ['lindapence.com']],
    ['an escaped URL inside a tracking link', 'https://click.mailgun.net/c?u=https%3A%2F%2Fwww.lindapence.com%2Frenew', ['mailgun.net', 'lindapence.com']],
    ['an escaped address', 'unsubscribe?e=linda%40lindapence.com', ['lindapence.com']],
    ['an alias address names its domain', 'Email: lindapence.com@notify.artsites.test', ['lindapence.com']],
    // File names, versions, addresses that are not domains.
    ['a PDF', 'see invoice.pdf attached', []],
    ['a PNG', 'image.png', []],
    ['a version number', 'version 1.2.3', []],
    ['an IPv4 address', '10.0.0.1 and 203.0.113.7', []],
    ['a single label', 'localhost', []],
    ['a reserved test name', 'notify.artsites.test and brokerage.example', []],
    ['a file name that ends in a real TLD', 'archive.zip', ['archive.zip']],
    // Order of first appearance, no duplicates.
    ['order and duplicates', 'gandi.net: lindapence.com, see www.gandi.net and LINDAPENCE.COM', ['gandi.net', 'lindapence.com']],
    ['nothing', '', []],
  ])('%s: %j → %j', (_case, text, expected) => {
    expect(extractCandidates(source({ text }))).toEqual(expected);
  });
});

describe('extractCandidates in HTML', () => {
  it.each<[string, string, string[]]>([
    ['visible text', '<p>Your domain <b>lindapence.com</b> expires.</p>', ['lindapence.com']],
    ['named entities', '<p>b&uuml;cher-atelier.de</p>', ['xn--bcher-atelier-wob.de']],
    ['numeric entities', '&#108;indapence.com and lindapence&#x2E;co.uk', ['lindapence.com', 'lindapence.co.uk']],
    ['an inline element inside the name', '<span>linda</span><b>pence</b>.com', ['lindapence.com']],
    ['table cells are separate words', '<tr><td>Name</td><td>lindapence.com</td></tr>', ['lindapence.com']],
    ['line breaks separate words', 'moreau<br>lindapence.com', ['lindapence.com']],
    // Not shown, but there for anyone who reads the source: a hidden name still names it (issue 11).
    ['a script names what it holds', '<script>var u = "evilcorp.com";</script><p>ok</p>', ['evilcorp.com']],
    ['a style names what it holds', '<style>@import url("https://fonts.example.com/x.css"); .a{}</style>', ['example.com']],
    ['a comment names what it holds', '<!-- lindapence.com --><p>hello</p>', ['lindapence.com']],
    ['the title names what it holds', '<head><title>moreau.studio</title></head><body>hello</body>', ['moreau.studio']],
    ['an alt attribute', '<p>hello <img alt="harborlane.org logo" src="cid:logo"></p>', ['harborlane.org']],
    ['any attribute, entities decoded', '<td data-domain="harborlane&#46;org" title="x">hi</td>', ['harborlane.org']],
    ['a meta in the head', '<head><meta name="description" content="okaforphoto.co.uk"></head>', ['okaforphoto.co.uk']],
    ['a comment that never ends', '<p>hi</p><!-- harborlane.org', ['harborlane.org']],
    ['a tag that never ends', '<p>hi</p><img alt="harborlane.org', ['harborlane.org']],
    ['a link host', '<a href="https://click.mailgun.net/c/eJx?u=1">Click here</a>', ['mailgun.net']],
    ['a link host with www', '<a href="https://www.lindapence.com/">our site</a>', ['lindapence.com']],
    ['a protocol-relative image', '<img src="//cdn.lindapence.com/logo.png" alt="">', ['lindapence.com']],
    ['single quotes and no quotes', "<a href='https://moreau.studio'>a</a><a href=https://lindapence.com/>b</a>", ['moreau.studio', 'lindapence.com']],
    ['an entity in the link', '<a href="https://lindapence.com/?a=1&amp;b=2">x</a>', ['lindapence.com']],
    ['a mailto link', '<a href="mailto:hostmaster@lindapence.com?subject=Hi">write</a>', ['lindapence.com']],
    ['an encoded mailto link', '<a href="mailto:hostmaster%40lindapence.com">write</a>', ['lindapence.com']],
    ['a > inside an attribute', '<a title="a > b" href="https://moreau.studio/">x</a>', ['moreau.studio']],
    ['relative, data and cid links give nothing', '<a href="/account">a</a><img src="data:image/png;base64,iVBORw0KGgo="><img src="cid:logo@x">', []],
    ['a look-alike link host', '<a href="https://lindapence.com.evil.test/login">Log in</a>', []],
    // What a message says in its text counts, whatever its link points to.
    ['visible text and link host differ', '<a href="https://lindapence.com.evil.test/login">lindapence.com</a>', ['lindapence.com']],
    ['text first, then link hosts', '<a href="https://gandi.net/">lindapence.com</a>', ['lindapence.com', 'gandi.net']],
  ])('%s: %j → %j', (_case, html, expected) => {
    expect(extractCandidates(source({ html }))).toEqual(expected);
  });
});

describe('extractCandidates across the parts of a message', () => {
  it('reads subject, text, HTML and header addresses, in that order, without duplicates', () => {
    const candidates = extractCandidates({
      subject: '[Gandi] Transfer request for lindapence.com',
      text: 'lindapence.com and moreau.studio',
      html: '<p>okaforphoto.co.uk</p><a href="https://www.gandi.net/">Gandi</a>',
      addresses: ['noreply@gandi.net', 'domains@notify.artsites.test', 'chidi@ChidiOkafor.com'],
    });
    expect(candidates).toEqual(['lindapence.com', 'moreau.studio', 'okaforphoto.co.uk', 'gandi.net', 'chidiokafor.com']);
  });

  it('takes the domain of a header address, not its local part', () => {
    expect(extractCandidates(source({ addresses: ['lindapence.com@notify.artsites.test'] }))).toEqual([]);
  });

  // The bounds are loose on purpose: these take well under a second, even on a busy CI machine that
  // runs other test files beside them; backtracking or a quadratic scan of these 100-200 KB inputs
  // would take far longer.
  it('stays fast on hostile text (no catastrophic backtracking)', () => {
    const hostile = ['a-'.repeat(50_000), 'a.'.repeat(50_000) + '!', 'ab'.repeat(50_000) + '.c1', `${'x'.repeat(70)}.`.repeat(5_000)].join(' ');
    const started = Date.now();
    expect(extractCandidates(source({ text: hostile, html: `<p>${hostile}</p>` }))).toEqual([]);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it.each([
    ['stray quotes', '<a "'.repeat(50_000)],
    ['tags that never end', '<a '.repeat(50_000)],
    ['scripts that never end', '<script>'.repeat(50_000)],
    ['comments that never end', '<!--'.repeat(50_000)],
    ['values that never close', `<a x='`.repeat(50_000)],
    ['bare angle brackets', '<'.repeat(100_000)],
  ])('reads malformed HTML in linear time: %s', (_case, html) => {
    const started = Date.now();
    expect(extractCandidates(source({ html: `<p>lindapence.com</p>${html}` }))).toEqual(['lindapence.com']);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('tokenCandidate', () => {
  it.each<[string, string | undefined]>([
    ['www.Bücher.de.', 'xn--bcher-kva.de'],
    ['shop.lindapence.co.uk', 'lindapence.co.uk'],
    ['invoice.pdf', undefined],
    ['lindapence.com.evil.test', undefined],
    ['192.0.2.1', undefined],
  ])('%j → %j', (token, expected) => {
    expect(tokenCandidate(token)).toBe(expected);
  });
});

describe('readHtml', () => {
  it.each([
    ['an unterminated tag drops the rest', '<p>moreau.studio</p><a href="x', 'moreau.studio'],
    ['a stray quote in a tag does not open a value', '<p "odd>lindapence.com</p>', 'lindapence.com'],
    ['a < that opens no tag is text', 'a < b and lindapence.com', 'a < b and lindapence.com'],
    ['a > inside a quoted value ends nothing', '<a title="1 > 0">lindapence.com</a>', 'lindapence.com'],
    ['closing tags in any case end hidden content', '<SCRIPT>x()</Script >lindapence.com', 'lindapence.com'],
  ])('%s', (_case, html, text) => {
    expect(readHtml(html).text.replace(/\s+/g, ' ').trim()).toBe(text);
  });

  it('returns the visible text and every href/src value', () => {
    const { text, links } = readHtml('<p>Hello <a href="https://a.example/x">there</a></p><img src=\'logo.png\'><script>x()</script>');
    expect(text.replace(/\s+/g, ' ').trim()).toBe('Hello there');
    expect(links).toEqual(['https://a.example/x', 'logo.png']);
  });
});

describe('decodeEntities', () => {
  it.each([
    ['&amp;&lt;&gt;&quot;&#39;', '&<>"\''],
    ['&#64;&#x40;&commat;', '@@@'],
    ['&uuml;&szlig;&eacute;', 'üßé'],
    ['&unknown; stays', '&unknown; stays'],
    ['?a=1&region=eu', '?a=1&region=eu'],
    ['&amp without a semicolon', '& without a semicolon'],
    ['&#0; &#xD800;', '\uFFFD \uFFFD'],
    ['no entities', 'no entities'],
  ])('%j → %j', (input, expected) => {
    expect(decodeEntities(input)).toBe(expected);
  });
});
