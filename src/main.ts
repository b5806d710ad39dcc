// Boots Aster: configuration, database (embedded when DATABASE_URL is unset), migrations, then the
// roles ASTER_ROLES names (HTTP API, SMTP intake, workers; the workers in child processes when
// ASTER_WORKER_PROCESSES > 0). Stops cleanly on SIGINT/SIGTERM: the app first, then embedded PostgreSQL.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import pino from 'pino';
import { AppModule } from './app.module';
import { ConfigError, type AsterConfig } from './config/config';
import { loadConfig } from './config/environment';
import { removeEmbeddedStopSignalHooks } from './database/embedded-postgres';
import { databaseWarnings, runMigrations } from './database/migrate';
import { JobQueue } from './database/job-queue';
import { openDatabase } from './database/open-database';
import { isWorkerChild, serveMainProcess, WorkerProcesses } from './database/worker-processes';
import { MetricsService } from './metrics/metrics.service';
import { logTransport } from './common/log-format';
import { setupApp } from './setup-app';

type StopSignal = 'SIGINT' | 'SIGTERM';

/**
 * Aster's own handler for SIGINT and SIGTERM; returns what removes exactly these listeners, so a
 * later stage can put its own in their place without touching any a dependency registered.
 */
function onStopSignal(handler: (signal: StopSignal) => void): () => void {
  const listeners = (['SIGINT', 'SIGTERM'] as const).map((signal) => [signal, () => handler(signal)] as const);
  for (const [signal, listener] of listeners) process.once(signal, listener);
  return () => {
    for (const [signal, listener] of listeners) process.off(signal, listener);
  };
}

async function main(): Promise<void> {
  let config: AsterConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const problem of err.problems) console.error(`aster: ${problem.message}`);
      process.exit(2);
    }
    throw err;
  }
  const transport = logTransport();
  const log = pino({ level: config.logLevel, base: { component: 'boot' }, ...(transport ? { transport } : {}) });
  // A database that goes away must not take the process with it: every path that matters answers
  // its caller (451, a retried job); a stray rejection is logged for us to fix, never fatal.
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection'));
  const database = await openDatabase(config, (line) => log.info(line));
  // Aster stops its embedded PostgreSQL itself, after the app (stop below), not on the package's hook.
  if (database.embedded) removeEmbeddedStopSignalHooks();
  let stopping = false;
  const stop = async (signal: string, app?: { close(): Promise<void> }) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: shutting down`);
    await app?.close().catch((err: unknown) => log.error({ err }, 'error while closing the app'));
    await database.close().catch((err: unknown) => log.error({ err }, 'error while stopping PostgreSQL'));
    process.exit(0);
  };
  const removeEarlyStop = onStopSignal((signal) => void stop(signal));

  if (isWorkerChild()) return runWorkerChild(config, database.url, log, removeEarlyStop);

  const applied = await runMigrations(database.url);
  if (applied.length) log.info(`applied migrations: ${applied.join(', ')}`);
  for (const warning of await databaseWarnings(database.url)) log.warn(warning);

  // The worker role in child processes of its own (database/worker-processes.ts), or here.
  const forkWorkers = config.roles.includes('worker') && config.workerProcesses > 0;
  const roles = forkWorkers ? config.roles.filter((r) => r !== 'worker') : config.roles;
  const app = await NestFactory.create(AppModule.forRoot({ ...config, roles, databaseUrl: database.url }), { bufferLogs: true });
  setupApp(app);
  const workers = forkWorkers
    ? new WorkerProcesses(config.workerProcesses, { ...process.env, DATABASE_URL: database.url }, { info: (m) => log.info(m), error: (m) => log.error(m) })
    : undefined;
  const closeAll = {
    close: async () => {
      await app.close();
      await workers?.stop();
    },
  };
  removeEarlyStop();
  onStopSignal((signal) => void stop(signal, closeAll));
  await app.listen(config.http.port, config.http.host);
  log.info(`HTTP API on http://${config.http.host}:${config.http.port}/api (OpenAPI at /docs)`);
  workers?.start();
}

/** A worker child: the job workers only, no listener; it stops with the main process. */
async function runWorkerChild(config: AsterConfig, databaseUrl: string, log: pino.Logger, removeEarlyStop: () => void): Promise<void> {
  const app = await NestFactory.create(AppModule.forRoot({ ...config, roles: ['worker'], databaseUrl }), { bufferLogs: true });
  setupApp(app);
  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`worker process ${process.pid}: ${reason}; finishing running jobs`);
    void app
      .close()
      .catch((err: unknown) => log.error({ err }, 'error while closing the worker'))
      .finally(() => process.exit(0));
  };
  removeEarlyStop();
  onStopSignal(stop);
  serveMainProcess({
    nudge: (queue) => app.get(JobQueue).nudge(queue),
    metrics: () => app.get(MetricsService).ownMetrics(),
    stop,
  });
  await app.init();
}

main().catch((err: unknown) => {
  console.error(`aster: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
