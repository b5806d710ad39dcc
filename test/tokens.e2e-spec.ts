// Bearer tokens, roles and the audit trail of token changes.
import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from './support/test-app';

describe('tokens and access', () => {
  let t: TestApp;
  let clientId: string;
  beforeAll(async () => {
    t = await startTestApp();
    const rows = await t.app.get(DataSource).query(`INSERT INTO client (name) VALUES ('Linda Pence Studio') RETURNING id`);
    clientId = rows[0].id;
  });
  afterAll(() => t.close());

  const create = (body: object, auth = t.adminAuth) => t.http().post('/api/tokens').set('Authorization', auth).send(body);

  it('creates a token whose secret is shown once and stored only as a hash', async () => {
    const res = await create({ role: 'staff', name: 'Mia' }).expect(201);
    expect(res.body).toMatchObject({ id: expect.any(String), role: 'staff', name: 'Mia', clientId: null });
    expect(res.body.token).toMatch(/^aster_[A-Za-z0-9_-]{43}$/);
    const list = await t.http().get('/api/tokens').set('Authorization', t.adminAuth).expect(200);
    const listed = list.body.find((x: { id: string }) => x.id === res.body.id);
    expect(listed).toMatchObject({ role: 'staff', name: 'Mia', revokedAt: null });
    expect(JSON.stringify(list.body)).not.toContain(res.body.token);
    const [row] = await t.app.get(DataSource).query('SELECT "tokenHash" FROM api_token WHERE id = $1', [res.body.id]);
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.tokenHash).not.toContain(res.body.token);
  });

  it('lets the new token in with its role, and not once revoked', async () => {
    const { body } = await create({ role: 'staff' }).expect(201);
    const auth = `Bearer ${body.token}`;
    await t.http().get('/api/audit').set('Authorization', auth).expect(200);
    await t.http().get('/api/tokens').set('Authorization', auth).expect(403);
    await t.http().delete(`/api/tokens/${body.id}`).set('Authorization', t.adminAuth).expect(204);
    const res = await t.http().get('/api/audit').set('Authorization', auth).expect(401);
    expect(res.body).toEqual({ statusCode: 401, message: expect.stringContaining('revoked') });
    const list = await t.http().get('/api/tokens').set('Authorization', t.adminAuth).expect(200);
    expect(list.body.find((x: { id: string }) => x.id === body.id).revokedAt).not.toBeNull();
  });

  it.each([
    ['no header', undefined],
    ['an empty bearer', 'Bearer '],
    ['a wrong token', 'Bearer aster_not-a-real-token'],
    ['another scheme', 'Basic YWRtaW46YWRtaW4='],
  ])('answers 401 for %s', async (_what, header) => {
    const req = t.http().get('/api/tokens');
    if (header !== undefined) req.set('Authorization', header);
    const res = await req.expect(401);
    expect(res.headers['www-authenticate']).toContain('Bearer');
    expect(res.body.statusCode).toBe(401);
  });

  it.each([
    [{ role: 'root' }, 'role'],
    [{ role: 'client' }, 'clientId'],
    [{ role: 'client', clientId: 'nope' }, 'clientId'],
    [{ role: 'client', clientId: '6f1c1c1e-5d0a-4c35-9d8e-2f7a9f1d0c11' }, 'clientId'],
    [{ role: 'staff', clientId: '6f1c1c1e-5d0a-4c35-9d8e-2f7a9f1d0c11' }, 'clientId'],
    [{ role: 'staff', name: '' }, 'name'],
    [{ role: 'staff', extra: 1 }, 'extra'],
  ])('refuses %j with 400 naming %s', async (body, field) => {
    const res = await create(body).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('binds a client token to its client', async () => {
    const res = await create({ role: 'client', clientId, name: 'Linda (read-only)' }).expect(201);
    expect(res.body.clientId).toBe(clientId);
    const auth = `Bearer ${res.body.token}`;
    await t.http().get('/api/tokens').set('Authorization', auth).expect(403);
    await t.http().get('/api/audit').set('Authorization', auth).expect(403);
    await create({ role: 'admin' }, auth).expect(403);
  });

  it('answers 404 for unknown and malformed token ids', async () => {
    await t.http().delete('/api/tokens/6f1c1c1e-5d0a-4c35-9d8e-2f7a9f1d0c11').set('Authorization', t.adminAuth).expect(404);
    await t.http().delete('/api/tokens/abc').set('Authorization', t.adminAuth).expect(404);
  });

  it('records token changes in the audit log without the secret', async () => {
    const { body } = await create({ role: 'staff', name: 'audited' }).expect(201);
    await t.http().delete(`/api/tokens/${body.id}`).set('Authorization', t.adminAuth).expect(204);
    const audit = await t.http().get(`/api/audit?entityType=token&entityId=${body.id}`).set('Authorization', t.adminAuth).expect(200);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['revoke', 'create']);
    const [revoke, created] = audit.body.items;
    expect(created).toMatchObject({ actor: 'ADMIN_TOKEN (admin)', before: null, after: { role: 'staff', name: 'audited' } });
    expect(revoke.before.revokedAt).toBeNull();
    expect(revoke.after.revokedAt).not.toBeNull();
    expect(JSON.stringify(audit.body)).not.toContain(body.token);
    expect(revoke.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('paginates the audit log and checks its query', async () => {
    const res = await t.http().get('/api/audit?limit=1&page=2').set('Authorization', t.adminAuth).expect(200);
    expect(res.body).toMatchObject({ page: 2, limit: 1, items: [expect.any(Object)] });
    expect(res.body.total).toBeGreaterThan(1);
    const bad = await t.http().get('/api/audit?limit=500').set('Authorization', t.adminAuth).expect(400);
    expect(bad.body.errors[0].field).toBe('limit');
    await t.http().get('/api/audit?page=0').set('Authorization', t.adminAuth).expect(400);
  });
});
