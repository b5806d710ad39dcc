// Aster warns at start when PostgreSQL's settings will slow it down over time (issue 15, item 5):
// with autovacuum off, dead rows gather in the job and message tables.
import { Client } from 'pg';
import { databaseWarnings } from '../src/database/migrate';
import { createTestDatabase } from './support/test-app';

describe('database warnings at start', () => {
  it('warns exactly when autovacuum is off', async () => {
    const db = await createTestDatabase();
    try {
      const client = new Client({ connectionString: db.url });
      await client.connect();
      const { rows } = await client.query<{ autovacuum: string }>('SHOW autovacuum');
      await client.end();
      const warnings = await databaseWarnings(db.url);
      if (rows[0].autovacuum === 'off') expect(warnings).toEqual([expect.stringMatching(/autovacuum = off/)]);
      else expect(warnings).toEqual([]);
    } finally {
      await db.drop();
    }
  });
});
