import { Global, Module, type DynamicModule } from '@nestjs/common';
import { DATABASE_URL, JobQueue } from './job-queue';

/** The job queue (pg-boss) on the same database as the records. */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(databaseUrl: string): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [{ provide: DATABASE_URL, useValue: databaseUrl }, JobQueue],
      exports: [JobQueue, DATABASE_URL],
    };
  }
}
