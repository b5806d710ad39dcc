// A signed-in browser session of the staff console. The cookie holds a random id; only its SHA-256
// is stored here (like api_token), so a copy of this table opens no session. A session points at
// the API token it was opened with, never holds the token itself, and ends with it (revocation).
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity('console_session')
@Index('IDX_console_session_last_seen', ['lastSeenAt'])
export class ConsoleSession {
  /** SHA-256 (hex) of the cookie's session id. */
  @PrimaryColumn({ type: 'char', length: 64, primaryKeyConstraintName: 'PK_console_session' })
  idHash: string;

  /** The API token signed in with; null for the ADMIN_TOKEN of the environment. */
  @Column({ type: 'uuid', nullable: true })
  tokenId: string | null;

  /** For an ADMIN_TOKEN session: SHA-256 of that token, so the session ends when the setting changes. */
  @Column({ type: 'char', length: 64, nullable: true })
  adminTokenHash: string | null;

  /** The per-session secret every form carries as `_csrf`. */
  @Column({ type: 'varchar', length: 64 })
  csrfToken: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  lastSeenAt: Date;
}
