import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * GET /api/messages sorts by "receivedAt" DESC, id DESC: an index on ("receivedAt", id) serves that
 * order in one backward scan (no sort of the ties) and every range on "receivedAt" that the old
 * one-column index served, so it replaces it.
 */
export class ApiListIndexes1795720000000 implements MigrationInterface {
  name = 'ApiListIndexes1795720000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_inbound_message_received_id" ON "inbound_message" ("receivedAt", "id") `);
    await queryRunner.query(`DROP INDEX "public"."IDX_inbound_message_received"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_inbound_message_received" ON "inbound_message" ("receivedAt") `);
    await queryRunner.query(`DROP INDEX "public"."IDX_inbound_message_received_id"`);
  }
}
