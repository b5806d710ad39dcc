// Registrars through the front door, plus the find-or-create the domains module calls.
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Actor } from '../src/auth/actor';
import { InvalidError } from '../src/common/errors';
import { RegistrarsService } from '../src/registrars/registrars.service';
import { tokenFor } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

interface RegistrarBody {
  id: string;
  name: string;
  ianaId: number | null;
  senderDomains: string[];
  notes: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Polls a condition until it holds (or fails the test after `ms`): waiting for a state, never a fixed sleep. */
async function until(condition: () => Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('registrars', () => {
  let t: TestApp;
  let staff: string;
  let db: DataSource;

  const token = (role: 'staff' | 'client', clientId?: string) => tokenFor(t, role, clientId);

  async function createRegistrar(body: object, auth = staff): Promise<RegistrarBody> {
    const res = await t.http().post('/api/registrars').set('Authorization', auth).send(body).expect(201);
    return res.body as RegistrarBody;
  }

  /** A client made through the API, and a domain of it inserted directly (the domains API is separate). */
  async function clientWithDomain(domain: string, registrarId: string | null): Promise<string> {
    const client = await t
      .http()
      .post('/api/clients')
      .set('Authorization', staff)
      .send({ name: `Owner of ${domain}`, contacts: [{ name: 'Owner', email: `owner@${domain}` }] })
      .expect(201);
    await db.query('INSERT INTO domain (name, "unicodeName", "clientId", "registrarId") VALUES ($1, $1, $2, $3)', [domain, client.body.id, registrarId]);
    return client.body.id as string;
  }

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    staff = await token('staff');
  });
  afterAll(() => t.close());

  describe('POST /api/registrars', () => {
    it('creates a registrar with normalised sender domains and reads it back', async () => {
      const created = await createRegistrar({
        name: '  Gandi SAS ',
        ianaId: 81,
        senderDomains: ['Gandi.NET', ' gandi.net. ', 'bücher.de'],
        notes: 'Auth code under Domain > Transfer',
      });
      expect(created).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'Gandi SAS',
        ianaId: 81,
        senderDomains: ['gandi.net', 'xn--bcher-kva.de'],
        notes: 'Auth code under Domain > Transfer',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const read = await t.http().get(`/api/registrars/${created.id}`).set('Authorization', staff).expect(200);
      expect(read.body).toEqual(created);
    });

    it('needs only a name', async () => {
      const created = await createRegistrar({ name: 'Tiny Registrar' });
      expect(created).toMatchObject({ name: 'Tiny Registrar', ianaId: null, senderDomains: [], notes: null });
    });

    it.each([
      ['a missing name', {}, 'name'],
      ['a blank name', { name: '  ' }, 'name'],
      ['a name over 200 characters', { name: 'r'.repeat(201) }, 'name'],
      ['an ianaId of 0', { name: 'Zero', ianaId: 0 }, 'ianaId'],
      ['a negative ianaId', { name: 'Minus', ianaId: -5 }, 'ianaId'],
      ['a fractional ianaId', { name: 'Half', ianaId: 1.5 }, 'ianaId'],
      ['an ianaId as text', { name: 'Text', ianaId: '81' }, 'ianaId'],
      ['senderDomains that is not a list', { name: 'Lone', senderDomains: 'gandi.net' }, 'senderDomains'],
      ['a sender domain that is not text', { name: 'Num', senderDomains: ['gandi.net', 7] }, 'senderDomains.1'],
      ['an unknown property', { name: 'Extra', website: 'https://example.com' }, 'website'],
      ['notes that are not text', { name: 'Notes', notes: ['a'] }, 'notes'],
    ])('refuses %s with 400 naming the field', async (_, body, field) => {
      const res = await t.http().post('/api/registrars').set('Authorization', staff).send(body).expect(400);
      expect(res.body).toEqual({ statusCode: 400, message: expect.any(String), errors: [{ field, message: expect.any(String) }] });
    });

    it('names every bad sender domain by its position, and why', async () => {
      const res = await t
        .http()
        .post('/api/registrars')
        .set('Authorization', staff)
        .send({ name: 'Bad Senders', senderDomains: ['gandi.net', 'not a domain', 'mail.gandi.net', 'com'] })
        .expect(400);
      expect(res.body.errors).toEqual([
        { field: 'senderDomains.1', message: expect.stringContaining('not a domain') },
        { field: 'senderDomains.2', message: expect.stringContaining("register and track the registrable name 'gandi.net'") },
        { field: 'senderDomains.3', message: expect.any(String) },
      ]);
    });

    it('refuses a name that exists in another case (409)', async () => {
      await createRegistrar({ name: 'Namecheap, Inc.' });
      const res = await t.http().post('/api/registrars').set('Authorization', staff).send({ name: 'NAMECHEAP, INC.' }).expect(409);
      expect(res.body).toEqual({ statusCode: 409, message: expect.stringContaining("A registrar named 'Namecheap, Inc.' already exists") });
    });

    it('refuses an IANA id another registrar has (409)', async () => {
      await createRegistrar({ name: 'GoDaddy.com, LLC', ianaId: 146 });
      const res = await t.http().post('/api/registrars').set('Authorization', staff).send({ name: 'GoDaddy', ianaId: 146 }).expect(409);
      expect(res.body.message).toContain("IANA Registrar ID 146 already belongs to registrar 'GoDaddy.com, LLC'");
    });
  });

  describe('GET /api/registrars', () => {
    beforeAll(async () => {
      await createRegistrar({ name: 'Alpha Names', senderDomains: ['alphanames.com'] });
      await createRegistrar({ name: 'Beta Domains', senderDomains: ['beta-mail.com'] });
      await createRegistrar({ name: 'Gamma Registry Services' });
    });

    it('pages through registrars by name', async () => {
      const all = await t.http().get('/api/registrars').query({ limit: 200 }).set('Authorization', staff).expect(200);
      expect(all.body).toMatchObject({ page: 1, limit: 200, total: all.body.items.length });
      expect(all.body.total).toBeGreaterThanOrEqual(3);
      const names: string[] = all.body.items.map((r: RegistrarBody) => r.name);
      expect(names).toEqual([...names].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)));

      const second = await t.http().get('/api/registrars').query({ page: 2, limit: 2 }).set('Authorization', staff).expect(200);
      expect(second.body).toMatchObject({ total: all.body.total, page: 2, limit: 2 });
      expect(second.body.items.map((r: RegistrarBody) => r.id)).toEqual(all.body.items.slice(2, 4).map((r: RegistrarBody) => r.id));
      const beyond = await t.http().get('/api/registrars').query({ page: 1000 }).set('Authorization', staff).expect(200);
      expect(beyond.body).toMatchObject({ items: [], total: all.body.total, page: 1000 });
    });

    it.each([
      [{ limit: 201 }, 'limit'],
      [{ page: -1 }, 'page'],
      [{ q: ['a', 'b'] }, 'q'],
    ])('refuses %j with 400', async (query, field) => {
      const res = await t.http().get('/api/registrars').query(query).set('Authorization', staff).expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field })]);
    });

    it('filters by a part of the name or of a sender domain, ignoring case', async () => {
      const byName = await t.http().get('/api/registrars').query({ q: 'GAMMA' }).set('Authorization', staff).expect(200);
      expect(byName.body.items.map((r: RegistrarBody) => r.name)).toEqual(['Gamma Registry Services']);
      const bySender = await t.http().get('/api/registrars').query({ q: 'beta-MAIL' }).set('Authorization', staff).expect(200);
      expect(bySender.body).toMatchObject({ total: 1, items: [{ name: 'Beta Domains', senderDomains: ['beta-mail.com'] }] });
      const none = await t.http().get('/api/registrars').query({ q: 'zzz' }).set('Authorization', staff).expect(200);
      expect(none.body).toEqual({ items: [], total: 0, page: 1, limit: 50 });
    });
  });

  describe('GET /api/registrars/:id', () => {
    it.each([randomUUID(), 'gandi', '42'])('answers 404 for the unknown id %s', async (id) => {
      const res = await t.http().get(`/api/registrars/${id}`).set('Authorization', staff).expect(404);
      expect(res.body).toEqual({ statusCode: 404, message: `Registrar ${id} not found` });
    });
  });

  describe('PATCH /api/registrars/:id', () => {
    it('changes fields, clears ianaId and notes, and replaces the sender domains', async () => {
      const r = await createRegistrar({ name: 'Delta Reg', ianaId: 9001, senderDomains: ['delta-reg.com'], notes: 'old' });
      const changed = await t
        .http()
        .patch(`/api/registrars/${r.id}`)
        .set('Authorization', staff)
        .send({ name: 'Delta Registrar', senderDomains: ['DELTA-mail.com', 'delta.co.uk'], notes: 'new' })
        .expect(200);
      expect(changed.body).toMatchObject({ id: r.id, name: 'Delta Registrar', ianaId: 9001, senderDomains: ['delta-mail.com', 'delta.co.uk'], notes: 'new' });
      const cleared = await t
        .http()
        .patch(`/api/registrars/${r.id}`)
        .set('Authorization', staff)
        .send({ ianaId: null, notes: '', senderDomains: [] })
        .expect(200);
      expect(cleared.body).toMatchObject({ ianaId: null, notes: null, senderDomains: [] });
      const read = await t.http().get(`/api/registrars/${r.id}`).set('Authorization', staff).expect(200);
      expect(read.body).toEqual(cleared.body);
    });

    it("lets a registrar change the case of its own name, but not take another's (409)", async () => {
      const epsilon = await createRegistrar({ name: 'Epsilon' });
      await createRegistrar({ name: 'Zeta', ianaId: 777 });
      const recased = await t.http().patch(`/api/registrars/${epsilon.id}`).set('Authorization', staff).send({ name: 'EPSILON' }).expect(200);
      expect(recased.body.name).toBe('EPSILON');
      const taken = await t.http().patch(`/api/registrars/${epsilon.id}`).set('Authorization', staff).send({ name: 'zeta' }).expect(409);
      expect(taken.body.message).toContain("'Zeta' already exists");
      await t.http().patch(`/api/registrars/${epsilon.id}`).set('Authorization', staff).send({ ianaId: 777 }).expect(409);
    });

    it.each([
      [{ name: null }, 'name'],
      [{ senderDomains: null }, 'senderDomains'],
      [{ ianaId: 'x' }, 'ianaId'],
      [{ senderDomains: ['ok.com', '..'] }, 'senderDomains.1'],
      [{ id: randomUUID() }, 'id'],
    ])('refuses %j with 400', async (body, field) => {
      const r = await createRegistrar({ name: `Eta ${randomUUID()}` });
      const res = await t.http().patch(`/api/registrars/${r.id}`).set('Authorization', staff).send(body).expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field })]);
    });

    it.each([randomUUID(), 'nope'])('answers 404 for the unknown id %s', async (id) => {
      await t.http().patch(`/api/registrars/${id}`).set('Authorization', staff).send({ name: 'X' }).expect(404);
    });
  });

  describe('DELETE /api/registrars/:id', () => {
    it('deletes a registrar; its domains stay, without a registrar', async () => {
      const r = await createRegistrar({ name: 'Theta Names' });
      await clientWithDomain('theta-customer.com', r.id);
      await t.http().delete(`/api/registrars/${r.id}`).set('Authorization', staff).expect(204);
      await t.http().get(`/api/registrars/${r.id}`).set('Authorization', staff).expect(404);
      const rows: { registrarId: string | null }[] = await db.query('SELECT "registrarId" FROM domain WHERE name = $1', ['theta-customer.com']);
      expect(rows).toEqual([{ registrarId: null }]);
      await t.http().delete(`/api/registrars/${r.id}`).set('Authorization', staff).expect(404);
    });

    it.each([randomUUID(), 'nope'])('answers 404 for the unknown id %s', async (id) => {
      await t.http().delete(`/api/registrars/${id}`).set('Authorization', staff).expect(404);
    });
  });

  describe('audit', () => {
    it('records creating, changing and deleting a registrar, with before and after', async () => {
      const r = await createRegistrar({ name: 'Iota Domains', ianaId: 4242 });
      await t.http().patch(`/api/registrars/${r.id}`).set('Authorization', staff).send({ ianaId: 4343 }).expect(200);
      await t.http().patch(`/api/registrars/${r.id}`).set('Authorization', staff).send({ ianaId: 4343 }).expect(200);
      await clientWithDomain('iota-customer.com', r.id);
      await t.http().delete(`/api/registrars/${r.id}`).set('Authorization', staff).expect(204);

      const res = await t.http().get('/api/audit').query({ entityType: 'registrar', entityId: r.id }).set('Authorization', t.adminAuth).expect(200);
      expect(res.body.items).toEqual([
        expect.objectContaining({
          action: 'delete',
          actor: 'staff test token (staff)',
          before: expect.objectContaining({ name: 'Iota Domains', ianaId: 4343, domains: ['iota-customer.com'] }),
          after: null,
        }),
        expect.objectContaining({ action: 'update', before: expect.objectContaining({ ianaId: 4242 }), after: expect.objectContaining({ ianaId: 4343 }) }),
        expect.objectContaining({ action: 'create', before: null, after: expect.objectContaining({ name: 'Iota Domains', ianaId: 4242 }) }),
      ]);
    });
  });

  describe('who may do what', () => {
    let r: RegistrarBody;
    let clientAuth: string;

    beforeAll(async () => {
      r = await createRegistrar({ name: 'Kappa Registrar', notes: 'Unlock, then ask support for the code' });
      const client = await t
        .http()
        .post('/api/clients')
        .set('Authorization', staff)
        .send({ name: 'Kappa Customer', contacts: [{ name: 'Kit', email: 'kit@kappa-customer.test' }] })
        .expect(201);
      clientAuth = await token('client', client.body.id);
    });

    it('needs a token (401), and a known one', async () => {
      await t.http().get('/api/registrars').expect(401);
      await t.http().post('/api/registrars').send({ name: 'X' }).expect(401);
      const res = await t.http().get(`/api/registrars/${r.id}`).set('Authorization', 'Bearer aster_wrong').expect(401);
      expect(res.body).toEqual({ statusCode: 401, message: expect.any(String) });
    });

    it('lets a client token read registrars (they are not client data)', async () => {
      const list = await t.http().get('/api/registrars').query({ q: 'kappa' }).set('Authorization', clientAuth).expect(200);
      expect(list.body.items).toEqual([expect.objectContaining({ id: r.id, notes: 'Unlock, then ask support for the code' })]);
      await t.http().get(`/api/registrars/${r.id}`).set('Authorization', clientAuth).expect(200);
    });

    it('refuses changes from a client token (403)', async () => {
      await t.http().post('/api/registrars').set('Authorization', clientAuth).send({ name: 'Mine' }).expect(403);
      await t.http().patch(`/api/registrars/${r.id}`).set('Authorization', clientAuth).send({ notes: 'hacked' }).expect(403);
      const res = await t.http().delete(`/api/registrars/${r.id}`).set('Authorization', clientAuth).expect(403);
      expect(res.body).toEqual({ statusCode: 403, message: expect.any(String) });
      const read = await t.http().get(`/api/registrars/${r.id}`).set('Authorization', staff).expect(200);
      expect(read.body.notes).toBe('Unlock, then ask support for the code');
    });

    it('lets admin and staff tokens write', async () => {
      const byAdmin = await createRegistrar({ name: 'Lambda Registrar' }, t.adminAuth);
      await t.http().patch(`/api/registrars/${byAdmin.id}`).set('Authorization', staff).send({ ianaId: 5150 }).expect(200);
      await t.http().delete(`/api/registrars/${byAdmin.id}`).set('Authorization', t.adminAuth).expect(204);
    });
  });

  describe('findOrCreateByName (for the domains module)', () => {
    const actor: Actor = { tokenId: null, role: 'staff', clientId: null, label: 'domain import (staff)', requestId: null };
    let service: RegistrarsService;
    beforeAll(() => {
      service = t.app.get(RegistrarsService);
    });

    it('finds an existing registrar by name regardless of case, or by id', async () => {
      const mu = await createRegistrar({ name: 'Mu Registrar' });
      const byName = await db.transaction((m) => service.findOrCreateByName(m, '  mu REGISTRAR ', actor));
      expect(byName).toMatchObject({ id: mu.id, name: 'Mu Registrar' });
      const byId = await db.transaction((m) => service.findOrCreateByName(m, mu.id.toUpperCase(), actor));
      expect(byId.id).toBe(mu.id);
      await expect(service.findById(mu.id)).resolves.toMatchObject({ name: 'Mu Registrar' });
    });

    it("creates a new registrar, audited, inside the caller's transaction", async () => {
      const created = await db.transaction((m) => service.findOrCreateByName(m, ' Nu Names ', actor));
      expect(created).toMatchObject({ name: 'Nu Names', ianaId: null, senderDomains: [] });
      const read = await t.http().get(`/api/registrars/${created.id}`).set('Authorization', staff).expect(200);
      expect(read.body.name).toBe('Nu Names');
      const audit = await t.http().get('/api/audit').query({ entityType: 'registrar', entityId: created.id }).set('Authorization', t.adminAuth).expect(200);
      expect(audit.body.items).toEqual([
        expect.objectContaining({ action: 'create', actor: 'domain import (staff)', after: expect.objectContaining({ name: 'Nu Names' }) }),
      ]);

      // Rolled back with the caller's transaction: neither the registrar nor its audit event remain.
      await expect(
        db.transaction(async (m) => {
          await service.findOrCreateByName(m, 'Xi Rolled Back', actor);
          throw new Error('the caller fails later');
        }),
      ).rejects.toThrow('the caller fails later');
      const gone = await t.http().get('/api/registrars').query({ q: 'Xi Rolled' }).set('Authorization', staff).expect(200);
      expect(gone.body.total).toBe(0);
    });

    it('gives a caller that races another creating the same new name that same row', async () => {
      // A creates the registrar and holds its transaction open; B looks it up (not yet visible),
      // tries to insert, and must wait for A. Once A commits, B gets A's row instead of a 409.
      let releaseA!: () => void;
      const aMayCommit = new Promise<void>((resolve) => (releaseA = resolve));
      let aInserted!: () => void;
      const aHasInserted = new Promise<void>((resolve) => (aInserted = resolve));
      const a = db.transaction(async (m) => {
        const registrar = await service.findOrCreateByName(m, 'Omicron Domains', actor);
        aInserted();
        await aMayCommit;
        return registrar;
      });
      await aHasInserted;
      const b = db.transaction((m) => service.findOrCreateByName(m, 'OMICRON DOMAINS', actor));
      await until(async () => {
        const [row] = await db.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
        return row.n > 0;
      });
      releaseA();
      const [fromA, fromB] = await Promise.all([a, b]);
      expect(fromB.id).toBe(fromA.id);
      const list = await t.http().get('/api/registrars').query({ q: 'omicron' }).set('Authorization', staff).expect(200);
      expect(list.body.total).toBe(1);
      const audit = await t.http().get('/api/audit').query({ entityType: 'registrar', entityId: fromA.id }).set('Authorization', t.adminAuth).expect(200);
      expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['create']);
    });

    it.each([
      ['an empty name', '   '],
      ['an over-long name', 'p'.repeat(201)],
      ['the id of no registrar', randomUUID()],
    ])('refuses %s as an invalid `registrar` field', async (_, name) => {
      const error = await db.transaction((m) => service.findOrCreateByName(m, name, actor)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidError);
      expect((error as InvalidError).errors).toEqual([{ field: 'registrar', message: expect.any(String) }]);
    });

    it('finds by id, or throws NotFound for unknown and malformed ids', async () => {
      await expect(service.findById(randomUUID())).rejects.toThrow(/not found/);
      await expect(service.findById('not-a-uuid')).rejects.toThrow(/not found/);
    });
  });
});
