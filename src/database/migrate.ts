// Applies pending migrations under a PostgreSQL advisory lock, so several Aster instances starting
// together migrate once. Also the `npm run migration:run` command.
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/environment';
import { dataSourceOptions } from './data-source-options';
import { openDatabase } from './open-database';

/** Arbitrary constant identifying Aster's migration lock among other advisory locks. */
const MIGRATION_LOCK = 0x61737465; // 'aste'

/**
 * What the database's settings would cost Aster, in words for the start-up log. Autovacuum off
 * (some CI images turn it off) lets the job and message tables gather dead rows until the hot
 * path's queries slow down (docs/benchmarks.md, the soak): say so at start instead of drifting.
 */
export async function databaseWarnings(url: string): Promise<string[]> {
  const ds = new DataSource({ ...dataSourceOptions(url), logging: false });
  await ds.initialize();
  try {
    const [{ autovacuum }] = await ds.query<{ autovacuum: string }[]>('SELECT current_setting($1) AS autovacuum', ['autovacuum']);
    return autovacuum === 'off'
      ? [
          'PostgreSQL runs with autovacuum = off: dead rows will gather in the job and message tables and slow intake down over time; turn it on, or VACUUM ANALYZE regularly.',
        ]
      : [];
  } finally {
    await ds.destroy();
  }
}

export async function runMigrations(url: string): Promise<string[]> {
  const ds = new DataSource({ ...dataSourceOptions(url), logging: false });
  await ds.initialize();
  const runner = ds.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
    await ds.destroy();
  }
}

if (require.main === module) {
  void (async () => {
    try {
      const db = await openDatabase(loadConfig(), (line) => console.log(line));
      try {
        const applied = await runMigrations(db.url);
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'no pending migrations');
      } finally {
        await db.close();
      }
    } catch (err) {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    }
  })();
}
