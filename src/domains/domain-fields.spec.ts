import { checkDateOrder, parseIsoDate, readDomainFields, splitList } from './domain-fields';
import { canonicalEppStatus, EPP_STATUS_CODES } from './epp-status';

describe('parseIsoDate', () => {
  it.each([
    ['2026-03-01', '2026-03-01T00:00:00.000Z'],
    [' 2026-03-01 ', '2026-03-01T00:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['2026-03-01T12:30:00Z', '2026-03-01T12:30:00.000Z'],
    ['2026-03-01T12:30Z', '2026-03-01T12:30:00.000Z'],
    ['2026-03-01T12:30:15.250Z', '2026-03-01T12:30:15.250Z'],
    ['2026-03-01T12:30:15.123456789Z', '2026-03-01T12:30:15.123Z'],
    ['2026-03-01T12:30:00+02:00', '2026-03-01T10:30:00.000Z'],
    ['2026-03-01T01:00:00-05:30', '2026-03-01T06:30:00.000Z'],
    ['2026-03-01T12:30:00+0200', '2026-03-01T10:30:00.000Z'],
    ['2026-03-01T12:30:00', '2026-03-01T12:30:00.000Z'],
    ['2026-03-01 12:30:00Z', '2026-03-01T12:30:00.000Z'],
    ['2026-03-01t12:30:00z', '2026-03-01T12:30:00.000Z'],
  ])('%j is %s', (input, iso) => {
    expect(parseIsoDate(input)?.toISOString()).toBe(iso);
  });

  it.each([
    '',
    'soon',
    '2026-3-1',
    '01.03.2026',
    '03/01/2026',
    '2026-13-01',
    '2026-00-10',
    '2026-02-29',
    '2026-04-31',
    '2026-03-01T24:00:00Z',
    '2026-03-01T12:60:00Z',
    '2026-03-01T12:30:61Z',
    '2026-03-01T12:30:00+25:00',
    '1970-01-01',
    '9999-12-31',
    '20260301',
    '2026-03-01Z',
    '1772323200',
  ])('refuses %j', (input) => {
    expect(parseIsoDate(input)).toBeUndefined();
  });
});

describe('canonicalEppStatus', () => {
  it.each([
    ['ok', 'ok'],
    ['OK', 'ok'],
    ['clienttransferprohibited', 'clientTransferProhibited'],
    ['CLIENTHOLD', 'clientHold'],
    [' serverHold ', 'serverHold'],
    ['redemptionperiod', 'redemptionPeriod'],
    ['pendingRestore', 'pendingRestore'],
    ['https://icann.org/epp#clientTransferProhibited', 'clientTransferProhibited'],
    ['https://www.icann.org/epp#autoRenewPeriod', 'autoRenewPeriod'],
    ['locked', undefined],
    ['client transfer prohibited', undefined],
    ['transferProhibited', undefined],
    ['https://example.com/epp#ok', undefined],
    ['', undefined],
  ])('%j → %s', (input, expected) => {
    expect(canonicalEppStatus(input)).toBe(expected);
  });

  it('knows all 23 codes of RFC 5731 and RFC 3915, each once', () => {
    expect(EPP_STATUS_CODES).toHaveLength(23);
    expect(new Set(EPP_STATUS_CODES.map((c) => c.toLowerCase())).size).toBe(23);
    for (const code of EPP_STATUS_CODES) expect(canonicalEppStatus(code.toUpperCase())).toBe(code);
  });
});

describe('readDomainFields', () => {
  it.each([
    [{}, {}, []],
    [
      { registeredAt: '2019-03-01', expiresAt: '2027-03-01' },
      { registeredAt: new Date('2019-03-01T00:00:00Z'), expiresAt: new Date('2027-03-01T00:00:00Z') },
      [],
    ],
    [{ registeredAt: null, lastTransferredAt: null }, { registeredAt: null, lastTransferredAt: null }, []],
    [{ statuses: ['OK', 'clienthold', 'ok'] }, { statuses: ['ok', 'clientHold'] }, []],
    [{ statuses: null }, { statuses: [] }, []],
    [{ nameservers: ['NS1.Example.NET.', 'ns2.example.net', 'ns1.example.net'] }, { nameservers: ['ns1.example.net', 'ns2.example.net'] }, []],
    [{ registeredAt: '2026-13-01' }, {}, ['registeredAt']],
    [{ expiresAt: 'next year', registrantChangedAt: '2025-02-30' }, {}, ['expiresAt', 'registrantChangedAt']],
    [{ statuses: ['ok', 'locked', 'clientHold', 'frozen'] }, { statuses: ['ok', 'clientHold'] }, ['statuses.1', 'statuses.3']],
    [{ nameservers: ['ns1.example.net', '192.0.2.53'] }, { nameservers: ['ns1.example.net'] }, ['nameservers.1']],
    [
      { registeredAt: '2027-03-01', expiresAt: '2027-03-01' },
      { registeredAt: new Date('2027-03-01T00:00:00Z'), expiresAt: new Date('2027-03-01T00:00:00Z') },
      ['expiresAt'],
    ],
    [
      { registeredAt: '2027-03-01', expiresAt: '2026-03-01' },
      { registeredAt: new Date('2027-03-01T00:00:00Z'), expiresAt: new Date('2026-03-01T00:00:00Z') },
      ['expiresAt'],
    ],
  ])('%j gives %j and errors on %j', (input, values, fields) => {
    const result = readDomainFields(input);
    expect(result.values).toEqual(values);
    expect(result.errors.map((e) => e.field)).toEqual(fields);
  });

  it('names the offending value in the message', () => {
    const { errors } = readDomainFields({ registeredAt: '01.03.2026', statuses: ['ok', 'locked'] });
    expect(errors).toEqual([
      { field: 'registeredAt', message: expect.stringContaining("'01.03.2026' is not a date") },
      { field: 'statuses.1', message: expect.stringContaining("'locked' is not an EPP status code") },
    ]);
  });
});

describe('checkDateOrder', () => {
  const d = (s: string) => new Date(s);
  it.each([
    [null, null, undefined],
    [d('2019-03-01'), null, undefined],
    [null, d('2019-03-01'), undefined],
    [d('2019-03-01'), d('2027-03-01'), undefined],
    [d('2019-03-01'), d('2019-03-01'), 'expiresAt'],
    [d('2027-03-01'), d('2019-03-01'), 'expiresAt'],
  ])('registered %s, expires %s → %s', (registeredAt, expiresAt, field) => {
    expect(checkDateOrder(registeredAt, expiresAt)?.field).toBe(field);
  });
});

describe('splitList', () => {
  it.each([
    ['', []],
    ['ok', ['ok']],
    ['clientHold clientTransferProhibited', ['clientHold', 'clientTransferProhibited']],
    ['clientHold;clientTransferProhibited', ['clientHold', 'clientTransferProhibited']],
    ['clientHold | clientTransferProhibited ;  ok', ['clientHold', 'clientTransferProhibited', 'ok']],
    [' ; | ', []],
  ])('%j → %j', (cell, list) => {
    expect(splitList(cell)).toEqual(list);
  });
});
