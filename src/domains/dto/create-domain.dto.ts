// The body of POST /api/domains. Shapes are checked here; the domain rules (name, dates, EPP
// statuses, name servers) are checked by domain-name.ts and domain-fields.ts, shared with the import.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';
import { DOMAIN_STATES, type DomainState } from '../domain.entity';
import { EPP_STATUS_CODES } from '../epp-status';

const DATE = 'ISO 8601 date or date-time (a date alone is midnight UTC); null clears it on PATCH';
const DATE_MESSAGE = (field: string) => `${field} must be an ISO 8601 date such as 2026-03-01`;

export class CreateDomainDto {
  @ApiProperty({
    example: 'lindapence.com',
    description: 'A registrable domain (not a host under one), in ASCII or Unicode (`bücher.de`); stored as lowercase ASCII',
  })
  @IsString({ message: 'name must be a domain name such as example.com' })
  @MaxLength(1000)
  name: string;

  @ApiProperty({ format: 'uuid', description: 'The client the domain belongs to' })
  @IsUUID('all', { message: 'clientId must be the id (a UUID) of an existing client' })
  clientId: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'Gandi',
    description: 'Registrar name (case-insensitive) or id; an unknown name creates the registrar',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  registrar?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '2019-03-01', description: DATE })
  @IsOptional()
  @IsString({ message: DATE_MESSAGE('registeredAt') })
  registeredAt?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '2027-03-01', description: `${DATE}; after registeredAt` })
  @IsOptional()
  @IsString({ message: DATE_MESSAGE('expiresAt') })
  expiresAt?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '2024-06-15T10:00:00Z', description: DATE })
  @IsOptional()
  @IsString({ message: DATE_MESSAGE('lastTransferredAt') })
  lastTransferredAt?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '2025-09-01', description: DATE })
  @IsOptional()
  @IsString({ message: DATE_MESSAGE('registrantChangedAt') })
  registrantChangedAt?: string | null;

  @ApiPropertyOptional({
    type: [String],
    enum: EPP_STATUS_CODES,
    example: ['clientTransferProhibited'],
    description: 'EPP status codes (RFC 5731/3915), any letter case; stored in canonical case',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(32)
  @IsString({ each: true })
  statuses?: string[] | null;

  @ApiPropertyOptional({ type: [String], example: ['ns1.example.net', 'ns2.example.net'], description: 'Host names; stored lowercase ASCII' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  nameservers?: string[] | null;

  @ApiPropertyOptional({ type: Boolean, nullable: true, description: 'Whether the registrar renews automatically (null: unknown)' })
  @IsOptional()
  @IsBoolean()
  autoRenew?: boolean | null;

  @ApiPropertyOptional({ type: Boolean, default: false, description: 'The registrant opted out of the transfer lock before the last change of registrant' })
  @IsOptional()
  @IsBoolean()
  registrantChangeOptOut?: boolean;

  @ApiPropertyOptional({ enum: DOMAIN_STATES, default: 'active' })
  @ValidateIf((_o, value) => value !== undefined)
  @IsIn(DOMAIN_STATES, { message: `state must be one of ${DOMAIN_STATES.join(', ')}` })
  state?: DomainState;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Staff notes' })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  notes?: string | null;
}
