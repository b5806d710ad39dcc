import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 16: sessions of the staff console, in PostgreSQL rather than in memory so that they survive
 * a restart and every instance behind the load balancer knows them. Ending a token (revoke, delete)
 * ends its sessions (ON DELETE CASCADE; a revoked token is refused at each request).
 */
export class ConsoleSessions1795760000000 implements MigrationInterface {
  name = 'ConsoleSessions1795760000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "console_session" ("idHash" character(64) NOT NULL, "tokenId" uuid, "adminTokenHash" character(64), "csrfToken" character varying(64) NOT NULL, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "lastSeenAt" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_console_session" PRIMARY KEY ("idHash"), CONSTRAINT "FK_console_session_token" FOREIGN KEY ("tokenId") REFERENCES "api_token"("id") ON DELETE CASCADE)`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_console_session_last_seen" ON "console_session" ("lastSeenAt")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "console_session"`);
  }
}
