// The whole authorization matrix: every endpoint × no token, wrong token, a client token on its own
// data, a client token on another client's data, staff, admin.
import { DataSource } from 'typeorm';
import { seedClient, tokenFor } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

type Who = 'admin' | 'staff' | 'own' | 'other';
interface Ctx {
  own: { client: string; domain: string; message: string; contact: string };
  other: { client: string; domain: string; message: string; contact: string };
  registrar: string;
  token: string;
}
interface Row {
  name: string;
  method: 'get' | 'post' | 'patch' | 'delete';
  /** The path for a request on `side`'s data (admin and staff use the other client's). */
  path: (c: Ctx, side: 'own' | 'other') => string;
  body?: object;
  expect: Record<Who, number>;
}

const NOBODY = '00000000-0000-4000-8000-000000000000';
// Reads a client may make of its own data; another client's data is hidden (404).
const read = (admin = 200): Record<Who, number> => ({ admin, staff: admin, own: 200, other: 404 });
// Writes: staff and admin get past the guard (the invalid body then answers 400, or the unknown id 404); clients are refused.
const write = (status: number): Record<Who, number> => ({ admin: status, staff: status, own: 403, other: 403 });
const adminOnly = (status: number): Record<Who, number> => ({ admin: status, staff: 403, own: 403, other: 403 });
const staffOnly = (status: number): Record<Who, number> => ({ admin: status, staff: status, own: 403, other: 403 });

const ROWS: Row[] = [
  { name: 'list clients', method: 'get', path: () => '/api/clients', expect: { admin: 200, staff: 200, own: 200, other: 200 } },
  { name: 'show a client', method: 'get', path: (c, s) => `/api/clients/${c[s].client}`, expect: read() },
  { name: 'create a client', method: 'post', path: () => '/api/clients', body: { name: '' }, expect: write(400) },
  { name: 'change a client', method: 'patch', path: (c, s) => `/api/clients/${c[s].client}`, body: { name: '' }, expect: write(400) },
  { name: 'delete a client', method: 'delete', path: () => `/api/clients/${NOBODY}`, expect: write(404) },
  { name: 'add a contact', method: 'post', path: (c, s) => `/api/clients/${c[s].client}/contacts`, body: { email: 'nope' }, expect: write(400) },
  { name: 'change a contact', method: 'patch', path: (c, s) => `/api/contacts/${c[s].contact}`, body: { email: 'nope' }, expect: write(400) },
  { name: 'delete a contact', method: 'delete', path: () => `/api/contacts/${NOBODY}`, expect: write(404) },
  { name: 'welcome letter', method: 'post', path: () => `/api/clients/${NOBODY}/welcome`, body: {}, expect: write(404) },
  { name: 'list registrars', method: 'get', path: () => '/api/registrars', expect: { admin: 200, staff: 200, own: 200, other: 200 } },
  { name: 'show a registrar', method: 'get', path: (c) => `/api/registrars/${c.registrar}`, expect: { admin: 200, staff: 200, own: 200, other: 200 } },
  { name: 'create a registrar', method: 'post', path: () => '/api/registrars', body: { name: '' }, expect: write(400) },
  { name: 'change a registrar', method: 'patch', path: (c) => `/api/registrars/${c.registrar}`, body: { ianaId: -1 }, expect: write(400) },
  { name: 'delete a registrar', method: 'delete', path: () => `/api/registrars/${NOBODY}`, expect: write(404) },
  { name: 'list domains', method: 'get', path: () => '/api/domains', expect: { admin: 200, staff: 200, own: 200, other: 200 } },
  { name: 'show a domain', method: 'get', path: (c, s) => `/api/domains/${c[s].domain}`, expect: read() },
  { name: 'create a domain', method: 'post', path: () => '/api/domains', body: { name: 'foo' }, expect: write(400) },
  { name: 'change a domain', method: 'patch', path: (c, s) => `/api/domains/${c[s].domain}`, body: { statuses: ['nonsense'] }, expect: write(400) },
  { name: 'delete a domain', method: 'delete', path: () => '/api/domains/never-tracked.com', expect: write(404) },
  { name: 'import domains', method: 'post', path: () => '/api/domains/import', expect: staffOnly(400) },
  { name: 'export domains', method: 'get', path: () => '/api/domains/export.csv', expect: staffOnly(200) },
  { name: 'list messages', method: 'get', path: () => '/api/messages', expect: { admin: 200, staff: 200, own: 200, other: 200 } },
  { name: 'show a message', method: 'get', path: (c, s) => `/api/messages/${c[s].message}`, expect: read() },
  { name: 'raw message', method: 'get', path: (c, s) => `/api/messages/${c[s].message}/raw`, expect: read() },
  { name: 'release a message', method: 'post', path: (c, s) => `/api/messages/${c[s].message}/release`, body: { clientIds: ['x'] }, expect: write(400) },
  { name: 'discard a message', method: 'post', path: () => `/api/messages/${NOBODY}/discard`, expect: write(404) },
  { name: 'create a token', method: 'post', path: () => '/api/tokens', body: { role: 'root' }, expect: adminOnly(400) },
  { name: 'list tokens', method: 'get', path: () => '/api/tokens', expect: adminOnly(200) },
  { name: 'revoke a token', method: 'delete', path: () => `/api/tokens/${NOBODY}`, expect: adminOnly(404) },
  { name: 'audit log', method: 'get', path: () => '/api/audit', expect: staffOnly(200) },
];

describe('authorization matrix', () => {
  let t: TestApp;
  let ctx: Ctx;
  const auth: Partial<Record<Who, string>> = {};

  beforeAll(async () => {
    t = await startTestApp();
    const linda = await seedClient(t, {
      name: 'Linda Pence Studio',
      contacts: [{ name: 'Linda', email: 'linda@pence-mail.test' }],
      domains: ['lindapence.com'],
    });
    const omar = await seedClient(t, { name: 'Omar Haddad Ceramics', contacts: [{ name: 'Omar', email: 'omar@haddad.test' }], domains: ['omarhaddad.eu'] });
    const registrar = await t.http().post('/api/registrars').set('Authorization', t.adminAuth).send({ name: 'Gandi', ianaId: 81 }).expect(201);
    const db = t.app.get(DataSource);
    const message = async (clientId: string, domain: string): Promise<string> => {
      const [row] = await db.query(
        `INSERT INTO inbound_message ("envelopeFrom", "envelopeTo", size, stage, status, decision, domains, "clientIds", subject)
         VALUES ('noreply@gandi.net', '{domains@notify.artsites.test}', 3, 'decided', 'forwarded', 'forward', $1, $2, 'Expiry') RETURNING id`,
        [[domain], [clientId]],
      );
      await db.query(`INSERT INTO raw_message ("messageId", raw) VALUES ($1, 'x\r\n')`, [row.id]);
      return row.id;
    };
    ctx = {
      own: { client: linda.id, domain: 'lindapence.com', message: await message(linda.id, 'lindapence.com'), contact: linda.contactIds[0] },
      other: { client: omar.id, domain: 'omarhaddad.eu', message: await message(omar.id, 'omarhaddad.eu'), contact: omar.contactIds[0] },
      registrar: registrar.body.id,
      token: '',
    };
    auth.admin = t.adminAuth;
    auth.staff = await tokenFor(t, 'staff');
    auth.own = await tokenFor(t, 'client', linda.id);
    auth.other = auth.own; // the same client token, asking for the other client's data
  });
  afterAll(() => t.close());

  const cases = ROWS.flatMap((row) => [...(['admin', 'staff', 'own', 'other'] as Who[]).map((who) => [row.name, who, row] as const)]);

  it.each(cases)('%s as %s', async (_name, who, row) => {
    const side = who === 'own' ? 'own' : 'other';
    const req = t.http()[row.method](row.path(ctx, side)).set('Authorization', auth[who]!);
    const res = row.body ? await req.send(row.body) : await req;
    expect({ status: res.status, body: res.status >= 400 ? Object.keys(res.body).sort() : 'ok' }).toEqual({
      status: row.expect[who],
      body: row.expect[who] >= 400 ? expect.arrayContaining(['message', 'statusCode']) : 'ok',
    });
  });

  it.each(ROWS.map((row) => [row.name, row] as const))('%s without a token or with a wrong one: 401', async (_name, row) => {
    for (const header of [undefined, 'Bearer aster_wrong-token-wrong-token-wrong-token-wrong']) {
      const req = t.http()[row.method](row.path(ctx, 'own'));
      if (header) req.set('Authorization', header);
      const res = row.body ? await req.send(row.body) : await req;
      expect(res.status).toBe(401);
    }
  });

  it('shows a client token only its own records in lists', async () => {
    const clients = await t.http().get('/api/clients').set('Authorization', auth.own!).expect(200);
    expect(clients.body.items.map((c: { id: string }) => c.id)).toEqual([ctx.own.client]);
    const domains = await t.http().get('/api/domains').set('Authorization', auth.own!).expect(200);
    expect(domains.body.items.map((d: { name: string }) => d.name)).toEqual(['lindapence.com']);
    const foreign = await t.http().get(`/api/domains?clientId=${ctx.other.client}`).set('Authorization', auth.own!).expect(200);
    expect(foreign.body.items).toEqual([]);
    const messages = await t.http().get('/api/messages').set('Authorization', auth.own!).expect(200);
    expect(messages.body.items.map((m: { id: string }) => m.id)).toEqual([ctx.own.message]);
  });

  it('needs no token for health', async () => {
    await t.http().get('/api/health').expect(200);
  });
});
