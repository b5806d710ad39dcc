// What staff send to add or change a contact: a person at a client who may receive registrar notices.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsOptional, Length, ValidateIf } from 'class-validator';
import { Trim } from './text-fields';

// One validator per field where one can say it all, so each bad field gets one clear message
// (Length, MaxLength and IsEmail refuse non-strings too; IsEmail caps an address at 254 characters).
export const NAME_MESSAGE = '$property is required: 1 to 200 characters (surrounding spaces are trimmed)';
const EMAIL_MESSAGE = '$property must be an e-mail address like linda@lindapence.com';

export class CreateContactDto {
  @ApiProperty({ example: 'Linda Pence', minLength: 1, maxLength: 200 })
  @Trim()
  @Length(1, 200, { message: NAME_MESSAGE })
  name: string;

  @ApiProperty({
    example: 'linda@lindapence.com',
    format: 'email',
    maxLength: 254,
    description: 'Stored trimmed, case kept; unique per client regardless of case',
  })
  @Trim()
  @IsEmail({}, { message: EMAIL_MESSAGE })
  email: string;

  @ApiPropertyOptional({ default: true, description: "Whether this contact gets a copy of every registrar notice about the client's domains" })
  @IsOptional()
  @IsBoolean()
  receivesNotices?: boolean;
}

/** Every field optional; null is refused (a contact always has a name and an address). */
export class UpdateContactDto {
  @ApiPropertyOptional({ example: 'Linda Pence', minLength: 1, maxLength: 200 })
  @ValidateIf((o: UpdateContactDto) => o.name !== undefined)
  @Trim()
  @Length(1, 200, { message: NAME_MESSAGE })
  name?: string;

  @ApiPropertyOptional({ example: 'office@lindapence.com', format: 'email', maxLength: 254 })
  @ValidateIf((o: UpdateContactDto) => o.email !== undefined)
  @Trim()
  @IsEmail({}, { message: EMAIL_MESSAGE })
  email?: string;

  @ApiPropertyOptional({ description: 'Refused (409) when it would leave a client that has domains with no contact receiving notices' })
  @ValidateIf((o: UpdateContactDto) => o.receivesNotices !== undefined)
  @IsBoolean()
  receivesNotices?: boolean;
}
