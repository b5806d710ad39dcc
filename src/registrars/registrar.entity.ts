import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A registrar the host uses: who writes to us, from which domains, and how it handles transfers. */
@Entity('registrar')
// Unique on lower(name), created in the migration.
@Index('UQ_registrar_name', { synchronize: false })
export class Registrar {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** IANA Registrar ID (gTLD registrars have one; ccTLD-only registrars may not). */
  @Column({ type: 'integer', nullable: true })
  ianaId: number | null;

  /** Domains the registrar's mail comes from (DMARC-aligned From domains), for sender verification. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  senderDomains: string[];

  /** How this registrar handles transfers out (where the auth code is, how to unlock…). */
  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
