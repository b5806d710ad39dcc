import { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlFunctionSource } from '../src/database/sql-functions';

/**
 * aster_store_messages: the store stage for a group of messages from concurrent SMTP sessions in one
 * round trip and one commit (issue 15, item 3), with the same duplicate rule and advisory locks as
 * aster_store_message, which stays until its callers are gone. Its routing job is queued only when
 * p_route_queue is not null. The function's source is src/database/sql/aster_store_messages.sql
 * (src/database/sql-functions.ts).
 */
export class GroupedStore1795781000000 implements MigrationInterface {
  name = 'GroupedStore1795781000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(sqlFunctionSource('aster_store_messages'));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION IF EXISTS aster_store_messages(jsonb, bytea[], text)`);
  }
}
