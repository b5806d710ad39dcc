// The list and lookup endpoints as they read large tables: GET /api/domains (deferred join for
// `page`, keyset `after`, count without the registrar join), GET /api/messages (index order, capped
// count) and GET /api/messages/:id (one statement), checked for the answers they give.
import { DataSource } from 'typeorm';
import { DomainsService } from '../src/domains/domains.service';
import { Delivery } from '../src/mail/delivery/delivery.entity';
import { DeliveryAttempt } from '../src/mail/delivery/delivery-attempt.entity';
import { MESSAGE_COUNT_CAP } from '../src/mail/messages/dto/message-query.dto';
import { startTestApp, type TestApp } from './support/test-app';

describe('list and lookup endpoints', () => {
  let t: TestApp;
  let db: DataSource;
  let acme: string; // client ids
  let bolt: string;
  let acmeToken: string;

  const admin = () => ({ Authorization: t.adminAuth });
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const names = (body: { items: { name: string }[] }) => body.items.map((d) => d.name);

  async function addClient(name: string): Promise<string> {
    const rows: { id: string }[] = await db.query('INSERT INTO client (name) VALUES ($1) RETURNING id', [name]);
    return rows[0].id;
  }

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    acme = await addClient('Acme Sites');
    bolt = await addClient('Bolt Studio');
    const res = await t.http().post('/api/tokens').set(admin()).send({ role: 'client', clientId: acme, name: 'acme test token' }).expect(201);
    acmeToken = res.body.token;
  });
  afterAll(() => t.close());

  describe('GET /api/domains', () => {
    // 23 domains: acme-00…acme-14 (every third with Gandi, every fourth with OVH, the rest none),
    // bolt-00…bolt-07, and one IDN of Bolt's.
    let all: string[];

    beforeAll(async () => {
      for (let i = 0; i < 15; i++) {
        const registrar = i % 3 === 0 ? 'Gandi' : i % 4 === 0 ? 'OVH' : undefined;
        await t
          .http()
          .post('/api/domains')
          .set(admin())
          .send({ name: `acme-${String(i).padStart(2, '0')}.com`, clientId: acme, registrar })
          .expect(201);
      }
      for (let i = 0; i < 8; i++) {
        await t
          .http()
          .post('/api/domains')
          .set(admin())
          .send({ name: `bolt-${String(i).padStart(2, '0')}.net`, clientId: bolt })
          .expect(201);
      }
      await t.http().post('/api/domains').set(admin()).send({ name: 'bücher-bolt.de', clientId: bolt, registrar: 'gandi' }).expect(201);
      all = (await db.query('SELECT name FROM domain ORDER BY name')).map((r: { name: string }) => r.name);
      expect(all).toHaveLength(24);
    });

    it('returns every page in name order, the same rows as one long page, with the exact total', async () => {
      const seen: string[] = [];
      for (let p = 1; p <= 5; p++) {
        const res = await t.http().get(`/api/domains?page=${p}&limit=5`).set(admin()).expect(200);
        expect(res.body).toEqual({ items: expect.any(Array), total: 24, page: p, limit: 5 });
        expect(names(res.body)).toEqual(all.slice((p - 1) * 5, p * 5));
        seen.push(...names(res.body));
      }
      expect(seen).toEqual(all);
      const whole = await t.http().get('/api/domains?limit=200').set(admin()).expect(200);
      expect(names(whole.body)).toEqual(all);
      // The rows of a deep page are complete, registrar included.
      const deep = await t.http().get('/api/domains?page=4&limit=3').set(admin()).expect(200);
      const direct = await Promise.all(names(deep.body).map(async (n) => (await t.http().get(`/api/domains/${n}`).set(admin()).expect(200)).body));
      expect(deep.body.items).toEqual(direct);
    });

    it('answers a page past the end with no items and the exact total', async () => {
      const res = await t.http().get('/api/domains?page=9&limit=5').set(admin()).expect(200);
      expect(res.body).toEqual({ items: [], total: 24, page: 9, limit: 5 });
      const exact = await t.http().get('/api/domains?page=7&limit=4').set(admin()).expect(200); // starts right after the last
      expect(exact.body).toEqual({ items: [], total: 24, page: 7, limit: 4 });
    });

    it("counts domains without a registrar too, and only the registrar's when filtering by it", async () => {
      const gandi = all.filter((n) => /^acme-(00|03|06|09|12)\.com$/.test(n) || n === 'xn--bcher-bolt-9db.de');
      const byName = await t.http().get('/api/domains?registrar=GANDI&limit=2').set(admin()).expect(200);
      expect(byName.body.total).toBe(gandi.length);
      expect(names(byName.body)).toEqual(gandi.slice(0, 2));
      const second = await t.http().get('/api/domains?registrar=gandi&limit=2&page=3').set(admin()).expect(200);
      expect(second.body).toMatchObject({ total: gandi.length, page: 3 });
      expect(names(second.body)).toEqual(gandi.slice(4, 6));
      const registrarId = byName.body.items[0].registrarId;
      const byId = await t.http().get(`/api/domains?registrar=${registrarId}&limit=2`).set(admin()).expect(200);
      expect(byId.body.total).toBe(gandi.length);
      expect(byId.body.items.every((d: { registrar: string }) => d.registrar === 'Gandi')).toBe(true);
      const ovh = await t.http().get(`/api/domains?registrar=ovh&clientId=${acme}`).set(admin()).expect(200);
      expect(names(ovh.body)).toEqual(['acme-04.com', 'acme-08.com']);
      expect(ovh.body.total).toBe(2);
      const none = await t.http().get('/api/domains?registrar=Nobody&page=2').set(admin()).expect(200);
      expect(none.body).toEqual({ items: [], total: 0, page: 2, limit: 50 });
      // Unfiltered, the ten domains with no registrar count like the others.
      const unfiltered = await t.http().get('/api/domains?limit=1').set(admin()).expect(200);
      expect(unfiltered.body.total).toBe(24);
      const noRegistrar: { n: number }[] = await db.query('SELECT count(*)::int AS n FROM domain WHERE "registrarId" IS NULL');
      expect(noRegistrar[0].n).toBeGreaterThan(0);
    });

    it('walks the list with the `after` cursor, any filter applied, total counting the whole list', async () => {
      const seen: string[] = [];
      let after = '';
      for (;;) {
        const res = await t
          .http()
          .get(`/api/domains?limit=7&after=${encodeURIComponent(after)}`)
          .set(admin())
          .expect(200);
        expect(res.body).toEqual({ items: expect.any(Array), total: 24, page: 1, limit: 7 });
        if (res.body.items.length === 0) break;
        seen.push(...names(res.body));
        after = res.body.items.at(-1).name;
      }
      expect(seen).toEqual(all);

      const acmeAfter = await t.http().get(`/api/domains?clientId=${acme}&after=acme-10.com&limit=3`).set(admin()).expect(200);
      expect(acmeAfter.body).toMatchObject({ total: 15 });
      expect(names(acmeAfter.body)).toEqual(['acme-11.com', 'acme-12.com', 'acme-13.com']);
      // Any string is a cursor; a Unicode name is taken in its ASCII form, like everywhere else.
      const mid = await t.http().get('/api/domains?after=bolt-06&limit=3').set(admin()).expect(200);
      expect(names(mid.body)).toEqual(['bolt-06.net', 'bolt-07.net', 'xn--bcher-bolt-9db.de']);
      const idn = await t
        .http()
        .get(`/api/domains?after=${encodeURIComponent('Bücher-Bolt.de')}`)
        .set(admin())
        .expect(200);
      expect(idn.body).toMatchObject({ items: [], total: 24 });
    });

    it('refuses `after` together with a page past the first', async () => {
      const res = await t.http().get('/api/domains?after=acme-01.com&page=2').set(admin()).expect(400);
      expect(res.body.errors).toEqual([{ field: 'after', message: expect.stringContaining('either page or after') }]);
      await t.http().get('/api/domains?after=acme-01.com&page=1').set(admin()).expect(200);
      await t
        .http()
        .get(`/api/domains?after=${'a'.repeat(254)}`)
        .set(admin())
        .expect(400);
    });

    it("scopes deep pages, cursors and totals to a client token's own domains", async () => {
      const acmeNames = all.filter((n) => n.startsWith('acme-'));
      const deep = await t.http().get('/api/domains?page=3&limit=6').set(as(acmeToken)).expect(200);
      expect(deep.body).toEqual({ items: expect.any(Array), total: 15, page: 3, limit: 6 });
      expect(names(deep.body)).toEqual(acmeNames.slice(12, 18));
      const cursor = await t.http().get('/api/domains?after=acme-13.com').set(as(acmeToken)).expect(200);
      expect(cursor.body).toMatchObject({ total: 15 });
      expect(names(cursor.body)).toEqual(['acme-14.com']);
      const other = await t.http().get(`/api/domains?clientId=${bolt}`).set(as(acmeToken)).expect(200);
      expect(other.body).toEqual({ items: [], total: 0, page: 1, limit: 50 });
    });

    it('findByAsciiNames reads what routing needs: the domain, its client and registrar, the registry view', async () => {
      const found = await t.app.get(DomainsService).findByAsciiNames(['acme-01.com', 'bolt-02.net', 'nowhere.test']);
      const routing = { id: expect.any(String), registry: null, registryOkAt: null, registrarName: null, registrarSenderDomains: [] };
      expect(found.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
        { name: 'acme-01.com', clientId: acme, ...routing },
        { name: 'bolt-02.net', clientId: bolt, ...routing },
      ]);
    });

    it('findVisible and the guidance-token lookup read the domain with its registrar', async () => {
      const domains = t.app.get(DomainsService);
      const staff = { tokenId: null, role: 'staff' as const, clientId: null, label: 'test', requestId: null };
      const found = await domains.findVisible('ACME-03.com', staff);
      expect(found).toMatchObject({ name: 'acme-03.com', clientId: acme, registrar: { name: 'Gandi' } });
      expect((await domains.findVisible('acme-01.com', staff)).registrar).toBeNull();
      const byToken = await domains.findByGuidanceToken(found.guidanceToken);
      expect(byToken).toMatchObject({ name: 'acme-03.com', registrar: { name: 'Gandi' } });
      expect(await domains.findByGuidanceToken('0'.repeat(36))).toBeNull();
    });

    it('documents the `after` cursor in OpenAPI', async () => {
      const doc = await t.http().get('/docs/json').expect(200);
      const params = doc.body.paths['/api/domains'].get.parameters.map((p: { name: string }) => p.name);
      expect(params).toEqual(expect.arrayContaining(['page', 'limit', 'clientId', 'q', 'expiresBefore', 'registrar', 'noticeSeen', 'after']));
    });
  });

  describe('GET /api/messages', () => {
    /** Inserts `n` decided messages, the newest `newest` ago, one a minute older each. */
    async function addMessages(
      n: number,
      opts: { status?: string; clientId?: string; domain?: string; newest?: string; subject?: string } = {},
    ): Promise<void> {
      await db.query(
        `INSERT INTO inbound_message ("receivedAt", "envelopeFrom", "envelopeTo", size, stage, status, subject, domains, "clientIds", decision)
         SELECT now() - $2::interval - g * interval '1 minute', 'noreply@registrar.test', '{domains@notify.artsites.test}', 1000, 'decided', $3,
                $4::text || ' ' || g, CASE WHEN $5::text IS NULL THEN '{}'::text[] ELSE ARRAY[$5::text] END,
                CASE WHEN $6::uuid IS NULL THEN '{}'::uuid[] ELSE ARRAY[$6::uuid] END, 'forward'
           FROM generate_series(0, $1::int - 1) g`,
        [n, opts.newest ?? '0 minutes', opts.status ?? 'forwarded', opts.subject ?? 'Notice', opts.domain ?? null, opts.clientId ?? null],
      );
    }

    beforeAll(async () => {
      // 30 of Acme's messages (the newest), 5 held ones of Bolt's, then the bulk: past the count cap.
      await addMessages(30, { clientId: acme, domain: 'acme-01.com', subject: 'Acme' });
      await addMessages(5, { clientId: bolt, domain: 'bolt-01.net', status: 'held', newest: '2 hours', subject: 'Bolt' });
      await addMessages(MESSAGE_COUNT_CAP, { newest: '1 day', subject: 'Bulk' });
    });

    const TOTAL = 30 + 5 + MESSAGE_COUNT_CAP;

    it('lists newest first in index order and caps the count of a long list, saying so', async () => {
      const res = await t.http().get('/api/messages?limit=50').set(admin()).expect(200);
      expect(res.body).toEqual({ items: expect.any(Array), total: MESSAGE_COUNT_CAP, page: 1, limit: 50, totalCapped: true });
      const expected: { id: string }[] = await db.query('SELECT id FROM inbound_message ORDER BY "receivedAt" DESC, id DESC LIMIT 50');
      expect(res.body.items.map((m: { id: string }) => m.id)).toEqual(expected.map((e) => e.id));
      expect(Object.keys(res.body.items[0]).sort()).toEqual(
        [
          'clientIds',
          'domains',
          'from',
          'holdReason',
          'id',
          'kind',
          'kindConfidence',
          'kindEvidence',
          'messageId',
          'receivedAt',
          'status',
          'subject',
          'suspicious',
        ].sort(),
      );
      expect(res.body.items[0]).toMatchObject({ subject: 'Acme 0', clientIds: [acme], domains: ['acme-01.com'], status: 'forwarded' });
      expect(res.body.items[0].receivedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    });

    it('counts exactly below the cap, and up to the end of a page asked for past it', async () => {
      const held = await t.http().get('/api/messages?status=held').set(admin()).expect(200);
      expect(held.body).toEqual({ items: expect.any(Array), total: 5, page: 1, limit: 50 });
      const byDomain = await t.http().get('/api/messages?domain=acme-01.com&limit=10&page=2').set(admin()).expect(200);
      expect(byDomain.body).toEqual({ items: expect.any(Array), total: 30, page: 2, limit: 10 });
      expect(byDomain.body.items.map((m: { subject: string }) => m.subject)).toEqual([...Array(10)].map((_, i) => `Acme ${10 + i}`));
      // The last page: short, so its end is the end of the list and the total is exact.
      const last = Math.ceil(TOTAL / 50);
      const end = await t.http().get(`/api/messages?page=${last}&limit=50`).set(admin()).expect(200);
      expect(end.body).toEqual({ items: expect.any(Array), total: TOTAL, page: last, limit: 50 });
      expect(end.body.items).toHaveLength(TOTAL - (last - 1) * 50);
      // A page past the end: no items, the exact total.
      const past = await t
        .http()
        .get(`/api/messages?page=${last + 3}&limit=50`)
        .set(admin())
        .expect(200);
      expect(past.body).toEqual({ items: [], total: TOTAL, page: last + 3, limit: 50 });
      // A full page at the cap, and one past it: the total reaches at least the end of the page.
      const atCap = await t
        .http()
        .get(`/api/messages?page=${MESSAGE_COUNT_CAP / 50}&limit=50`)
        .set(admin())
        .expect(200);
      expect(atCap.body).toEqual({ items: expect.any(Array), total: MESSAGE_COUNT_CAP, page: MESSAGE_COUNT_CAP / 50, limit: 50, totalCapped: true });
      expect(atCap.body.items).toHaveLength(50);
      const deep = await t
        .http()
        .get(`/api/messages?page=${MESSAGE_COUNT_CAP / 10 + 1}&limit=10`)
        .set(admin())
        .expect(200);
      expect(deep.body).toEqual({ items: expect.any(Array), total: MESSAGE_COUNT_CAP + 10, page: MESSAGE_COUNT_CAP / 10 + 1, limit: 10, totalCapped: true });
      expect(deep.body.items.map((m: { subject: string }) => m.subject)).toEqual([...Array(10)].map((_, i) => `Bulk ${MESSAGE_COUNT_CAP - 35 + i}`));
    });

    it('shows a client token its own messages only, counted exactly', async () => {
      const own = await t.http().get('/api/messages?limit=20').set(as(acmeToken)).expect(200);
      expect(own.body).toEqual({ items: expect.any(Array), total: 30, page: 1, limit: 20 });
      expect(own.body.items.every((m: { clientIds: string[] }) => m.clientIds.length === 1 && m.clientIds[0] === acme)).toBe(true);
      const other = await t.http().get(`/api/messages?clientId=${bolt}`).set(as(acmeToken)).expect(200);
      expect(other.body).toEqual({ items: [], total: 0, page: 1, limit: 50 });
      await t.http().get('/api/messages?page=0').set(admin()).expect(400);
      await t.http().get('/api/messages?page=x').set(admin()).expect(400);
    });

    it('documents the capped total in OpenAPI', async () => {
      const doc = await t.http().get('/docs/json').expect(200);
      const page = doc.body.paths['/api/messages'].get.parameters.find((p: { name: string }) => p.name === 'page');
      expect(page.description).toContain('totalCapped');
    });
  });

  describe('GET /api/messages/:id', () => {
    let message: string;
    let plain: string;

    beforeAll(async () => {
      [{ id: message }] = await db.query(
        `INSERT INTO inbound_message ("envelopeFrom", "envelopeTo", size, stage, status, subject, "fromHeader", domains, "clientIds", decision,
                                      "decisionReason", "authResults", "messageId", "remoteAddress")
         VALUES ('noreply@registrar.test', '{domains@notify.artsites.test,acme-02.com@notify.artsites.test}', 2048, 'decided', 'forwarded',
                 'Renewal of acme-02.com', 'Registrar <noreply@registrar.test>', '{acme-02.com,bolt-02.net}', $1, 'digest',
                 'Two clients.', '{"spf": "pass"}', 'abc@registrar.test', '192.0.2.7')
         RETURNING id`,
        [[acme, bolt]],
      );
      [{ id: plain }] = await db.query(
        `INSERT INTO inbound_message ("envelopeFrom", "envelopeTo", size, stage, status, domains, "clientIds")
         VALUES ('', '{domains@notify.artsites.test}', 10, 'decided', 'held', '{acme-02.com}', $1) RETURNING id`,
        [[acme]],
      );
      const deliveries: { id: string }[] = await db.query(
        `INSERT INTO delivery ("inboundMessageId", "clientId", email, form, domains, status, attempts, "nextAttemptAt", "lastResponse", "sentAt", "createdAt")
         VALUES ($1, $2, 'zed@acme.test', 'digest', '{acme-02.com}', 'sent', 2, NULL, '250 Ok', '2026-03-01T10:00:05.123456Z', '2026-03-01T10:00:00Z'),
                ($1, $3, 'amy@bolt.test', 'digest', '{bolt-02.net}', 'queued', 1, '2026-03-01T10:05:00.5Z', '451 Later', NULL, '2026-03-01T10:00:00Z'),
                ($1, $2, 'bea@acme.test', 'digest', '{acme-02.com}', 'failed', 1, NULL, '550 No', NULL, '2026-03-01T09:00:00Z')
         RETURNING id`,
        [message, acme, bolt],
      );
      await db.query(
        `INSERT INTO delivery_attempt ("deliveryId", at, outcome, response, "durationMs")
         VALUES ($1, '2026-03-01T10:00:05.123999Z', 'sent', '250 Ok', 12), ($1, '2026-03-01T10:00:01Z', 'temporary', '451 Later', 30),
                ($2, '2026-03-01T10:00:02Z', 'temporary', '451 Later', 20)`,
        [deliveries[0].id, deliveries[1].id],
      );
    });

    it('answers the message with its deliveries and attempts, as the entities read them', async () => {
      const res = await t.http().get(`/api/messages/${message}`).set(admin()).expect(200);
      const stored = await db.getRepository(Delivery).find({ where: { inboundMessageId: message }, order: { createdAt: 'ASC', email: 'ASC' } });
      const attempts = await db.getRepository(DeliveryAttempt).find({ order: { at: 'ASC', id: 'ASC' } });
      const expected = stored.map((d) => ({
        id: d.id,
        clientId: d.clientId,
        contactId: d.contactId,
        email: d.email,
        form: d.form,
        domains: d.domains,
        status: d.status,
        attempts: d.attempts,
        nextAttemptAt: d.nextAttemptAt,
        lastResponse: d.lastResponse,
        sentAt: d.sentAt,
        attemptLog: attempts.filter((a) => a.deliveryId === d.id).map((a) => ({ at: a.at, outcome: a.outcome, response: a.response })),
      }));
      expect(res.body.deliveries).toEqual(JSON.parse(JSON.stringify(expected)));
      expect(res.body.deliveries.map((d: { email: string }) => d.email)).toEqual(['bea@acme.test', 'amy@bolt.test', 'zed@acme.test']);
      expect(res.body.deliveries[2]).toMatchObject({
        sentAt: '2026-03-01T10:00:05.123Z',
        attemptLog: [
          { at: '2026-03-01T10:00:01.000Z', outcome: 'temporary', response: '451 Later' },
          { at: '2026-03-01T10:00:05.123Z', outcome: 'sent', response: '250 Ok' },
        ],
      });
      expect(res.body.deliveries[1]).toMatchObject({ nextAttemptAt: '2026-03-01T10:05:00.500Z', sentAt: null });
      expect(res.body.deliveries[0].attemptLog).toEqual([]);
      expect(res.body).toMatchObject({
        id: message,
        messageId: 'abc@registrar.test',
        from: 'Registrar <noreply@registrar.test>',
        subject: 'Renewal of acme-02.com',
        status: 'forwarded',
        holdReason: null,
        kind: null,
        domains: ['acme-02.com', 'bolt-02.net'],
        clientIds: [acme, bolt],
        decision: 'digest',
        decisionReason: 'Two clients.',
        envelope: { from: 'noreply@registrar.test', to: ['domains@notify.artsites.test', 'acme-02.com@notify.artsites.test'] },
        remoteAddress: '192.0.2.7',
        size: 2048,
        duplicates: 0,
        stage: 'decided',
        authResults: { spf: 'pass' },
      });
      expect(res.body.receivedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    });

    it('answers a message without deliveries with an empty list', async () => {
      const res = await t.http().get(`/api/messages/${plain}`).set(admin()).expect(200);
      expect(res.body).toMatchObject({
        id: plain,
        deliveries: [],
        envelope: { from: '', to: ['domains@notify.artsites.test'] },
        stage: 'decided',
        status: 'held',
      });
    });

    it('hides from a client token what is not about its client alone (404, as for none)', async () => {
      await t.http().get(`/api/messages/${plain}`).set(as(acmeToken)).expect(200);
      const res = await t.http().get(`/api/messages/${message}`).set(as(acmeToken)).expect(404);
      expect(res.body).toEqual({ statusCode: 404, message: expect.any(String) });
      await t.http().get('/api/messages/00000000-0000-4000-8000-000000000000').set(admin()).expect(404);
    });
  });
});
