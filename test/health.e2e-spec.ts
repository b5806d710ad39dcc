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

  it('answers unknown routes with the Contract error body', async () => {
    const res = await t.http().get('/api/nowhere').set('Authorization', t.adminAuth).expect(404);
    expect(res.body).toEqual({ statusCode: 404, message: expect.any(String) });
  });

  it('echoes a request id on every answer', async () => {
    const res = await t.http().get('/api/health').expect(200);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
