// Query and answer of POST /api/domains/import.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export class DomainImportQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'false', description: 'Check and report every row; write nothing' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'dryRun must be true or false' })
  dryRun?: 'true' | 'false';

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    default: 'false',
    description: 'All rows or none: one bad row rolls the whole import back',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'atomic must be true or false' })
  atomic?: 'true' | 'false';
}

export const IMPORT_RESULTS = ['created', 'updated', 'error'] as const;
export type ImportResult = (typeof IMPORT_RESULTS)[number];

export class DomainImportRowDto {
  @ApiProperty({ example: 1, description: '1-based number of the data row (the header is not counted)' }) row: number;
  @ApiProperty({ example: 'lindapence.com', description: 'The ASCII name, or the cell as written when it is no valid name' })
  name: string;
  @ApiProperty({ enum: IMPORT_RESULTS, description: 'What the row does (or, in a dry run or a rolled-back import, would do)' })
  result: ImportResult;
  @ApiPropertyOptional({ example: "registeredAt: '2026-13-01' is not a date; …" }) error?: string;
}

export class DomainImportReportDto {
  @ApiProperty() dryRun: boolean;
  @ApiProperty() atomic: boolean;
  @ApiProperty({ description: 'True when an atomic import had errors and nothing was written' }) rolledBack: boolean;
  @ApiProperty({ description: 'Domains created (in a dry run: that would be created; 0 when rolled back)' }) created: number;
  @ApiProperty({ description: 'Domains updated (in a dry run: that would be updated; 0 when rolled back)' }) updated: number;
  @ApiProperty({ description: 'Rows with an error' }) errors: number;
  @ApiProperty({ example: 'Nothing was written: 1 row has an error and the import is atomic.' }) message: string;
  @ApiProperty({ type: [DomainImportRowDto] }) rows: DomainImportRowDto[];
}
