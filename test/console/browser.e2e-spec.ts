// The console in Debian's Chromium (playwright-core), as a staff member works it: sign in, find a
// domain, open and edit it, work the held queue (release to a client, discard), sign out; then a
// client token's session, and CSRF refusal. axe-core checks every page against WCAG 2.1 A/AA (and
// best practice) at 1280 px and 390 px, and nothing on any page breaks the Content-Security-Policy.
// Screenshots go to a scratch directory, or to docs/screenshots with UPDATE_SCREENSHOTS=1.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app';
import { seedPortfolio, type Portfolio } from './support';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = process.env.UPDATE_SCREENSHOTS ? join(__dirname, '..', '..', 'docs', 'screenshots') : mkdtempSync(join(tmpdir(), 'aster-console-shots-'));
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[] }[];
}

describe('staff console (Chromium)', () => {
  let t: TestApp;
  let p: Portfolio;
  let base: string;
  let browser: Browser;
  /** CSP violations and page errors seen anywhere. */
  const problems: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`);
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    p = await seedPortfolio(t);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function context(viewport = { width: 1280, height: 900 }): Promise<{ ctx: BrowserContext; page: Page }> {
    const ctx = await browser.newContext({ viewport, baseURL: base });
    const page = await ctx.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`${page.url()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
    return { ctx, page };
  }

  /** axe-core on the page as it is (injected over the DevTools protocol, so the CSP stays on). */
  async function accessible(page: Page, name: string): Promise<void> {
    const started = Date.now();
    await page.evaluate(AXE);
    const result = await page.evaluate<{ violations: AxeViolation[] }>(
      `axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'], resultTypes: ['violations'] })`,
    );
    const found = result.violations.map((v) => `${name}: ${v.id} [${v.impact}] ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(found).toEqual([]);
    const checked = Date.now();
    await page.screenshot({ path: join(SHOTS, `console-${name}.png`), fullPage: true });
    if (process.env.CONSOLE_TIMING) console.log(`${name}: axe ${checked - started} ms, screenshot ${Date.now() - checked} ms`);
  }

  async function signIn(page: Page, token: string): Promise<void> {
    await page.goto('/console/login');
    await page.getByLabel('API token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/console`);
  }

  it('walks the console as staff: sign in, find, open and edit a domain, work the held queue, sign out', async () => {
    const t0 = Date.now();
    const mark = (what: string) => process.env.CONSOLE_TIMING && console.log(`${what} at ${Date.now() - t0} ms`);
    const { ctx, page } = await context();
    await page.goto('/console/login');
    await accessible(page, 'login');
    // A wrong token: back to the form, with the error.
    await page.getByLabel('API token').fill('aster_wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('unknown or has been revoked');

    mark('signed in');
    await signIn(page, p.staffToken);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('What needs a person now');
    // The stylesheet loaded under the CSP.
    expect(await page.locator('header.top').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(18, 38, 63)');
    await accessible(page, 'overview');

    // Find a domain and open it.
    await page.getByRole('link', { name: 'Domains', exact: true }).click();
    await accessible(page, 'domains');
    await page.getByLabel('Name contains').fill('omar');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('link', { name: 'omarhaddad.eu' }).click();
    await page.waitForURL(/\/console\/domains\/omarhaddad\.eu$/);
    await accessible(page, 'domain');

    mark('opened domain');
    // Edit it.
    await page.getByLabel('Expires on').fill('2027-05-06');
    await page.getByLabel('Notes', { exact: true }).fill('Client asked to keep auto-renew on.');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('Saved');
    const saved = (await t.http().get('/api/domains/omarhaddad.eu').set('Authorization', t.adminAuth)).body;
    expect(saved.expiresAt).toMatch(/^2027-05-06/);
    expect(saved.notes).toBe('Client asked to keep auto-renew on.');

    mark('edited');
    // The held queue: release the unmatched invoice to Linda's studio.
    await page.getByRole('link', { name: 'Held queue' }).click();
    await accessible(page, 'held');
    await page.getByRole('link', { name: 'Your invoice <b>#4411</b>' }).click();
    await accessible(page, 'message');
    await page.getByLabel('Linda Pence Studio').check();
    await page.getByRole('button', { name: 'Release' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('Released');
    expect((await t.http().get(`/api/messages/${p.unmatchedId}`).set('Authorization', t.adminAuth)).body.status).toBe('released');

    mark('released');
    // And discard the phishing one.
    await page.getByRole('link', { name: 'Held queue' }).click();
    await page.getByRole('link', { name: 'Act now: verify your account' }).click();
    await page.getByRole('button', { name: 'Discard' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('Discarded');
    expect((await t.http().get(`/api/messages/${p.spamId}`).set('Authorization', t.adminAuth)).body.status).toBe('discarded');

    mark('discarded');
    await page.getByRole('link', { name: 'Clients', exact: true }).click();
    await accessible(page, 'clients');
    await page.getByRole('link', { name: 'Linda Pence Studio' }).click();
    await accessible(page, 'client');
    await page.getByRole('link', { name: 'Messages', exact: true }).click();
    await accessible(page, 'messages');
    await page.getByRole('link', { name: 'Audit log' }).click();
    await accessible(page, 'audit');

    mark('lists');
    // A form whose _csrf was tampered with is refused and changes nothing.
    await page.goto(`/console/domains/lindapence.com`);
    await page.locator('form[action="/console/domains/lindapence.com"] input[name="_csrf"]').evaluate((el) => ((el as HTMLInputElement).value = 'forged'));
    await page.getByLabel('Notes', { exact: true }).fill('forged change');
    const refused = page.waitForResponse((r) => r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Save changes' }).click();
    expect((await refused).status()).toBe(403);
    expect((await t.http().get('/api/domains/lindapence.com').set('Authorization', t.adminAuth)).body.notes).toBeNull();

    mark('csrf');
    await page.goto('/console');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${base}/console/login`);
    await page.goto('/console/domains');
    expect(page.url()).toBe(`${base}/console/login`);
    mark('signed out');
    await ctx.close();
  }, 60_000);

  it('is readable and passes axe on a 390 px phone', async () => {
    const { ctx, page } = await context({ width: 390, height: 844 });
    await signIn(page, t.adminAuth.slice('Bearer '.length));
    await accessible(page, 'overview-phone');
    await page.goto('/console/domains');
    // Nothing makes the page itself scroll sideways (wide tables scroll in their own box).
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.goto(`/console/messages/${p.omarMessageId}`);
    await accessible(page, 'message-phone');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // Tokens (admin): make one; its secret is shown once, in a labelled field.
    await page.goto('/console/tokens');
    await page.getByLabel('Name').fill('Front desk');
    await page.getByRole('button', { name: 'Make the token' }).click();
    expect(await page.getByLabel('Token', { exact: true }).inputValue()).toMatch(/^aster_/);
    // No secret in a screenshot, even a scratch database's.
    await page.getByLabel('Token', { exact: true }).evaluate((el) => ((el as HTMLInputElement).value = 'aster_••••••••••••••••'));
    await accessible(page, 'tokens-phone');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await ctx.close();
  }, 45_000);

  it("gives a client token's session its own domains only, with no forms to change them", async () => {
    const { ctx, page } = await context();
    await signIn(page, p.clientToken);
    await page.goto('/console/domains');
    await accessible(page, 'client-domains');
    const names = await page.locator('tbody td:first-child a').allTextContents();
    expect(names.sort()).toEqual(['bücher-linda.de', 'lindapence.com']);
    expect(await page.getByRole('link', { name: 'Held queue' }).count()).toBe(0);
    await page.goto('/console/domains/lindapence.com');
    expect(await page.getByRole('button', { name: 'Save changes' }).count()).toBe(0);
    const other = await page.goto('/console/domains/omarhaddad.eu');
    expect(other?.status()).toBe(404);
    // Even a well-formed POST with the session's own _csrf is refused.
    await page.goto('/console/domains/lindapence.com');
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const res = await page.request.post('/console/domains/lindapence.com', { form: { _csrf: csrf, notes: 'from a client' } });
    expect(res.status()).toBe(403);
    await ctx.close();
  }, 45_000);

  it('broke no Content-Security-Policy rule and threw no script error on any page', () => {
    // The one expected console error is the refused forged POST (403) above.
    expect(problems.filter((m) => !/status of 403/.test(m) && !/status of 401/.test(m) && !/status of 404/.test(m))).toEqual([]);
  });
});
