import { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlFunctionSource } from '../src/database/sql-functions';

/**
 * aster_store_messages raises a duplicate's count only when no routing pass holds the first copy's
 * row: a duplicate arriving while its original is being routed no longer makes the whole store
 * group (and every SMTP session waiting on it) wait for that pass to commit.
 */
export class DuplicateCountSkipsClaimed1795792000000 implements MigrationInterface {
  name = 'DuplicateCountSkipsClaimed1795792000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(sqlFunctionSource('aster_store_messages'));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(PREVIOUS);
  }
}

/** aster_store_messages as NoJobsFromSql1795791000000 left it. */
const PREVIOUS = `
CREATE OR REPLACE FUNCTION public.aster_store_messages(p_envelopes jsonb, p_raw bytea[])
 RETURNS TABLE(ord integer, stored_id uuid, is_duplicate boolean)
 LANGUAGE plpgsql
AS $function$
      DECLARE
        v_count integer := jsonb_array_length(p_envelopes);
        v_key bigint;
        v_envelope jsonb;
        v_from text;
        v_message_id text;
        v_id uuid;
      BEGIN
        IF cardinality(p_raw) IS DISTINCT FROM v_count THEN
          RAISE EXCEPTION 'aster_store_messages: % envelopes but % raw messages', v_count, coalesce(cardinality(p_raw), 0);
        END IF;
        FOR v_key IN
          SELECT DISTINCT hashtextextended((e->>'from') || E'\n' || (e->>'messageId'), 0)
            FROM jsonb_array_elements(p_envelopes) e
           WHERE e->>'messageId' IS NOT NULL
           ORDER BY 1
        LOOP
          PERFORM pg_advisory_xact_lock(v_key);
        END LOOP;
        FOR i IN 1 .. v_count LOOP
          v_envelope := p_envelopes->(i - 1);
          v_from := v_envelope->>'from';
          v_message_id := v_envelope->>'messageId';
          v_id := NULL;
          IF v_message_id IS NOT NULL THEN
            SELECT m.id INTO v_id FROM inbound_message m
             WHERE m."messageId" = v_message_id AND m."envelopeFrom" = v_from AND m."receivedAt" > now() - interval '24 hours'
             ORDER BY m."receivedAt" LIMIT 1;
          END IF;
          IF v_id IS NOT NULL THEN
            UPDATE inbound_message m SET duplicates = m.duplicates + 1 WHERE m.id = v_id;
            RETURN QUERY SELECT i, v_id, true;
            CONTINUE;
          END IF;
          INSERT INTO inbound_message ("envelopeFrom", "envelopeTo", "remoteAddress", helo, "messageId", size)
          VALUES (v_from, ARRAY(SELECT jsonb_array_elements_text(v_envelope->'to')), v_envelope->>'remoteAddress',
                  v_envelope->>'helo', v_message_id, octet_length(p_raw[i]))
          RETURNING id INTO v_id;
          INSERT INTO raw_message ("messageId", raw) VALUES (v_id, p_raw[i]);
          RETURN QUERY SELECT i, v_id, false;
        END LOOP;
      END $function$;
`;
