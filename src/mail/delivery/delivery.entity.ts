import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { InboundMessage } from '../intake/inbound-message.entity';

export const DELIVERY_STATUSES = ['queued', 'sent', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** `forward`: the whole notice with the original attached; `digest`: the privacy digest (own domains only). */
export type DeliveryForm = 'forward' | 'digest';

/** One copy of a notice for one contact. Unique per (message, address): never two sets of copies. */
@Entity('delivery')
@Index('UQ_delivery_message_email', ['inboundMessageId', 'email'], { unique: true })
@Index('IDX_delivery_status_next', ['status', 'nextAttemptAt'])
export class Delivery {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  inboundMessageId: string;

  @ManyToOne(() => InboundMessage, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'inboundMessageId' })
  inboundMessage: Relation<InboundMessage>;

  @Column({ type: 'uuid' })
  clientId: string;

  @Column({ type: 'uuid', nullable: true })
  contactId: string | null;

  /** Lowercased recipient address. */
  @Column({ type: 'varchar', length: 320 })
  email: string;

  @Column({ type: 'varchar', length: 16 })
  form: DeliveryForm;

  /** The client's own domains this copy names (all of them for `forward`). */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  domains: string[];

  @Column({ type: 'varchar', length: 16, default: 'queued' })
  status: DeliveryStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'timestamptz', nullable: true, default: () => 'now()' })
  nextAttemptAt: Date | null;

  @Column({ type: 'text', nullable: true })
  lastResponse: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
