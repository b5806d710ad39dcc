// The staff console (issue 16): pages under /console, sessions opened with an API token.
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { ClientsModule } from '../clients/clients.module';
import { DomainsModule } from '../domains/domains.module';
import { MailModule } from '../mail/mail.module';
import { WatchModule } from '../watch/watch.module';
import { ConsoleAuthGuard } from './console-auth.guard';
import { ConsoleQueries } from './console-queries';
import { ConsoleSession } from './console-session.entity';
import { ConsoleSessionsService } from './console-sessions.service';
import { ConsoleController } from './console.controller';

@Module({
  imports: [TypeOrmModule.forFeature([ConsoleSession]), AuthModule, ClientsModule, DomainsModule, MailModule, WatchModule],
  controllers: [ConsoleController],
  providers: [ConsoleSessionsService, ConsoleQueries, ConsoleAuthGuard],
})
export class ConsoleModule {}
