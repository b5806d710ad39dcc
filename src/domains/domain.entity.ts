import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { Client } from '../clients/client.entity';
import { Registrar } from '../registrars/registrar.entity';
import type { RegistryView } from '../watch/rdap-record';

export const DOMAIN_STATES = ['active', 'transfer_pending', 'transferred_away', 'expired', 'deleted'] as const;
export type DomainState = (typeof DOMAIN_STATES)[number];

/** A registration the host manages in a client's name. `name` is the lowercase ASCII key. */
@Entity('domain')
@Index('IDX_domain_client', ['clientId'])
@Index('IDX_domain_registrar', ['registrarId'])
@Index('IDX_domain_expires', ['expiresAt'])
// The console's table by expiry, a page at a time (migrations/1795760000001-ConsoleDomainExpiryIndex.ts).
@Index('IDX_domain_expires_name', ['expiresAt', 'name'])
export class Domain {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('UQ_domain_name', { unique: true })
  @Column({ type: 'varchar', length: 253 })
  name: string;

  @Column({ type: 'varchar', length: 253 })
  unicodeName: string;

  @Column({ type: 'uuid' })
  clientId: string;

  @ManyToOne(() => Client, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'clientId' })
  client: Relation<Client>;

  @Column({ type: 'uuid', nullable: true })
  registrarId: string | null;

  @ManyToOne(() => Registrar, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'registrarId' })
  registrar: Relation<Registrar> | null;

  @Column({ type: 'timestamptz', nullable: true })
  registeredAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastTransferredAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  registrantChangedAt: Date | null;

  /** EPP status codes (RFC 5731), e.g. clientTransferProhibited. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  statuses: string[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  nameservers: string[];

  @Column({ type: 'boolean', nullable: true })
  autoRenew: boolean | null;

  @Column({ type: 'varchar', length: 32, default: 'active' })
  state: DomainState;

  /**
   * The registrant opted out of the 60-day lock before its last change of registrant (ICANN
   * Transfer Policy as updated 2025), so that change does not block a transfer.
   */
  @Column({ type: 'boolean', default: false })
  registrantChangeOptOut: boolean;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  /** Unguessable key of the domain's public guidance page (/guide/domain/:token), carried by notices. */
  @Index('UQ_domain_guidance_token', { unique: true })
  @Column({ type: 'varchar', length: 64, default: () => "encode(gen_random_bytes(18), 'hex')" })
  guidanceToken: string;

  /** When registrar mail about this domain last reached Aster (proves the contact switch-over). */
  @Column({ type: 'timestamptz', nullable: true })
  lastNoticeAt: Date | null;

  /** The registry's view from the last RDAP check (src/watch); null before the first. */
  @Column({ type: 'jsonb', nullable: true })
  registry: RegistryView | null;

  /** When the registry watch last checked (or claimed) the domain, successfully or not. */
  @Column({ type: 'timestamptz', nullable: true })
  registryCheckedAt: Date | null;

  /** When a check last succeeded: the age of `registry`'s values. */
  @Column({ type: 'timestamptz', nullable: true })
  registryOkAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
