// The domains REST API end to end: name rules, IDNs, fields, filters, client scoping, audit.
import { DataSource } from 'typeorm';
import type { Actor } from '../src/auth/actor';
import { DomainsService } from '../src/domains/domains.service';
import { startTestApp, type TestApp } from './support/test-app';

describe('domains API', () => {
  let t: TestApp;
  let db: DataSource;
  let linda: string; // client ids
  let buch: string;
  let lindaToken: string; // a client token bound to Linda
  let staffToken: string;

  const admin = () => ({ Authorization: t.adminAuth });
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  async function addClient(name: string): Promise<string> {
    const rows: { id: string }[] = await db.query('INSERT INTO client (name) VALUES ($1) RETURNING id', [name]);
    return rows[0].id;
  }

  async function token(role: 'staff' | 'client', clientId?: string): Promise<string> {
    const res = await t
      .http()
      .post('/api/tokens')
      .set(admin())
      .send({ role, clientId, name: `${role} test token` })
      .expect(201);
    return res.body.token as string;
  }

  function createDomain(body: Record<string, unknown>) {
    return t.http().post('/api/domains').set(admin()).send(body);
  }

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    linda = await addClient('Linda Pence Art');
    buch = await addClient('Bücherstube Müller');
    lindaToken = await token('client', linda);
    staffToken = await token('staff');
  });
  afterAll(() => t.close());

  describe('create and read', () => {
    it('creates a domain with every field and reads it back the same', async () => {
      const res = await createDomain({
        name: 'LindaPence.com.',
        clientId: linda,
        registrar: 'Gandi',
        registeredAt: '2019-03-01',
        expiresAt: '2027-03-01T12:00:00Z',
        lastTransferredAt: '2024-06-15T10:00:00+02:00',
        registrantChangedAt: '2025-09-01',
        statuses: ['CLIENTTRANSFERPROHIBITED', 'clientdeleteprohibited', 'clientTransferProhibited'],
        nameservers: ['NS1.Example.NET.', 'ns2.example.net'],
        autoRenew: true,
        state: 'active',
        notes: 'Renewed by the host every March.',
      }).expect(201);
      const expected = {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'lindapence.com',
        unicodeName: 'lindapence.com',
        noticeAddress: 'lindapence.com@notify.artsites.test',
        guidanceUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:3000\/guide\/domain\/[0-9a-f]{36}$/),
        clientId: linda,
        registrar: 'Gandi',
        registrarId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        registeredAt: '2019-03-01T00:00:00.000Z',
        expiresAt: '2027-03-01T12:00:00.000Z',
        lastTransferredAt: '2024-06-15T08:00:00.000Z',
        registrantChangedAt: '2025-09-01T00:00:00.000Z',
        statuses: ['clientTransferProhibited', 'clientDeleteProhibited'],
        nameservers: ['ns1.example.net', 'ns2.example.net'],
        autoRenew: true,
        registrantChangeOptOut: false,
        state: 'active',
        notes: 'Renewed by the host every March.',
        lastNoticeAt: null,
        // What the registry said at the last RDAP check: none yet (src/watch).
        registry: null,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      };
      expect(res.body).toEqual(expected);
      const read = await t.http().get('/api/domains/lindapence.com').set(admin()).expect(200);
      expect(read.body).toEqual({ ...expected, id: res.body.id, registrarId: res.body.registrarId });
    });

    it('fills what was not given with empty values', async () => {
      const res = await createDomain({ name: 'pence-gallery.co.uk', clientId: linda }).expect(201);
      expect(res.body).toMatchObject({
        name: 'pence-gallery.co.uk',
        registrar: null,
        registrarId: null,
        registeredAt: null,
        expiresAt: null,
        lastTransferredAt: null,
        registrantChangedAt: null,
        statuses: [],
        nameservers: [],
        autoRenew: null,
        state: 'active',
        notes: null,
        lastNoticeAt: null,
      });
    });

    it('finds a registrar by name in any case, or by id, instead of creating another', async () => {
      const first = await t.http().get('/api/domains/lindapence.com').set(admin()).expect(200);
      const byName = await createDomain({ name: 'lindapence.net', clientId: linda, registrar: 'GANDI' }).expect(201);
      const byId = await createDomain({ name: 'lindapence.org', clientId: linda, registrar: first.body.registrarId }).expect(201);
      expect(byName.body).toMatchObject({ registrar: 'Gandi', registrarId: first.body.registrarId });
      expect(byId.body).toMatchObject({ registrar: 'Gandi', registrarId: first.body.registrarId });
      const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM registrar WHERE lower(name) = 'gandi'`);
      expect(count).toBe(1);
    });

    it('takes IDNs in Unicode and answers both forms; any form finds the domain', async () => {
      const res = await createDomain({ name: 'Bücher.de', clientId: buch, expiresAt: '2026-11-30' }).expect(201);
      expect(res.body).toMatchObject({
        name: 'xn--bcher-kva.de',
        unicodeName: 'bücher.de',
        noticeAddress: 'xn--bcher-kva.de@notify.artsites.test',
      });
      for (const path of ['/api/domains/xn--bcher-kva.de', '/api/domains/b%C3%BCcher.de', '/api/domains/B%C3%9CCHER.DE', '/api/domains/XN--BCHER-KVA.DE.']) {
        const read = await t.http().get(path).set(admin()).expect(200);
        expect(read.body).toMatchObject({ id: res.body.id, name: 'xn--bcher-kva.de', unicodeName: 'bücher.de' });
      }
    });

    it('refuses a second domain of the same name, in either form (409)', async () => {
      const again = await createDomain({ name: 'LINDAPENCE.COM', clientId: buch }).expect(409);
      expect(again.body).toEqual({ statusCode: 409, message: expect.stringContaining('lindapence.com') });
      await createDomain({ name: 'xn--bcher-kva.de', clientId: buch }).expect(409);
      await createDomain({ name: 'bücher.de.', clientId: linda }).expect(409);
    });

    it('answers 404 for a domain nobody tracks', async () => {
      for (const name of ['unknown-domain.com', 'www.lindapence.com', 'not a name']) {
        const res = await t
          .http()
          .get(`/api/domains/${encodeURIComponent(name)}`)
          .set(admin())
          .expect(404);
        expect(res.body).toEqual({ statusCode: 404, message: expect.any(String) });
      }
      await t.http().patch('/api/domains/unknown-domain.com').set(admin()).send({ notes: 'x' }).expect(404);
      await t.http().delete('/api/domains/unknown-domain.com').set(admin()).expect(404);
    });
  });

  describe('name rules', () => {
    it.each([
      ['foo', /no top-level domain/],
      ['192.0.2.1', /IP address/],
      ['-x.com', /invalid label/],
      ['a..com', /empty label/],
      ['co.uk', /public suffix/],
      ['example.invalid', /known public suffix/],
      ['user@lindapence.com', /not a valid domain name/],
      ['', /must not be empty/],
    ])('refuses %j with 400 naming the field', async (name, reason) => {
      const res = await createDomain({ name, clientId: linda }).expect(400);
      expect(res.body.message).toMatch(/^name: /);
      expect(res.body.errors[0]).toEqual({ field: 'name', message: expect.stringMatching(reason) });
    });

    it('refuses a host name and suggests the registrable name', async () => {
      const res = await createDomain({ name: 'www.lindapence.com', clientId: linda }).expect(400);
      expect(res.body.errors[0].field).toBe('name');
      expect(res.body.message).toContain("register and track the registrable name 'lindapence.com'");
    });

    it('refuses a name that is not a string', async () => {
      const res = await createDomain({ name: 42, clientId: linda }).expect(400);
      expect(res.body.errors[0].field).toBe('name');
    });

    it('reports a bad name together with other bad fields', async () => {
      const res = await createDomain({ name: 'foo', clientId: linda, expiresAt: 'soon', statuses: ['locked'] }).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['name', 'expiresAt', 'statuses.0']);
    });
  });

  describe('field rules', () => {
    it.each([
      [{ registeredAt: '2026-02-30' }, 'registeredAt', /is not a date/],
      [{ expiresAt: '01.03.2027' }, 'expiresAt', /is not a date/],
      [{ lastTransferredAt: 'yesterday' }, 'lastTransferredAt', /is not a date/],
      [{ registrantChangedAt: 20250901 }, 'registrantChangedAt', /ISO 8601/],
      [{ registeredAt: '2027-03-01', expiresAt: '2026-03-01' }, 'expiresAt', /must be after registeredAt/],
      [{ statuses: ['ok', 'locked'] }, 'statuses.1', /not an EPP status code/],
      [{ statuses: 'ok' }, 'statuses', /array/],
      [{ nameservers: ['ns1.example.net', '192.0.2.53'] }, 'nameservers.1', /not a host name/],
      [{ clientId: 'linda' }, 'clientId', /UUID/],
      [{ clientId: '00000000-0000-4000-8000-000000000000' }, 'clientId', /no client with id/],
      [{ state: 'parked' }, 'state', /must be one of active, transfer_pending/],
      [{ autoRenew: 'yes' }, 'autoRenew', /boolean/],
      [{ registrar: '   ' }, 'registrar', /must name a registrar/],
      [{ owner: 'Linda' }, 'owner', /should not exist/],
    ])('%j → 400 on %s', async (fields, field, message) => {
      const res = await createDomain({ name: 'field-rules.com', clientId: linda, ...fields }).expect(400);
      expect(res.body.errors).toContainEqual({ field, message: expect.stringMatching(message) });
      expect(res.body.message).toContain(field);
    });

    it('wrote nothing for any refused request', async () => {
      await t.http().get('/api/domains/field-rules.com').set(admin()).expect(404);
    });
  });

  describe('change and delete', () => {
    it('changes fields, moves the domain to another client, and clears fields with null', async () => {
      await createDomain({ name: 'moving-studio.com', clientId: linda, registrar: 'Gandi', notes: 'old', expiresAt: '2026-08-01', autoRenew: true }).expect(
        201,
      );
      const res = await t
        .http()
        .patch('/api/domains/moving-studio.com')
        .set(admin())
        .send({
          clientId: buch,
          registrar: null,
          notes: null,
          expiresAt: '2027-08-01',
          statuses: ['pendingtransfer'],
          state: 'transfer_pending',
          autoRenew: false,
        })
        .expect(200);
      expect(res.body).toMatchObject({
        name: 'moving-studio.com',
        clientId: buch,
        registrar: null,
        registrarId: null,
        notes: null,
        expiresAt: '2027-08-01T00:00:00.000Z',
        statuses: ['pendingTransfer'],
        state: 'transfer_pending',
        autoRenew: false,
      });
      const read = await t.http().get('/api/domains/moving-studio.com').set(admin()).expect(200);
      expect(read.body).toEqual(res.body);
    });

    it('leaves absent fields alone', async () => {
      const before = await t.http().get('/api/domains/lindapence.com').set(admin()).expect(200);
      const res = await t.http().patch('/api/domains/lindapence.com').set(admin()).send({ notes: 'Client asked about a transfer' }).expect(200);
      expect(res.body).toEqual({ ...before.body, notes: 'Client asked about a transfer', updatedAt: expect.any(String) });
    });

    it('checks expiresAt against the stored registeredAt', async () => {
      const res = await t.http().patch('/api/domains/lindapence.com').set(admin()).send({ expiresAt: '2018-01-01' }).expect(400);
      expect(res.body.errors[0]).toEqual({ field: 'expiresAt', message: expect.stringMatching(/must be after registeredAt/) });
    });

    it.each([
      [{ name: 'other.com' }, 'name'],
      [{ clientId: null }, 'clientId'],
      [{ clientId: '00000000-0000-4000-8000-000000000000' }, 'clientId'],
      [{ state: null }, 'state'],
      [{ statuses: ['frozen'] }, 'statuses.0'],
    ])('refuses %j (400 on %s)', async (body, field) => {
      const res = await t.http().patch('/api/domains/lindapence.com').set(admin()).send(body).expect(400);
      expect(res.body.errors[0].field).toBe(field);
    });

    it('changes and deletes by the Unicode name', async () => {
      await createDomain({ name: 'straße-kunst.de', clientId: buch }).expect(201);
      const patched = await t
        .http()
        .patch(`/api/domains/${encodeURIComponent('straße-kunst.de')}`)
        .set(admin())
        .send({ autoRenew: true })
        .expect(200);
      expect(patched.body).toMatchObject({ name: 'xn--strae-kunst-y6a.de', unicodeName: 'straße-kunst.de', autoRenew: true });
      const res = await t
        .http()
        .delete(`/api/domains/${encodeURIComponent('straße-kunst.de')}`)
        .set(admin())
        .expect(204);
      expect(res.text).toBe('');
      await t.http().get('/api/domains/xn--strae-kunst-y6a.de').set(admin()).expect(404);
    });
  });

  describe('list', () => {
    beforeAll(async () => {
      await createDomain({ name: 'alpha-art.com', clientId: buch, registrar: 'INWX', expiresAt: '2026-04-01' }).expect(201);
      await createDomain({ name: 'zeta-art.com', clientId: buch, registrar: 'inwx', expiresAt: '2026-09-01' }).expect(201);
      await db.query(`UPDATE domain SET "lastNoticeAt" = now() WHERE name IN ('alpha-art.com', 'lindapence.com')`);
    });

    const names = (body: { items: { name: string }[] }) => body.items.map((d) => d.name);

    it('lists every domain sorted by name, paginated', async () => {
      const all = await t.http().get('/api/domains').set(admin()).expect(200);
      expect(all.body).toMatchObject({ page: 1, limit: 50 });
      const sorted = [...names(all.body)].sort();
      expect(names(all.body)).toEqual(sorted);
      expect(all.body.total).toBe(all.body.items.length);
      expect(all.body.total).toBeGreaterThanOrEqual(8);

      const second = await t.http().get('/api/domains?page=2&limit=3').set(admin()).expect(200);
      expect(second.body).toEqual({ items: expect.any(Array), total: all.body.total, page: 2, limit: 3 });
      expect(names(second.body)).toEqual(names(all.body).slice(3, 6));
      await t.http().get('/api/domains?limit=500').set(admin()).expect(400);
      await t.http().get('/api/domains?page=0').set(admin()).expect(400);
    });

    it('filters by client', async () => {
      const res = await t.http().get(`/api/domains?clientId=${buch}`).set(admin()).expect(200);
      expect(names(res.body)).toEqual(['alpha-art.com', 'moving-studio.com', 'xn--bcher-kva.de', 'zeta-art.com']);
      await t.http().get('/api/domains?clientId=buch').set(admin()).expect(400);
    });

    it('searches the ASCII and the Unicode name, any case', async () => {
      const ascii = await t.http().get('/api/domains?q=PENCE.').set(admin()).expect(200);
      expect(names(ascii.body)).toEqual(['lindapence.com', 'lindapence.net', 'lindapence.org']);
      const unicode = await t
        .http()
        .get(`/api/domains?q=${encodeURIComponent('BÜCH')}`)
        .set(admin())
        .expect(200);
      expect(names(unicode.body)).toEqual(['xn--bcher-kva.de']);
      const punycode = await t.http().get('/api/domains?q=xn--bcher').set(admin()).expect(200);
      expect(names(punycode.body)).toEqual(['xn--bcher-kva.de']);
      const literal = await t.http().get('/api/domains?q=%25').set(admin()).expect(200);
      expect(literal.body.total).toBe(0);
    });

    it('filters by expiry before a date', async () => {
      const res = await t.http().get('/api/domains?expiresBefore=2026-12-01').set(admin()).expect(200);
      expect(names(res.body)).toEqual(['alpha-art.com', 'xn--bcher-kva.de', 'zeta-art.com']);
      const bad = await t.http().get('/api/domains?expiresBefore=someday').set(admin()).expect(400);
      expect(bad.body.errors[0].field).toBe('expiresBefore');
    });

    it('filters by registrar name (any case) or id', async () => {
      const byName = await t.http().get('/api/domains?registrar=inwx').set(admin()).expect(200);
      expect(names(byName.body)).toEqual(['alpha-art.com', 'zeta-art.com']);
      const byId = await t.http().get(`/api/domains?registrar=${byName.body.items[0].registrarId}`).set(admin()).expect(200);
      expect(names(byId.body)).toEqual(['alpha-art.com', 'zeta-art.com']);
      const none = await t.http().get('/api/domains?registrar=Nobody').set(admin()).expect(200);
      expect(none.body.total).toBe(0);
    });

    it('filters by whether registrar mail has reached Aster', async () => {
      const seen = await t.http().get('/api/domains?noticeSeen=true').set(admin()).expect(200);
      expect(names(seen.body)).toEqual(['alpha-art.com', 'lindapence.com']);
      expect(seen.body.items.every((d: { lastNoticeAt: string | null }) => d.lastNoticeAt !== null)).toBe(true);
      const unseen = await t.http().get('/api/domains?noticeSeen=false').set(admin()).expect(200);
      expect(names(unseen.body)).not.toContain('alpha-art.com');
      expect(unseen.body.total + seen.body.total).toBe((await t.http().get('/api/domains').set(admin())).body.total);
      await t.http().get('/api/domains?noticeSeen=maybe').set(admin()).expect(400);
    });

    it('combines filters', async () => {
      const res = await t.http().get(`/api/domains?clientId=${buch}&registrar=INWX&noticeSeen=false`).set(admin()).expect(200);
      expect(names(res.body)).toEqual(['zeta-art.com']);
    });
  });

  describe('roles and client scoping', () => {
    it('lets a client token read its own domains only', async () => {
      const own = await t.http().get('/api/domains/lindapence.com').set(as(lindaToken)).expect(200);
      expect(own.body.clientId).toBe(linda);
      const other = await t.http().get('/api/domains/b%C3%BCcher.de').set(as(lindaToken)).expect(404);
      const missing = await t.http().get('/api/domains/no-such-domain.com').set(as(lindaToken)).expect(404);
      expect(other.body.message.replace('bücher.de', 'X')).toBe(missing.body.message.replace('no-such-domain.com', 'X'));
    });

    it("filters a client token's list to its own client", async () => {
      const list = await t.http().get('/api/domains').set(as(lindaToken)).expect(200);
      expect(list.body.total).toBeGreaterThan(0);
      expect(list.body.items.every((d: { clientId: string }) => d.clientId === linda)).toBe(true);
      const [{ count }] = await db.query('SELECT count(*)::int AS count FROM domain WHERE "clientId" = $1', [linda]);
      expect(list.body.total).toBe(count);
      const foreign = await t.http().get(`/api/domains?clientId=${buch}`).set(as(lindaToken)).expect(200);
      expect(foreign.body).toEqual({ items: [], total: 0, page: 1, limit: 50 });
    });

    it('refuses writes with a client token (403)', async () => {
      await t.http().post('/api/domains').set(as(lindaToken)).send({ name: 'sneaky.com', clientId: linda }).expect(403);
      await t.http().patch('/api/domains/lindapence.com').set(as(lindaToken)).send({ notes: 'x' }).expect(403);
      await t.http().delete('/api/domains/lindapence.com').set(as(lindaToken)).expect(403);
      await t.http().get('/api/domains/lindapence.com').set(admin()).expect(200);
    });

    it('lets a staff token write', async () => {
      const res = await t.http().post('/api/domains').set(as(staffToken)).send({ name: 'staff-made.com', clientId: linda }).expect(201);
      await t.http().patch('/api/domains/staff-made.com').set(as(staffToken)).send({ autoRenew: true }).expect(200);
      await t.http().delete(`/api/domains/${res.body.name}`).set(as(staffToken)).expect(204);
    });

    it('answers 401 without a token or with a wrong one', async () => {
      for (const [method, path] of [
        ['get', '/api/domains'],
        ['get', '/api/domains/lindapence.com'],
        ['post', '/api/domains'],
        ['delete', '/api/domains/lindapence.com'],
      ] as const) {
        const none = await t.http()[method](path).expect(401);
        expect(none.body).toEqual({ statusCode: 401, message: expect.any(String) });
        await t.http()[method](path).set('Authorization', 'Bearer aster_wrong').expect(401);
      }
    });
  });

  describe('audit', () => {
    it('records create, update and delete with before and after', async () => {
      const created = await createDomain({ name: 'audited-art.com', clientId: linda, notes: 'first' }).expect(201);
      await t.http().patch('/api/domains/audited-art.com').set(as(staffToken)).send({ notes: 'second' }).expect(200);
      await t.http().delete('/api/domains/audited-art.com').set(admin()).expect(204);
      const res = await t.http().get(`/api/audit?entityType=domain&entityId=${created.body.id}`).set(admin()).expect(200);
      const events = [...res.body.items].reverse();
      expect(events.map((e: { action: string }) => e.action)).toEqual(['create', 'update', 'delete']);
      expect(events[0]).toMatchObject({ actor: 'ADMIN_TOKEN (admin)', before: null, after: { name: 'audited-art.com', notes: 'first', clientId: linda } });
      expect(events[1]).toMatchObject({ actor: 'staff test token (staff)', before: { notes: 'first' }, after: { notes: 'second' } });
      expect(events[2]).toMatchObject({ before: { name: 'audited-art.com', notes: 'second' }, after: null });
    });

    it('records nothing for a refused change', async () => {
      const before = await t.http().get('/api/audit?entityType=domain').set(admin()).expect(200);
      await t.http().patch('/api/domains/lindapence.com').set(admin()).send({ expiresAt: '2018-01-01' }).expect(400);
      await createDomain({ name: 'lindapence.com', clientId: linda }).expect(409);
      const after = await t.http().get('/api/audit?entityType=domain').set(admin()).expect(200);
      expect(after.body.total).toBe(before.body.total);
    });
  });

  describe('DomainsService lookups for other modules', () => {
    const actor = (role: Actor['role'], clientId: string | null = null): Actor => ({ tokenId: null, role, clientId, label: 'test', requestId: null });

    it('findByAsciiNames returns the tracked domains among the names, in one call', async () => {
      const found = await t.app.get(DomainsService).findByAsciiNames(['lindapence.com', 'xn--bcher-kva.de', 'untracked.com', 'lindapence.com']);
      expect(found.map((d) => d.name).sort()).toEqual(['lindapence.com', 'xn--bcher-kva.de']);
      expect(await t.app.get(DomainsService).findByAsciiNames([])).toEqual([]);
    });

    it("findVisible takes either form and hides other clients' domains", async () => {
      const domains = t.app.get(DomainsService);
      expect((await domains.findVisible('Bücher.de', actor('staff'))).name).toBe('xn--bcher-kva.de');
      expect((await domains.findVisible('lindapence.com', actor('client', linda))).registrar?.name).toBe('Gandi');
      await expect(domains.findVisible('bücher.de', actor('client', linda))).rejects.toThrow('Domain bücher.de not found');
      await expect(domains.findVisible('lindapence.com', actor('client', null))).rejects.toThrow('not found');
    });
  });

  it('documents every domains endpoint in OpenAPI', async () => {
    const doc = await t.http().get('/docs/json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/api/domains', '/api/domains/{name}', '/api/domains/import', '/api/domains/export.csv']),
    );
    const create = doc.body.paths['/api/domains'].post;
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '409']));
    expect(Object.keys(doc.body.components.schemas.CreateDomainDto.properties)).toEqual(
      expect.arrayContaining(['name', 'clientId', 'registrar', 'registeredAt', 'expiresAt', 'statuses', 'nameservers', 'autoRenew', 'state', 'notes']),
    );
    expect(Object.keys(doc.body.paths['/api/domains/import'].post.requestBody.content)).toEqual(['text/csv']);
  });
});
