import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One change made through the API: who (token), what (action on an entity), before and after. */
@Entity('audit_event')
@Index('IDX_audit_event_entity', ['entityType', 'entityId'])
@Index('IDX_audit_event_at', ['at'])
export class AuditEvent {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;

  /** The token that acted; null for the ADMIN_TOKEN from the environment and for the system. */
  @Column({ type: 'uuid', nullable: true })
  tokenId: string | null;

  /** Readable name of the actor: the token's name and role, or `ADMIN_TOKEN`. */
  @Column({ type: 'varchar', length: 240 })
  actor: string;

  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Column({ type: 'varchar', length: 64 })
  entityType: string;

  @Column({ type: 'varchar', length: 300, nullable: true })
  entityId: string | null;

  @Column({ type: 'jsonb', nullable: true })
  before: object | null;

  @Column({ type: 'jsonb', nullable: true })
  after: object | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  requestId: string | null;
}
