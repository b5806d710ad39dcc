import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiPropertyOptional, ApiQuery, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { CurrentActor, type Actor } from '../auth/actor';
import { AnyRole, StaffOnly } from '../auth/roles.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { PageQuery, type Page } from '../common/page';
import { DomainDto } from '../domains/dto/domain.dto';
import { RegistryWatch, type CycleReport, type WatchEventView } from './registry-watch.service';
import { WATCH_EVENT_KINDS } from './watch-rules';

export class WatchEventQueryDto extends PageQuery {
  @ApiPropertyOptional({ example: 'lindapence.com', description: 'ASCII or Unicode name' })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  domain?: string;

  @ApiPropertyOptional({ enum: WATCH_EVENT_KINDS })
  @IsOptional()
  @IsIn(WATCH_EVENT_KINDS)
  kind?: string;
}

export class WatchRunQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Check every domain, not only those due' })
  @IsOptional()
  @IsIn(['true', 'false'])
  all?: string;
}

@ApiTags('registry watch')
@ApiBearerAuth()
@Controller('api')
export class WatchController {
  constructor(private readonly watch: RegistryWatch) {}

  @Post('domains/:name/check')
  @StaffOnly()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Check one domain at its registry (RDAP) now',
    description: 'Answers with the domain; `registry.error` says why the registry could not be read.',
  })
  @ApiParam({ name: 'name', description: 'ASCII or Unicode name' })
  @ApiOkResponse({ type: DomainDto })
  @ApiErrors(401, 403, 404)
  check(@Param('name') name: string, @CurrentActor() actor: Actor): Promise<DomainDto> {
    return this.watch.checkNow(name, actor);
  }

  @Post('watch/run')
  @StaffOnly()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Run a registry watch cycle now',
    description:
      'Checks the domains due (or all with `all=true`), then sends the reminders and alarms due. `checked` counts every domain checked, `failed` those whose registry could not be read.',
  })
  @ApiQuery({ name: 'all', required: false, enum: ['true', 'false'] })
  @ApiOkResponse({ schema: { example: { checked: 12, failed: 1, reminders: 2, alerts: 0 } } })
  @ApiErrors(400, 401, 403)
  run(@Query() query: WatchRunQueryDto): Promise<CycleReport> {
    return this.watch.run(query.all === 'true');
  }

  @Get('watch/events')
  @AnyRole()
  @ApiOperation({ summary: 'What the registry watch saw and did, newest first; a client token sees its own domains only' })
  @ApiOkResponse({
    schema: {
      example: {
        items: [
          {
            id: '…',
            domain: 'lindapence.com',
            kind: 'transfer_lock_removed',
            before: { statuses: ['clientTransferProhibited'] },
            after: { statuses: ['ok'] },
            detail: null,
            told: [{ email: 'linda@example.com', role: 'contact' }],
            createdAt: '2026-12-02T08:00:00.000Z',
          },
        ],
        total: 1,
        page: 1,
        limit: 50,
      },
    },
  })
  @ApiErrors(400, 401)
  events(@Query() query: WatchEventQueryDto, @CurrentActor() actor: Actor): Promise<Page<WatchEventView>> {
    return this.watch.events(query, actor);
  }
}
