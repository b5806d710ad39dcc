// The staff console over HTTP, without a browser: sign-in and its cookie, CSRF, headers, roles,
// and that every change goes through the services into the audit log under the session's token.
import request from 'supertest';
import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from '../support/test-app';
import { csrfOf, seedPortfolio, signIn, type Portfolio } from './support';

describe('staff console (HTTP)', () => {
  let t: TestApp;
  let p: Portfolio;
  const api = (path: string) => t.http().get(path).set('Authorization', t.adminAuth);

  beforeAll(async () => {
    t = await startTestApp();
    p = await seedPortfolio(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('serves the sign-in form with a token field, a _csrf field, a strict CSP and no caching', async () => {
    const res = await t
      .http()
      .get('/console/login')
      .expect(200)
      .expect('Content-Type', /text\/html/);
    expect(res.text).toMatch(/<form method="post" action="\/console\/login">/);
    expect(res.text).toMatch(/name="token"/);
    expect(csrfOf(res.text)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('serves its stylesheet from Aster itself', async () => {
    const res = await t
      .http()
      .get('/console/console.css')
      .expect(200)
      .expect('Content-Type', /text\/css/);
    expect(res.text).toContain('.skip');
  });

  it('sends a browser without a session to the sign-in page', async () => {
    for (const path of ['/console', '/console/domains', '/console/messages?status=held', `/console/messages/${p.unmatchedId}`]) {
      await t.http().get(path).expect(303).expect('Location', '/console/login');
    }
  });

  it('refuses a wrong token with the sign-in page again (401) and opens no session', async () => {
    const agent = request.agent(t.app.getHttpServer());
    const form = await agent.get('/console/login');
    const res = await agent
      .post('/console/login')
      .type('form')
      .send({ token: 'aster_not-a-real-token', _csrf: csrfOf(form.text) })
      .expect(401);
    expect(res.text).toContain('That token is unknown or has been revoked');
    expect(res.text).toMatch(/name="token"/);
    expect(String(res.headers['set-cookie'] ?? '')).not.toContain('aster_session');
    await agent.get('/console').expect(303);
  });

  it("refuses a sign-in without the form's _csrf (403)", async () => {
    const agent = request.agent(t.app.getHttpServer());
    await agent.get('/console/login');
    await agent.post('/console/login').type('form').send({ token: p.staffToken }).expect(403);
    await agent
      .post('/console/login')
      .type('form')
      .send({ token: p.staffToken, _csrf: 'x'.repeat(43) })
      .expect(403);
    await agent.get('/console').expect(303);
  });

  it('sets an HttpOnly, SameSite=Strict session cookie holding a random id, never the token', async () => {
    const agent = request.agent(t.app.getHttpServer());
    const form = await agent.get('/console/login');
    const res = await agent
      .post('/console/login')
      .type('form')
      .send({ token: p.staffToken, _csrf: csrfOf(form.text) })
      .expect(303);
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('aster_session='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/i); // PUBLIC_URL is http here
    const id = /^aster_session=([^;]+)/.exec(cookie)![1];
    expect(id).not.toContain(p.staffToken);
    const rows = await t.app.get(DataSource).query(`SELECT * FROM console_session`);
    expect(JSON.stringify(rows)).not.toContain(p.staffToken);
    expect(JSON.stringify(rows)).not.toContain(id);
  });

  it('marks the cookie Secure (and __Host-) when PUBLIC_URL is https', async () => {
    const s = await startTestApp({ PUBLIC_URL: 'https://domains.artsites.test' });
    try {
      const agent = request.agent(s.app.getHttpServer());
      const form = await agent.get('/console/login');
      const loginCookie = String(form.headers['set-cookie']);
      expect(loginCookie).toMatch(/^__Host-aster_login_csrf=/);
      const csrf = csrfOf(form.text);
      const value = /__Host-aster_login_csrf=([^;]+)/.exec(loginCookie)![1];
      const res = await s
        .http()
        .post('/console/login')
        .set('Cookie', `__Host-aster_login_csrf=${value}`)
        .type('form')
        .send({ token: s.adminAuth.slice('Bearer '.length), _csrf: csrf })
        .expect(303);
      const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('__Host-aster_session='))!;
      expect(cookie).toMatch(/; Secure/i);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Strict/i);
    } finally {
      await s.close();
    }
  });

  it('locks an address out of the sign-in after too many wrong tokens, as the API does (429)', async () => {
    const s = await startTestApp({ HTTP_AUTH_FAILURES_PER_MINUTE: '3' });
    try {
      const agent = request.agent(s.app.getHttpServer());
      const csrf = csrfOf((await agent.get('/console/login')).text);
      for (const guess of ['aster_a', 'aster_b', 'aster_c']) {
        await agent.post('/console/login').type('form').send({ token: guess, _csrf: csrf }).expect(401);
      }
      // Now even the right token is refused, so a right guess looks like a wrong one.
      const res = await agent
        .post('/console/login')
        .type('form')
        .send({ token: s.adminAuth.slice('Bearer '.length), _csrf: csrf })
        .expect(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      await agent.get('/console').expect(303);
    } finally {
      await s.close();
    }
  });

  it('shows a domain beside its registry view and registry alerts on the overview', async () => {
    const { agent } = await signIn(t, p.staffToken);
    const domain = await agent.get('/console/domains/lindapence.com').expect(200);
    expect(domain.text).toContain('Registry view');
    expect(domain.text).toContain('Not checked against the registry yet.');
    const overview = await agent.get('/console').expect(200);
    expect(overview.text).toContain('Registry alerts');
    // As the watch stores it after a check: the registry names another registrar.
    await t.app.get(DataSource).query(`UPDATE domain SET registry = $1::jsonb WHERE name = 'lindapence.com'`, [
      JSON.stringify({
        checkedAt: '2026-11-30T08:00:00Z',
        source: 'https://rdap.example/domain/lindapence.com',
        registrarIanaId: 1,
        registrarName: 'Other <Registrar>',
        expiresAt: null,
        registeredAt: null,
        lastChangedAt: null,
        lastTransferredAt: null,
        statuses: [],
        nameservers: [],
        error: null,
      }),
    ]);
    const checked = await agent.get('/console/domains/lindapence.com').expect(200);
    expect(checked.text).toContain('Other &lt;Registrar&gt;');
    expect(checked.text).toMatch(/Gandi SAS<\/td><td class="wrap">Other &lt;Registrar&gt; <span class="badge differs">/);
  });

  it('shows staff every page with data, uncached, with the _csrf field in every form', async () => {
    const { agent } = await signIn(t, p.staffToken);
    const pages = [
      '/console',
      '/console/domains',
      '/console/domains?q=linda',
      '/console/domains/lindapence.com',
      '/console/clients',
      `/console/clients/${p.linda.id}`,
      '/console/messages',
      '/console/messages?status=held',
      '/console/messages?suspicious=true&clientId=' + p.linda.id,
      `/console/messages/${p.unmatchedId}`,
    ];
    for (const path of pages) {
      const res = await agent.get(path);
      expect([path, res.status]).toEqual([path, 200]);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      const forms = res.text.match(/<form method="post"[\s\S]*?<\/form>/g) ?? [];
      for (const f of forms) expect(f).toMatch(/name="_csrf" value="[A-Za-z0-9_-]{43}"/);
    }
  });

  it('lists domains by expiry, shows IDNs in Unicode, and escapes what mail put in a subject', async () => {
    const { agent } = await signIn(t, p.staffToken);
    const list = await agent.get('/console/domains').expect(200);
    expect(list.text.indexOf('lindapence.com')).toBeLessThan(list.text.indexOf('omarhaddad.eu'));
    expect(list.text).toContain('bücher-linda.de');
    const held = await agent.get('/console/messages?status=held').expect(200);
    expect(held.text).toContain('Your invoice &lt;b&gt;#4411&lt;/b&gt;');
    expect(held.text).not.toContain('<b>#4411');
    const msg = await agent.get(`/console/messages/${p.unmatchedId}`).expect(200);
    expect(msg.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(msg.text).not.toContain('<script>');
    expect(msg.text).toMatch(new RegExp(`action="/console/messages/${p.unmatchedId}/release"`));
    expect(msg.text).toMatch(new RegExp(`action="/console/messages/${p.unmatchedId}/discard"`));
  });

  it('pages through domains by expiry, then name, with no row lost or repeated (keyset)', async () => {
    const db = t.app.get(DataSource);
    // 60 dated domains (in ties of three) and 70 without an expiry, for a client of their own.
    const bulk = await t
      .http()
      .post('/api/clients')
      .set('Authorization', t.adminAuth)
      .send({ name: 'Bulk Portfolio', contacts: [{ name: 'Bulk Owner', email: 'owner@bulk.test' }] })
      .expect(201);
    await db.query(
      `INSERT INTO domain (name, "unicodeName", "clientId", "expiresAt")
       SELECT 'bulk' || lpad(i::text, 3, '0') || '.test', 'bulk' || lpad(i::text, 3, '0') || '.test', $1,
              CASE WHEN i <= 60 THEN timestamptz '2030-01-01' + ((i - 1) / 3) * interval '1 day' END
         FROM generate_series(1, 130) i`,
      [bulk.body.id],
    );
    const { agent } = await signIn(t, p.staffToken);
    const seen: string[] = [];
    let href: string | null = `/console/domains?clientId=${bulk.body.id}`;
    while (href) {
      const res: { text: string } = await agent.get(href).expect(200);
      expect(res.text).toContain('130 domains');
      seen.push(...[...res.text.matchAll(/href="\/console\/domains\/(bulk\d+\.test)"/g)].map((m) => m[1]));
      href = /<a href="([^"]+)" rel="next">/.exec(res.text)?.[1].replace(/&amp;/g, '&') ?? null;
    }
    const expected = Array.from({ length: 130 }, (_, i) => `bulk${String(i + 1).padStart(3, '0')}.test`);
    expect(seen).toEqual(expected);
  });

  it("edits a domain through DomainsService, audited under the session's token", async () => {
    const { agent, csrf } = await signIn(t, p.staffToken);
    await agent
      .post('/console/domains/omarhaddad.eu')
      .type('form')
      .send({
        _csrf: csrf,
        clientId: p.omar.id,
        registrar: 'OVHcloud',
        expiresAt: '2027-04-02',
        state: 'active',
        statuses: 'clientTransferProhibited\nclientDeleteProhibited',
        nameservers: '',
        autoRenew: 'true',
        notes: 'Renews <in> April',
        lastTransferredAt: '2025-01-15',
        registrantChangedAt: '',
        registrantChangeOptOut: 'true',
      })
      .expect(303)
      .expect('Location', '/console/domains/omarhaddad.eu?saved=1');
    const d = (await api('/api/domains/omarhaddad.eu').expect(200)).body;
    expect(d).toMatchObject({
      registrar: 'OVHcloud',
      statuses: ['clientTransferProhibited', 'clientDeleteProhibited'],
      autoRenew: true,
      notes: 'Renews <in> April',
    });
    expect(d.expiresAt).toMatch(/^2027-04-02/);
    expect(d.lastTransferredAt).toMatch(/^2025-01-15/);
    expect(d.registrantChangedAt).toBeNull();
    expect(d.registrantChangeOptOut).toBe(true);
    const audit = (await api(`/api/audit?entityType=domain&entityId=${d.id}&action=update`).expect(200)).body.items;
    const tokens = (await api('/api/tokens').expect(200)).body as { id: string; role: string }[];
    const staff = tokens.find((x) => x.role === 'staff')!;
    expect(audit[0].tokenId).toBe(staff.id);
    const page = await agent.get('/console/domains/omarhaddad.eu?saved=1').expect(200);
    expect(page.text).toContain('Renews &lt;in&gt; April');
  });

  it('answers a bad edit with the form again and the reason (400)', async () => {
    const { agent, csrf } = await signIn(t, p.staffToken);
    const res = await agent
      .post('/console/domains/omarhaddad.eu')
      .type('form')
      .send({ _csrf: csrf, registeredAt: '2030-01-01', expiresAt: '2027-04-02' })
      .expect(400);
    expect(res.text).toContain('role="alert"');
  });

  it('refuses every POST without the right _csrf (403) and changes nothing', async () => {
    const { agent, csrf } = await signIn(t, p.staffToken);
    const before = (await api('/api/domains/lindapence.com')).body;
    await agent.post('/console/domains/lindapence.com').type('form').send({ notes: 'forged' }).expect(403);
    await agent
      .post('/console/domains/lindapence.com')
      .type('form')
      .send({ notes: 'forged', _csrf: csrf.slice(1) + 'A' })
      .expect(403);
    await agent.post(`/console/messages/${p.spamId}/discard`).type('form').send({}).expect(403);
    await agent.post(`/console/messages/${p.spamId}/release`).type('form').send({ clientIds: p.linda.id }).expect(403);
    // Another session's token is no good either.
    const other = await signIn(t, p.staffToken);
    await agent.post(`/console/messages/${p.spamId}/discard`).type('form').send({ _csrf: other.csrf }).expect(403);
    expect((await api('/api/domains/lindapence.com')).body.notes).toBe(before.notes);
    expect((await api(`/api/messages/${p.spamId}`)).body.status).toBe('held');
    await agent.post('/console/logout').type('form').send({}).expect(403);
    await agent.get('/console').expect(200);
  });

  it('releases an unmatched held message to a chosen client and discards another, through MessagesService', async () => {
    const { agent, csrf } = await signIn(t, p.staffToken);
    await agent
      .post(`/console/messages/${p.unmatchedId}/release`)
      .type('form')
      .send({ _csrf: csrf, clientIds: p.linda.id })
      .expect(303)
      .expect('Location', `/console/messages/${p.unmatchedId}?done=released`);
    const released = (await api(`/api/messages/${p.unmatchedId}`)).body;
    expect(released.status).toBe('released');
    expect(released.clientIds).toEqual([p.linda.id]);
    await agent.post(`/console/messages/${p.spamId}/discard`).type('form').send({ _csrf: csrf }).expect(303);
    expect((await api(`/api/messages/${p.spamId}`)).body.status).toBe('discarded');
    // Twice: the service's conflict, as a page.
    const again = await agent.post(`/console/messages/${p.spamId}/discard`).type('form').send({ _csrf: csrf }).expect(409);
    expect(again.text).toContain('Only held or unrouted messages can be discarded');
    const audit = (await api(`/api/audit?entityType=message&entityId=${p.unmatchedId}`)).body.items;
    expect(audit.map((e: { action: string }) => e.action)).toContain('release');
  });

  it("shows a client token's session its own client only, and refuses every change (403)", async () => {
    const { agent, csrf } = await signIn(t, p.clientToken);
    const list = await agent.get('/console/domains').expect(200);
    expect(list.text).toContain('lindapence.com');
    expect(list.text).not.toContain('omarhaddad.eu');
    await agent.get('/console/domains/omarhaddad.eu').expect(404);
    await agent.get(`/console/clients/${p.omar.id}`).expect(404);
    await agent.get(`/console/messages/${p.omarMessageId}`).expect(404);
    const messages = await agent.get('/console/messages').expect(200);
    expect(messages.text).not.toContain('omarhaddad.eu');
    const own = await agent.get('/console/domains/lindapence.com').expect(200);
    expect(own.text).not.toContain('Edit the record');
    const before = (await api('/api/domains/lindapence.com')).body;
    await agent.post('/console/domains/lindapence.com').type('form').send({ _csrf: csrf, notes: 'client was here' }).expect(403);
    expect((await api('/api/domains/lindapence.com')).body.notes).toBe(before.notes);
    await agent.get('/console/messages/00000000-0000-0000-0000-000000000000').expect(404);
    // Signing out is the one POST a client session may make.
    await agent.post('/console/logout').type('form').send({ _csrf: csrf }).expect(303);
  });

  it('lets an admin make a token (shown once) and revoke it; staff see the audit log but not tokens', async () => {
    const admin = await signIn(t, t.adminAuth.slice('Bearer '.length));
    const made = await admin.agent.post('/console/tokens').type('form').send({ _csrf: admin.csrf, role: 'staff', name: 'Mia <laptop>' }).expect(201);
    const secret = /id="new-token" readonly value="([^"]+)"/.exec(made.text)![1];
    expect(made.text).toContain('Mia &lt;laptop&gt;');
    const mia = await signIn(t, secret);
    await mia.agent.get('/console/audit').expect(200);
    await mia.agent.get('/console/tokens').expect(403);
    await mia.agent.post('/console/tokens').type('form').send({ _csrf: mia.csrf, role: 'admin' }).expect(403);
    const list = await admin.agent.get('/console/tokens').expect(200);
    expect(list.text).not.toContain(secret);
    const tokens = (await api('/api/tokens')).body as { id: string; name: string }[];
    const id = tokens.find((k) => k.name === 'Mia <laptop>')!.id;
    await admin.agent.post(`/console/tokens/${id}/revoke`).type('form').send({ _csrf: admin.csrf }).expect(303);
    await mia.agent.get('/console').expect(303);
    const audit = await admin.agent.get('/console/audit').expect(200);
    expect(audit.text).toContain('revoke');
    // A client's session has no audit log either.
    const client = await signIn(t, p.clientToken);
    await client.agent.get('/console/audit').expect(403);
  });

  it('adds a client with its first contact, edits it and adds a contact, through ClientsService and ContactsService', async () => {
    const { agent, csrf } = await signIn(t, p.staffToken);
    const made = await agent
      .post('/console/clients')
      .type('form')
      .send({ _csrf: csrf, name: 'Ada <Studio>', notes: '', contactName: 'Ada', contactEmail: 'ada@ada.test' })
      .expect(303);
    const id = /\/console\/clients\/([0-9a-f-]{36})\?saved=1/.exec(made.headers.location)![1];
    await agent.post(`/console/clients/${id}`).type('form').send({ _csrf: csrf, name: 'Ada Studio', notes: 'Pays yearly' }).expect(303);
    await agent.post(`/console/clients/${id}/contacts`).type('form').send({ _csrf: csrf, name: 'Books', email: 'books@ada.test' }).expect(303);
    const client = (await api(`/api/clients/${id}`).expect(200)).body;
    expect(client).toMatchObject({ name: 'Ada Studio', notes: 'Pays yearly' });
    expect(client.contacts.map((c: { email: string; receivesNotices: boolean }) => [c.email, c.receivesNotices])).toEqual([
      ['ada@ada.test', true],
      ['books@ada.test', false],
    ]);
    const bad = await agent.post(`/console/clients/${id}/contacts`).type('form').send({ _csrf: csrf, name: 'X', email: 'not-an-address' }).expect(400);
    expect(bad.text).toContain('role="alert"');
    const dup = await agent.post('/console/clients').type('form').send({ _csrf: csrf, name: '', contactName: 'A', contactEmail: 'a@a.test' }).expect(400);
    expect(dup.text).toContain('role="alert"');
    const audit = (await api(`/api/audit?entityType=client&entityId=${id}`)).body.items.map((e: { action: string }) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['create', 'update']));
  });

  it("sends a client's welcome letter through WelcomeService", async () => {
    const { agent, csrf } = await signIn(t, p.staffToken);
    await agent
      .post(`/console/clients/${p.omar.id}/welcome`)
      .type('form')
      .send({ _csrf: csrf })
      .expect(303)
      .expect('Location', `/console/clients/${p.omar.id}?queued=1&skipped=0`);
    const again = await agent.post(`/console/clients/${p.omar.id}/welcome`).type('form').send({ _csrf: csrf }).expect(303);
    expect(again.headers.location).toContain('queued=0&skipped=1');
  });

  it('ends a session after 30 minutes without a request', async () => {
    const { agent } = await signIn(t, p.staffToken);
    const db = t.app.get(DataSource);
    const before = (await db.query(`SELECT count(*)::int AS n FROM console_session`))[0].n;
    await db.query(
      `UPDATE console_session SET "lastSeenAt" = now() - interval '31 minutes' WHERE "createdAt" = (SELECT max("createdAt") FROM console_session)`,
    );
    await agent.get('/console').expect(303).expect('Location', '/console/login');
    expect((await db.query(`SELECT count(*)::int AS n FROM console_session`))[0].n).toBe(before - 1);
  });

  it('answers an unknown console address with a page (404), and sends the signed-out to sign in', async () => {
    const { agent } = await signIn(t, p.staffToken);
    const res = await agent
      .get('/console/no-such-page')
      .expect(404)
      .expect('Content-Type', /text\/html/);
    expect(res.text).toContain('Not found');
    await t.http().get('/console/no-such-page').expect(303);
  });

  it('ends the session on sign-out and when its token is revoked', async () => {
    const { agent, csrf } = await signIn(t, p.staffToken);
    await agent.post('/console/logout').type('form').send({ _csrf: csrf }).expect(303).expect('Location', '/console/login');
    await agent.get('/console').expect(303).expect('Location', '/console/login');

    const made = await t.http().post('/api/tokens').set('Authorization', t.adminAuth).send({ role: 'staff', name: 'short-lived' }).expect(201);
    const second = await signIn(t, made.body.token);
    await t.http().delete(`/api/tokens/${made.body.id}`).set('Authorization', t.adminAuth).expect(204);
    await second.agent.get('/console').expect(303);
  });
});
