// What staff send to create, change and search clients.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, Length, MaxLength, ValidateBy, ValidateIf, ValidateNested, type ValidationArguments } from 'class-validator';
import { PageQuery } from '../../common/page';
import { CreateContactDto, NAME_MESSAGE } from './contact.dto';
import { MAX_NOTES_LENGTH, NotesText, Trim, TrimToNull } from './text-fields';

const MAX_CONTACTS = 100;

/**
 * One message for every way the list can be wrong, saying why a client needs a contact at all.
 * Each item must be an object: @ValidateNested passes a list nested in the list (`[[]]`) unchecked.
 */
const ContactList = (): PropertyDecorator =>
  ValidateBy({
    name: 'contactList',
    validator: {
      validate: (value: unknown) =>
        Array.isArray(value) &&
        value.length >= 1 &&
        value.length <= MAX_CONTACTS &&
        value.every((c) => typeof c === 'object' && c !== null && !Array.isArray(c)),
      defaultMessage: (args?: ValidationArguments) =>
        Array.isArray(args?.value) && args.value.length > MAX_CONTACTS
          ? `contacts may list at most ${MAX_CONTACTS} people; add more with POST /api/clients/:id/contacts`
          : 'contacts must list at least one person ({ name, email, receivesNotices? }): a client nobody can be told about would never hear from its registrars',
    },
  });

export class CreateClientDto {
  @ApiProperty({ example: 'Linda Pence Art', minLength: 1, maxLength: 200 })
  @Trim()
  @Length(1, 200, { message: NAME_MESSAGE })
  name: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: MAX_NOTES_LENGTH, example: 'Pays yearly; prefers phone calls' })
  @TrimToNull()
  @IsOptional()
  @NotesText()
  notes?: string | null;

  @ApiProperty({
    type: [CreateContactDto],
    minItems: 1,
    maxItems: MAX_CONTACTS,
    description: "At least one: the people who receive registrar notices about the client's domains",
  })
  @ContactList()
  @ValidateNested({ each: true })
  @Type(() => CreateContactDto)
  contacts: CreateContactDto[];
}

export class UpdateClientDto {
  @ApiPropertyOptional({ example: 'Linda Pence Art Studio', minLength: 1, maxLength: 200 })
  @ValidateIf((o: UpdateClientDto) => o.name !== undefined)
  @Trim()
  @Length(1, 200, { message: NAME_MESSAGE })
  name?: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: MAX_NOTES_LENGTH, description: 'null or "" clears the notes' })
  @TrimToNull()
  @IsOptional()
  @NotesText()
  notes?: string | null;
}

export class ClientQuery extends PageQuery {
  @ApiPropertyOptional({ type: String, description: "Case-insensitive part of the client's name or of a contact's e-mail", example: 'pence' })
  @TrimToNull()
  @IsOptional()
  @MaxLength(200, { message: '$property must be text of at most 200 characters' })
  q?: string | null;
}
