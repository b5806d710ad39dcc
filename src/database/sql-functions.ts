// Aster's PL/pgSQL functions and where their current source lives: src/database/sql/<name>.sql, each
// exactly the CREATE OR REPLACE FUNCTION the database holds after all migrations (the rules they
// keep are listed at the top of each file). test/sql-functions.e2e-spec.ts fails when a migrated
// database and these files differ.
//
// To change a function: edit its .sql file, then add a migration whose up() drops the old
// signature if the parameters change (`DROP FUNCTION IF EXISTS name(old types)`, so an older
// migration that loaded a newer file does not trip it) and runs `sqlFunctionSource(name)`; its
// down() restores the previous text written out in full. Migrations that have run keep their own
// SQL inline: never edit them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SQL_FUNCTIONS = ['aster_store_messages', 'aster_queue_deliveries'] as const;

export type SqlFunction = (typeof SQL_FUNCTIONS)[number];

/** Where a function's source is; copied beside the compiled code by nest-cli.json's assets. */
export function sqlFunctionPath(name: SqlFunction): string {
  return join(__dirname, 'sql', `${name}.sql`);
}

/** The function's current CREATE OR REPLACE FUNCTION statement, comments included, for a migration to run. */
export function sqlFunctionSource(name: SqlFunction): string {
  return readFileSync(sqlFunctionPath(name), 'utf8');
}
