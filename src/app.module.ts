import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { LoggerModule } from 'nestjs-pino';
import { logTransport } from './common/log-format';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { ClientsModule } from './clients/clients.module';
import { AsterExceptionFilter } from './common/exception.filter';
import { ConsoleModule } from './console/console.module';
import { AuthFailureLimiter, HttpRateLimitGuard, httpThrottlers } from './common/rate-limits';
import type { AsterConfig } from './config/config';
import { AsterConfigModule } from './config/config.module';
import { dataSourceOptions } from './database/data-source-options';
import { DatabaseModule } from './database/database.module';
import { DomainsModule } from './domains/domains.module';
import { GuidanceModule } from './guidance/guidance.module';
import { HealthModule } from './health/health.module';
import { MailModule } from './mail/mail.module';
import { MetricsModule } from './metrics/metrics.module';
import { RegistrarsModule } from './registrars/registrars.module';
import { WatchModule } from './watch/watch.module';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The whole service; `databaseUrl` must be resolved (embedded PostgreSQL started) beforehand. */
@Module({})
export class AppModule {
  static forRoot(config: AsterConfig & { databaseUrl: string }): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AsterConfigModule.forRoot(config),
        ThrottlerModule.forRoot(httpThrottlers(config.http)),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            // Pretty at a terminal, JSON lines otherwise (common/log-format.ts).
            transport: logTransport(),
            // Keep a sane incoming X-Request-Id (from a proxy), else make one; echo it back.
            genReqId: (req, res) => {
              const incoming = req.headers['x-request-id'];
              const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
              res.setHeader('X-Request-Id', id);
              return id;
            },
            // Secrets never reach the log: tokens travel in Authorization, and bodies are not logged.
            redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'], censor: '[redacted]' },
            serializers: {
              req: (req: { id: unknown; method: string; url: string; headers: Record<string, unknown> }) => ({
                id: req.id,
                method: req.method,
                url: req.url,
                headers: { authorization: req.headers.authorization, 'user-agent': req.headers['user-agent'] },
              }),
            },
            customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
          },
        }),
        TypeOrmModule.forRoot({ ...dataSourceOptions(config.databaseUrl), migrationsRun: false }),
        DatabaseModule.forRoot(config.databaseUrl),
        AuditModule,
        AuthModule,
        ClientsModule,
        RegistrarsModule,
        DomainsModule,
        GuidanceModule,
        HealthModule,
        MailModule,
        MetricsModule,
        ConsoleModule,
        WatchModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: AsterExceptionFilter },
        { provide: AuthFailureLimiter, useFactory: () => new AuthFailureLimiter(config.http.authFailuresPerMinute) },
        // Global guards run in the order their modules are scanned, and this module comes first: the
        // rate limits run before AuthModule's AuthGuard (test/http-edge.e2e-spec.ts proves it).
        { provide: APP_GUARD, useClass: HttpRateLimitGuard },
      ],
    };
  }
}
