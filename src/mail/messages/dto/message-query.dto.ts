import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQuery } from '../../../common/page';
import { HOLD_REASONS, MESSAGE_STATUSES, type HoldReason, type MessageStatus } from '../../intake/inbound-message.entity';

export class MessageQuery extends PageQuery {
  @ApiPropertyOptional({ enum: MESSAGE_STATUSES })
  @IsOptional()
  @IsIn(MESSAGE_STATUSES as unknown as string[], { message: `status must be one of ${MESSAGE_STATUSES.join(', ')}` })
  status?: MessageStatus;

  @ApiPropertyOptional({ enum: HOLD_REASONS })
  @IsOptional()
  @IsIn(HOLD_REASONS as unknown as string[], { message: `holdReason must be one of ${HOLD_REASONS.join(', ')}` })
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
}
