// Input PostgreSQL cannot store, and JSON nested to blow the stack, never end in a 500: a NUL
// (U+0000) or an unpaired UTF-16 surrogate in any query parameter, path parameter or JSON string of
// any controller is a 400 naming the field, and a body nested deeper than 64 levels is a 400
// before anything recurses over it (src/common/request-input.ts).
import { startTestApp, type TestApp } from './support/test-app';

type Response = {
  status: number;
  headers: Record<string, string>;
  body: { statusCode: number; message: string; errors?: { field: string; message: string }[] };
  text: string;
};

/** The Contract's 400 with the field named and the reason said, and nothing of the stack. */
function expectRefused(res: Response, field: string, reason: RegExp): void {
  // As JSON even from a guidance page, whose handler declares HTML.
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  expect({ status: res.status, body: res.body }).toEqual({
    status: 400,
    body: { statusCode: 400, message: expect.any(String), errors: [{ field, message: expect.stringMatching(reason) }] },
  });
  expect(res.text).not.toMatch(/\s+at\s|node_modules|\.ts:\d+|"stack"/);
}

const LINDA = { name: 'Linda', email: 'linda@pence-mail.test' };
const NUL = /NUL character \(U\+0000\)/;
const SURROGATE = /unpaired UTF-16 surrogate \(U\+D800\)/;

/** `depth` arrays one inside the other, written out, since JSON.stringify would recurse too. */
const nestedArrays = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('API input that PostgreSQL cannot store, or that nests too deep', () => {
  let t: TestApp;
  let clientId: string;
  let guidanceUrl: string;
  const admin = () => ({ Authorization: t.adminAuth });

  beforeAll(async () => {
    t = await startTestApp();
    const client = await t
      .http()
      .post('/api/clients')
      .set(admin())
      .send({ name: 'Linda Pence Art', contacts: [LINDA] })
      .expect(201);
    clientId = client.body.id;
    const domain = await t.http().post('/api/domains').set(admin()).send({ name: 'lindapence.com', clientId }).expect(201);
    guidanceUrl = new URL(domain.body.guidanceUrl).pathname;
  });
  afterAll(() => t.close());

  // Every list filter and lookup parameter of every controller, with a NUL at the end.
  describe.each([
    ['/api/domains?q=a%00', 'q'],
    ['/api/domains?after=zzz%00', 'after'],
    ['/api/domains?registrar=a%00', 'registrar'],
    ['/api/domains?clientId=%00', 'clientId'],
    ['/api/domains?expiresBefore=2027-01-01%00', 'expiresBefore'],
    ['/api/domains?page=1%00', 'page'],
    ['/api/domains/a%00b.com', 'name'],
    ['/api/domains/lindapence.com/transfer-guidance?at=2027-01-01%00', 'at'],
    ['/api/clients?q=a%00', 'q'],
    ['/api/clients/%00', 'id'],
    ['/api/registrars?q=a%00', 'q'],
    ['/api/registrars/a%00', 'id'],
    ['/api/messages?domain=a%00', 'domain'],
    ['/api/messages?status=held%00', 'status'],
    ['/api/messages?holdReason=a%00', 'holdReason'],
    ['/api/messages?clientId=a%00', 'clientId'],
    ['/api/messages/a%00', 'id'],
    ['/api/audit?action=a%00', 'action'],
    ['/api/audit?entityType=a%00', 'entityType'],
    ['/api/audit?entityId=a%00', 'entityId'],
    ['/api/audit?tokenId=a%00', 'tokenId'],
    ['/api/guidance/moving%00', 'slug'],
    ['/guide/domain/a%00', 'token'],
    ['/guide/moving%00', 'slug'],
    ['/api/domains?q[deep][er]=a%00', 'q.deep.er'],
    ['/api/domains?q[]=a&q[]=b%00', 'q.1'],
  ])('GET %s', (path, field) => {
    it(`is a 400 on ${field}`, async () => {
      expectRefused(await t.http().get(path).set(admin()), field, NUL);
    });
  });

  it('answers a guidance page with a NUL in its ?at= with a 400, not a 500', async () => {
    expectRefused(await t.http().get(`${guidanceUrl}?at=2027-01-01%00`), 'at', NUL);
  });

  it('answers DELETE /api/tokens/:id with a NUL in the id with a 400', async () => {
    expectRefused(await t.http().delete('/api/tokens/a%00').set(admin()), 'id', NUL);
  });

  it('never answers a list of tokens with a 500, whatever its query', async () => {
    // GET /api/tokens reads no query; one it does not read cannot reach the database.
    const res = await t.http().get('/api/tokens?name=a%00').set(admin());
    expect(res.status).toBe(200);
  });

  describe.each([
    ['POST /api/clients', 'post', '/api/clients', () => ({ name: 'a\u0000', contacts: [] }), 'name'],
    [
      'POST /api/clients (a contact)',
      'post',
      '/api/clients',
      () => ({ name: 'Beta', contacts: [{ name: 'Bea\u0000', email: 'bea@beta.test' }] }),
      'contacts.0.name',
    ],
    ['PATCH /api/clients/:id', 'patch', () => `/api/clients/${clientId}`, () => ({ notes: 'call\u0000me' }), 'notes'],
    ['POST /api/clients/:id/contacts', 'post', () => `/api/clients/${clientId}/contacts`, () => ({ name: 'Linda', email: 'linda@pence\u0000.test' }), 'email'],
    ['POST /api/registrars', 'post', '/api/registrars', () => ({ name: 'Gandi\u0000' }), 'name'],
    ['POST /api/registrars (a list)', 'post', '/api/registrars', () => ({ name: 'Gandi', senderDomains: ['gandi.net', 'gandi\u0000.net'] }), 'senderDomains.1'],
    ['POST /api/domains', 'post', '/api/domains', () => ({ name: 'a\u0000', clientId }), 'name'],
    ['POST /api/domains (registrar)', 'post', '/api/domains', () => ({ name: 'pence-art.com', clientId, registrar: 'a\u0000' }), 'registrar'],
    ['PATCH /api/domains/:name', 'patch', '/api/domains/lindapence.com', () => ({ notes: '\u0000' }), 'notes'],
    ['POST /api/tokens', 'post', '/api/tokens', () => ({ role: 'staff', name: 'desk\u0000' }), 'name'],
    ['a key with a NUL', 'post', '/api/clients', () => ({ name: 'Beta', contacts: [], 'x\u0000': 1 }), 'x\\u0000'],
  ])('%s with a NUL in a JSON string', (_what, method, path, body, field) => {
    it(`is a 400 on ${field}`, async () => {
      const url = typeof path === 'function' ? path() : path;
      const req = method === 'post' ? t.http().post(url) : t.http().patch(url);
      expectRefused(await req.set(admin()).send(body()), field, NUL);
    });
  });

  it('refuses a CSV import with a NUL in it (400 on body), before any row is looked up', async () => {
    const res = await t
      .http()
      .post('/api/domains/import')
      .set(admin())
      .set('Content-Type', 'text/csv')
      .send('name,client,registrar\npence-art.com,Linda Pence Art,Gandi\u0000\n');
    expectRefused(res, 'body', NUL);
  });

  it.each([
    ['a client name', '/api/clients', '{"name":"Beta \\ud800","contacts":[]}', 'name'],
    ['a registrar', '/api/registrars', '{"name":"\\udfff Gandi"}', 'name'],
    ['a contact', '/api/clients', '{"name":"Beta","contacts":[{"name":"x\\ud800","email":"bea@beta.test"}]}', 'contacts.0.name'],
  ])('refuses an unpaired surrogate in %s (400 on the field)', async (_what, path, json, field) => {
    const res = await t.http().post(path).set(admin()).set('Content-Type', 'application/json').send(json);
    expectRefused(res, field, json.includes('udfff') ? /unpaired UTF-16 surrogate \(U\+DFFF\)/ : SURROGATE);
  });

  it('takes a properly paired surrogate (an emoji, escaped or not) as the character it is', async () => {
    const res = await t
      .http()
      .post('/api/clients')
      .set(admin())
      .set('Content-Type', 'application/json')
      .send('{"name":"Beta \\ud83c\\udfa8 🎨","contacts":[{"name":"Bea","email":"bea@beta.test"}]}')
      .expect(201);
    expect(res.body.name).toBe('Beta 🎨 🎨');
  });

  describe('JSON nested deep', () => {
    it.each([
      ['arrays in contacts', `{"name":"Beta","contacts":${nestedArrays(100_000)}}`],
      ['objects in name', `{"name":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`],
      ['a bare array', nestedArrays(200_000)],
      ['65 levels', `{"name":"Beta","contacts":${nestedArrays(64)}}`],
    ])('refuses %s with a 400 before parsing it', async (_what, json) => {
      const res = await t.http().post('/api/clients').set(admin()).set('Content-Type', 'application/json').send(json);
      expect(res.body).toEqual({ statusCode: 400, message: 'The request body nests deeper than 64 levels' });
      expect(res.status).toBe(400);
    });

    it.each([2, 63])('takes %i levels as far as validation, which refuses a list in the list of contacts', async (depth) => {
      const res = await t
        .http()
        .post('/api/clients')
        .set(admin())
        .set('Content-Type', 'application/json')
        .send(`{"name":"Beta","contacts":${nestedArrays(depth)}}`);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'contacts', message: expect.stringMatching(/^contacts must list at least one person/) }]);
    });

    it('counts no bracket inside a string, escaped quotes included', async () => {
      const name = `Beta \\" ${'[{'.repeat(80)}`;
      const res = await t
        .http()
        .post('/api/registrars')
        .set(admin())
        .set('Content-Type', 'application/json')
        .send(`{"name":"x","notes":"${name}"}`)
        .expect(201);
      expect(res.body.notes).toBe(`Beta " ${'[{'.repeat(80)}`);
    });

    it('still refuses a JSON body over 1 MB with 413', async () => {
      await t.http().post('/api/clients').set(admin()).set('Content-Type', 'application/json').send(nestedArrays(600_000)).expect(413);
    });
  });
});
