import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, MaxLength, Min } from 'class-validator';
import { PageQuery } from '../../../common/page';
import { HOLD_REASONS, MESSAGE_STATUSES, type HoldReason, type MessageStatus } from '../../intake/inbound-message.entity';

/**
 * GET /api/messages counts the matching messages up to this many (or up to the end of the page
 * asked for, if further); past it `total` is that lower bound and the page says `totalCapped: true`.
 */
export const MESSAGE_COUNT_CAP = 10_000;

export class MessageQuery extends PageQuery {
  @ApiPropertyOptional({
    minimum: 1,
    default: 1,
    description:
      `The answer's \`total\` is exact up to ${MESSAGE_COUNT_CAP.toLocaleString('en')} matching messages (or up to the end of the page asked for, ` +
      'if that is further). Past that, counting stops: `total` is that lower bound and the answer carries `totalCapped: true` ' +
      '(absent otherwise).',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  override page: number = 1;

  @ApiPropertyOptional({ enum: MESSAGE_STATUSES })
  @IsOptional()
  @IsIn(MESSAGE_STATUSES, { message: `status must be one of ${MESSAGE_STATUSES.join(', ')}` })
  status?: MessageStatus;

  @ApiPropertyOptional({ enum: HOLD_REASONS })
  @IsOptional()
  @IsIn(HOLD_REASONS, { message: `holdReason must be one of ${HOLD_REASONS.join(', ')}` })
  holdReason?: HoldReason;

  @ApiPropertyOptional({ description: 'A tracked domain, ASCII or Unicode', example: 'lindapence.com' })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  domain?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'clientId must be a client id (UUID)' })
  clientId?: string;

  @ApiPropertyOptional({ type: Boolean, description: '`true`: only messages read as a scam or phishing; `false`: only the others' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'suspicious must be true or false' })
  suspicious?: boolean;
}
