import { Body, Controller, Delete, Get, Header, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentActor, type Actor } from '../auth/actor';
import { AnyRole, StaffOnly } from '../auth/roles.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { CSV_COLUMNS, MAX_IMPORT_ROWS } from './domain-csv';
import { DomainsCsvService } from './domains-csv.service';
import { DomainsService } from './domains.service';
import { CreateDomainDto } from './dto/create-domain.dto';
import { DomainImportQuery, DomainImportReportDto } from './dto/domain-import.dto';
import { DomainQuery } from './dto/domain-query.dto';
import { DomainDto, DomainPageDto } from './dto/domain.dto';
import { UpdateDomainDto } from './dto/update-domain.dto';

const NAME_PARAM = { name: 'name', description: 'The domain name, ASCII (`xn--bcher-kva.de`) or Unicode (`bücher.de`)' };

const IMPORT_EXAMPLE =
  `${CSV_COLUMNS.join(',')}\n` +
  'lindapence.com,Linda Pence Art,Gandi,2019-03-01,2027-03-01,clientTransferProhibited\n' +
  '"bücher.de",7f0c8f52-1c1e-4a63-9f55-1e2b8c7d9a10,,,2026-11-30,ok\n';

// `export.csv` and `import` are declared before `:name`, so that the parameter does not capture them.
@ApiTags('domains')
@ApiBearerAuth()
@Controller('api/domains')
export class DomainsController {
  constructor(
    private readonly domains: DomainsService,
    private readonly csv: DomainsCsvService,
  ) {}

  @Get('export.csv')
  @StaffOnly()
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="domains.csv"')
  @ApiOperation({
    summary: 'All domains as CSV',
    description:
      `Columns ${CSV_COLUMNS.join(',')}; client by name, statuses space-separated, dates ISO 8601. A cell that would start ` +
      "with `=`, `+`, `-`, `@`, a tab or a carriage return (a spreadsheet formula) gets a `'` in front. Imports back unchanged.",
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'The CSV file', schema: { type: 'string', example: IMPORT_EXAMPLE } })
  @ApiErrors(401, 403)
  export(): Promise<string> {
    return this.csv.export();
  }

  @Post('import')
  @StaffOnly()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Create or update domains from CSV',
    description:
      `Header \`${CSV_COLUMNS.join(',')}\` (only \`name\` is required; \`client\` is a client id or exact name, any case; ` +
      "statuses separated by spaces, `;` or `|`). A `'` the export put before a formula character is taken off. " +
      'An existing domain is updated from the non-empty cells of its row. ' +
      `At most ${MAX_IMPORT_ROWS} rows. A bad row is reported and skipped, unless \`atomic=true\`, when any bad row ` +
      'rolls back all of them. `dryRun=true` checks and reports without writing.',
  })
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', example: IMPORT_EXAMPLE } })
  @ApiOkResponse({ type: DomainImportReportDto })
  @ApiErrors(400, 401, 403)
  import(@Body() body: unknown, @Query() query: DomainImportQuery, @CurrentActor() actor: Actor): Promise<DomainImportReportDto> {
    return this.csv.import(body, { dryRun: query.dryRun === 'true', atomic: query.atomic === 'true' }, actor);
  }

  @Post()
  @StaffOnly()
  @ApiOperation({ summary: 'Track a domain for a client' })
  @ApiCreatedResponse({ type: DomainDto })
  @ApiErrors(400, 401, 403, 409)
  create(@Body() dto: CreateDomainDto, @CurrentActor() actor: Actor): Promise<DomainDto> {
    return this.domains.create(dto, actor);
  }

  @Get()
  @AnyRole()
  @ApiOperation({ summary: 'Domains by name, filtered and paginated; a client token sees only its own' })
  @ApiOkResponse({ type: DomainPageDto })
  @ApiErrors(400, 401)
  list(@Query() query: DomainQuery, @CurrentActor() actor: Actor): Promise<DomainPageDto> {
    return this.domains.list(query, actor);
  }

  @Get(':name')
  @AnyRole()
  @ApiOperation({ summary: 'One domain' })
  @ApiParam(NAME_PARAM)
  @ApiOkResponse({ type: DomainDto })
  @ApiErrors(401, 404)
  get(@Param('name') name: string, @CurrentActor() actor: Actor): Promise<DomainDto> {
    return this.domains.get(name, actor);
  }

  @Patch(':name')
  @StaffOnly()
  @ApiOperation({ summary: 'Change a domain (every field but its name); a new clientId moves it' })
  @ApiParam(NAME_PARAM)
  @ApiOkResponse({ type: DomainDto })
  @ApiErrors(400, 401, 403, 404)
  update(@Param('name') name: string, @Body() dto: UpdateDomainDto, @CurrentActor() actor: Actor): Promise<DomainDto> {
    return this.domains.update(name, dto, actor);
  }

  @Delete(':name')
  @StaffOnly()
  @HttpCode(204)
  @ApiOperation({ summary: 'Stop tracking a domain' })
  @ApiParam(NAME_PARAM)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(401, 403, 404)
  async remove(@Param('name') name: string, @CurrentActor() actor: Actor): Promise<void> {
    await this.domains.remove(name, actor);
  }
}
