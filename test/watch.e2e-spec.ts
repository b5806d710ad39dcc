// The registry watch (issue 13) through the front door: an RDAP server of the test's own on
// loopback answering registry and registrar records, Aster checking domains against it, the
// record following the registry, watch events, alarms and reminders reaching a real SMTP sink.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedClient, tokenFor, type SeededClient } from './support/fixtures';
import { RdapServer } from './support/rdap-server';
import { Sink } from './support/sink';
import { waitFor } from './support/smtp';
import { startTestApp, type TestApp } from './support/test-app';
import { RegistryWatch } from '../src/watch/registry-watch.service';

const DAY = 86_400_000;
const RATE = 5; // RDAP_RATE_PER_SECOND: 200 ms between two requests to one host
const CONTACT = 'linda@lindapence.test';
const STAFF = 'staff@artsites.test';

let rdap: RdapServer;
let sink: Sink;
let t: TestApp;
let linda: SeededClient;
let other: SeededClient;
let dir: string;
const admin = () => ({ Authorization: t.adminAuth });

/** A .com registry answer for `name`, from the Verisign-style fixture, with what the test wants. */
function registryRecord(
  name: string,
  o: { expiresAt?: Date; statuses?: string[]; nameservers?: string[]; registrar?: { name: string; ianaId: number }; related?: boolean } = {},
) {
  const r = rdap.fixture('verisign-domain.json') as Record<string, any>;
  r.ldhName = name.toUpperCase();
  r.links = [
    { rel: 'self', href: `${rdap.base}com/v1/domain/${name}`, type: 'application/rdap+json' },
    ...(o.related ? [{ rel: 'related', href: `${rdap.base}registrar/domain/${name}`, type: 'application/rdap+json' }] : []),
  ];
  if (o.expiresAt) r.events.find((e: { eventAction: string }) => e.eventAction === 'expiration').eventDate = o.expiresAt.toISOString();
  if (o.statuses) r.status = o.statuses;
  if (o.nameservers) r.nameservers = o.nameservers.map((ldhName) => ({ objectClassName: 'nameserver', ldhName }));
  if (o.registrar) {
    r.entities[0].handle = String(o.registrar.ianaId);
    r.entities[0].publicIds = [{ type: 'IANA Registrar ID', identifier: String(o.registrar.ianaId) }];
    r.entities[0].vcardArray[1][1] = ['fn', {}, 'text', o.registrar.name];
  }
  return r;
}

async function addDomain(name: string, client = linda, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await t
    .http()
    .post('/api/domains')
    .set(admin())
    .send({ name, clientId: client.id, ...extra });
  expect(res.status).toBe(201);
  return res.body.id;
}

const check = (name: string) => t.http().post(`/api/domains/${name}/check`).set(admin());
const events = async (query: string, auth = t.adminAuth) => (await t.http().get(`/api/watch/events?${query}`).set('Authorization', auth).expect(200)).body;
const subjectOf = (raw: Buffer) => /^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(raw.toString('utf8'))?.[1].replace(/\r\n[ \t]/g, ' ') ?? '';

beforeAll(async () => {
  rdap = await new RdapServer().start();
  sink = await new Sink().start();
  dir = mkdtempSync(join(tmpdir(), 'aster-rdap-'));
  // An IANA-format bootstrap file of the test's own (RDAP_BOOTSTRAP as a path): .org is served here.
  const bootstrap = join(dir, 'dns.json');
  writeFileSync(bootstrap, JSON.stringify({ version: '1.0', publication: '2026-12-01T00:00:00Z', services: [[['org'], [`${rdap.base}org/`]]] }));
  t = await startTestApp({
    RDAP_BOOTSTRAP: bootstrap,
    RDAP_SERVERS: `com=${rdap.base}com/v1/`,
    RDAP_RATE_PER_SECOND: String(RATE),
    RDAP_TIMEOUT_MS: '700',
    RDAP_RETRY_DELAY_MS: '100',
    RDAP_SYNC_INTERVAL: 'off',
    RELAY_URL: `smtp://127.0.0.1:${sink.port}`,
    STAFF_EMAIL: STAFF,
  });
  await t.http().post('/api/registrars').set(admin()).send({ name: 'Gandi SAS', ianaId: 81 }).expect(201);
  linda = await seedClient(t, { name: 'Linda Pence Art', contacts: [{ name: 'Linda Pence', email: CONTACT }], domains: [] });
  other = await seedClient(t, { name: 'Other Studio', contacts: [{ name: 'Olga', email: 'olga@other.test' }], domains: [] });
});

afterAll(async () => {
  await t?.close();
  await sink?.stop();
  await rdap?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('checking a domain at its registry', () => {
  it('reads the registry and the registrar it links to; the record follows, audited as registry-watch', async () => {
    const id = await addDomain('lindapence.com', linda, { registrar: 'OVH', expiresAt: '2026-03-01', statuses: ['ok'] });
    rdap.answer('/com/v1/domain/lindapence.com', { body: rdap.fixture('verisign-domain.json') });
    const registrar = rdap.fixture('gandi-domain.json');
    // The registry auto-renewed to 2027; the registrar has the domain paid until 2027-01-20 only.
    registrar.events[1].eventDate = '2027-01-20T10:12:44Z';
    rdap.answer('/registrar/domain/lindapence.com', { body: registrar });

    const res = await check('lindapence.com').expect(200);
    expect(res.body.registry).toEqual({
      checkedAt: expect.any(String),
      source: `${rdap.base}com/v1/domain/lindapence.com`,
      registrarIanaId: 81,
      registrarName: 'Gandi SAS',
      expiresAt: '2027-01-20T10:12:44.000Z',
      registeredAt: '2019-03-01T10:12:44.000Z',
      lastChangedAt: '2026-02-11T08:30:02.000Z',
      lastTransferredAt: null,
      statuses: ['clientTransferProhibited', 'serverDeleteProhibited'],
      nameservers: ['ns-108-a.gandi.net', 'ns-203-b.gandi.net', 'ns-59-c.gandi.net'],
      error: null,
    });
    expect(res.body).toMatchObject({
      registrar: 'Gandi SAS',
      expiresAt: '2027-01-20T10:12:44.000Z',
      registeredAt: '2019-03-01T10:12:44.000Z',
      statuses: ['clientTransferProhibited', 'serverDeleteProhibited'],
      nameservers: ['ns-108-a.gandi.net', 'ns-203-b.gandi.net', 'ns-59-c.gandi.net'],
    });
    const audit = await t.http().get(`/api/audit?entityType=domain&entityId=${id}`).set(admin()).expect(200);
    const byWatch = audit.body.items.filter((e: { actor: string }) => e.actor === 'registry-watch');
    expect(byWatch).toHaveLength(1);
    expect(byWatch[0].before).toMatchObject({ expiresAt: '2026-03-01T00:00:00.000Z', registrar: 'OVH', statuses: ['ok'] });
    expect(byWatch[0].after).toMatchObject({ expiresAt: '2027-01-20T10:12:44.000Z', registrar: 'Gandi SAS' });
    // The first check is the baseline: no alarms.
    expect((await events('domain=lindapence.com')).items.filter((e: { kind: string }) => e.kind !== 'expiry_reminder')).toEqual([]);
  });

  it('finds a TLD through RDAP_BOOTSTRAP and maps `active` to ok, with the transfer date', async () => {
    await addDomain('artsfund.org');
    const record = rdap.fixture('nic-cz-domain.json');
    record.ldhName = 'artsfund.org';
    rdap.answer('/org/domain/artsfund.org', { body: record });
    const res = await check('artsfund.org').expect(200);
    expect(res.body.registry).toMatchObject({
      statuses: ['ok'],
      registrarName: 'Active 24, s.r.o.',
      registrarIanaId: null,
      lastTransferredAt: '2021-09-20T12:01:05.000Z',
      error: null,
    });
    expect(res.body).toMatchObject({ statuses: ['ok'], lastTransferredAt: '2021-09-20T12:01:05.000Z', nameservers: ['ns1.active24.cz', 'ns2.active24.cz'] });
  });

  it.each([
    ['missing.com', [{ status: 404, body: { errorCode: 404, title: 'Not Found' } }], /no record of this domain \(404\)/],
    ['garbled.com', [{ body: '{"objectClassName": "domain", "ldhName": ' }], /malformed JSON/],
    ['webpage.com', [{ body: '<html><body>Whois lookup</body></html>', headers: { 'content-type': 'text/html' } }], /malformed JSON/],
    ['notrdap.com', [{ body: { objectClassName: 'entity', handle: 'X' } }], /did not answer with an RDAP domain record/],
    ['slow.com', [{ delayMs: 3000, body: {} }], /did not answer within 700 ms/],
    ['loop.com', [{ status: 302, headers: { location: '/com/v1/domain/loop.com' } }], /redirected more than 3 times/],
    ['broken.com', [{ status: 503 }], /answered 503 3 times/],
    ['nordsee.de', [], /no RDAP service is known for \.de/],
  ])('%s: a failure is recorded on the domain, never a crash', async (name, answers, error) => {
    await addDomain(name, linda, { statuses: ['clientTransferProhibited'] });
    if (answers.length) rdap.answer(`/com/v1/domain/${name}`, ...answers);
    const res = await check(name).expect(200);
    expect(res.body.registry).toMatchObject({ error: expect.stringMatching(error), statuses: [], expiresAt: null });
    expect(res.body.statuses).toEqual(['clientTransferProhibited']);
    const list = await events(`domain=${name}&kind=registry_error`);
    expect(list.items).toHaveLength(1);
    expect(list.items[0].detail).toMatch(error);
    await t.http().get('/api/health').expect(200);
  });

  it('follows a redirect to the record (RFC 7480 §5.2)', async () => {
    await addDomain('moved.com');
    rdap.answer('/com/v1/domain/moved.com', { status: 301, headers: { location: `${rdap.base}com/v1/domain/moved-here.com` } });
    rdap.answer('/com/v1/domain/moved-here.com', { body: registryRecord('moved.com') });
    expect((await check('moved.com').expect(200)).body.registry.error).toBeNull();
  });

  it('honours 429 with Retry-After before asking again', async () => {
    await addDomain('busy.com');
    rdap.answer('/com/v1/domain/busy.com', { status: 429, headers: { 'retry-after': '1' } }, { body: registryRecord('busy.com') });
    const res = await check('busy.com').expect(200);
    expect(res.body.registry.error).toBeNull();
    const [first, second] = rdap.arrivals('/com/v1/domain/busy.com');
    expect(second - first).toBeGreaterThanOrEqual(990);
  });

  it('backs off after a 5xx and succeeds when the registry recovers', async () => {
    await addDomain('flaky.com');
    rdap.answer('/com/v1/domain/flaky.com', { status: 503 }, { status: 502 }, { body: registryRecord('flaky.com') });
    const res = await check('flaky.com').expect(200);
    expect(res.body.registry.error).toBeNull();
    const at = rdap.arrivals('/com/v1/domain/flaky.com');
    expect(at).toHaveLength(3);
    // RDAP_RETRY_DELAY_MS=100, doubled: at least 100 then 200 ms (and never closer than the rate limit).
    expect(at[1] - at[0]).toBeGreaterThanOrEqual(195);
    expect(at[2] - at[1]).toBeGreaterThanOrEqual(195);
  });

  it(`keeps requests to one host at least 1/RDAP_RATE_PER_SECOND apart, however many checks run at once`, async () => {
    const names = ['rate-a.com', 'rate-b.com', 'rate-c.com', 'rate-d.com'];
    for (const name of names) {
      await addDomain(name);
      rdap.answer(`/com/v1/domain/${name}`, { body: registryRecord(name) });
    }
    await Promise.all(names.map((name) => check(name).expect(200)));
    const at = names.flatMap((name) => rdap.arrivals(`/com/v1/domain/${name}`)).sort((a, b) => a - b);
    expect(at).toHaveLength(4);
    for (let i = 1; i < at.length; i++) expect(at[i] - at[i - 1]).toBeGreaterThanOrEqual(1000 / RATE - 5);
  });
});

describe('alarms on changes between two checks', () => {
  it('raises registrar_changed, transfer_lock_removed and nameservers_changed, to the contacts and staff at once', async () => {
    await addDomain('watchme.com', linda, { registrar: 'Gandi SAS' });
    rdap.answer('/com/v1/domain/watchme.com', { body: registryRecord('watchme.com', { statuses: ['client transfer prohibited'] }) });
    await check('watchme.com').expect(200);
    expect((await events('domain=watchme.com')).items).toEqual([]);

    rdap.answer('/com/v1/domain/watchme.com', {
      body: registryRecord('watchme.com', {
        statuses: ['active'],
        nameservers: ['NS1.HIJACK.EXAMPLE'],
        registrar: { name: 'Slam Registrar LLC', ianaId: 9999 },
      }),
    });
    const res = await check('watchme.com').expect(200);
    expect(res.body.statuses).toEqual(['ok']);
    const list = (await events('domain=watchme.com')).items;
    expect(list.map((e: { kind: string }) => e.kind).sort()).toEqual(['nameservers_changed', 'registrar_changed', 'transfer_lock_removed']);
    const byKind = Object.fromEntries(list.map((e: { kind: string }) => [e.kind, e]));
    expect(byKind.registrar_changed).toMatchObject({
      before: { registrarIanaId: 81, registrarName: 'Gandi SAS' },
      after: { registrarIanaId: 9999, registrarName: 'Slam Registrar LLC' },
    });
    expect(byKind.transfer_lock_removed).toMatchObject({ before: { statuses: ['clientTransferProhibited'] }, after: { statuses: ['ok'] } });
    expect(byKind.nameservers_changed.after).toEqual({ nameservers: ['ns1.hijack.example'] });
    for (const e of list) expect(e.told.map((x: { email: string }) => x.email).sort()).toEqual([CONTACT, STAFF]);

    const letters = await waitFor(async () => {
      const mine = sink.to(CONTACT).filter((m) => subjectOf(m.raw).startsWith('[watchme.com] URGENT'));
      return mine.length >= 3 ? mine : undefined;
    }, 'three alarm letters to the contact');
    expect(letters.map((m) => subjectOf(m.raw)).sort()).toEqual([
      '[watchme.com] URGENT: the nameservers of this domain have changed',
      '[watchme.com] URGENT: the registrar of this domain has changed',
      '[watchme.com] URGENT: the transfer lock of this domain was removed',
    ]);
    expect(letters[0].raw.toString()).toMatch(/did not ask/);
    await waitFor(
      async () => (sink.to(STAFF).filter((m) => subjectOf(m.raw).startsWith('[watchme.com] URGENT')).length >= 3 ? true : undefined),
      'three alarm letters to staff',
    );

    // The same answer again: nothing new.
    await check('watchme.com').expect(200);
    expect((await events('domain=watchme.com')).items).toHaveLength(3);
  });

  it('raises pending_transfer and pending_delete', async () => {
    await addDomain('goingaway.com');
    rdap.answer('/com/v1/domain/goingaway.com', { body: registryRecord('goingaway.com', { statuses: ['client transfer prohibited'] }) });
    await check('goingaway.com').expect(200);
    rdap.answer('/com/v1/domain/goingaway.com', {
      body: registryRecord('goingaway.com', { statuses: ['client transfer prohibited', 'pending transfer', 'redemption period'] }),
    });
    await check('goingaway.com').expect(200);
    expect((await events('domain=goingaway.com')).items.map((e: { kind: string }) => e.kind).sort()).toEqual(['pending_delete', 'pending_transfer']);
  });
});

describe('expiry reminders and the expired alarm', () => {
  it('reminds once per threshold and expiry date; a second cycle sends nothing; a new expiry date re-arms', async () => {
    await addDomain('renewme.com');
    rdap.answer('/com/v1/domain/renewme.com', { body: registryRecord('renewme.com', { expiresAt: new Date(Date.now() + 20 * DAY) }) });
    await check('renewme.com').expect(200);

    const first = await t.http().post('/api/watch/run').set(admin()).expect(200);
    expect(first.body).toEqual({ checked: expect.any(Number), failed: expect.any(Number), reminders: expect.any(Number), alerts: expect.any(Number) });
    expect(first.body.reminders).toBeGreaterThanOrEqual(1);
    let reminders = (await events('domain=renewme.com&kind=expiry_reminder')).items;
    expect(reminders).toHaveLength(1);
    expect(reminders[0].after).toMatchObject({ threshold: 30, daysLeft: 20 });
    expect(reminders[0].told.map((x: { email: string }) => x.email).sort()).toEqual([CONTACT, STAFF]);
    const letter = await waitFor(async () => sink.to(CONTACT).find((m) => subjectOf(m.raw).startsWith('[renewme.com] Expires on')), 'the reminder');
    expect(subjectOf(letter.raw)).toMatch(/in 20 days$/);
    await waitFor(async () => sink.to(STAFF).find((m) => /expire soon|\[renewme\.com\] Expires/.test(subjectOf(m.raw))), 'the staff digest');

    const second = await t.http().post('/api/watch/run').set(admin()).expect(200);
    expect(second.body.reminders).toBe(0);
    expect((await events('domain=renewme.com&kind=expiry_reminder')).items).toHaveLength(1);

    // Renewed for a year: nothing is due.
    rdap.answer('/com/v1/domain/renewme.com', { body: registryRecord('renewme.com', { expiresAt: new Date(Date.now() + 385 * DAY) }) });
    await check('renewme.com').expect(200);
    expect((await t.http().post('/api/watch/run').set(admin()).expect(200)).body.reminders).toBe(0);
    // A new expiry date inside a threshold again: the reminders are re-armed for it.
    rdap.answer('/com/v1/domain/renewme.com', { body: registryRecord('renewme.com', { expiresAt: new Date(Date.now() + 6 * DAY) }) });
    await check('renewme.com').expect(200);
    expect((await t.http().post('/api/watch/run').set(admin()).expect(200)).body.reminders).toBe(1);
    reminders = (await events('domain=renewme.com&kind=expiry_reminder')).items;
    expect(reminders.map((e: { after: { threshold: number } }) => e.after.threshold)).toEqual([7, 30]);
  });

  it('sends an urgent `expired` alarm once the date has passed', async () => {
    await addDomain('lapsed.com');
    rdap.answer('/com/v1/domain/lapsed.com', { body: registryRecord('lapsed.com', { expiresAt: new Date(Date.now() - 3 * DAY) }) });
    await check('lapsed.com').expect(200);
    const run = await t.http().post('/api/watch/run').set(admin()).expect(200);
    expect(run.body.alerts).toBeGreaterThanOrEqual(1);
    expect((await events('domain=lapsed.com&kind=expired')).items).toHaveLength(1);
    await waitFor(async () => sink.to(CONTACT).find((m) => subjectOf(m.raw) === '[lapsed.com] URGENT: this domain has expired'), 'the expired alarm');
    await t.http().post('/api/watch/run').set(admin()).expect(200);
    expect((await events('domain=lapsed.com&kind=expired')).items).toHaveLength(1);
  });
});

describe('cycles', () => {
  it('`?all=true` checks every domain; without it only the due ones', async () => {
    await addDomain('fresh.com');
    rdap.answer('/com/v1/domain/fresh.com', { body: registryRecord('fresh.com') });
    const due = await t.http().post('/api/watch/run').set(admin()).expect(200);
    expect(due.body.checked).toBe(1);
    expect(rdap.arrivals('/com/v1/domain/fresh.com')).toHaveLength(1);
    const [{ n }] = await (async () => [{ n: (await t.http().get('/api/domains?limit=200').set(admin())).body.total as number }])();
    const all = await t.http().post('/api/watch/run?all=true').set(admin()).expect(200);
    expect(all.body.checked).toBe(n);
    expect(all.body.failed).toBeGreaterThanOrEqual(8);
    expect(rdap.arrivals('/com/v1/domain/fresh.com')).toHaveLength(2);
  }, 60_000);

  it('two instances on one database asked at once check each domain once between them', async () => {
    const second = await startTestApp(
      { RDAP_SERVERS: `com=${rdap.base}com/v1/`, RDAP_RATE_PER_SECOND: String(RATE), RDAP_SYNC_INTERVAL: 'off', STAFF_EMAIL: STAFF },
      { database: t.database, keepDatabase: true },
    );
    try {
      await addDomain('twice.com');
      await addDomain('twice-b.com');
      rdap.answer('/com/v1/domain/twice.com', { body: registryRecord('twice.com', { expiresAt: new Date(Date.now() + 5 * DAY) }) });
      rdap.answer('/com/v1/domain/twice-b.com', { body: registryRecord('twice-b.com') });
      const [a, b] = await Promise.all([
        t.http().post('/api/watch/run').set(admin()).expect(200),
        second.http().post('/api/watch/run').set('Authorization', second.adminAuth).expect(200),
      ]);
      expect(a.body.checked + b.body.checked).toBe(2);
      expect(rdap.arrivals('/com/v1/domain/twice.com')).toHaveLength(1);
      expect(rdap.arrivals('/com/v1/domain/twice-b.com')).toHaveLength(1);
      expect(a.body.reminders + b.body.reminders).toBe(1);
      expect((await events('domain=twice.com&kind=expiry_reminder')).items).toHaveLength(1);
    } finally {
      await second.close();
    }
  }, 60_000);
});

describe('the schedule', () => {
  it('checks due domains by itself, and two instances ticking on one database never check a domain twice within the interval', async () => {
    // RDAP_BOOTSTRAP as a URL this time: an IANA-format dns.json served over HTTP.
    rdap.answer('/bootstrap/dns.json', {
      body: { version: '1.0', publication: '2026-12-01T00:00:00Z', services: [[['com', 'net'], [`${rdap.base}com/v1/`]]] },
      headers: { 'content-type': 'application/json' },
    });
    const env = { RDAP_BOOTSTRAP: `${rdap.base}bootstrap/dns.json`, RDAP_RATE_PER_SECOND: String(RATE), RDAP_SYNC_INTERVAL: '6s' };
    const one = await startTestApp(env);
    const two = await startTestApp(env, { database: one.database, keepDatabase: true });
    try {
      const client = await seedClient(one, { name: 'Scheduled', contacts: [{ name: 'S', email: 's@scheduled.test' }], domains: ['scheduled.com'] });
      expect(client.domains).toEqual(['scheduled.com']);
      rdap.answer('/com/v1/domain/scheduled.com', { body: registryRecord('scheduled.com') });
      // Both instances tick every second (1/96 of 6 s, at least 1 s); the first free one checks it.
      await waitFor(async () => (rdap.arrivals('/com/v1/domain/scheduled.com').length >= 1 ? true : undefined), 'the scheduled check', 10_000);
      const domain = await waitFor(async () => {
        const res = await one.http().get('/api/domains/scheduled.com').set('Authorization', one.adminAuth);
        return res.body.registry?.error === null ? res.body : undefined;
      }, 'the registry view');
      expect(domain.registry.registrarName).toBe('Gandi SAS');
      // Watch both instances tick for a few more seconds after the check. Measured from the check
      // itself, not from now: on a loaded machine the wait above can take seconds, and a second
      // check a whole interval (6 s) after the first is the schedule working, not a double check.
      const [first] = rdap.arrivals('/com/v1/domain/scheduled.com');
      await new Promise((r) => setTimeout(r, Math.max(0, first + 4000 - Date.now())));
      const arrivals = rdap.arrivals('/com/v1/domain/scheduled.com');
      expect(arrivals.filter((at) => at - first < 5000)).toEqual([first]);
      expect(rdap.arrivals('/bootstrap/dns.json').length).toBeGreaterThanOrEqual(1);
    } finally {
      await two.close();
      await one.close();
    }
  }, 60_000);
});

describe('who may do what', () => {
  it('client tokens see only their own domains’ events, without staff addresses; checks and runs are for staff', async () => {
    await addDomain('othersite.com', other);
    await check('othersite.com').expect(200); // 404 at the registry: a registry_error event
    const staff = await tokenFor(t, 'staff');
    const mine = await tokenFor(t, 'client', linda.id);
    const theirs = await tokenFor(t, 'client', other.id);
    expect((await events('domain=othersite.com', staff)).items).toHaveLength(1);
    expect((await events('domain=othersite.com', mine)).items).toEqual([]);
    const own = (await events('kind=registry_error', theirs)).items;
    expect(own.map((e: { domain: string }) => e.domain)).toEqual(['othersite.com']);
    const lindas = (await events('domain=watchme.com', mine)).items;
    expect(lindas).toHaveLength(3);
    for (const e of lindas) expect(e.told).toEqual([{ email: CONTACT, role: 'contact' }]);
    await t.http().post('/api/domains/othersite.com/check').set('Authorization', theirs).expect(403);
    await t.http().post('/api/watch/run').set('Authorization', mine).expect(403);
    await t.http().post('/api/domains/othersite.com/check').set('Authorization', staff).expect(200);
    await t.http().get('/api/watch/events').expect(401);
    await t.http().get('/api/watch/events?kind=bogus').set(admin()).expect(400);
    await t.http().post('/api/domains/nosuch.com/check').set(admin()).expect(404);
  });
});

describe('RegistryWatch.viewFor (for checking notices against the registry)', () => {
  it('gives the stored view of each name checked successfully within maxAgeMs, and undefined for the rest', async () => {
    const views = await t.app.get(RegistryWatch).viewFor(['lindapence.com', 'nordsee.de', 'notracked.com'], 10 * 60_000);
    expect(views.get('lindapence.com')).toMatchObject({ registrarIanaId: 81, error: null });
    expect(views.get('nordsee.de')).toBeUndefined();
    expect(views.get('notracked.com')).toBeUndefined();
    expect(views.size).toBe(3);
    expect((await t.app.get(RegistryWatch).viewFor(['lindapence.com'], 1)).get('lindapence.com')).toBeUndefined();
  });
});

describe('/metrics', () => {
  it('counts RDAP requests by host and outcome, and domains by the age of their last successful check', async () => {
    const text = (await t.http().get('/metrics').expect(200)).text;
    const host = `127.0.0.1:${rdap.port}`;
    expect(text).toMatch(new RegExp(`aster_rdap_requests_total\\{host="${host.replace('.', '\\.')}",outcome="ok"\\} [1-9]`));
    expect(text).toMatch(new RegExp(`aster_rdap_requests_total\\{host="${host.replace('.', '\\.')}",outcome="rate_limited"\\} 1`));
    expect(text).toMatch(/aster_domains_by_registry_check_age\{age="1d"\} [1-9]/);
    expect(text).toMatch(/aster_domains_by_registry_check_age\{age="never"\} [1-9]/);
  });
});
