import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RegistrarsModule } from '../registrars/registrars.module';
import { Domain } from './domain.entity';
import { DomainsCsvService } from './domains-csv.service';
import { DomainsController } from './domains.controller';
import { DomainsService } from './domains.service';

@Module({
  imports: [TypeOrmModule.forFeature([Domain]), RegistrarsModule],
  controllers: [DomainsController],
  providers: [DomainsService, DomainsCsvService],
  exports: [DomainsService],
})
export class DomainsModule {}
