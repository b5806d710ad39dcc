// The shapes the API answers with for clients and contacts, and the functions that build them.
import { ApiProperty } from '@nestjs/swagger';
import type { Client } from '../client.entity';
import type { Contact } from '../contact.entity';

export class ContactDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Linda Pence' }) name: string;
  @ApiProperty({ example: 'linda@lindapence.com' }) email: string;
  @ApiProperty() receivesNotices: boolean;
}

/** A contact answered on its own (POST /clients/:id/contacts, PATCH /contacts/:id) names its client. */
export class ContactWithClientDto extends ContactDto {
  @ApiProperty({ format: 'uuid' }) clientId: string;
}

export class ClientDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Linda Pence Art' }) name: string;
  @ApiProperty({ type: String, nullable: true }) notes: string | null;
  @ApiProperty({ type: [ContactDto] }) contacts: ContactDto[];
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class ClientListItemDto extends ClientDto {
  @ApiProperty({ description: 'How many domains the client has', example: 2 }) domainCount: number;
}

export class ClientDomainDto {
  @ApiProperty({ example: 'xn--bcher-kva.example', description: 'ASCII (punycode) name' }) name: string;
  @ApiProperty({ example: 'bücher.example' }) unicodeName: string;
}

export class ClientDetailDto extends ClientDto {
  @ApiProperty({ type: [ClientDomainDto], description: "The client's domains, by name" }) domains: ClientDomainDto[];
}

export class ClientPageDto {
  @ApiProperty({ type: [ClientListItemDto] }) items: ClientListItemDto[];
  @ApiProperty({ example: 1 }) total: number;
  @ApiProperty({ example: 1 }) page: number;
  @ApiProperty({ example: 50 }) limit: number;
}

export function contactView(c: Contact): ContactDto {
  return { id: c.id, name: c.name, email: c.email, receivesNotices: c.receivesNotices };
}

export function contactWithClientView(c: Contact): ContactWithClientDto {
  return { ...contactView(c), clientId: c.clientId };
}

/** `contacts` must be loaded (in display order) on the client. */
export function clientView(c: Client): ClientDto {
  return {
    id: c.id,
    name: c.name,
    notes: c.notes,
    contacts: c.contacts.map(contactView),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}
