import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors.decorator';
import { RecordIdPipe } from '../common/id.pipe';
import { CurrentActor, type Actor } from './actor';
import { CreatedTokenDto, CreateTokenDto } from './dto/create-token.dto';
import { Roles } from './roles.decorator';
import { TokensService } from './tokens.service';

@ApiTags('tokens')
@ApiBearerAuth()
@Controller('api/tokens')
@Roles('admin')
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  @Post()
  @ApiOperation({ summary: 'Create a token; its secret is in this answer only' })
  @ApiCreatedResponse({ type: CreatedTokenDto })
  @ApiErrors(400, 401, 403)
  create(@Body() dto: CreateTokenDto, @CurrentActor() actor: Actor) {
    return this.tokens.create(dto, actor);
  }

  @Get()
  @ApiOperation({ summary: 'All tokens (without secrets), revoked ones included' })
  @ApiOkResponse({ description: 'Array of tokens' })
  @ApiErrors(401, 403)
  list() {
    return this.tokens.list();
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a token; it stops working at once' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiErrors(401, 403, 404)
  async revoke(@Param('id', new RecordIdPipe('Token')) id: string, @CurrentActor() actor: Actor): Promise<void> {
    await this.tokens.revoke(id, actor);
  }
}
