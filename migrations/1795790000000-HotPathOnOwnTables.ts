import { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlFunctionSource } from '../src/database/sql-functions';
import { RECORD_DECISION } from './1795770000000-RecordDecisionWithoutNoticeFor';

/**
 * The mail hot path on Aster's own tables (issue 15): routing claims stored messages from
 * inbound_message (`FOR UPDATE SKIP LOCKED` on the partial index below), decides, delivers and records
 * the batch in one transaction; retries are delivery rows with a due time. So:
 *   - inbound_message gets "routeAfter" (when routing may claim it: now, or later after a failure or
 *     while sender verification waits for DNS), "routeFailures" and "verifyAttempts";
 *   - aster_record_decision (which queued deliveries and their pg-boss jobs) is gone;
 *   - aster_queue_deliveries queues deliveries without a job.
 * Messages still waiting for a routing job and deliveries waiting for a deliver job when this runs are
 * at stage 'stored' / status 'queued' already: the new loops claim them; their pg-boss jobs find
 * nothing left to do.
 */
export class HotPathOnOwnTables1795790000000 implements MigrationInterface {
  name = 'HotPathOnOwnTables1795790000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE inbound_message ADD "routeAfter" timestamptz NOT NULL DEFAULT now(),
                                   ADD "routeFailures" integer NOT NULL DEFAULT 0,
                                   ADD "verifyAttempts" integer NOT NULL DEFAULT 0`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_inbound_message_to_route" ON inbound_message ("routeAfter") WHERE stage = 'stored'`);
    await queryRunner.query(`CREATE INDEX "IDX_delivery_due" ON delivery ("nextAttemptAt") WHERE status = 'queued'`);
    await queryRunner.query(
      `DROP FUNCTION IF EXISTS aster_record_decision(uuid, text, text, text, text, text, text, text[], uuid[], jsonb, jsonb, text, text, text, integer, real, text[], jsonb, jsonb)`,
    );
    await queryRunner.query(`DROP FUNCTION IF EXISTS aster_queue_deliveries(uuid, uuid, text, text[], text)`);
    await queryRunner.query(sqlFunctionSource('aster_queue_deliveries'));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION IF EXISTS aster_queue_deliveries(uuid, uuid, text, text[])`);
    await queryRunner.query(OLD_QUEUE_DELIVERIES);
    await queryRunner.query(`DROP INDEX "IDX_delivery_due"`);
    await queryRunner.query(`DROP INDEX "IDX_inbound_message_to_route"`);
    await queryRunner.query(`ALTER TABLE inbound_message DROP COLUMN "routeAfter", DROP COLUMN "routeFailures", DROP COLUMN "verifyAttempts"`);
    await queryRunner.query(RECORD_DECISION);
  }
}

/** aster_queue_deliveries as HotPathFunctions1795710000000 left it (a pg-boss job per delivery). */
const OLD_QUEUE_DELIVERIES = `
CREATE OR REPLACE FUNCTION public.aster_queue_deliveries(
    p_message uuid, p_client uuid, p_form text, p_domains text[], p_deliver_queue text)
 RETURNS integer
 LANGUAGE plpgsql
AS $function$
      DECLARE
        v_recipients integer;
        v_delivery uuid;
      BEGIN
        SELECT count(*) INTO v_recipients FROM contact c WHERE c."clientId" = p_client AND c."receivesNotices";
        FOR v_delivery IN
          INSERT INTO delivery ("inboundMessageId", "clientId", "contactId", email, form, domains)
          SELECT p_message, p_client, c.id, lower(c.email), p_form, p_domains
            FROM contact c WHERE c."clientId" = p_client AND c."receivesNotices"
          ON CONFLICT ("inboundMessageId", email) DO NOTHING
          RETURNING id
        LOOP
          PERFORM aster_enqueue(p_deliver_queue, jsonb_build_object('deliveryId', v_delivery), v_delivery::text || ':0');
        END LOOP;
        RETURN v_recipients;
      END $function$;
`;
