import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/page';

/** Filters of GET /api/domains; all combine (AND). */
export class DomainQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: "Only this client's domains" })
  @IsOptional()
  @IsUUID('all', { message: 'clientId must be a client id (a UUID)' })
  clientId?: string;

  @ApiPropertyOptional({ example: 'pence', description: 'Part of the ASCII or Unicode name, any letter case' })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  q?: string;

  @ApiPropertyOptional({ example: '2026-06-01', description: 'Only domains that expire before this ISO 8601 date' })
  @IsOptional()
  @IsString()
  expiresBefore?: string;

  @ApiPropertyOptional({ example: 'Gandi', description: 'Registrar name (any letter case) or id' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  registrar?: string;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'true: registrar mail about the domain has reached Aster (lastNoticeAt set); false: not yet',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'noticeSeen must be true or false' })
  noticeSeen?: 'true' | 'false';

  @ApiPropertyOptional({
    example: 'lindapence.com',
    description:
      'Keyset cursor, instead of `page`: the domains whose name sorts after this one (the `name` of the last item of the ' +
      'previous page), `limit` of them. Constant time at any depth, where a deep `page` costs its offset. ' +
      '`total` still counts every domain that matches the filters; `page` must be omitted (or 1).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  after?: string;
}
