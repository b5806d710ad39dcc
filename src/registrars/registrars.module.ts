import { Module } from '@nestjs/common';
import { RegistrarsController } from './registrars.controller';
import { RegistrarsService } from './registrars.service';

/** Registrars. RegistrarsService is exported: the domains module finds or creates a domain's registrar through it. */
@Module({
  controllers: [RegistrarsController],
  providers: [RegistrarsService],
  exports: [RegistrarsService],
})
export class RegistrarsModule {}
