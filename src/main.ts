// Boots Aster: configuration, database (embedded when DATABASE_URL is unset), migrations, then
// the HTTP API (and, as later stages land, the SMTP listener and workers). Stops cleanly on
// SIGINT/SIGTERM, embedded PostgreSQL included.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import pino from 'pino';
import { AppModule } from './app.module';
import { ConfigError, type AsterConfig } from './config/config';
import { loadConfig } from './config/environment';
import { runMigrations } from './database/migrate';
import { openDatabase } from './database/open-database';
import { setupApp } from './setup-app';

async function main(): Promise<void> {
  let config: AsterConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`aster: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const log = pino({ level: config.logLevel, base: { component: 'boot' } });
  // A database that goes away must not take the process with it: every path that matters answers
  // its caller (451, a retried job); a stray rejection is logged for us to fix, never fatal.
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection'));
  const database = await openDatabase(config, (line) => log.info(line));
  let stopping = false;
  const stop = async (signal: string, app?: { close(): Promise<void> }) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: shutting down`);
    await app?.close().catch((err: unknown) => log.error({ err }, 'error while closing the app'));
    await database.close().catch((err: unknown) => log.error({ err }, 'error while stopping PostgreSQL'));
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  const applied = await runMigrations(database.url);
  if (applied.length) log.info(`applied migrations: ${applied.join(', ')}`);

  const app = await NestFactory.create(AppModule.forRoot({ ...config, databaseUrl: database.url }), { bufferLogs: true });
  setupApp(app);
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.once('SIGINT', () => void stop('SIGINT', app));
  process.once('SIGTERM', () => void stop('SIGTERM', app));
  await app.listen(config.http.port, config.http.host);
  log.info(`HTTP API on http://${config.http.host}:${config.http.port}/api (OpenAPI at /docs)`);
}

main().catch((err: unknown) => {
  console.error(`aster: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
