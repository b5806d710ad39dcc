import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Delivery } from './delivery.entity';

export type AttemptOutcome = 'sent' | 'temporary' | 'permanent';

/** One try at handing a delivery to the relay, with the relay's answer (ZoneMTA-style). */
@Entity('delivery_attempt')
@Index('IDX_delivery_attempt_delivery', ['deliveryId', 'at'])
export class DeliveryAttempt {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column({ type: 'uuid' })
  deliveryId: string;

  @ManyToOne(() => Delivery, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'deliveryId' })
  delivery: Relation<Delivery>;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;

  @Column({ type: 'varchar', length: 16 })
  outcome: AttemptOutcome;

  /** The relay's answer (e.g. `250 2.0.0 Ok`, `451 4.3.0 …`) or the connection error. */
  @Column({ type: 'text' })
  response: string;

  @Column({ type: 'integer' })
  durationMs: number;
}
