import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DomainsModule } from '../domains/domains.module';
import { REGISTRY_CHECK } from '../mail/intake/intake.pipeline';
import { MailModule } from '../mail/mail.module';
import { RegistryWatch } from './registry-watch.service';
import { WatchEvent } from './watch-event.entity';
import { WatchController } from './watch.controller';

/** The registry watch: RDAP checks, the record following the registry, reminders and alarms (issue 13). */
@Module({
  imports: [TypeOrmModule.forFeature([WatchEvent]), DomainsModule, MailModule],
  controllers: [WatchController],
  // REGISTRY_CHECK: routing checks a stale domain now through it (intake.pipeline.ts).
  providers: [RegistryWatch, { provide: REGISTRY_CHECK, useExisting: RegistryWatch }],
  exports: [RegistryWatch, REGISTRY_CHECK],
})
export class WatchModule {}
