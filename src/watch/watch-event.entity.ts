import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { WatchEventKind } from './watch-rules';

/** Who a watch event was told to: a client's contact or the staff address, and the letter's delivery. */
export interface Told {
  email: string;
  role: 'contact' | 'staff';
  deliveryId: string;
}

/** What the registry watch saw and did for one domain (migrations/1795750000000-RegistryWatch.ts). */
@Entity('watch_event')
export class WatchEvent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid', nullable: true })
  domainId: string | null;

  @Column({ type: 'varchar', length: 253 })
  domainName: string;

  @Column({ type: 'uuid', nullable: true })
  clientId: string | null;

  @Column({ type: 'varchar', length: 32 })
  kind: WatchEventKind;

  @Column({ type: 'jsonb', nullable: true })
  before: unknown;

  @Column({ type: 'jsonb', nullable: true })
  after: unknown;

  /** For people: the error, the threshold, the expiry date. */
  @Column({ type: 'text', nullable: true })
  detail: string | null;

  @Column({ type: 'varchar', length: 400, nullable: true })
  dedupeKey: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  told: Told[];

  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  deliveryIds: string[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
