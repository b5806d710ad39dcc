// The REST API's edge: security headers with a Content-Security-Policy that /docs and /guide live
// within, CORS only for configured origins, body size limits, no stack traces, and rate limits —
// per address, per token, and a lock-out for an address that guesses tokens.
import { GuidanceService } from '../src/guidance/guidance.service';
import { seedClient, tokenFor } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

type Csp = Record<string, string[]>;

function parseCsp(header: string | undefined): Csp {
  expect(header).toBeDefined();
  return Object.fromEntries(
    header!
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name, values]),
  );
}

/** What a directive allows, falling back to default-src as browsers do. */
const allowed = (csp: Csp, directive: string) => csp[directive] ?? csp['default-src'] ?? [];

/** Contract error bodies: the fields of the Contract and nothing else, no stack, no source path. */
function expectContractError(body: unknown, text: string, statusCode: number): void {
  expect(body).toEqual({ statusCode, message: expect.any(String) });
  expect(text).not.toMatch(/\s+at\s|node_modules|\/src\/|\.ts:\d+|stack/i);
}

describe('HTTP edge: headers, CORS, bodies, errors', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_URL: 'http://127.0.0.1:3000' });
  });
  afterAll(() => t.close());

  describe('security headers', () => {
    it.each([
      ['an API answer', '/api/health', 200],
      ['a guidance page', '/guide', 200],
      ['the OpenAPI page', '/docs', 200],
      ['an error', '/api/clients', 401],
      ['an unknown path', '/nothing-here', 404],
    ])('on %s (%s)', async (_what, path, status) => {
      const res = await t.http().get(path).expect(status);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-powered-by']).toBeUndefined();
      const csp = parseCsp(res.headers['content-security-policy']);
      expect(csp['frame-ancestors']).toEqual(["'none'"]);
      expect(csp['object-src']).toEqual(["'none'"]);
      expect(allowed(csp, 'script-src')).not.toContain("'unsafe-inline'");
      expect(allowed(csp, 'script-src')).not.toContain("'unsafe-eval'");
      // Served over plain HTTP here: HSTS would mean nothing.
      expect(res.headers['strict-transport-security']).toBeUndefined();
    });

    it('lets the Swagger UI at /docs load everything it needs, and nothing from elsewhere', async () => {
      const page = await t.http().get('/docs').expect(200);
      const csp = parseCsp(page.headers['content-security-policy']);
      const html = page.text;
      const base = 'http://127.0.0.1:3000/docs';
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attributes, body] of scripts) {
        // No inline script: script-src 'self' allows only files.
        const src = /\bsrc="([^"]+)"/.exec(attributes)?.[1];
        expect({ src, inline: body.trim() }).toEqual({ src: expect.any(String), inline: '' });
        const url = new URL(src!, base);
        expect(url.origin).toBe('http://127.0.0.1:3000');
        expect(allowed(csp, 'script-src')).toContain("'self'");
        const file = await t.http().get(url.pathname).expect(200);
        expect(file.headers['content-type']).toMatch(/javascript/);
      }
      for (const [, href] of html.matchAll(/<link\b[^>]*rel="stylesheet"[^>]*href="([^"]+)"/gi)) {
        const url = new URL(href, base);
        expect(url.origin).toBe('http://127.0.0.1:3000');
        expect(allowed(csp, 'style-src')).toContain("'self'");
        await t.http().get(url.pathname).expect(200);
      }
      // Its <style> blocks and style attributes, its data: icons, and "Try it out" on the same origin.
      expect(html).toMatch(/<style>|style="/);
      expect(allowed(csp, 'style-src')).toContain("'unsafe-inline'");
      expect(allowed(csp, 'img-src')).toEqual(expect.arrayContaining(["'self'", 'data:']));
      expect(allowed(csp, 'connect-src')).toEqual(["'self'"]);
      const init = await t.http().get('/docs/swagger-ui-init.js').expect(200);
      expect(init.text).toContain('"openapi"');
      await t.http().get('/docs/json').expect(200);
    });

    it('lets the guidance pages show as they are: no script, their own <style>, links out with no Referer', async () => {
      const client = await seedClient(t, {
        name: 'Linda Pence Studio',
        contacts: [{ name: 'Linda', email: 'linda@pence-mail.test' }],
        domains: ['lindapence.com'],
      });
      expect(client.domains).toEqual(['lindapence.com']);
      const domain = await t.http().get('/api/domains/lindapence.com').set('Authorization', t.adminAuth).expect(200);
      for (const path of ['/guide', '/guide/moving-a-domain', new URL(domain.body.guidanceUrl).pathname]) {
        const page = await t.http().get(path).expect(200);
        const csp = parseCsp(page.headers['content-security-policy']);
        expect(page.text).not.toMatch(/<script/i);
        expect(page.text).toMatch(/<style>/);
        expect(allowed(csp, 'style-src')).toContain("'unsafe-inline'");
        expect(page.text).not.toMatch(/<(img|link|iframe|object)\b[^>]*\b(src|href)="https?:/i);
        // The page's URL holds the domain's secret guidance token; links to ICANN must not carry it off.
        expect(page.headers['referrer-policy']).toBe('no-referrer');
      }
    });
  });

  describe('CORS', () => {
    it('is off unless configured: no Access-Control-Allow-Origin for any origin', async () => {
      const preflight = await t
        .http()
        .options('/api/clients')
        .set('Origin', 'https://admin.artsites.test')
        .set('Access-Control-Request-Method', 'GET')
        .set('Access-Control-Request-Headers', 'authorization');
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      const get = await t.http().get('/api/clients').set('Origin', 'https://admin.artsites.test').set('Authorization', t.adminAuth).expect(200);
      expect(get.headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  describe('bodies', () => {
    it('refuses a JSON body over 1 MB with 413 in the Contract form', async () => {
      const res = await t
        .http()
        .post('/api/clients')
        .set('Authorization', t.adminAuth)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ name: 'x', notes: 'n'.repeat(1_100_000), contacts: [] }))
        .expect(413);
      expectContractError(res.body, res.text, 413);
      expect(res.body.message).toBe('The request body is larger than the limit of 1048576 bytes for its type');
    });

    it('takes a JSON body just under 1 MB as far as validation', async () => {
      const res = await t
        .http()
        .post('/api/clients')
        .set('Authorization', t.adminAuth)
        .send({ name: 'x', notes: 'n'.repeat(1_000_000), contacts: [] })
        .expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['notes', 'contacts']));
    });

    it('refuses a CSV import over 10 MB with 413 in the Contract form', async () => {
      const row = 'lindapence-example-domain-name.com,00000000-0000-4000-8000-000000000000\n';
      const res = await t
        .http()
        .post('/api/domains/import')
        .set('Authorization', t.adminAuth)
        .set('Content-Type', 'text/csv')
        .send(`name,clientId\n${row.repeat(Math.ceil(10_600_000 / row.length))}`)
        .expect(413);
      expectContractError(res.body, res.text, 413);
      expect(res.body.message).toBe('The request body is larger than the limit of 10485760 bytes for its type');
    });

    it('answers malformed JSON with 400 in the Contract form, echoing nothing of it', async () => {
      const res = await t
        .http()
        .post('/api/clients')
        .set('Authorization', t.adminAuth)
        .set('Content-Type', 'application/json')
        .send('{"name": "Linda", secret-stuff')
        .expect(400);
      expectContractError(res.body, res.text, 400);
      expect(res.body.message).toBe('The request body is not valid JSON');
      expect(res.text).not.toContain('secret-stuff');
    });
  });

  describe('errors carry no stack trace', () => {
    it('answers an internal error with 500 "Internal server error" and nothing more', async () => {
      const guidance = t.app.get(GuidanceService);
      const spy = jest.spyOn(guidance, 'topics').mockImplementation(() => {
        throw new TypeError("Cannot read properties of undefined (reading 'slug') at /work/main/src/guidance/topics.ts:42:7");
      });
      try {
        const res = await t.http().get('/api/guidance').expect(500);
        expect(res.body).toEqual({ statusCode: 500, message: 'Internal server error' });
        expectContractError(res.body, res.text, 500);
      } finally {
        spy.mockRestore();
      }
      await t.http().get('/api/guidance').expect(200);
    });

    it.each([
      ['an unknown route', (t: TestApp) => t.http().get('/api/nothing-here'), 404],
      ['a path with broken percent-encoding', (t: TestApp) => t.http().get('/api/domains/%E0%A4%A').set('Authorization', t.adminAuth), 400],
      ['a wrong token', (t: TestApp) => t.http().get('/api/clients').set('Authorization', 'Bearer aster_wrong'), 401],
      ['a validation error', (t: TestApp) => t.http().post('/api/tokens').set('Authorization', t.adminAuth).send({ role: 'root' }), 400],
    ])('%s', async (_what, request, status) => {
      const res = await request(t).expect(status);
      expect(res.body.statusCode).toBe(status);
      expect(res.text).not.toMatch(/\s+at\s|node_modules|\.ts:\d+|"stack"/);
    });
  });
});

describe('HTTP edge: CORS and HSTS when configured', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ CORS_ORIGINS: 'https://admin.artsites.test', PUBLIC_URL: 'https://domains.artsites.test' });
  });
  afterAll(() => t.close());

  it('answers a preflight from a configured origin, and a request from it', async () => {
    const preflight = await t
      .http()
      .options('/api/clients')
      .set('Origin', 'https://admin.artsites.test')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type')
      .expect(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://admin.artsites.test');
    expect(preflight.headers['access-control-allow-headers']).toMatch(/Authorization/i);
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
    const get = await t.http().get('/api/clients').set('Origin', 'https://admin.artsites.test').set('Authorization', t.adminAuth).expect(200);
    expect(get.headers['access-control-allow-origin']).toBe('https://admin.artsites.test');
  });

  it('says nothing to another origin', async () => {
    const preflight = await t.http().options('/api/clients').set('Origin', 'https://evil.test').set('Access-Control-Request-Method', 'GET');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const get = await t.http().get('/api/clients').set('Origin', 'https://evil.test').set('Authorization', t.adminAuth).expect(200);
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('sends Strict-Transport-Security when PUBLIC_URL is https', async () => {
    const res = await t.http().get('/api/health').expect(200);
    expect(res.headers['strict-transport-security']).toMatch(/^max-age=\d+$/);
  });
});

describe('HTTP edge: rate limits', () => {
  let t: TestApp;
  // TRUST_PROXY lets each test speak from addresses of its own, through X-Forwarded-For.
  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: 'loopback', HTTP_RATE_PER_MINUTE: '5', HTTP_TOKEN_RATE_PER_MINUTE: '6' });
  });
  afterAll(() => t.close());

  const from = (address: string) => ({
    get: (path: string, token?: string) => {
      const req = t.http().get(path).set('X-Forwarded-For', address);
      return token ? req.set('Authorization', token) : req;
    },
  });

  function expectTooMany(res: { status: number; body: unknown; text: string; headers: Record<string, string> }, message: RegExp): void {
    expect(res.status).toBe(429);
    expectContractError(res.body, res.text, 429);
    expect((res.body as { message: string }).message).toMatch(message);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
  }

  it('locks an address out after 10 different wrong tokens, before any token of it is looked up', async () => {
    const attacker = from('203.0.113.10');
    for (let i = 0; i < 10; i++) {
      const res = await attacker.get('/api/clients', `Bearer aster_guess-${i}-${'x'.repeat(30)}`);
      expect(res.status).toBe(401);
    }
    expectTooMany(await attacker.get('/api/clients', 'Bearer aster_guess-10'), /Too many wrong bearer tokens from your address/);
    // A right guess now looks exactly like a wrong one.
    expectTooMany(await attacker.get('/api/clients', t.adminAuth), /Too many wrong bearer tokens/);
    // Pages that need no token still answer, and other addresses are not affected.
    await attacker.get('/api/health').expect(200);
    await from('203.0.113.11').get('/api/clients', t.adminAuth).expect(200);
  });

  it('counts one wrong token sent again and again once: a stale script does not lock its office out', async () => {
    const office = from('203.0.113.20');
    const answers = [];
    for (let i = 0; i < 12; i++) answers.push((await office.get('/api/clients', 'Bearer aster_revoked-long-ago')).status);
    // The token's own budget (6 here) runs out; the address is not locked out.
    expect(answers).toEqual([401, 401, 401, 401, 401, 401, 429, 429, 429, 429, 429, 429]);
    await office.get('/api/clients', t.adminAuth).expect(200);
  });

  it('counts an IPv6 /64 as one address', async () => {
    for (let i = 0; i < 10; i++)
      await from(`2001:db8:1:2::${i + 1}`)
        .get('/api/clients', `Bearer aster_v6-guess-${i}`)
        .expect(401);
    expectTooMany(await from('2001:db8:1:2:ffff::1').get('/api/clients', t.adminAuth), /Too many wrong bearer tokens/);
    await from('2001:db8:1:3::1').get('/api/clients', t.adminAuth).expect(200);
  });

  it('limits requests without a token per address (HTTP_RATE_PER_MINUTE)', async () => {
    const reader = from('198.51.100.7');
    for (let i = 0; i < 5; i++) await reader.get('/guide').expect(200);
    expectTooMany(await reader.get('/api/health'), /^Too many requests; try again in \d+ seconds$/);
    // Failed authentication costs the same budget: no free flood of token-less requests.
    expectTooMany(await reader.get('/api/clients'), /Too many requests/);
    await from('198.51.100.8').get('/guide').expect(200);
  });

  it('limits requests with one token per token (HTTP_TOKEN_RATE_PER_MINUTE), not those of another token', async () => {
    const staff = await tokenFor(t, 'staff');
    const other = await tokenFor(t, 'staff');
    const desk = from('198.51.100.20');
    for (let i = 0; i < 6; i++) await desk.get('/api/clients', staff).expect(200);
    expectTooMany(await desk.get('/api/clients', staff), /Too many requests/);
    await desk.get('/api/clients', other).expect(200);
    // The token's budget is its own, wherever it is used from; the address's is untouched.
    expectTooMany(await from('198.51.100.21').get('/api/clients', staff), /Too many requests/);
    await desk.get('/guide').expect(200);
  });
});
