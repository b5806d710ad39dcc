import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, type Actor } from '../auth/actor';
import { AnyRole, StaffOnly } from '../auth/roles.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { RecordIdPipe } from '../common/id.pipe';
import { ClientsService } from './clients.service';
import { ContactsService } from './contacts.service';
import { ClientQuery, CreateClientDto, UpdateClientDto } from './dto/client.dto';
import { ClientDetailDto, ClientDto, ClientPageDto, ContactWithClientDto } from './dto/client-views';
import { CreateContactDto } from './dto/contact.dto';

@ApiTags('clients')
@ApiBearerAuth()
@Controller('api/clients')
export class ClientsController {
  constructor(
    private readonly clients: ClientsService,
    private readonly contacts: ContactsService,
  ) {}

  @Post()
  @StaffOnly()
  @ApiOperation({ summary: 'Create a client with at least one contact' })
  @ApiCreatedResponse({ type: ClientDto })
  @ApiErrors(400, 401, 403, 409)
  create(@Body() dto: CreateClientDto, @CurrentActor() actor: Actor): Promise<ClientDto> {
    return this.clients.create(dto, actor);
  }

  @Get()
  @AnyRole()
  @ApiOperation({ summary: 'Clients by name, with contacts and domain counts; a client token sees only its own client' })
  @ApiOkResponse({ type: ClientPageDto })
  @ApiErrors(400, 401)
  list(@Query() query: ClientQuery, @CurrentActor() actor: Actor): Promise<ClientPageDto> {
    return this.clients.list(query, actor);
  }

  @Get(':id')
  @AnyRole()
  @ApiOperation({ summary: "One client with its contacts and domain names; another client's id is 404 to a client token" })
  @ApiOkResponse({ type: ClientDetailDto })
  @ApiErrors(401, 404)
  get(@Param('id', new RecordIdPipe('Client')) id: string, @CurrentActor() actor: Actor): Promise<ClientDetailDto> {
    return this.clients.detail(id, actor);
  }

  @Patch(':id')
  @StaffOnly()
  @ApiOperation({ summary: 'Rename a client or change its notes' })
  @ApiOkResponse({ type: ClientDto })
  @ApiErrors(400, 401, 403, 404)
  update(@Param('id', new RecordIdPipe('Client')) id: string, @Body() dto: UpdateClientDto, @CurrentActor() actor: Actor): Promise<ClientDto> {
    return this.clients.update(id, dto, actor);
  }

  @Delete(':id')
  @StaffOnly()
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a client and its contacts and tokens; refused (409) while it has domains' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(401, 403, 404, 409)
  async remove(@Param('id', new RecordIdPipe('Client')) id: string, @CurrentActor() actor: Actor): Promise<void> {
    await this.clients.remove(id, actor);
  }

  @Post(':id/contacts')
  @StaffOnly()
  @ApiOperation({ summary: 'Add a contact to a client; its address must be new to the client' })
  @ApiCreatedResponse({ type: ContactWithClientDto })
  @ApiErrors(400, 401, 403, 404, 409)
  addContact(@Param('id', new RecordIdPipe('Client')) id: string, @Body() dto: CreateContactDto, @CurrentActor() actor: Actor): Promise<ContactWithClientDto> {
    return this.contacts.add(id, dto, actor);
  }
}
