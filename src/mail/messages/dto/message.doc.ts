// The shape of a message as the API returns it, for OpenAPI.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DELIVERY_FORMS, DELIVERY_STATUSES } from '../../delivery/delivery.entity';
import { NOTICE_KINDS } from '../../intake/classify';
import { HOLD_REASONS, MESSAGE_STATUSES } from '../../intake/inbound-message.entity';
import { MESSAGE_COUNT_CAP } from './message-query.dto';

export class AttemptDoc {
  @ApiProperty() at: Date;
  @ApiProperty({ enum: ['sent', 'temporary', 'permanent'] }) outcome: string;
  @ApiProperty({ example: '451 4.3.0 Try again later' }) response: string;
}

export class DeliveryDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true }) clientId: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true }) contactId: string | null;
  @ApiProperty({ example: 'linda@example.com' }) email: string;
  @ApiProperty({ enum: DELIVERY_FORMS }) form: string;
  @ApiProperty({ type: [String], description: "The client's own domains this copy names" }) domains: string[];
  @ApiProperty({ enum: DELIVERY_STATUSES }) status: string;
  @ApiProperty() attempts: number;
  @ApiPropertyOptional({ nullable: true }) nextAttemptAt: Date | null;
  @ApiPropertyOptional({ nullable: true, example: '250 2.0.0 Ok: queued' }) lastResponse: string | null;
  @ApiPropertyOptional({ nullable: true }) sentAt: Date | null;
  @ApiProperty({ type: [AttemptDoc] }) attemptLog: AttemptDoc[];
}

/** A message as GET /api/messages lists it. */
export class MessageSummaryDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiPropertyOptional({ nullable: true, description: 'The Message-ID header, without angle brackets' }) messageId: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'The From header' }) from: string | null;
  @ApiPropertyOptional({ nullable: true }) subject: string | null;
  @ApiProperty() receivedAt: Date;
  @ApiProperty({ enum: MESSAGE_STATUSES }) status: string;
  @ApiPropertyOptional({ enum: HOLD_REASONS, nullable: true }) holdReason: string | null;
  @ApiPropertyOptional({ enum: NOTICE_KINDS, nullable: true }) kind: string | null;
  @ApiProperty({ type: [String], example: ['lindapence.com'] }) domains: string[];
  @ApiProperty({ type: [String], format: 'uuid' }) clientIds: string[];
}

/** A message as GET /api/messages/:id shows it: the summary, its decision and its deliveries. */
export class MessageDoc extends MessageSummaryDoc {
  @ApiPropertyOptional({ enum: ['forward', 'digest', 'hold', 'bounce'], nullable: true }) decision: string | null;
  @ApiPropertyOptional({ nullable: true }) decisionReason: string | null;
  @ApiProperty({ description: '`{ from, to[] }` of the SMTP envelope' }) envelope: object;
  @ApiProperty({ enum: ['stored', 'decided'] }) stage: string;
  @ApiPropertyOptional({ nullable: true, description: 'SPF, DKIM, DMARC and ARC results' }) authResults: object | null;
  @ApiProperty({ type: [DeliveryDoc] }) deliveries: DeliveryDoc[];
}

/** The answer of GET /api/messages. */
export class MessagePageDoc {
  @ApiProperty({ type: [MessageSummaryDoc] }) items: MessageSummaryDoc[];
  @ApiProperty({
    example: 1,
    description: `Matching messages: exact up to ${MESSAGE_COUNT_CAP.toLocaleString('en')} (or up to the end of the page asked for, if further); past that, this lower bound, with \`totalCapped\``,
  })
  total: number;
  @ApiProperty({ example: 1 }) page: number;
  @ApiProperty({ example: 50 }) limit: number;
  @ApiPropertyOptional({
    enum: [true],
    description: 'Present, and true, only when counting stopped at the cap: `total` is then a lower bound ("at least"), not the exact number',
  })
  totalCapped?: true;
}
