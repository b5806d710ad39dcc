import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { StaffOnly } from '../auth/roles.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { AuditService } from './audit.service';
import { AuditQuery } from './dto/audit-query.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @StaffOnly()
  @ApiOperation({ summary: 'Every change made through the API, newest first' })
  @ApiOkResponse({ description: '`{ items, total, page, limit }` of audit events' })
  @ApiErrors(400, 401, 403)
  list(@Query() query: AuditQuery) {
    return this.audit.list(query);
  }
}
