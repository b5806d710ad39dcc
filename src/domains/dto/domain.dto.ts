// The domain as the API returns it (also the shape of its audit snapshots), for OpenAPI.
import { ApiProperty } from '@nestjs/swagger';
import { DOMAIN_STATES, type DomainState } from '../domain.entity';
import { EPP_STATUS_CODES } from '../epp-status';

/** The registry's view of a domain (issue 13; src/watch/rdap-record.ts RegistryView). */
export class RegistryViewDto {
  @ApiProperty({ type: String, format: 'date-time' }) checkedAt: string;
  @ApiProperty({ type: String, nullable: true, example: 'https://rdap.verisign.com/com/v1/domain/lindapence.com' }) source: string | null;
  @ApiProperty({ type: Number, nullable: true, example: 81 }) registrarIanaId: number | null;
  @ApiProperty({ type: String, nullable: true, example: 'Gandi SAS' }) registrarName: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiresAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) registeredAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastChangedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastTransferredAt: string | null;
  @ApiProperty({ type: [String], example: ['clientTransferProhibited'] }) statuses: string[];
  @ApiProperty({ type: [String], example: ['ns1.example.net'] }) nameservers: string[];
  @ApiProperty({ type: String, nullable: true, description: 'Why the last check failed (the other fields are then from the last successful one)' })
  error: string | null;
}

export class DomainDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'xn--bcher-kva.de', description: 'Lowercase ASCII (punycode) name: the key' }) name: string;
  @ApiProperty({ example: 'bücher.de' }) unicodeName: string;
  @ApiProperty({ example: 'xn--bcher-kva.de@notify.example.com', description: 'Per-domain alias to give the registrar as the registrant e-mail' })
  noticeAddress: string;
  @ApiProperty({
    example: 'https://domains.example.com/guide/domain/3f9c…',
    description: "Unguessable link to the domain's transfer guidance page, for the client (no account needed)",
  })
  guidanceUrl: string;
  @ApiProperty({ format: 'uuid' }) clientId: string;
  @ApiProperty({ type: String, nullable: true, example: 'Gandi', description: "The registrar's name" }) registrar: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) registrarId: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) registeredAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiresAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastTransferredAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) registrantChangedAt: Date | null;
  @ApiProperty({ type: [String], enum: EPP_STATUS_CODES }) statuses: string[];
  @ApiProperty({ type: [String], example: ['ns1.example.net'] }) nameservers: string[];
  @ApiProperty({ type: Boolean, nullable: true }) autoRenew: boolean | null;
  @ApiProperty({ type: Boolean }) registrantChangeOptOut: boolean;
  @ApiProperty({ enum: DOMAIN_STATES }) state: DomainState;
  @ApiProperty({ type: String, nullable: true }) notes: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When registrar mail about the domain last reached Aster' })
  lastNoticeAt: Date | null;
  @ApiProperty({ type: () => RegistryViewDto, nullable: true, description: 'What the registry (RDAP) said at the last check; null before the first' })
  registry: RegistryViewDto | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
}

export class DomainPageDto {
  @ApiProperty({ type: [DomainDto] }) items: DomainDto[];
  @ApiProperty({ example: 1 }) total: number;
  @ApiProperty({ example: 1 }) page: number;
  @ApiProperty({ example: 50 }) limit: number;
}
