// Transfer guidance through the front door: public topics, per-domain answers for staff and the
// client that owns the domain, and the server-rendered pages behind the unguessable links.
import { seedClient, tokenFor, type SeededClient } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

describe('transfer guidance', () => {
  let t: TestApp;
  let linda: SeededClient;

  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_URL: 'https://domains.artsites.test' });
    linda = await seedClient(t, { name: 'Linda Pence Studio', contacts: [{ name: 'Linda', email: 'linda@pence-mail.test' }], domains: [] });
    await seedClient(t, { name: 'Omar Haddad Ceramics', contacts: [{ name: 'Omar', email: 'omar@haddad.test' }], domains: ['omarhaddad.eu'] });
    await t
      .http()
      .post('/api/domains')
      .set('Authorization', t.adminAuth)
      .send({
        name: 'lindapence.com',
        clientId: linda.id,
        registrar: 'Gandi',
        registeredAt: '2019-03-01',
        expiresAt: '2027-03-01',
        statuses: ['clientTransferProhibited'],
      })
      .expect(201);
    await t
      .http()
      .post('/api/domains')
      .set('Authorization', t.adminAuth)
      .send({ name: 'lindapence.org', clientId: linda.id, registeredAt: '2026-11-01', expiresAt: '2027-11-01' })
      .expect(201);
  });
  afterAll(() => t.close());

  it('lists the topics publicly and serves each in Markdown', async () => {
    const list = await t.http().get('/api/guidance').expect(200);
    expect(list.body.length).toBeGreaterThanOrEqual(5);
    for (const { slug, title } of list.body) {
      const topic = await t.http().get(`/api/guidance/${slug}`).expect(200);
      expect(topic.body).toMatchObject({ slug, title, markdown: expect.stringMatching(/Sources/) });
    }
    await t.http().get('/api/guidance/nothing-here').expect(404);
  });

  it('answers for a domain and a date, with blockers and their end dates', async () => {
    const res = await t.http().get('/api/domains/lindapence.com/transfer-guidance?at=2026-11-25').set('Authorization', t.adminAuth).expect(200);
    expect(res.body).toMatchObject({ domain: 'lindapence.com', eligible: false, blockers: [expect.objectContaining({ code: 'client_transfer_prohibited' })] });
    expect(res.body.steps.length).toBeGreaterThan(2);
    expect(Array.isArray(res.body.caveats)).toBe(true);

    const young = await t.http().get('/api/domains/lindapence.org/transfer-guidance?at=2026-11-25').set('Authorization', t.adminAuth).expect(200);
    const lock = young.body.blockers.find((b: { code: string }) => b.code === 'lock_after_registration');
    expect(lock).toBeDefined();
    expect(lock.until).toMatch(/^2026-12-3\d$|^2027-01-0\d$/);
    const later = await t.http().get(`/api/domains/lindapence.org/transfer-guidance?at=${lock.until}`).set('Authorization', t.adminAuth).expect(200);
    expect(later.body.blockers.map((b: { code: string }) => b.code)).not.toContain('lock_after_registration');
  });

  it('lifts the lock after a change of registrant when the registrant opted out of it', async () => {
    await t.http().patch('/api/domains/lindapence.com').set('Authorization', t.adminAuth).send({ registrantChangedAt: '2026-11-10', statuses: [] }).expect(200);
    const locked = await t.http().get('/api/domains/lindapence.com/transfer-guidance?at=2026-11-25').set('Authorization', t.adminAuth).expect(200);
    expect(locked.body.blockers.map((b: { code: string }) => b.code)).toContain('lock_after_registrant_change');
    await t.http().patch('/api/domains/lindapence.com').set('Authorization', t.adminAuth).send({ registrantChangeOptOut: true }).expect(200);
    const free = await t.http().get('/api/domains/lindapence.com/transfer-guidance?at=2026-11-25').set('Authorization', t.adminAuth).expect(200);
    expect(free.body.blockers.map((b: { code: string }) => b.code)).not.toContain('lock_after_registrant_change');
    await t
      .http()
      .patch('/api/domains/lindapence.com')
      .set('Authorization', t.adminAuth)
      .send({ registrantChangedAt: null, registrantChangeOptOut: false, statuses: ['clientTransferProhibited'] })
      .expect(200);
  });

  // Issue 17: the answers checked against primary sources, through the Contract.
  describe('issue 17 cases', () => {
    const guidanceFor = async (name: string, at: string) =>
      (await t.http().get(`/api/domains/${name}/transfer-guidance?at=${at}`).set('Authorization', t.adminAuth).expect(200)).body;
    const codes = (body: { blockers: { code: string }[] }) => body.blockers.map((b) => b.code);

    beforeAll(async () => {
      const add = (body: Record<string, unknown>) =>
        t
          .http()
          .post('/api/domains')
          .set('Authorization', t.adminAuth)
          .send({ clientId: linda.id, ...body })
          .expect(201);
      await add({ name: 'lapsed-linda.com', registeredAt: '2015-02-01', expiresAt: '2026-09-21', statuses: [] });
      await add({ name: 'young-linda.com', registeredAt: '2025-05-01', expiresAt: '2026-05-01' });
      await add({ name: 'linda-atelier.eu', registeredAt: '2015-02-01', expiresAt: '2026-11-01', statuses: ['pendingDelete'] });
      await add({ name: 'linda-atelier.de', registeredAt: '2015-02-01', expiresAt: '2027-11-01' });
    });

    it.each([
      ['2026-10-01', ['expired'], '2026-10-01', /do not renew it first/],
      ['2026-10-26', ['expired'], '2026-10-26', /may already have deleted it/],
      ['2026-11-20', ['redemption_period'], null, /restore fee/],
      ['2026-12-10', ['pending_delete'], null, /can no longer be renewed, restored or moved/],
    ])('a .com that expired on 21 September 2026, asked on %s', async (at, blockers, earliest, text) => {
      const body = await guidanceFor('lapsed-linda.com', at);
      expect(body).toMatchObject({ domain: 'lapsed-linda.com', eligible: false, earliestTransferDate: earliest });
      expect(codes(body)).toEqual(blockers);
      expect(body.blockers[0].message).toMatch(text);
      expect(Array.isArray(body.steps) && Array.isArray(body.caveats)).toBe(true);
    });

    it('applies the 60-day lock after registration before 21 August 2025', async () => {
      const body = await guidanceFor('young-linda.com', '2025-06-01');
      expect(body.eligible).toBe(false);
      expect(body.blockers).toEqual([expect.objectContaining({ code: 'lock_after_registration', until: '2025-06-30' })]);
    });

    it('does not call a deleted .eu hopeless: it is in quarantine', async () => {
      const body = await guidanceFor('linda-atelier.eu', '2026-11-25');
      expect(codes(body)).toEqual(['pending_delete']);
      expect(body.earliestTransferDate).toBeNull();
      expect(body.blockers[0].message).toMatch(/quarantine for 40 days/);
      expect(body.steps.join(' ')).not.toMatch(/Nothing can be done/);
    });

    it('.de: the fallback AuthInfo comes by registered post', async () => {
      const body = await guidanceFor('linda-atelier.de', '2026-11-25');
      expect(body.steps.join(' ')).toMatch(/registered post to the holder's postal address/);
    });
  });

  it('checks the date and the domain', async () => {
    const bad = await t.http().get('/api/domains/lindapence.com/transfer-guidance?at=soon').set('Authorization', t.adminAuth).expect(400);
    expect(bad.body.errors[0].field).toBe('at');
    await t.http().get('/api/domains/lindapence.com/transfer-guidance?at=2026-02-30').set('Authorization', t.adminAuth).expect(400);
    await t.http().get('/api/domains/unknown-domain.com/transfer-guidance').set('Authorization', t.adminAuth).expect(404);
  });

  it('lets a client read the guidance of its own domains only', async () => {
    const lindaToken = await tokenFor(t, 'client', linda.id);
    await t.http().get('/api/domains/lindapence.com/transfer-guidance').set('Authorization', lindaToken).expect(200);
    await t.http().get('/api/domains/omarhaddad.eu/transfer-guidance').set('Authorization', lindaToken).expect(404);
    await t.http().get('/api/domains/lindapence.com/transfer-guidance').expect(401);
  });

  it("serves the topics and each domain's guidance as pages, the latter behind an unguessable link", async () => {
    const index = await t.http().get('/guide').expect(200);
    expect(index.headers['content-type']).toContain('text/html');
    expect(index.text).toContain('<html lang="en">');
    const topic = await t.http().get('/guide/moving-a-domain').expect(200);
    expect(topic.text).toMatch(/<h1[^>]*>/);
    await t.http().get('/guide/nothing-here').expect(404);

    const domain = await t.http().get('/api/domains/lindapence.com').set('Authorization', t.adminAuth).expect(200);
    expect(domain.body.guidanceUrl).toMatch(/^https:\/\/domains\.artsites\.test\/guide\/domain\/[0-9a-f]{36}$/);
    const path = new URL(domain.body.guidanceUrl).pathname;
    const page = await t.http().get(path).expect(200);
    expect(page.text).toContain('lindapence.com');
    expect(page.text).toContain('cannot be moved today');
    expect(page.headers['cache-control']).toBe('no-store');
    await t.http().get('/guide/domain/0123456789abcdef0123456789abcdef0123').expect(404);
    await t.http().get('/guide/domain/not-a-token').expect(404);
  });
});
