import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { ROLES, type Role } from '../api-token.entity';

export class CreateTokenDto {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES, { message: 'role must be one of admin, staff, client' })
  role: Role;

  @ApiPropertyOptional({ format: 'uuid', description: 'Required for (and only for) client tokens' })
  @ValidateIf((o: CreateTokenDto) => o.role === 'client')
  @IsUUID('all', { message: 'clientId must be the id (a UUID) of the client this token is bound to' })
  clientId?: string;

  @ApiPropertyOptional({ example: 'Mia (staff laptop)' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;
}

export class CreatedTokenDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'The secret; shown only in this answer', example: 'aster_…' }) token: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiPropertyOptional({ format: 'uuid', nullable: true }) clientId: string | null;
  @ApiPropertyOptional({ nullable: true }) name: string | null;
  @ApiProperty() createdAt: Date;
}
