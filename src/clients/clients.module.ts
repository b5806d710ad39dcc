import { Module } from '@nestjs/common';
import { ClientsController } from './clients.controller';
import { ClientsService } from './clients.service';
import { ContactsController } from './contacts.controller';
import { ContactsService } from './contacts.service';

/** Clients and their contacts. ClientsService is exported: other modules ask it who may see a client and who to tell. */
@Module({
  controllers: [ClientsController, ContactsController],
  providers: [ClientsService, ContactsService],
  exports: [ClientsService, ContactsService],
})
export class ClientsModule {}
