// Where the database is: DATABASE_URL, or else the embedded PostgreSQL under ASTER_DATA_DIR.
import type { AsterConfig } from '../config/config';
import { startEmbeddedPostgres } from './embedded-postgres';

export interface OpenDatabase {
  url: string;
  embedded: boolean;
  /** Stops the embedded server (a no-op for DATABASE_URL). */
  close(): Promise<void>;
}

export async function openDatabase(config: AsterConfig, log: (line: string) => void): Promise<OpenDatabase> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: false, close: () => Promise.resolve() };
  const embedded = await startEmbeddedPostgres(config.dataDir, log);
  return { url: embedded.url, embedded: true, close: () => embedded.stop() };
}
