// Accessibility and looks of the guidance pages: boots Aster on a scratch database, renders every
// topic page and a domain's guidance page in Debian's headless Chromium, runs axe-core on each
// (WCAG 2.1 A/AA rules) and keeps screenshots (desktop and phone) under docs/screenshots/.
// Run: DATABASE_URL=postgres://… npx ts-node --transpile-only scripts/check-pages.ts
// Exits non-zero when axe reports a serious or critical violation.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { chromium } from 'playwright-core';
import { runMigrations } from '../src/database/migrate';
import { createTestDatabase, startTestApp } from '../test/support/test-app';

async function main(): Promise<void> {
  process.env.ASTER_TEST_SERVER_URL ??= process.env.DATABASE_URL;
  if (!process.env.ASTER_TEST_SERVER_URL) throw new Error('set DATABASE_URL');
  // A migrated template of our own, like the test harness's global setup.
  const template = await createTemplate();
  process.env.ASTER_TEST_TEMPLATE = template.name;
  const t = await startTestApp({ PUBLIC_URL: 'http://127.0.0.1' });
  await t.app.listen(0, '127.0.0.1');
  const base = await t.app.getUrl();
  const A = t.adminAuth;
  const client = await t
    .http()
    .post('/api/clients')
    .set('Authorization', A)
    .send({ name: 'Linda Pence Studio', contacts: [{ name: 'Linda', email: 'linda@pence-mail.test' }] });
  await t
    .http()
    .post('/api/registrars')
    .set('Authorization', A)
    .send({ name: 'Gandi SAS', ianaId: 81, notes: 'Unlock and get the auth code under Domain > Transfer in the Gandi account.' });
  const domain = await t
    .http()
    .post('/api/domains')
    .set('Authorization', A)
    .send({
      name: 'lindapence.com',
      clientId: client.body.id,
      registrar: 'Gandi SAS',
      registeredAt: '2016-03-03',
      expiresAt: '2026-12-03',
      statuses: ['clientTransferProhibited'],
      nameservers: ['ns1.gandi.net'],
    });
  const pages = [
    { name: 'guide-index', path: '/guide' },
    ...((await t.http().get('/api/guidance')).body as { slug: string }[]).map((x) => ({ name: `guide-${x.slug}`, path: `/guide/${x.slug}` })),
    { name: 'guide-domain', path: new URL(domain.body.guidanceUrl).pathname },
  ];
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const axe = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  let serious = 0;
  try {
    for (const page of pages) {
      for (const viewport of [
        { width: 1024, height: 800, suffix: '' },
        { width: 390, height: 844, suffix: '-phone' },
      ]) {
        const tab = await browser.newPage({ viewport, bypassCSP: true });
        const res = await tab.goto(base + page.path);
        if (!res?.ok()) throw new Error(`${page.path}: ${res?.status()}`);
        if (viewport.suffix === '' || page.name === 'guide-domain') {
          await tab.screenshot({ path: join('docs', 'screenshots', `${page.name}${viewport.suffix}.png`), fullPage: true });
        }
        await tab.addScriptTag({ content: axe });
        const result = (await tab.evaluate(`axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] })`)) as {
          violations: { id: string; impact: string; nodes: unknown[]; help: string }[];
        };
        const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        serious += bad.length;
        console.log(
          `${page.path} (${viewport.width}px): ${result.violations.length} violation(s)` +
            (result.violations.length ? ': ' + result.violations.map((v) => `${v.id} [${v.impact}] ×${v.nodes.length}`).join(', ') : ''),
        );
        await tab.close();
      }
    }
  } finally {
    await browser.close();
    await t.close();
    await template.drop();
  }
  console.log(serious ? `${serious} serious or critical violation(s)` : 'no serious or critical violations');
  process.exit(serious ? 1 : 0);
}

async function createTemplate() {
  const name = `aster_pages_${process.pid}`;
  const at = (db: string) => Object.assign(new URL(process.env.ASTER_TEST_SERVER_URL!), { pathname: `/${db}` }).toString();
  const admin = async (sql: string) => {
    const c = new Client({ connectionString: at('postgres') });
    await c.connect();
    await c.query(sql).finally(() => c.end());
  };
  await admin(`CREATE DATABASE ${name}`);
  await runMigrations(at(name));
  return { name, drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
