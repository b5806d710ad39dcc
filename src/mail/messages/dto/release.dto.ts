import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsUUID } from 'class-validator';

export class ReleaseDto {
  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Clients to send the message to; default: the clients it was matched to' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true, message: 'each of clientIds must be a client id (UUID)' })
  clientIds?: string[];
}
