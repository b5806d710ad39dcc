// The staff console (issue 16): pages under /console, sessions opened with an API token. Each
// controller is one group of pages; every change goes through the API's own services.
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { ClientsModule } from '../clients/clients.module';
import { DomainsModule } from '../domains/domains.module';
import { MailModule } from '../mail/mail.module';
import { WatchModule } from '../watch/watch.module';
import { ConsoleAdminController } from './console-admin.controller';
import { ConsoleAuthGuard } from './console-auth.guard';
import { ConsoleClientsController } from './console-clients.controller';
import { ConsoleDomainsController } from './console-domains.controller';
import { ConsoleMessagesController } from './console-messages.controller';
import { ConsoleNotFoundController } from './console-not-found.controller';
import { ConsoleQueries } from './console-queries';
import { ConsoleSession } from './console-session.entity';
import { ConsoleSessionController } from './console-session.controller';
import { ConsoleSessionsService } from './console-sessions.service';

@Module({
  imports: [TypeOrmModule.forFeature([ConsoleSession]), AuthModule, ClientsModule, DomainsModule, MailModule, WatchModule],
  controllers: [
    ConsoleSessionController,
    ConsoleDomainsController,
    ConsoleClientsController,
    ConsoleMessagesController,
    ConsoleAdminController,
    // Last: its catch-all route must come after every other /console route.
    ConsoleNotFoundController,
  ],
  providers: [ConsoleSessionsService, ConsoleQueries, ConsoleAuthGuard],
})
export class ConsoleModule {}
