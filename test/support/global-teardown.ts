import { Client } from 'pg';

export default async function globalTeardown(): Promise<void> {
  const serverUrl = process.env.ASTER_TEST_SERVER_URL;
  const template = process.env.ASTER_TEST_TEMPLATE;
  if (serverUrl && template) {
    const u = new URL(serverUrl);
    u.pathname = '/postgres';
    const admin = new Client({ connectionString: u.toString() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${template}`).catch(() => undefined);
    await admin.end();
  }
  await globalThis.__ASTER_TEST_EMBEDDED__?.stop();
}
