import { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlFunctionSource } from '../src/database/sql-functions';

/**
 * Nothing of Aster's writes into pg-boss's tables any more (issue 15): routing claims stored messages
 * from inbound_message, so the store function queues no routing job, and the functions that
 * inserted pg-boss 10 jobs (aster_enqueue, aster_enqueue_slot) and the one-message store function
 * they served (aster_store_message) are gone. What Aster still queues goes through pg-boss's API.
 */
export class NoJobsFromSql1795791000000 implements MigrationInterface {
  name = 'NoJobsFromSql1795791000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION IF EXISTS aster_store_messages(jsonb, bytea[], text)`);
    await queryRunner.query(sqlFunctionSource('aster_store_messages'));
    await queryRunner.query(`DROP FUNCTION IF EXISTS aster_store_message(text, text[], text, text, text, bytea, text)`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS aster_enqueue_slot(text, text, integer)`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS aster_enqueue(text, jsonb, text, timestamp with time zone, timestamp without time zone)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(ENQUEUE);
    await queryRunner.query(ENQUEUE_SLOT);
    await queryRunner.query(STORE_MESSAGE);
    await queryRunner.query(`DROP FUNCTION IF EXISTS aster_store_messages(jsonb, bytea[])`);
    await queryRunner.query(STORE_MESSAGES_WITH_QUEUE);
  }
}

// The functions as the migrations before this one left them.
const ENQUEUE = `
CREATE OR REPLACE FUNCTION public.aster_enqueue(
    p_queue text, p_data jsonb, p_singleton_key text,
    p_start_after timestamp with time zone DEFAULT now(),
    p_singleton_on timestamp without time zone DEFAULT NULL::timestamp without time zone)
 RETURNS boolean
 LANGUAGE plpgsql
AS $function$
      DECLARE
        q record;
        v_rows integer;
      BEGIN
        SELECT * INTO q FROM pgboss.queue WHERE name = p_queue;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'aster_enqueue: no job queue named %', p_queue;
        END IF;
        INSERT INTO pgboss.job (name, data, priority, start_after, singleton_key, singleton_on, dead_letter, expire_in,
                                keep_until, retry_limit, retry_delay, retry_backoff, policy)
        VALUES (
          q.name, p_data, 0, p_start_after, p_singleton_key, p_singleton_on, q.dead_letter,
          COALESCE(q.expire_seconds, 900) * interval '1 second',
          p_start_after + COALESCE(q.retention_minutes * 60, 1209600) * interval '1 second',
          COALESCE(q.retry_limit, 2),
          CASE WHEN COALESCE(q.retry_backoff, false) THEN GREATEST(COALESCE(q.retry_delay, 0), 1) ELSE COALESCE(q.retry_delay, 0) END,
          COALESCE(q.retry_backoff, false),
          q.policy
        )
        ON CONFLICT DO NOTHING;
        GET DIAGNOSTICS v_rows = ROW_COUNT;
        RETURN v_rows > 0;
      END $function$;
`;

const ENQUEUE_SLOT = `
CREATE OR REPLACE FUNCTION public.aster_enqueue_slot(p_queue text, p_singleton_key text, p_seconds integer)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
      DECLARE
        v_slot timestamp := 'epoch'::timestamp + interval '1 second' * (p_seconds * floor(date_part('epoch', now()) / p_seconds));
      BEGIN
        IF NOT aster_enqueue(p_queue, '{}'::jsonb, p_singleton_key, now(), v_slot) THEN
          PERFORM aster_enqueue(p_queue, '{}'::jsonb, p_singleton_key, (v_slot + (p_seconds + 1) * interval '1 second') AT TIME ZONE 'UTC',
                                v_slot + p_seconds * interval '1 second');
        END IF;
      END $function$;
`;

const STORE_MESSAGE = `
CREATE OR REPLACE FUNCTION public.aster_store_message(
    p_envelope_from text, p_envelope_to text[], p_remote_address text, p_helo text, p_message_id text,
    p_raw bytea, p_route_queue text)
 RETURNS TABLE(stored_id uuid, is_duplicate boolean)
 LANGUAGE plpgsql
AS $function$
      DECLARE
        v_id uuid;
      BEGIN
        IF p_message_id IS NOT NULL THEN
          PERFORM pg_advisory_xact_lock(hashtextextended(p_envelope_from || E'\n' || p_message_id, 0));
          SELECT m.id INTO v_id FROM inbound_message m
           WHERE m."messageId" = p_message_id AND m."envelopeFrom" = p_envelope_from AND m."receivedAt" > now() - interval '24 hours'
           ORDER BY m."receivedAt" LIMIT 1;
          IF FOUND THEN
            UPDATE inbound_message m SET duplicates = m.duplicates + 1 WHERE m.id = v_id;
            RETURN QUERY SELECT v_id, true;
            RETURN;
          END IF;
        END IF;
        INSERT INTO inbound_message ("envelopeFrom", "envelopeTo", "remoteAddress", helo, "messageId", size)
        VALUES (p_envelope_from, p_envelope_to, p_remote_address, p_helo, p_message_id, octet_length(p_raw))
        RETURNING id INTO v_id;
        INSERT INTO raw_message ("messageId", raw) VALUES (v_id, p_raw);
        PERFORM aster_enqueue(p_route_queue, jsonb_build_object('messageId', v_id), v_id::text);
        RETURN QUERY SELECT v_id, false;
      END $function$;
`;

const STORE_MESSAGES_WITH_QUEUE = `
CREATE OR REPLACE FUNCTION public.aster_store_messages(p_envelopes jsonb, p_raw bytea[], p_route_queue text)
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
          IF p_route_queue IS NOT NULL THEN
            PERFORM aster_enqueue(p_route_queue, jsonb_build_object('messageId', v_id), v_id::text);
          END IF;
          RETURN QUERY SELECT i, v_id, false;
        END LOOP;
      END $function$;
`;
