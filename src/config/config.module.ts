import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { AsterConfig } from './config';

/** Injection token for the validated AsterConfig. */
export const ASTER_CONFIG = Symbol('ASTER_CONFIG');

/** Makes the configuration, parsed once at start, injectable everywhere. */
@Global()
@Module({})
export class AsterConfigModule {
  static forRoot(config: AsterConfig): DynamicModule {
    return { module: AsterConfigModule, providers: [{ provide: ASTER_CONFIG, useValue: config }], exports: [ASTER_CONFIG] };
  }
}
