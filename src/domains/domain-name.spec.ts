import { parseDomainName, parseHostName, registrableDomain, toAsciiHost, unicodeDomain } from './domain-name';

describe('parseDomainName', () => {
  it.each([
    // input, ascii, unicode
    ['lindapence.com', 'lindapence.com', 'lindapence.com'],
    ['LindaPence.COM', 'lindapence.com', 'lindapence.com'],
    ['lindapence.com.', 'lindapence.com', 'lindapence.com'],
    ['  lindapence.com  ', 'lindapence.com', 'lindapence.com'],
    ['lindapence.co.uk', 'lindapence.co.uk', 'lindapence.co.uk'],
    ['linda-pence.de', 'linda-pence.de', 'linda-pence.de'],
    ['1.com', '1.com', '1.com'],
    ['studio42.art', 'studio42.art', 'studio42.art'],
    ['bücher.de', 'xn--bcher-kva.de', 'bücher.de'],
    ['BÜCHER.DE.', 'xn--bcher-kva.de', 'bücher.de'],
    ['xn--bcher-kva.de', 'xn--bcher-kva.de', 'bücher.de'],
    ['XN--BCHER-KVA.DE', 'xn--bcher-kva.de', 'bücher.de'],
    ['münchen.de', 'xn--mnchen-3ya.de', 'münchen.de'],
    ['café.fr', 'xn--caf-dma.fr', 'café.fr'],
    ['пример.рф', 'xn--e1afmkfd.xn--p1ai', 'пример.рф'],
    ['例え.jp', 'xn--r8jz45g.jp', '例え.jp'],
    // Decomposed ü (u + combining diaeresis) is the same name as the composed one.
    ['bu\u0308cher.de', 'xn--bcher-kva.de', 'bücher.de'],
    // The ideographic full stop separates labels like '.' (IDNA).
    ['lindapence\u3002com', 'lindapence.com', 'lindapence.com'],
    ['lindapence.com.au', 'lindapence.com.au', 'lindapence.com.au'],
  ])('accepts %j as %s (%s)', (input, ascii, unicode) => {
    expect(parseDomainName(input)).toEqual({ ok: true, name: { ascii, unicode } });
  });

  it.each([
    // input, what the reason must say
    ['', /must not be empty/],
    ['   ', /must not be empty/],
    ['foo', /no top-level domain/],
    ['localhost', /no top-level domain/],
    ['com', /no top-level domain/],
    ['192.0.2.1', /IP address/],
    ['10.0.0.1', /IP address/],
    ['2001:db8::1', /not a valid domain name/],
    ['-x.com', /invalid label '-x'/],
    ['x-.com', /invalid label 'x-'/],
    ['a..com', /empty label/],
    ['.lindapence.com', /empty label/],
    ['lindapence.com..', /empty label/],
    ['x_y.com', /invalid label 'x_y'/],
    ['ab--cd.com', /third and fourth place are reserved/],
    [`${'a'.repeat(64)}.com`, /invalid label/],
    [`${'a.'.repeat(127)}com`, /longer than 253/],
    ['co.uk', /public suffix, not a registrable domain/],
    ['example.invalid', /known public suffix/],
    ['example.local', /known public suffix/],
    ['lindapence.com.evil.test', /known public suffix/],
    ['user@lindapence.com', /not a valid domain name/],
    ['http://lindapence.com', /not a valid domain name/],
    ['linda pence.com', /not a valid domain name/],
    ['lindapence.com/about', /not a valid domain name/],
    ['xn--zz.com', /not a valid domain name/],
  ])('refuses %j (%s)', (input, reason) => {
    const result = parseDomainName(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it.each([
    ['www.lindapence.com', 'lindapence.com'],
    ['WWW.LindaPence.com.', 'lindapence.com'],
    ['mail.lindapence.co.uk', 'lindapence.co.uk'],
    ['a.b.c.lindapence.com', 'lindapence.com'],
    ['www.bücher.de', 'xn--bcher-kva.de'],
    ['shop.example.com.au', 'example.com.au'],
  ])('refuses the host %j and suggests %s', (input, suggestion) => {
    const result = parseDomainName(input);
    expect(result).toEqual({ ok: false, reason: expect.stringContaining(`'${suggestion}'`), suggestion });
    if (!result.ok) expect(result.reason).toMatch(/is a host under/);
  });
});

describe('registrableDomain', () => {
  it.each([
    // input, registrable domain (undefined: matches nothing)
    ['lindapence.com', 'lindapence.com'],
    ['LindaPence.com', 'lindapence.com'],
    ['www.lindapence.com.', 'lindapence.com'],
    ['mail.LindaPence.com', 'lindapence.com'],
    ['deep.er.sub.lindapence.co.uk', 'lindapence.co.uk'],
    ['bob@lindapence.com', 'lindapence.com'],
    ['Bob.Smith@Mail.LindaPence.COM', 'lindapence.com'],
    ['"odd@local"@lindapence.com', 'lindapence.com'],
    ['bücher.de', 'xn--bcher-kva.de'],
    ['www.Bücher.de', 'xn--bcher-kva.de'],
    ['xn--bcher-kva.de', 'xn--bcher-kva.de'],
    ['info@bücher.de', 'xn--bcher-kva.de'],
    ['info@xn--bcher-kva.de', 'xn--bcher-kva.de'],
    // Look-alikes are other names: they never stand for the real one.
    ['lindapence.com.evil.test', undefined],
    ['lindapence-com.net', 'lindapence-com.net'],
    ['smart-lindapence.com', 'smart-lindapence.com'],
    ['lindapence.co', 'lindapence.co'],
    ['lindаpence.com', 'xn--lindpence-3yh.com'], // Cyrillic а
    ['bucher.de', 'bucher.de'],
    // Not domains at all.
    ['invoice.pdf', undefined],
    ['192.0.2.1', undefined],
    ['root@192.0.2.1', undefined],
    ['localhost', undefined],
    ['co.uk', undefined],
    ['a..com', undefined],
    ['', undefined],
    ['@', undefined],
  ])('%j belongs to %s', (input, expected) => {
    expect(registrableDomain(input)).toBe(expected);
  });
});

describe('toAsciiHost', () => {
  it.each([
    ['LindaPence.com.', 'lindapence.com'],
    ['Bücher.de', 'xn--bcher-kva.de'],
    ['  www.example.org ', 'www.example.org'],
    ['', ''],
    ['.', ''],
    ['has space.com', ''],
    ['user@example.com', ''],
    ['example.com:443', ''],
    ['example.com/path', ''],
  ])('%j → %j', (input, expected) => {
    expect(toAsciiHost(input)).toBe(expected);
  });
});

describe('unicodeDomain', () => {
  it.each([
    ['xn--bcher-kva.de', 'bücher.de'],
    ['xn--e1afmkfd.xn--p1ai', 'пример.рф'],
    ['lindapence.com', 'lindapence.com'],
  ])('%s → %s', (ascii, unicode) => {
    expect(unicodeDomain(ascii)).toBe(unicode);
  });
});

describe('parseHostName (name servers)', () => {
  it.each([
    ['ns1.example.net', 'ns1.example.net'],
    ['NS1.Example.NET.', 'ns1.example.net'],
    ['a.ns.se', 'a.ns.se'],
    ['ns1.bücher.de', 'ns1.xn--bcher-kva.de'],
    ['dns.lindapence.test', 'dns.lindapence.test'],
    ['ns1', undefined],
    ['192.0.2.53', undefined],
    ['-ns.example.net', undefined],
    ['ns1..example.net', undefined],
    ['ns_1.example.net', undefined],
    ['ns1.example.net:53', undefined],
    ['', undefined],
  ])('%j → %s', (input, expected) => {
    expect(parseHostName(input)).toBe(expected);
  });
});
