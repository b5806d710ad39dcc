// Runs once before all test files: finds a PostgreSQL server (DATABASE_URL, or an embedded one of
// the test run's own) and builds a migrated template database. Each test file then works on its own
// copy of that template (see test-app.ts), so files never depend on each other or on order.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { PgBoss } from 'pg-boss';
import { runMigrations } from '../../src/database/migrate';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';

declare global {
  var __ASTER_TEST_EMBEDDED__: { stop(): Promise<void> } | undefined;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export default async function globalSetup(): Promise<void> {
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    // A directory the postgres user can reach when tests run as root.
    const dir = mkdtempSync(join(tmpdir(), 'aster-test-pg-'));
    const embedded = await startEmbeddedPostgres(dir, () => undefined);
    globalThis.__ASTER_TEST_EMBEDDED__ = embedded;
    serverUrl = embedded.url;
  }
  const template = `aster_template_${process.pid}`;
  const admin = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${template}`);
    await admin.query(`CREATE DATABASE ${template}`);
  } finally {
    await admin.end();
  }
  await runMigrations(withDatabase(serverUrl, template));
  // pg-boss creates its schema on first start; do it once here rather than in every test database.
  const boss = new PgBoss({ connectionString: withDatabase(serverUrl, template), schema: 'pgboss', supervise: false, schedule: false });
  await boss.start();
  await boss.stop({ graceful: false });
  process.env.ASTER_TEST_SERVER_URL = serverUrl;
  process.env.ASTER_TEST_TEMPLATE = template;
}
