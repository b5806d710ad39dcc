import { Module } from '@nestjs/common';
import { DomainsModule } from '../domains/domains.module';
import { GuidanceController } from './guidance.controller';
import { GuidanceService } from './guidance.service';
import { GuidancePagesController } from './pages.controller';

/** Transfer guidance: topics, per-domain answers (API and pages). */
@Module({
  imports: [DomainsModule],
  controllers: [GuidanceController, GuidancePagesController],
  providers: [GuidanceService],
})
export class GuidanceModule {}
