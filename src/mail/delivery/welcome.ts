// The welcome letter: sent once to each notice-receiving contact of a client (unless forced), to
// explain the arrangement before the first registrar notice arrives.
import { Body, Controller, HttpCode, Injectable, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsBoolean, IsOptional } from 'class-validator';
import { DataSource, In } from 'typeorm';
import { AuditService } from '../../audit/audit.service';
import { CurrentActor, type Actor } from '../../auth/actor';
import { StaffOnly } from '../../auth/roles.decorator';
import { ClientsService } from '../../clients/clients.service';
import { ApiErrors } from '../../common/api-errors.decorator';
import { ConflictError } from '../../common/errors';
import { RecordIdPipe } from '../../common/id.pipe';
import { DeliveriesService } from './deliveries.service';
import { Delivery } from './delivery.entity';

export class WelcomeDto {
  @ApiPropertyOptional({ description: 'Send again to contacts that already got the letter', default: false })
  @IsOptional()
  @IsBoolean()
  force?: boolean;
}

class WelcomeRecipientDoc {
  @ApiProperty({ format: 'uuid' }) contactId: string;
  @ApiProperty() email: string;
  @ApiPropertyOptional({ format: 'uuid' }) deliveryId?: string;
  @ApiPropertyOptional({ example: 'already welcomed on 2026-11-25T10:00:00.000Z' }) reason?: string;
}

class WelcomeResultDoc {
  @ApiProperty({ type: [WelcomeRecipientDoc] }) queued: WelcomeRecipientDoc[];
  @ApiProperty({ type: [WelcomeRecipientDoc] }) skipped: WelcomeRecipientDoc[];
}

@Injectable()
export class WelcomeService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly deliveries: DeliveriesService,
    private readonly audit: AuditService,
    private readonly clients: ClientsService,
  ) {}

  async send(clientId: string, force: boolean, actor: Actor): Promise<WelcomeResultDoc> {
    return this.db.transaction(async (manager) => {
      // The client's row stays locked until the letters are queued (ClientsService.lock), so no
      // contact changes under us.
      const client = await this.clients.lock(manager, clientId);
      const contacts = client.contacts.filter((c) => c.receivesNotices);
      if (contacts.length === 0) throw new ConflictError('No contact of this client receives notices; add one first');
      const earlier = await manager.find(Delivery, {
        where: { form: 'welcome', contactId: In(contacts.map((c) => c.id)), status: In(['queued', 'sent']) },
      });
      const result: WelcomeResultDoc = { queued: [], skipped: [] };
      for (const contact of contacts) {
        const previous = earlier.find((d) => d.contactId === contact.id && d.email === contact.email.toLowerCase());
        if (previous && !force) {
          result.skipped.push({
            contactId: contact.id,
            email: contact.email,
            reason: `already welcomed (${previous.status}, ${previous.createdAt.toISOString()}); send with force to repeat`,
          });
          continue;
        }
        const delivery = await this.deliveries.queueLetter(manager, { form: 'welcome', email: contact.email, clientId, contactId: contact.id });
        result.queued.push({ contactId: contact.id, email: contact.email, deliveryId: delivery.id });
      }
      if (result.queued.length) {
        await this.audit.record(manager, actor, { action: 'welcome', entityType: 'client', entityId: clientId, after: { queued: result.queued, force } });
      }
      return result;
    });
  }
}

@ApiTags('clients')
@ApiBearerAuth()
@Controller('api/clients')
export class WelcomeController {
  constructor(private readonly welcome: WelcomeService) {}

  @Post(':id/welcome')
  @HttpCode(200)
  @StaffOnly()
  @ApiOperation({ summary: "Send the welcome letter to the client's notice-receiving contacts (once each, unless forced)" })
  @ApiOkResponse({ type: WelcomeResultDoc })
  @ApiErrors(400, 401, 403, 404, 409)
  send(@Param('id', new RecordIdPipe('Client')) id: string, @Body() body: WelcomeDto, @CurrentActor() actor: Actor) {
    return this.welcome.send(id, body.force ?? false, actor);
  }
}
