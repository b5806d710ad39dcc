// Boots the whole app for one test file on a database of its own (a copy of the migrated template),
// with an admin token, and drops that database afterwards.
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { AppModule } from '../../src/app.module';
import { parseConfig, type AsterConfig } from '../../src/config/config';
import { setupApp } from '../../src/setup-app';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

function serverUrl(database: string): string {
  const base = process.env.ASTER_TEST_SERVER_URL;
  if (!base) throw new Error('ASTER_TEST_SERVER_URL is not set: run the tests through jest.config.js (global setup)');
  const u = new URL(base);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: serverUrl('postgres') });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A fresh database copied from the migrated template; returns its URL and a drop function. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `aster_t_${randomBytes(6).toString('hex')}`;
  const template = process.env.ASTER_TEST_TEMPLATE!;
  await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  return {
    url: serverUrl(name),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

export interface TestApp {
  app: INestApplication;
  config: AsterConfig & { databaseUrl: string };
  http: () => TestAgent;
  /** Authorization header value for the bootstrap admin. */
  adminAuth: string;
  database: { url: string; drop(): Promise<void> };
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Reuse this database (e.g. to restart the app on the same data) instead of a fresh copy. */
  database?: { url: string; drop(): Promise<void> };
  /** Leave the database in place on close (when another app instance will use it). */
  keepDatabase?: boolean;
}

export async function startTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  // A data directory of its own (the outbox), removed on close.
  const dataDir = mkdtempSync(join(tmpdir(), 'aster-test-data-'));
  const config = {
    ...parseConfig({
      ADMIN_TOKEN,
      ASTER_DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      MAIL_DOMAIN: 'notify.artsites.test',
      SMTP_PORT: '0',
      ...env,
    }),
    databaseUrl: database.url,
  };
  let app: INestApplication;
  try {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] }).compile();
    app = moduleRef.createNestApplication({ bufferLogs: true });
    setupApp(app);
    await app.init();
  } catch (err) {
    if (!options.database) await database.drop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    app,
    config,
    http: () => request(app.getHttpServer()),
    adminAuth: `Bearer ${ADMIN_TOKEN}`,
    database,
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
      if (!options.keepDatabase) await database.drop();
    },
  };
}
