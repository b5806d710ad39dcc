import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { datesNearDomains, extractDates, formatDate, formatDateTime } from './dates';

describe('extractDates', () => {
  // [case, text, expected]
  const cases: [string, string, { label: string; date: string }[]][] = [
    ['ISO', 'Expires: 2026-12-24', [{ label: 'Expiry date', date: '2026-12-24' }]],
    ['ISO with a time (WHOIS)', 'Registry Expiry Date: 2026-12-24T09:02:00Z', [{ label: 'Expiry date', date: '2026-12-24' }]],
    ['ISO with slashes', 'expiration 2026/12/24', [{ label: 'Expiry date', date: '2026-12-24' }]],
    ['English, month first', 'Your domain expires on December 24, 2026.', [{ label: 'Expiry date', date: '2026-12-24' }]],
    ['English, abbreviated with ordinal', 'renewed on Dec. 24th 2026', [{ label: 'Renewal date', date: '2026-12-24' }]],
    ['English, day first', 'Registered on 3 March 2016', [{ label: 'Registration date', date: '2016-03-03' }]],
    ['English, "24th of"', 'suspended since the 24th of December 2026', [{ label: 'Suspension date', date: '2026-12-24' }]],
    ['WHOIS style', 'Expiry: 24-Dec-2026', [{ label: 'Expiry date', date: '2026-12-24' }]],
    ['German, long month', 'Ihre Domain läuft am 24. Dezember 2026 ab.', [{ label: 'Expiry date', date: '2026-12-24' }]],
    ['German, abbreviated month', 'Ablaufdatum: 24. Dez. 2026', [{ label: 'Expiry date', date: '2026-12-24' }]],
    ['German, verb after the date', 'Die Domain ist am 24.12.2026 abgelaufen.', [{ label: 'Expiry date', date: '2026-12-24' }]],
    ['German numeric with dots: day.month.year', 'Bitte bis zum 05.06.2026 bestätigen', [{ label: 'Deadline', date: '2026-06-05' }]],
    ['French, abbreviated with a dot', 'Votre domaine expire le 24 déc. 2026', [{ label: 'Expiry date', date: '2026-12-24' }]],
    ['French, "1er"', 'transfert effectué le 1er janvier 2027', [{ label: 'Transfer date', date: '2027-01-01' }]],
    ['French, août', "Date d'échéance : 15 août 2027", [{ label: 'Expiry date', date: '2027-08-15' }]],
    ['slashes, first number above 12: day/month', 'Expires 24/12/2026', [{ label: 'Expiry date', date: '2026-12-24' }]],
    ['slashes, second number above 12: month/day', 'Expires 12/24/2026', [{ label: 'Expiry date', date: '2026-12-24' }]],
    ['slashes, both 12 or less: ambiguous, left out', 'Expires 05/06/2026', []],
    ['dashes, both 12 or less: ambiguous, left out', 'Expires 05-06-2026', []],
    ['slashes, the same number twice: unambiguous', 'Expires 06/06/2026', [{ label: 'Expiry date', date: '2026-06-06' }]],
    ['an impossible date', 'Expires 31.02.2026 or 2026-02-30', []],
    ['a two-digit year', 'Expires 24/12/26', []],
    ['no year', 'Expires December 24', []],
    ['a version number is no date', 'Release 1.2.3 and build 2026.1', []],
    ['nothing said: "Date"', 'Thanks, 24 December 2026', [{ label: 'Date', date: '2026-12-24' }]],
    [
      'the nearest words win',
      'It will be approved automatically on 2026-11-22 unless you reject it before 2026-11-20.',
      [
        { label: 'Approval date', date: '2026-11-22' },
        { label: 'Deadline', date: '2026-11-20' },
      ],
    ],
    ['a label line above the date', 'Expiration date:\n   2027-03-03', [{ label: 'Expiry date', date: '2027-03-03' }]],
    [
      'a table column',
      '  Domain           Registered     Expires on\n  lindapence.com   Mar 3, 2016    Mar 3, 2027',
      [
        { label: 'Registration date', date: '2016-03-03' },
        { label: 'Expiry date', date: '2027-03-03' },
      ],
    ],
    [
      'a repeated pair once, in order of appearance',
      'Expires 2026-12-24.\nRenewed 2025-12-24.\nExpires 2026-12-24.',
      [
        { label: 'Expiry date', date: '2026-12-24' },
        { label: 'Renewal date', date: '2025-12-24' },
      ],
    ],
    ['a label never carries words of the text (names, domains)', 'omarhaddad.eu: 2026-12-19', [{ label: 'Date', date: '2026-12-19' }]],
  ];

  it.each(cases)('%s', (_case, text, expected) => {
    expect(extractDates(text)).toEqual(expected);
  });

  it('reads the dates of a real registrar notice (Gandi transfer request)', async () => {
    const mail = await simpleParser(readFileSync(join(__dirname, '../../../test/fixtures/mail/01-gandi-transfer-request.eml')));
    expect(extractDates(mail.text ?? '')).toEqual([
      { label: 'Request date', date: '2026-11-17' },
      { label: 'Approval date', date: '2026-11-22' },
    ]);
  });
});

describe('datesNearDomains', () => {
  const table = [
    'The following domains expire soon:',
    '',
    '  Domain                  Expires on',
    '  moreau.studio           Dec 8, 2026',
    '  okaforphoto.co.uk       Dec 19, 2026',
    '  www.harborlane-cakes.com  Dec 21, 2026',
    '',
    'Renew before 2026-12-01: https://www.namecheap.test/renew?d=okaforphoto.co.uk (support@namecheap.test)',
    'moreau.studio and okaforphoto.co.uk were registered on 2020-01-01.',
  ].join('\n');

  it.each([
    [
      'moreau.studio',
      [
        { label: 'Expiry date', date: '2026-12-08' },
        { label: 'Deadline', date: '2026-12-01' },
        { label: 'Registration date', date: '2020-01-01' },
      ],
    ],
    [
      'okaforphoto.co.uk',
      [
        { label: 'Expiry date', date: '2026-12-19' },
        { label: 'Deadline', date: '2026-12-01' },
        { label: 'Registration date', date: '2020-01-01' },
      ],
    ],
    [
      'harborlane-cakes.com',
      [
        { label: 'Expiry date', date: '2026-12-21' },
        { label: 'Deadline', date: '2026-12-01' },
      ],
    ],
  ])('keeps for %s its own lines and the lines that name no domain (links and addresses do not count)', (own, expected) => {
    expect(datesNearDomains(table, [own])).toEqual(expected);
  });

  it('reads a megabyte-long line with a date in it without slowing down (no quadratic patterns)', () => {
    const line = `${'x'.repeat(500_000)}@${'y.'.repeat(250_000)} lindapence.com expires 2026-12-24 ${'z'.repeat(500_000)}`;
    const started = Date.now();
    expect(datesNearDomains(line, ['lindapence.com'])).toEqual([{ label: 'Expiry date', date: '2026-12-24' }]);
    expect(extractDates(line)).toEqual([{ label: 'Expiry date', date: '2026-12-24' }]);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('keeps every date of a message that names domains on other lines only', () => {
    expect(datesNearDomains('These domains expire on 2026-12-20:\n- lindapence.com\n- omarhaddad.eu', ['lindapence.com'])).toEqual([
      { label: 'Expiry date', date: '2026-12-20' },
    ]);
  });
});

describe('formatDate', () => {
  it.each([
    [new Date('2026-12-24T23:30:00Z'), '24 December 2026'],
    ['2027-01-01', '1 January 2027'],
  ])('%s → %s (UTC, day first, month in words)', (input, expected) => {
    expect(formatDate(input)).toBe(expected);
  });

  it('formats a moment in UTC', () => {
    expect(formatDateTime(new Date('2026-11-17T09:14:01+01:00'))).toBe('17 November 2026, 08:14 UTC');
  });
});
