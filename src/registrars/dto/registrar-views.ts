// The shapes the API answers with for registrars, and the function that builds them.
import { ApiProperty } from '@nestjs/swagger';
import type { Registrar } from '../registrar.entity';

export class RegistrarDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Gandi SAS' }) name: string;
  @ApiProperty({ type: 'integer', nullable: true, example: 81 }) ianaId: number | null;
  @ApiProperty({ type: [String], example: ['gandi.net'] }) senderDomains: string[];
  @ApiProperty({ type: String, nullable: true }) notes: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class RegistrarPageDto {
  @ApiProperty({ type: [RegistrarDto] }) items: RegistrarDto[];
  @ApiProperty({ example: 1 }) total: number;
  @ApiProperty({ example: 1 }) page: number;
  @ApiProperty({ example: 50 }) limit: number;
}

export function registrarView(r: Registrar): RegistrarDto {
  return {
    id: r.id,
    name: r.name,
    ianaId: r.ianaId,
    senderDomains: r.senderDomains,
    notes: r.notes,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}
