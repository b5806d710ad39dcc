// What staff send to create, change and search registrars.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsOptional, Length, MaxLength, ValidateBy, ValidateIf } from 'class-validator';
import { MAX_NOTES_LENGTH, NotesText, Trim, TrimToNull } from '../../clients/dto/text-fields';
import { PageQuery } from '../../common/page';

const NAME_MESSAGE = '$property is required: 1 to 200 characters (surrounding spaces are trimmed)';
const MAX_SENDER_DOMAINS = 50;
/** ianaId is an int4 column. */
const MAX_IANA_ID = 2_147_483_647;

/** IANA Registrar IDs are positive whole numbers (e.g. 81 for Gandi, 146 for GoDaddy). */
const IanaId = (): PropertyDecorator =>
  ValidateBy({
    name: 'ianaId',
    validator: {
      validate: (value: unknown) => Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_IANA_ID,
      defaultMessage: () => "$property must be the registrar's IANA Registrar ID, a positive whole number",
    },
  });

/** The list's shape only; each entry is checked and normalised by the service, which reports it as `senderDomains.N`. */
const SenderDomainList = (): PropertyDecorator =>
  ArrayMaxSize(MAX_SENDER_DOMAINS, { message: `$property must be a list of at most ${MAX_SENDER_DOMAINS} domain names` });

export class CreateRegistrarDto {
  @ApiProperty({ example: 'Gandi SAS', minLength: 1, maxLength: 200, description: 'Unique regardless of case' })
  @Trim()
  @Length(1, 200, { message: NAME_MESSAGE })
  name: string;

  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 1, example: 81, description: 'IANA Registrar ID; unique among registrars' })
  @IsOptional()
  @IanaId()
  ianaId?: number | null;

  @ApiPropertyOptional({
    type: [String],
    example: ['gandi.net'],
    maxItems: MAX_SENDER_DOMAINS,
    description: "Registrable domains the registrar's mail comes from, for sender verification; stored in lowercase ASCII (punycode)",
  })
  @IsOptional()
  @SenderDomainList()
  senderDomains?: string[];

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: MAX_NOTES_LENGTH, description: 'How transfers out work at this registrar' })
  @TrimToNull()
  @IsOptional()
  @NotesText()
  notes?: string | null;
}

/** Every field optional; null clears ianaId and notes, and is refused for name and senderDomains. */
export class UpdateRegistrarDto {
  @ApiPropertyOptional({ example: 'Gandi SAS', minLength: 1, maxLength: 200 })
  @ValidateIf((o: UpdateRegistrarDto) => o.name !== undefined)
  @Trim()
  @Length(1, 200, { message: NAME_MESSAGE })
  name?: string;

  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 1, example: 81, description: 'null clears it' })
  @IsOptional()
  @IanaId()
  ianaId?: number | null;

  @ApiPropertyOptional({ type: [String], example: ['gandi.net'], maxItems: MAX_SENDER_DOMAINS, description: 'Replaces the whole list' })
  @ValidateIf((o: UpdateRegistrarDto) => o.senderDomains !== undefined)
  @SenderDomainList()
  senderDomains?: string[];

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: MAX_NOTES_LENGTH, description: 'null or "" clears the notes' })
  @TrimToNull()
  @IsOptional()
  @NotesText()
  notes?: string | null;
}

export class RegistrarQuery extends PageQuery {
  @ApiPropertyOptional({ type: String, description: 'Case-insensitive part of the name or of a sender domain', example: 'gandi' })
  @TrimToNull()
  @IsOptional()
  @MaxLength(200, { message: '$property must be text of at most 200 characters' })
  q?: string | null;
}
