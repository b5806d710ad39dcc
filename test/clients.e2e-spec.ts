// Clients and contacts through the front door: every endpoint, its errors, its audit trail and who may use it.
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Actor } from '../src/auth/actor';
import { ClientsService } from '../src/clients/clients.service';
import { NotFoundError } from '../src/common/errors';
import { tokenFor } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

interface ContactBody {
  id: string;
  name: string;
  email: string;
  receivesNotices: boolean;
  clientId?: string;
}
interface ClientBody {
  id: string;
  name: string;
  notes: string | null;
  contacts: ContactBody[];
  createdAt: string;
  updatedAt: string;
}

describe('clients and contacts', () => {
  let t: TestApp;
  let staff: string;
  let db: DataSource;

  const token = (role: 'staff' | 'client', clientId?: string) => tokenFor(t, role, clientId);

  async function createClient(body: object, auth = staff): Promise<ClientBody> {
    const res = await t.http().post('/api/clients').set('Authorization', auth).send(body).expect(201);
    return res.body as ClientBody;
  }

  /** Domains come from the domains module; here they are inserted directly so clients can own some. */
  async function addDomain(clientId: string, name: string): Promise<void> {
    await db.query('INSERT INTO domain (name, "unicodeName", "clientId") VALUES ($1, $1, $2)', [name, clientId]);
  }

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    staff = await token('staff');
  });
  afterAll(() => t.close());

  describe('POST /api/clients', () => {
    it('creates a client with its contacts, trimmed, and reads it back', async () => {
      const created = await createClient({
        name: '  Linda Pence Art ',
        notes: 'Pays yearly',
        contacts: [
          { name: ' Linda Pence ', email: ' Linda@LindaPence.com ' },
          { name: 'Studio office', email: 'office@lindapence.com', receivesNotices: false },
        ],
      });
      expect(created).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'Linda Pence Art',
        notes: 'Pays yearly',
        contacts: [
          { id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: 'Linda Pence', email: 'Linda@LindaPence.com', receivesNotices: true },
          { id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: 'Studio office', email: 'office@lindapence.com', receivesNotices: false },
        ],
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const read = await t.http().get(`/api/clients/${created.id}`).set('Authorization', staff).expect(200);
      expect(read.body).toEqual({ ...created, contacts: expect.arrayContaining(created.contacts), domains: [] });
      expect(read.body.contacts).toHaveLength(2);
    });

    it('stores notes as null when left out or blank', async () => {
      const a = await createClient({ name: 'No Notes Ltd', contacts: [{ name: 'Ann', email: 'ann@nonotes.test' }] });
      const b = await createClient({ name: 'Blank Notes Ltd', notes: '   ', contacts: [{ name: 'Bob', email: 'bob@blanknotes.test' }] });
      expect(a.notes).toBeNull();
      expect(b.notes).toBeNull();
    });

    it.each([
      ['a missing name', { contacts: [{ name: 'Ann', email: 'ann@x.test' }] }, 'name'],
      ['a blank name', { name: '   ', contacts: [{ name: 'Ann', email: 'ann@x.test' }] }, 'name'],
      ['a name over 200 characters', { name: 'x'.repeat(201), contacts: [{ name: 'Ann', email: 'ann@x.test' }] }, 'name'],
      ['no contacts', { name: 'Nobody Ltd', contacts: [] }, 'contacts'],
      ['contacts left out', { name: 'Nobody Ltd' }, 'contacts'],
      ['a bad e-mail address', { name: 'Bad Mail Ltd', contacts: [{ name: 'Ann', email: 'ann at x.test' }] }, 'contacts.0.email'],
      ['a contact without a name', { name: 'Nameless Ltd', contacts: [{ email: 'ann@x.test' }] }, 'contacts.0.name'],
      [
        'a non-boolean receivesNotices',
        { name: 'Flag Ltd', contacts: [{ name: 'Ann', email: 'ann@x.test', receivesNotices: 'yes' }] },
        'contacts.0.receivesNotices',
      ],
      ['an unknown property', { name: 'Extra Ltd', colour: 'blue', contacts: [{ name: 'Ann', email: 'ann@x.test' }] }, 'colour'],
      ['an unknown contact property', { name: 'Extra Ltd', contacts: [{ name: 'Ann', email: 'ann@x.test', phone: '1' }] }, 'contacts.0.phone'],
    ])('refuses %s with 400 naming the field', async (_, body, field) => {
      const res = await t.http().post('/api/clients').set('Authorization', staff).send(body).expect(400);
      expect(res.body).toEqual({ statusCode: 400, message: expect.any(String), errors: expect.arrayContaining([{ field, message: expect.any(String) }]) });
    });

    it('says why a client needs at least one contact', async () => {
      const res = await t.http().post('/api/clients').set('Authorization', staff).send({ name: 'Nobody Ltd', contacts: [] }).expect(400);
      expect(res.body.errors).toEqual([{ field: 'contacts', message: expect.stringMatching(/at least one.*registrars/) }]);
    });

    it('refuses the same address twice in one client (409), whatever its case', async () => {
      const res = await t
        .http()
        .post('/api/clients')
        .set('Authorization', staff)
        .send({
          name: 'Twice Ltd',
          contacts: [
            { name: 'Ann', email: 'ann@twice.test' },
            { name: 'Ann again', email: 'ANN@twice.test' },
          ],
        })
        .expect(409);
      expect(res.body).toEqual({ statusCode: 409, message: expect.stringContaining('contacts.1.email') });
    });
  });

  describe('GET /api/clients', () => {
    let ids: Record<string, string>;

    beforeAll(async () => {
      ids = {};
      for (const [name, email] of [
        ['Acorn Bakery', 'orders@acorn-bakery.test'],
        ['Birch Yoga', 'hello@birchyoga.test'],
        ['Cedar & Co', 'mail@cedar.test'],
        ['Dogwood 100% Organic', 'info@dogwood.test'],
        ['Elm Street Dental', 'reception@elmdental.test'],
      ]) {
        ids[name] = (await createClient({ name, contacts: [{ name: 'Front desk', email }] })).id;
      }
      await addDomain(ids['Birch Yoga'], 'birchyoga.test');
      await addDomain(ids['Birch Yoga'], 'birch-yoga.test');
    });

    it('pages through clients by name, each with contacts and domain count', async () => {
      const all = await t.http().get('/api/clients').query({ limit: 200 }).set('Authorization', staff).expect(200);
      expect(all.body.page).toBe(1);
      expect(all.body.limit).toBe(200);
      expect(all.body.total).toBe(all.body.items.length);
      const names: string[] = all.body.items.map((c: ClientBody) => c.name);
      expect(names).toEqual([...names].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)));
      const birch = all.body.items.find((c: ClientBody) => c.id === ids['Birch Yoga']);
      expect(birch).toMatchObject({ name: 'Birch Yoga', domainCount: 2, contacts: [{ email: 'hello@birchyoga.test', receivesNotices: true }] });
      expect(all.body.items.find((c: ClientBody) => c.id === ids['Acorn Bakery']).domainCount).toBe(0);

      const second = await t.http().get('/api/clients').query({ page: 2, limit: 2 }).set('Authorization', staff).expect(200);
      expect(second.body).toMatchObject({ total: all.body.total, page: 2, limit: 2 });
      expect(second.body.items.map((c: ClientBody) => c.id)).toEqual(all.body.items.slice(2, 4).map((c: ClientBody) => c.id));
    });

    it.each([
      [{ limit: 201 }, 'limit'],
      [{ limit: 0 }, 'limit'],
      [{ page: 0 }, 'page'],
      [{ page: 'two' }, 'page'],
      [{ sort: 'name' }, 'sort'],
    ])('refuses %j with 400', async (query, field) => {
      const res = await t.http().get('/api/clients').query(query).set('Authorization', staff).expect(400);
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    });

    it('filters by a part of the name or of a contact address, ignoring case', async () => {
      const byName = await t.http().get('/api/clients').query({ q: 'YOGA' }).set('Authorization', staff).expect(200);
      expect(byName.body.items.map((c: ClientBody) => c.id)).toEqual([ids['Birch Yoga']]);
      expect(byName.body.total).toBe(1);
      const byEmail = await t.http().get('/api/clients').query({ q: 'ElmDental' }).set('Authorization', staff).expect(200);
      expect(byEmail.body.items.map((c: ClientBody) => c.id)).toEqual([ids['Elm Street Dental']]);
      const none = await t.http().get('/api/clients').query({ q: 'no such client' }).set('Authorization', staff).expect(200);
      expect(none.body).toEqual({ items: [], total: 0, page: 1, limit: 50 });
    });

    it('takes % and _ in q literally', async () => {
      const percent = await t.http().get('/api/clients').query({ q: '100%' }).set('Authorization', staff).expect(200);
      expect(percent.body.items.map((c: ClientBody) => c.id)).toEqual([ids['Dogwood 100% Organic']]);
      const underscore = await t.http().get('/api/clients').query({ q: 'a_o' }).set('Authorization', staff).expect(200);
      expect(underscore.body.total).toBe(0);
    });
  });

  describe('GET /api/clients/:id', () => {
    it("lists the client's domain names", async () => {
      const c = await createClient({ name: 'Bücher Haus', contacts: [{ name: 'Jo', email: 'jo@buecher.test' }] });
      await db.query('INSERT INTO domain (name, "unicodeName", "clientId") VALUES ($1, $2, $3)', ['xn--bcher-kva.de', 'bücher.de', c.id]);
      const res = await t.http().get(`/api/clients/${c.id}`).set('Authorization', staff).expect(200);
      expect(res.body.domains).toEqual([{ name: 'xn--bcher-kva.de', unicodeName: 'bücher.de' }]);
    });

    it.each([randomUUID(), 'not-a-uuid', '1'])('answers 404 for the unknown id %s', async (id) => {
      const res = await t.http().get(`/api/clients/${id}`).set('Authorization', staff).expect(404);
      expect(res.body).toEqual({ statusCode: 404, message: `Client ${id} not found` });
    });
  });

  describe('PATCH /api/clients/:id', () => {
    it('renames a client and changes or clears its notes', async () => {
      const c = await createClient({ name: 'Fern Florist', notes: 'old', contacts: [{ name: 'Fay', email: 'fay@fern.test' }] });
      const renamed = await t.http().patch(`/api/clients/${c.id}`).set('Authorization', staff).send({ name: ' Fern Florists ', notes: 'new' }).expect(200);
      expect(renamed.body).toMatchObject({ id: c.id, name: 'Fern Florists', notes: 'new', contacts: [{ email: 'fay@fern.test' }] });
      const cleared = await t.http().patch(`/api/clients/${c.id}`).set('Authorization', staff).send({ notes: null }).expect(200);
      expect(cleared.body.notes).toBeNull();
      const read = await t.http().get(`/api/clients/${c.id}`).set('Authorization', staff).expect(200);
      expect(read.body).toMatchObject({ name: 'Fern Florists', notes: null });
    });

    it.each([
      [{ name: null }, 'name'],
      [{ name: '' }, 'name'],
      [{ notes: 42 }, 'notes'],
      [{ contacts: [] }, 'contacts'],
    ])('refuses %j with 400', async (body, field) => {
      const c = await createClient({ name: 'Ginkgo Garage', contacts: [{ name: 'Gil', email: 'gil@ginkgo.test' }] });
      const res = await t.http().patch(`/api/clients/${c.id}`).set('Authorization', staff).send(body).expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field })]);
    });

    it.each([randomUUID(), 'nope'])('answers 404 for the unknown id %s', async (id) => {
      await t.http().patch(`/api/clients/${id}`).set('Authorization', staff).send({ name: 'X' }).expect(404);
    });
  });

  describe('DELETE /api/clients/:id', () => {
    it('deletes a client without domains, with its contacts', async () => {
      const c = await createClient({ name: 'Hazel Hats', contacts: [{ name: 'Hal', email: 'hal@hazel.test' }] });
      await t.http().delete(`/api/clients/${c.id}`).set('Authorization', staff).expect(204);
      await t.http().get(`/api/clients/${c.id}`).set('Authorization', staff).expect(404);
      await t.http().patch(`/api/contacts/${c.contacts[0].id}`).set('Authorization', staff).send({ name: 'X' }).expect(404);
    });

    it('refuses (409) while the client has domains, naming them', async () => {
      const c = await createClient({ name: 'Linda Pence', contacts: [{ name: 'Linda', email: 'linda@lindapence.test' }] });
      await addDomain(c.id, 'lindapence.com');
      await addDomain(c.id, 'lindapence.co.uk');
      const res = await t.http().delete(`/api/clients/${c.id}`).set('Authorization', staff).expect(409);
      expect(res.body).toEqual({
        statusCode: 409,
        message: expect.stringMatching(
          /^Client still has 2 domains: (lindapence\.com, lindapence\.co\.uk|lindapence\.co\.uk, lindapence\.com); move or delete them first$/,
        ),
      });
      await t.http().get(`/api/clients/${c.id}`).set('Authorization', staff).expect(200);
    });

    it.each([randomUUID(), 'nope'])('answers 404 for the unknown id %s', async (id) => {
      await t.http().delete(`/api/clients/${id}`).set('Authorization', staff).expect(404);
    });
  });

  describe('contacts', () => {
    let client: ClientBody;
    beforeEach(async () => {
      client = await createClient({ name: 'Ivy Inn', contacts: [{ name: 'Ida', email: 'ida@ivy-inn.test' }] });
    });

    it('adds a contact (201) and shows it on the client', async () => {
      const res = await t
        .http()
        .post(`/api/clients/${client.id}/contacts`)
        .set('Authorization', staff)
        .send({ name: ' Ian ', email: ' ian@ivy-inn.test ', receivesNotices: false })
        .expect(201);
      expect(res.body).toEqual({ id: expect.any(String), clientId: client.id, name: 'Ian', email: 'ian@ivy-inn.test', receivesNotices: false });
      const read = await t.http().get(`/api/clients/${client.id}`).set('Authorization', staff).expect(200);
      expect(read.body.contacts).toEqual(expect.arrayContaining([{ id: res.body.id, name: 'Ian', email: 'ian@ivy-inn.test', receivesNotices: false }]));
    });

    it('refuses an address the client already has, whatever its case (409)', async () => {
      const res = await t
        .http()
        .post(`/api/clients/${client.id}/contacts`)
        .set('Authorization', staff)
        .send({ name: 'Ida 2', email: 'IDA@Ivy-Inn.test' })
        .expect(409);
      expect(res.body.message).toContain('ida@ivy-inn.test');
    });

    it('allows the same address at two different clients', async () => {
      const other = await createClient({ name: 'Ivy Inn Annex', contacts: [{ name: 'Ida', email: 'ida@ivy-inn.test' }] });
      expect(other.contacts[0].email).toBe('ida@ivy-inn.test');
    });

    it.each([
      [{ name: 'Ian', email: 'not-an-address' }, 'email'],
      [{ email: 'ian@ivy-inn.test' }, 'name'],
      [{ name: 'Ian', email: 'ian@ivy-inn.test', role: 'boss' }, 'role'],
    ])('refuses %j with 400', async (body, field) => {
      const res = await t.http().post(`/api/clients/${client.id}/contacts`).set('Authorization', staff).send(body).expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field })]);
    });

    it.each([randomUUID(), 'nope'])('answers 404 when adding to the unknown client %s', async (id) => {
      await t.http().post(`/api/clients/${id}/contacts`).set('Authorization', staff).send({ name: 'Ian', email: 'ian@ivy-inn.test' }).expect(404);
    });

    it('changes a contact and reads it back', async () => {
      const id = client.contacts[0].id;
      const res = await t
        .http()
        .patch(`/api/contacts/${id}`)
        .set('Authorization', staff)
        .send({ name: 'Ida Ivy', email: ' Ida.Ivy@ivy-inn.test ', receivesNotices: false })
        .expect(200);
      expect(res.body).toEqual({ id, clientId: client.id, name: 'Ida Ivy', email: 'Ida.Ivy@ivy-inn.test', receivesNotices: false });
      const read = await t.http().get(`/api/clients/${client.id}`).set('Authorization', staff).expect(200);
      expect(read.body.contacts).toEqual([{ id, name: 'Ida Ivy', email: 'Ida.Ivy@ivy-inn.test', receivesNotices: false }]);
    });

    it("lets a contact change the case of its own address, but not take another's (409)", async () => {
      const ian = await t
        .http()
        .post(`/api/clients/${client.id}/contacts`)
        .set('Authorization', staff)
        .send({ name: 'Ian', email: 'ian@ivy-inn.test' })
        .expect(201);
      await t.http().patch(`/api/contacts/${ian.body.id}`).set('Authorization', staff).send({ email: 'IAN@ivy-inn.test' }).expect(200);
      const res = await t.http().patch(`/api/contacts/${ian.body.id}`).set('Authorization', staff).send({ email: 'ida@IVY-INN.test' }).expect(409);
      expect(res.body.message).toContain('already has a contact');
    });

    it.each([
      [{ email: 'nope' }, 'email'],
      [{ name: null }, 'name'],
      [{ email: null }, 'email'],
      [{ receivesNotices: null }, 'receivesNotices'],
      [{ clientId: randomUUID() }, 'clientId'],
    ])('refuses the change %j with 400', async (body, field) => {
      const res = await t.http().patch(`/api/contacts/${client.contacts[0].id}`).set('Authorization', staff).send(body).expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field })]);
    });

    it.each([randomUUID(), 'nope'])('answers 404 for the unknown contact %s', async (id) => {
      await t.http().patch(`/api/contacts/${id}`).set('Authorization', staff).send({ name: 'X' }).expect(404);
      await t.http().delete(`/api/contacts/${id}`).set('Authorization', staff).expect(404);
    });

    it('deletes a contact (204)', async () => {
      const ian = await t
        .http()
        .post(`/api/clients/${client.id}/contacts`)
        .set('Authorization', staff)
        .send({ name: 'Ian', email: 'ian@ivy-inn.test' })
        .expect(201);
      await t.http().delete(`/api/contacts/${ian.body.id}`).set('Authorization', staff).expect(204);
      const read = await t.http().get(`/api/clients/${client.id}`).set('Authorization', staff).expect(200);
      expect(read.body.contacts.map((c: ContactBody) => c.email)).toEqual(['ida@ivy-inn.test']);
      await t.http().delete(`/api/contacts/${ian.body.id}`).set('Authorization', staff).expect(404);
    });

    it('lets a client without domains lose its last contact', async () => {
      await t.http().delete(`/api/contacts/${client.contacts[0].id}`).set('Authorization', staff).expect(204);
      const read = await t.http().get(`/api/clients/${client.id}`).set('Authorization', staff).expect(200);
      expect(read.body.contacts).toEqual([]);
    });

    it('keeps someone receiving notices while the client has domains (409), until another contact does', async () => {
      await addDomain(client.id, 'ivy-inn.test');
      const ida = client.contacts[0].id;
      const quiet = await t
        .http()
        .post(`/api/clients/${client.id}/contacts`)
        .set('Authorization', staff)
        .send({ name: 'Quiet', email: 'quiet@ivy-inn.test', receivesNotices: false })
        .expect(201);

      const del = await t.http().delete(`/api/contacts/${ida}`).set('Authorization', staff).expect(409);
      expect(del.body.message).toMatch(/only contact .* receiving notices.*1 domain \(ivy-inn\.test\)/);
      const mute = await t.http().patch(`/api/contacts/${ida}`).set('Authorization', staff).send({ receivesNotices: false }).expect(409);
      expect(mute.body.message).toContain('would reach nobody');

      // A contact that receives nothing can go; and once someone else receives notices, so can Ida.
      await t.http().patch(`/api/contacts/${quiet.body.id}`).set('Authorization', staff).send({ receivesNotices: true }).expect(200);
      await t.http().patch(`/api/contacts/${ida}`).set('Authorization', staff).send({ receivesNotices: false }).expect(200);
      await t.http().delete(`/api/contacts/${ida}`).set('Authorization', staff).expect(204);
      const read = await t.http().get(`/api/clients/${client.id}`).set('Authorization', staff).expect(200);
      expect(read.body.contacts).toEqual([expect.objectContaining({ email: 'quiet@ivy-inn.test', receivesNotices: true })]);
    });
  });

  describe('audit', () => {
    it('records creating, changing and deleting clients and contacts, with before and after', async () => {
      const c = await createClient({ name: 'Juniper Jazz', contacts: [{ name: 'Jules', email: 'jules@juniper.test' }] });
      await t.http().patch(`/api/clients/${c.id}`).set('Authorization', staff).send({ name: 'Juniper Jazz Trio' }).expect(200);
      const added = await t
        .http()
        .post(`/api/clients/${c.id}/contacts`)
        .set('Authorization', staff)
        .send({ name: 'Jan', email: 'jan@juniper.test' })
        .expect(201);
      await t.http().patch(`/api/contacts/${added.body.id}`).set('Authorization', staff).send({ name: 'Janet' }).expect(200);
      await t.http().delete(`/api/contacts/${added.body.id}`).set('Authorization', staff).expect(204);
      await t.http().delete(`/api/clients/${c.id}`).set('Authorization', staff).expect(204);

      const clients = await t.http().get('/api/audit').query({ entityType: 'client', entityId: c.id }).set('Authorization', t.adminAuth).expect(200);
      expect(clients.body.items.map((e: { action: string }) => e.action)).toEqual(['delete', 'update', 'create']);
      const [del, upd, cre] = clients.body.items;
      expect(cre).toMatchObject({
        actor: 'staff test token (staff)',
        before: null,
        after: { id: c.id, name: 'Juniper Jazz', contacts: [{ email: 'jules@juniper.test' }] },
      });
      expect(upd).toMatchObject({ before: { name: 'Juniper Jazz' }, after: { name: 'Juniper Jazz Trio' } });
      expect(del).toMatchObject({ before: { name: 'Juniper Jazz Trio', contacts: [{ email: 'jules@juniper.test' }] }, after: null });

      const contacts = await t.http().get('/api/audit').query({ entityType: 'contact', entityId: added.body.id }).set('Authorization', t.adminAuth).expect(200);
      expect(contacts.body.items).toEqual([
        expect.objectContaining({ action: 'delete', before: expect.objectContaining({ name: 'Janet', clientId: c.id }), after: null }),
        expect.objectContaining({ action: 'update', before: expect.objectContaining({ name: 'Jan' }), after: expect.objectContaining({ name: 'Janet' }) }),
        expect.objectContaining({ action: 'create', before: null, after: expect.objectContaining({ email: 'jan@juniper.test' }) }),
      ]);
    });

    it('records nothing for a change that changes nothing, or that is refused', async () => {
      const c = await createClient({ name: 'Kale Kitchen', contacts: [{ name: 'Kim', email: 'kim@kale.test' }] });
      await t.http().patch(`/api/clients/${c.id}`).set('Authorization', staff).send({ name: 'Kale Kitchen' }).expect(200);
      await t.http().post(`/api/clients/${c.id}/contacts`).set('Authorization', staff).send({ name: 'Kim', email: 'KIM@kale.test' }).expect(409);
      const events = await t.http().get('/api/audit').query({ entityId: c.id }).set('Authorization', t.adminAuth).expect(200);
      expect(events.body.items.map((e: { action: string }) => e.action)).toEqual(['create']);
    });
  });

  describe('who may do what', () => {
    let mine: ClientBody;
    let other: ClientBody;
    let clientAuth: string;

    beforeAll(async () => {
      mine = await createClient({ name: 'Larch Lettering', contacts: [{ name: 'Lou', email: 'lou@larch.test' }] });
      other = await createClient({ name: 'Maple Music', contacts: [{ name: 'Max', email: 'max@maple.test' }] });
      clientAuth = await token('client', mine.id);
    });

    it('needs a token (401), and a known one', async () => {
      const none = await t.http().get('/api/clients').expect(401);
      expect(none.body).toEqual({ statusCode: 401, message: expect.any(String) });
      await t
        .http()
        .post('/api/clients')
        .send({ name: 'X', contacts: [{ name: 'X', email: 'x@x.test' }] })
        .expect(401);
      await t.http().get(`/api/clients/${mine.id}`).set('Authorization', 'Bearer aster_not-a-real-token').expect(401);
      await t.http().delete(`/api/contacts/${mine.contacts[0].id}`).set('Authorization', 'Bearer nope').expect(401);
    });

    it('shows a client token only its own client', async () => {
      const list = await t.http().get('/api/clients').set('Authorization', clientAuth).expect(200);
      expect(list.body).toMatchObject({ total: 1, items: [{ id: mine.id, name: 'Larch Lettering' }] });
      const search = await t.http().get('/api/clients').query({ q: 'maple' }).set('Authorization', clientAuth).expect(200);
      expect(search.body.total).toBe(0);
      await t.http().get(`/api/clients/${mine.id}`).set('Authorization', clientAuth).expect(200);
      const hidden = await t.http().get(`/api/clients/${other.id}`).set('Authorization', clientAuth).expect(404);
      expect(hidden.body).toEqual({ statusCode: 404, message: `Client ${other.id} not found` });
    });

    it('refuses every change from a client token (403), even to its own client', async () => {
      const contact = mine.contacts[0].id;
      await t
        .http()
        .post('/api/clients')
        .set('Authorization', clientAuth)
        .send({ name: 'X', contacts: [{ name: 'X', email: 'x@x.test' }] })
        .expect(403);
      await t.http().patch(`/api/clients/${mine.id}`).set('Authorization', clientAuth).send({ name: 'Mine now' }).expect(403);
      await t.http().delete(`/api/clients/${mine.id}`).set('Authorization', clientAuth).expect(403);
      await t.http().post(`/api/clients/${mine.id}/contacts`).set('Authorization', clientAuth).send({ name: 'Y', email: 'y@larch.test' }).expect(403);
      await t.http().patch(`/api/contacts/${contact}`).set('Authorization', clientAuth).send({ name: 'Y' }).expect(403);
      const res = await t.http().delete(`/api/contacts/${contact}`).set('Authorization', clientAuth).expect(403);
      expect(res.body).toEqual({ statusCode: 403, message: expect.any(String) });
      const read = await t.http().get(`/api/clients/${mine.id}`).set('Authorization', staff).expect(200);
      expect(read.body).toMatchObject({ name: 'Larch Lettering', contacts: [{ id: contact, name: 'Lou' }] });
    });

    it('lets staff and admin tokens read and write', async () => {
      const byAdmin = await createClient({ name: 'Nutmeg Notary', contacts: [{ name: 'Nat', email: 'nat@nutmeg.test' }] }, t.adminAuth);
      await t.http().get(`/api/clients/${byAdmin.id}`).set('Authorization', staff).expect(200);
      await t.http().delete(`/api/clients/${byAdmin.id}`).set('Authorization', staff).expect(204);
    });
  });

  describe('ClientsService, for other modules', () => {
    const clientActor = (clientId: string): Actor => ({ tokenId: null, role: 'client', clientId, label: 'test', requestId: null });
    const staffActor: Actor = { tokenId: null, role: 'staff', clientId: null, label: 'test', requestId: null };

    it('finds a client only where the actor may see it', async () => {
      const service = t.app.get(ClientsService);
      const a = await createClient({ name: 'Oak Optics', contacts: [{ name: 'Olga', email: 'olga@oak.test' }] });
      const b = await createClient({ name: 'Pine Press', contacts: [{ name: 'Pat', email: 'pat@pine.test' }] });
      await expect(service.findVisible(a.id, staffActor)).resolves.toMatchObject({ id: a.id, contacts: [{ email: 'olga@oak.test' }] });
      await expect(service.findVisible(a.id.toUpperCase(), clientActor(a.id))).resolves.toMatchObject({ id: a.id });
      await expect(service.findVisible(b.id, clientActor(a.id))).rejects.toBeInstanceOf(NotFoundError);
      await expect(service.findVisible('not-a-uuid', staffActor)).rejects.toBeInstanceOf(NotFoundError);
      await expect(service.findVisible(randomUUID(), staffActor)).rejects.toBeInstanceOf(NotFoundError);
    });

    it('lists the contacts receiving notices', async () => {
      const service = t.app.get(ClientsService);
      const c = await createClient({
        name: 'Quince Quilts',
        contacts: [
          { name: 'Quinn', email: 'quinn@quince.test' },
          { name: 'Books', email: 'books@quince.test', receivesNotices: false },
          { name: 'Alex', email: 'alex@quince.test', receivesNotices: true },
        ],
      });
      const receiving = await service.contactsReceivingNotices(c.id);
      expect(receiving.map((k) => k.email).sort()).toEqual(['alex@quince.test', 'quinn@quince.test']);
    });
  });
});
