import { Body, Controller, Delete, HttpCode, Param, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, type Actor } from '../auth/actor';
import { StaffOnly } from '../auth/roles.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { RecordIdPipe } from '../common/id.pipe';
import { ContactsService } from './contacts.service';
import { ContactWithClientDto } from './dto/client-views';
import { UpdateContactDto } from './dto/contact.dto';

@ApiTags('clients')
@ApiBearerAuth()
@Controller('api/contacts')
@StaffOnly()
export class ContactsController {
  constructor(private readonly contacts: ContactsService) {}

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a contact',
    description: 'Refused (409) for an address the client already has, or when it would leave a client that has domains with nobody receiving notices',
  })
  @ApiOkResponse({ type: ContactWithClientDto })
  @ApiErrors(400, 401, 403, 404, 409)
  update(@Param('id', new RecordIdPipe('Contact')) id: string, @Body() dto: UpdateContactDto, @CurrentActor() actor: Actor): Promise<ContactWithClientDto> {
    return this.contacts.update(id, dto, actor);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete a contact',
    description: 'Refused (409) when it is the last contact receiving notices of a client that has domains',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(401, 403, 404, 409)
  async remove(@Param('id', new RecordIdPipe('Contact')) id: string, @CurrentActor() actor: Actor): Promise<void> {
    await this.contacts.remove(id, actor);
  }
}
