import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor, type Actor } from '../../auth/actor';
import { AnyRole, StaffOnly } from '../../auth/roles.decorator';
import { ApiErrors } from '../../common/api-errors.decorator';
import { RecordIdPipe } from '../../common/id.pipe';
import { MessageDoc, MessagePageDoc } from './dto/message.doc';
import { MessageQuery } from './dto/message-query.dto';
import { ReleaseDto } from './dto/release.dto';
import { MessagesService } from './messages.service';

@ApiTags('messages')
@ApiBearerAuth()
@Controller('api/messages')
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Get()
  @AnyRole()
  @ApiOperation({ summary: 'Inbound registrar mail, newest first; a client token sees only mail about its own domains' })
  @ApiOkResponse({ type: MessagePageDoc, description: '`{ items, total, page, limit }` (and `totalCapped` when the count stopped at its cap)' })
  @ApiErrors(400, 401)
  list(@Query() query: MessageQuery, @CurrentActor() actor: Actor) {
    return this.messages.list(query, actor);
  }

  @Get(':id')
  @AnyRole()
  @ApiOperation({ summary: 'One message with its domains, clients, kind, decision and deliveries' })
  @ApiOkResponse({ type: MessageDoc })
  @ApiErrors(401, 404)
  show(@Param('id', new RecordIdPipe('Message')) id: string, @CurrentActor() actor: Actor) {
    return this.messages.show(id, actor);
  }

  @Get(':id/raw')
  @AnyRole()
  @ApiProduces('message/rfc822')
  @ApiOperation({ summary: 'The original bytes, exactly as received' })
  @ApiOkResponse({ description: 'The message (message/rfc822)' })
  @ApiErrors(401, 404)
  async raw(
    @Param('id', new RecordIdPipe('Message')) id: string,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const raw = await this.messages.raw(id, actor);
    res.setHeader('Content-Disposition', `attachment; filename="${id}.eml"`);
    return new StreamableFile(raw, { type: 'message/rfc822', length: raw.length });
  }

  @Post(':id/release')
  @HttpCode(200)
  @StaffOnly()
  @ApiOperation({ summary: 'Send a held message on to chosen clients (default: the clients it concerns)' })
  @ApiOkResponse({ type: MessageDoc, description: 'The message, now released, with its new deliveries' })
  @ApiErrors(400, 401, 403, 404, 409)
  release(@Param('id', new RecordIdPipe('Message')) id: string, @Body() body: ReleaseDto, @CurrentActor() actor: Actor) {
    return this.messages.release(id, body.clientIds, actor);
  }

  @Post(':id/discard')
  @HttpCode(200)
  @StaffOnly()
  @ApiOperation({ summary: 'Discard a held message: it is kept, but never forwarded' })
  @ApiOkResponse({ type: MessageDoc, description: 'The message, now discarded' })
  @ApiErrors(401, 403, 404, 409)
  discard(@Param('id', new RecordIdPipe('Message')) id: string, @CurrentActor() actor: Actor) {
    return this.messages.discard(id, actor);
  }
}
