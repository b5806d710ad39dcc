import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { InboundMessage } from '../intake/inbound-message.entity';

export const DELIVERY_STATUSES = ['queued', 'sent', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * `forward`: the whole notice with the original attached; `digest`: the privacy digest (own domains
 * only); `welcome`: the letter that explains the arrangement; `staff_alert`: held messages and
 * failed deliveries, for the host's staff; `registry_alert` and `expiry_reminder`: the registry
 * watch's letters (src/watch), about the watch events whose `deliveryIds` hold the delivery.
 */
export const DELIVERY_FORMS = ['forward', 'digest', 'welcome', 'staff_alert', 'registry_alert', 'expiry_reminder'] as const;
export type DeliveryForm = (typeof DELIVERY_FORMS)[number];

/** One letter for one address. Unique per (message, address): never two sets of copies of a notice. */
@Entity('delivery')
// NULL message ids (welcome letters, alerts) never collide: NULLs are distinct in a unique index.
@Index('UQ_delivery_message_email', ['inboundMessageId', 'email'], { unique: true })
@Index('IDX_delivery_status_next', ['status', 'nextAttemptAt'])
// What the delivery loop may claim: a partial index on status 'queued', created in the migration.
@Index('IDX_delivery_due', { synchronize: false })
export class Delivery {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The registrar message this copies; null for welcome letters and staff alerts. */
  @Column({ type: 'uuid', nullable: true })
  inboundMessageId: string | null;

  @ManyToOne(() => InboundMessage, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'inboundMessageId' })
  inboundMessage: Relation<InboundMessage> | null;

  /** The client the letter is for; null for staff alerts. */
  @Column({ type: 'uuid', nullable: true })
  clientId: string | null;

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

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
