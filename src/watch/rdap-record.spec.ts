import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RdapBootstrap } from './rdap-bootstrap';
import { retryAfterMs } from './rdap-client';
import { eppStatus, mergeView, readDomainRecord, NotADomainRecord } from './rdap-record';
import { changesBetween, dedupeKey, expiryDue } from './watch-rules';
import type { RegistryView } from './rdap-record';

const fixture = (name: string) =>
  JSON.parse(
    readFileSync(join(__dirname, '..', '..', 'test', 'fixtures', 'rdap', name), 'utf8')
      .replaceAll('{{REGISTRY}}', 'https://rdap.verisign.com/com/v1/')
      .replaceAll('{{REGISTRAR}}', 'https://rdap.gandi.net/'),
  );

describe('eppStatus (RFC 8056)', () => {
  it.each([
    ['client transfer prohibited', 'clientTransferProhibited'],
    ['active', 'ok'],
    ['server delete prohibited', 'serverDeleteProhibited'],
    ['pending transfer', 'pendingTransfer'],
    ['redemption period', 'redemptionPeriod'],
    ['auto renew period', 'autoRenewPeriod'],
    ['Pending  Delete', 'pendingDelete'],
    ['inactive', 'inactive'],
    ['associated', undefined],
    ['locked', undefined],
  ])('%s → %s', (rdap, epp) => expect(eppStatus(rdap)).toBe(epp));
});

describe('readDomainRecord', () => {
  it('reads a .com registry answer: registrar and IANA id, events, EPP statuses, lowercase nameservers, the related registrar link', () => {
    const facts = readDomainRecord(fixture('verisign-domain.json'));
    expect(facts.registrar).toEqual({ name: 'Gandi SAS', ianaId: 81 });
    expect(facts.statuses).toEqual(['clientTransferProhibited', 'serverDeleteProhibited']);
    expect(facts.nameservers).toEqual(['ns-108-a.gandi.net', 'ns-203-b.gandi.net', 'ns-59-c.gandi.net']);
    expect(facts.events.registration?.toISOString()).toBe('2019-03-01T10:12:44.000Z');
    expect(facts.events.expiration?.toISOString()).toBe('2027-03-01T10:12:44.000Z');
    expect(facts.events.lastChanged?.toISOString()).toBe('2026-02-11T08:30:02.000Z');
    expect(facts.registrarUrl).toBe('https://rdap.gandi.net/domain/LINDAPENCE.COM');
  });

  it('reads a ccTLD answer without the ICANN profile: `active` is ok, a transfer event, a trailing dot dropped', () => {
    const facts = readDomainRecord(fixture('nic-cz-domain.json'));
    expect(facts.statuses).toEqual(['ok']);
    expect(facts.registrar).toEqual({ name: 'Active 24, s.r.o.', ianaId: null });
    expect(facts.events.transfer?.toISOString()).toBe('2021-09-20T12:01:05.000Z');
    expect(facts.nameservers).toEqual(['ns1.active24.cz', 'ns2.active24.cz']);
    expect(facts.registrarUrl).toBeNull();
  });

  it('ignores related links that are web pages, not RDAP', () => {
    const record = fixture('verisign-domain.json');
    record.links[1].type = 'text/html';
    expect(readDomainRecord(record).registrarUrl).toBeNull();
  });

  it.each([[null], [[]], ['text'], [{ errorCode: 404, title: 'Not Found' }], [{ objectClassName: 'entity', handle: 'x' }]])(
    'refuses %j as no domain record',
    (json) => {
      expect(() => readDomainRecord(json)).toThrow(NotADomainRecord);
    },
  );

  it("lets the registrar's `registrar expiration` win over the registry's `expiration`", () => {
    const registry = readDomainRecord(fixture('verisign-domain.json'));
    const registrarRecord = fixture('gandi-domain.json');
    registrarRecord.events[1].eventDate = '2026-03-01T10:12:44Z';
    const view = mergeView(
      registry,
      readDomainRecord(registrarRecord),
      'https://rdap.verisign.com/com/v1/domain/lindapence.com',
      new Date('2026-12-02T00:00:00Z'),
    );
    expect(view.expiresAt).toBe('2026-03-01T10:12:44.000Z');
    expect(view.registrarIanaId).toBe(81);
    expect(mergeView(registry, null, 'x', new Date()).expiresAt).toBe('2027-03-01T10:12:44.000Z');
  });
});

describe('RdapBootstrap', () => {
  const file = {
    services: [
      [['com'], ['https://rdap.verisign.com/com/v1/']],
      [['uk'], ['http://rdap.nominet.uk/uk', 'https://rdap.nominet.uk/uk/']],
      [['co.uk'], ['https://rdap.example/co.uk/']],
    ],
  };

  it.each([
    ['lindapence.com', 'https://rdap.verisign.com/com/v1/'],
    ['shop.example.co.uk', 'https://rdap.example/co.uk/'],
    ['example.org.uk', 'https://rdap.nominet.uk/uk/'],
    ['bücher.de', undefined],
    ['example.io', 'http://127.0.0.1:9/'],
  ])('%s → %s (longest suffix; https preferred; RDAP_SERVERS adds)', (domain, url) => {
    expect(RdapBootstrap.from(file, { io: 'http://127.0.0.1:9/' }).serverFor(domain)).toBe(url);
  });

  it('lets RDAP_SERVERS override a TLD of the bootstrap', () => {
    expect(RdapBootstrap.from(file, { com: 'http://127.0.0.1:8080/com' }).serverFor('a.com')).toBe('http://127.0.0.1:8080/com/');
  });

  it('ships a dated copy that knows com, net and org and not de', async () => {
    const shipped = await RdapBootstrap.load(undefined, {});
    expect(shipped.publication).toMatch(/^\d{4}-\d{2}-\d{2}/);
    expect(shipped.serverFor('a.com')).toBe('https://rdap.verisign.com/com/v1/');
    expect(shipped.serverFor('a.org')).toBe('https://rdap.publicinterestregistry.org/rdap/');
    expect(shipped.serverFor('a.de')).toBeUndefined();
  });

  it('refuses a file without services', () => {
    expect(() => RdapBootstrap.from({ version: '1.0' })).toThrow(/services/);
  });
});

describe('retryAfterMs', () => {
  it.each([
    ['3', 3000],
    [' 0 ', 0],
    ['Wed, 02 Dec 2026 08:00:10 GMT', 10_000],
    ['soon', undefined],
    [null, undefined],
  ])('%s → %s', (header, ms) => expect(retryAfterMs(header, Date.parse('2026-12-02T08:00:00Z'))).toBe(ms));
});

const view = (over: Partial<RegistryView> = {}): RegistryView => ({
  checkedAt: '2026-12-01T00:00:00.000Z',
  source: 'x',
  registrarIanaId: 81,
  registrarName: 'Gandi SAS',
  expiresAt: '2027-03-01T00:00:00.000Z',
  registeredAt: null,
  lastChangedAt: null,
  lastTransferredAt: null,
  statuses: ['clientTransferProhibited'],
  nameservers: ['ns1.gandi.net', 'ns2.gandi.net'],
  error: null,
  ...over,
});

describe('changesBetween', () => {
  it('raises nothing on the first check (the baseline) or when nothing changed', () => {
    expect(changesBetween(null, view())).toEqual([]);
    expect(changesBetween(view(), view({ nameservers: ['ns2.gandi.net', 'ns1.gandi.net'], checkedAt: 'later' }))).toEqual([]);
  });

  it.each([
    [{ registrarIanaId: 1068, registrarName: 'NameCheap, Inc.' }, ['registrar_changed']],
    [{ statuses: ['ok'] }, ['transfer_lock_removed']],
    [{ statuses: ['clientTransferProhibited', 'pendingTransfer'] }, ['pending_transfer']],
    [{ statuses: ['pendingTransfer'] }, ['transfer_lock_removed', 'pending_transfer']],
    [{ statuses: ['clientTransferProhibited', 'redemptionPeriod'] }, ['pending_delete']],
    [{ nameservers: ['ns1.evil.example'] }, ['nameservers_changed']],
  ])('%j → %j', (after, kinds) => {
    expect(changesBetween(view(), view(after as Partial<RegistryView>)).map((c) => c.kind)).toEqual(kinds);
  });

  it('records the values before and after', () => {
    expect(changesBetween(view(), view({ nameservers: ['ns1.evil.example'] }))[0]).toEqual({
      kind: 'nameservers_changed',
      before: { nameservers: ['ns1.gandi.net', 'ns2.gandi.net'] },
      after: { nameservers: ['ns1.evil.example'] },
    });
  });
});

describe('expiryDue', () => {
  const now = new Date('2026-12-02T12:00:00Z');
  const inDays = (d: number) => new Date(now.getTime() + d * 86_400_000);
  it.each([
    [90, null],
    [60, { kind: 'expiry_reminder', threshold: 60, daysLeft: 60 }],
    [45, { kind: 'expiry_reminder', threshold: 60, daysLeft: 45 }],
    [25, { kind: 'expiry_reminder', threshold: 30, daysLeft: 25 }],
    [0.5, { kind: 'expiry_reminder', threshold: 1, daysLeft: 1 }],
    [-2, { kind: 'expired' }],
    [-60, null],
  ])('%s days before expiry → %j', (days, due) => expect(expiryDue(inDays(days), now, [60, 30, 7, 1])).toEqual(due));

  it('keys a reminder by domain, threshold and expiry date, so a renewal re-arms it', () => {
    const due = { kind: 'expiry_reminder' as const, threshold: 30 };
    expect(dedupeKey('d1', due, inDays(25))).toBe('expiry_reminder:d1:30:2026-12-27');
    expect(dedupeKey('d1', due, inDays(25 + 365))).not.toBe(dedupeKey('d1', due, inDays(25)));
  });
});
