// One DataSourceOptions for the app, the migration runner and the TypeORM CLI.
import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { ApiToken } from '../auth/api-token.entity';
import { AuditEvent } from '../audit/audit-event.entity';
import { Client } from '../clients/client.entity';
import { Contact } from '../clients/contact.entity';
import { ConsoleSession } from '../console/console-session.entity';
import { Domain } from '../domains/domain.entity';
import { DeliveryAttempt } from '../mail/delivery/delivery-attempt.entity';
import { Delivery } from '../mail/delivery/delivery.entity';
import { InboundMessage } from '../mail/intake/inbound-message.entity';
import { RawMessage } from '../mail/intake/raw-message.entity';
import { Registrar } from '../registrars/registrar.entity';
import { WatchEvent } from '../watch/watch-event.entity';

export const ENTITIES = [
  Client,
  Contact,
  Registrar,
  Domain,
  ApiToken,
  AuditEvent,
  InboundMessage,
  RawMessage,
  Delivery,
  DeliveryAttempt,
  ConsoleSession,
  WatchEvent,
];

export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    // src/database → ../../migrations works from ts sources and from dist/src/database alike.
    migrations: [join(__dirname, '..', '..', 'migrations', '*.{ts,js}')],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    uuidExtension: 'pgcrypto',
    synchronize: false,
    extra: { max: 10, connectionTimeoutMillis: 5000 },
  };
}
