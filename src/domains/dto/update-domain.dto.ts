import { OmitType, PartialType } from '@nestjs/swagger';
import { CreateDomainDto } from './create-domain.dto';

/**
 * The body of PATCH /api/domains/:name: any field of POST but `name` (a domain is never renamed).
 * Absent fields stay as they are; null clears a field that may be empty. Changing `clientId` moves
 * the domain to another client; `clientId: null` is refused, as every domain belongs to a client.
 */
export class UpdateDomainDto extends PartialType(OmitType(CreateDomainDto, ['name'] as const), { skipNullProperties: false }) {}
