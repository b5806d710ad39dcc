import { startTestApp, type TestApp } from './support/test-app';

describe('health and docs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('reports the database as up without a token', async () => {
    const res = await t.http().get('/api/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });

  it('serves the OpenAPI document at /docs', async () => {
    const html = await t.http().get('/docs').expect(200);
    expect(html.text).toContain('swagger');
    const doc = await t.http().get('/docs/json').expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/health', '/api/tokens', '/api/audit']));
  });

  it('documents every endpoint with its success answer, and every guarded one with 401', async () => {
    const doc = (await t.http().get('/docs/json').expect(200)).body as {
      paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown[] }>>;
    };
    const PUBLIC = ['/api/health', '/api/guidance', '/api/guidance/{slug}', '/metrics'];
    const problems: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        const codes = Object.keys(op.responses);
        if (!codes.some((c) => c.startsWith('2'))) problems.push(`${method} ${path}: no success answer`);
        if (!PUBLIC.includes(path) && !codes.includes('401')) problems.push(`${method} ${path}: no 401`);
      }
    }
    expect(problems).toEqual([]);
    const paths = Object.keys(doc.paths);
    for (const p of [
      '/api/clients',
      '/api/clients/{id}',
      '/api/contacts/{id}',
      '/api/domains',
      '/api/domains/{name}',
      '/api/domains/import',
      '/api/domains/export.csv',
      '/api/domains/{name}/transfer-guidance',
      '/api/registrars',
      '/api/messages',
      '/api/messages/{id}/raw',
      '/api/messages/{id}/release',
      '/api/guidance/{slug}',
    ]) {
      expect(paths).toContain(p);
    }
  });

  it('answers unknown routes with the Contract error body', async () => {
    const res = await t.http().get('/api/nowhere').set('Authorization', t.adminAuth).expect(404);
    expect(res.body).toEqual({ statusCode: 404, message: expect.any(String) });
  });

  it('echoes a request id on every answer', async () => {
    const res = await t.http().get('/api/health').expect(200);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
