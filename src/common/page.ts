// Pagination shared by every list endpoint: `page`, `limit` (1–200) in, `{ items, total, page, limit }` out.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const MAX_PAGE_SIZE = 200;

export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page: number = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 50;

  get skip(): number {
    return (this.page - 1) * this.limit;
  }
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  limit: number;
  /**
   * Only on lists that cap their count (GET /api/messages), and only when the cap was reached:
   * `total` is then a lower bound (at least that many match), not the exact number.
   */
  totalCapped?: true;
}

/** The page object; `totalCapped` is added only when true, so exact pages keep the four keys. */
export function page<T>(items: T[], total: number, query: PageQuery, totalCapped = false): Page<T> {
  const out: Page<T> = { items, total, page: query.page, limit: query.limit };
  if (totalCapped) out.totalCapped = true;
  return out;
}

/** Swagger schema of the error body, used by @ApiErrors. */
export class ErrorBodyDoc {
  @ApiProperty({ example: 400 })
  statusCode: number;
  @ApiProperty({ example: "name: 'www.lindapence.com' is a host under lindapence.com; …" })
  message: string;
  @ApiPropertyOptional({ example: [{ field: 'name', message: '…' }] })
  errors?: { field: string; message: string }[];
}
