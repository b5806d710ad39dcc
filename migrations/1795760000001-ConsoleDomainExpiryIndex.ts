import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 16: the console lists domains by expiry, then name, a page at a time by keyset
 * (`("expiresAt", name) > (…)`); this index serves both the order and the seek, so the last page of
 * 100,000 domains costs what the first does. (IDX_domain_expires alone leaves a sort of every tie.)
 */
export class ConsoleDomainExpiryIndex1795760000001 implements MigrationInterface {
  name = 'ConsoleDomainExpiryIndex1795760000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_domain_expires_name" ON "domain" ("expiresAt", "name")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_domain_expires_name"`);
  }
}
