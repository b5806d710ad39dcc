import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn, type Relation } from 'typeorm';
import { InboundMessage } from './inbound-message.entity';

/**
 * The bytes of a received message, exactly as they arrived, kept apart from InboundMessage so
 * that listing and routing never drag megabytes of mail through memory.
 */
@Entity('raw_message')
export class RawMessage {
  @PrimaryColumn({ type: 'uuid' })
  messageId: string;

  @OneToOne(() => InboundMessage, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'messageId' })
  message: Relation<InboundMessage>;

  @Column({ type: 'bytea' })
  raw: Buffer;
}
