import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentActor, type Actor } from '../auth/actor';
import { AnyRole, Public } from '../auth/roles.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { DomainsService } from '../domains/domains.service';
import { GuidanceService } from './guidance.service';

class TopicSummaryDoc {
  @ApiProperty({ example: 'moving-a-domain' }) slug: string;
  @ApiProperty({ example: 'Moving a domain to another registrar' }) title: string;
}

class TopicDoc extends TopicSummaryDoc {
  @ApiProperty({ description: 'The topic in Markdown' }) markdown: string;
}

class BlockerDoc {
  @ApiProperty({ example: 'client_transfer_prohibited' }) code: string;
  @ApiProperty() message: string;
  @ApiPropertyOptional({ description: 'First day (YYYY-MM-DD) on which it no longer applies', example: '2027-01-05' }) until?: string;
}

class TransferGuidanceDoc {
  @ApiProperty({ example: 'lindapence.com' }) domain: string;
  @ApiProperty() unicodeName: string;
  @ApiProperty() eligible: boolean;
  @ApiProperty({ nullable: true, example: '2027-01-05' }) earliestTransferDate: string | null;
  @ApiProperty({ type: [BlockerDoc] }) blockers: BlockerDoc[];
  @ApiProperty({ type: [Object], description: '`{ code, message }`: things to act on that do not stop a move' }) warnings: object[];
  @ApiProperty({ type: [String] }) steps: string[];
  @ApiProperty({ type: [String] }) caveats: string[];
  @ApiProperty({ type: [Object], description: 'The policy rules this answer rests on, with their sources' }) rules: object[];
}

@ApiTags('guidance')
@Controller('api')
export class GuidanceController {
  constructor(
    private readonly guidance: GuidanceService,
    private readonly domains: DomainsService,
  ) {}

  @Get('guidance')
  @Public()
  @ApiOperation({ summary: 'The general guidance topics (public)' })
  @ApiOkResponse({ type: [TopicSummaryDoc] })
  topics() {
    return this.guidance.topics();
  }

  @Get('guidance/:slug')
  @Public()
  @ApiOperation({ summary: 'One guidance topic, in Markdown (public)' })
  @ApiOkResponse({ type: TopicDoc })
  @ApiErrors(404)
  topic(@Param('slug') slug: string) {
    return this.guidance.topic(slug);
  }

  @Get('domains/:name/transfer-guidance')
  @AnyRole()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Whether and how the domain can move to another registrar on a given date' })
  @ApiQuery({ name: 'at', required: false, description: 'ISO 8601 date or date-time; default now', example: '2026-12-01' })
  @ApiOkResponse({ type: TransferGuidanceDoc })
  @ApiErrors(400, 401, 404)
  async forDomain(@Param('name') name: string, @Query('at') at: string | undefined, @CurrentActor() actor: Actor) {
    const when = this.guidance.parseAt(at);
    const domain = await this.domains.findVisible(name, actor);
    return this.guidance.forDomain(domain, when);
  }
}
