import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, type Actor } from '../auth/actor';
import { AnyRole, StaffOnly } from '../auth/roles.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { RecordIdPipe } from '../common/id.pipe';
import { CreateRegistrarDto, RegistrarQuery, UpdateRegistrarDto } from './dto/registrar.dto';
import { RegistrarDto, RegistrarPageDto } from './dto/registrar-views';
import { RegistrarsService } from './registrars.service';

// Registrars are the host's suppliers, not client data: any token may read them (a client needs the
// registrar's transfer notes to move a domain away); only staff and admin change them.
@ApiTags('registrars')
@ApiBearerAuth()
@Controller('api/registrars')
export class RegistrarsController {
  constructor(private readonly registrars: RegistrarsService) {}

  @Post()
  @StaffOnly()
  @ApiOperation({ summary: 'Create a registrar; names are unique regardless of case' })
  @ApiCreatedResponse({ type: RegistrarDto })
  @ApiErrors(400, 401, 403, 409)
  create(@Body() dto: CreateRegistrarDto, @CurrentActor() actor: Actor): Promise<RegistrarDto> {
    return this.registrars.create(dto, actor);
  }

  @Get()
  @AnyRole()
  @ApiOperation({ summary: 'Registrars by name' })
  @ApiOkResponse({ type: RegistrarPageDto })
  @ApiErrors(400, 401)
  list(@Query() query: RegistrarQuery): Promise<RegistrarPageDto> {
    return this.registrars.list(query);
  }

  @Get(':id')
  @AnyRole()
  @ApiOperation({ summary: 'One registrar' })
  @ApiOkResponse({ type: RegistrarDto })
  @ApiErrors(401, 404)
  get(@Param('id', new RecordIdPipe('Registrar')) id: string): Promise<RegistrarDto> {
    return this.registrars.get(id);
  }

  @Patch(':id')
  @StaffOnly()
  @ApiOperation({ summary: 'Change a registrar; senderDomains replaces the whole list' })
  @ApiOkResponse({ type: RegistrarDto })
  @ApiErrors(400, 401, 403, 404, 409)
  update(@Param('id', new RecordIdPipe('Registrar')) id: string, @Body() dto: UpdateRegistrarDto, @CurrentActor() actor: Actor): Promise<RegistrarDto> {
    return this.registrars.update(id, dto, actor);
  }

  @Delete(':id')
  @StaffOnly()
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a registrar; its domains remain, with no registrar' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(401, 403, 404)
  async remove(@Param('id', new RecordIdPipe('Registrar')) id: string, @CurrentActor() actor: Actor): Promise<void> {
    await this.registrars.remove(id, actor);
  }
}
