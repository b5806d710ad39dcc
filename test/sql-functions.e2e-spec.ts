// The PL/pgSQL functions a migrated database holds are exactly those in src/database/sql/*.sql (the
// readable source of their rules), and each file loads as a migration would run it.
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Client } from 'pg';
import { SQL_FUNCTIONS, sqlFunctionPath, sqlFunctionSource, type SqlFunction } from '../src/database/sql-functions';
import { createTestDatabase } from './support/test-app';

/** The statement without its leading comment lines and final semicolon, whitespace made uniform. */
function normalised(sql: string): string {
  return sql
    .replace(/^(\s*--[^\n]*\n)+/, '')
    .replace(/;\s*$/, '')
    .replace(/\s+/g, ' ')
    .replace(/\( /g, '(')
    .replace(/ \)/g, ')')
    .trim();
}

describe('SQL functions: the database against src/database/sql', () => {
  let database: { url: string; drop(): Promise<void> };
  let db: Client;
  const definitions = async (): Promise<Map<string, string>> => {
    const rows: { name: string; def: string }[] = (
      await db.query(
        `SELECT p.proname AS name, pg_get_functiondef(p.oid) AS def
           FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
          WHERE n.nspname = 'public' AND p.proname LIKE 'aster\\_%'`,
      )
    ).rows;
    // An overload left behind by a migration would show up as a second row of the same name.
    expect(rows.length).toBe(new Set(rows.map((r) => r.name)).size);
    return new Map(rows.map((r) => [r.name, r.def]));
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new Client({ connectionString: database.url });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await database?.drop();
  });

  it('has a file for every aster_ function and a function for every file', async () => {
    const files = readdirSync(dirname(sqlFunctionPath('aster_store_messages')))
      .filter((f) => f.endsWith('.sql'))
      .map((f) => f.slice(0, -'.sql'.length));
    expect([...(await definitions()).keys()].sort()).toEqual([...SQL_FUNCTIONS].sort());
    expect(files.sort()).toEqual([...SQL_FUNCTIONS].sort());
  });

  it.each(SQL_FUNCTIONS.map((name) => [name]))('%s is what its file says', async (name: SqlFunction) => {
    const def = (await definitions()).get(name);
    expect(def).toBeDefined();
    expect(normalised(sqlFunctionSource(name))).toBe(normalised(def!));
  });

  it('loads each file as a migration would, leaving the functions as they were', async () => {
    const before = await definitions();
    await db.query('BEGIN');
    try {
      for (const name of SQL_FUNCTIONS) await db.query(sqlFunctionSource(name));
      expect(await definitions()).toEqual(before);
    } finally {
      await db.query('ROLLBACK');
    }
  });
});
