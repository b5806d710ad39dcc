import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The mail pipeline's writes as SQL functions, so that storing a message, recording its decision
 * (with its deliveries and their jobs) and queuing a delivery each take one round trip instead of
 * 7–15 statements (docs/benchmarks.md, "31 statements and 14 transactions per message").
 *
 * `aster_enqueue` inserts a pg-boss 10 job the way pg-boss's own `insertJob` does for the options
 * Aster uses (queue defaults, a singleton key, a start time), so the job is committed with the work it
 * refers to. It reads pg-boss's `pgboss.queue` and writes `pgboss.job`: written against pg-boss 10.x
 * (package.json pins ^10); test/intake*.e2e-spec.ts and the fault tests run real pg-boss workers on
 * these jobs. PL/pgSQL, so that creating the functions does not need pg-boss's schema to exist yet.
 *
 * This is the functions' first version; their current source is src/database/sql/<name>.sql
 * (aster_record_decision was replaced by migration KindEvidenceAndSuspicious).
 */
export class HotPathFunctions1795710000000 implements MigrationInterface {
  name = 'HotPathFunctions1795710000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // True when the job was inserted; false when a singleton like it exists already (pg-boss's
    // unique indexes on singleton_key / singleton_on, by queue policy).
    await queryRunner.query(`
      CREATE FUNCTION aster_enqueue(p_queue text, p_data jsonb, p_singleton_key text, p_start_after timestamptz DEFAULT now(),
                                    p_singleton_on timestamp DEFAULT NULL)
      RETURNS boolean LANGUAGE plpgsql AS $$
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
      END $$`);

    // pg-boss's singletonSeconds + singletonNextSlot: one job per slot of p_seconds, the next slot
    // (starting a second after it begins, like pg-boss's getDebounceStartAfter) when this one is
    // taken: the staff alert's batching.
    await queryRunner.query(`
      CREATE FUNCTION aster_enqueue_slot(p_queue text, p_singleton_key text, p_seconds integer)
      RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        v_slot timestamp := 'epoch'::timestamp + interval '1 second' * (p_seconds * floor(date_part('epoch', now()) / p_seconds));
      BEGIN
        IF NOT aster_enqueue(p_queue, '{}'::jsonb, p_singleton_key, now(), v_slot) THEN
          PERFORM aster_enqueue(p_queue, '{}'::jsonb, p_singleton_key, (v_slot + (p_seconds + 1) * interval '1 second') AT TIME ZONE 'UTC',
                                v_slot + p_seconds * interval '1 second');
        END IF;
      END $$`);

    // The store stage (src/mail/intake/store.ts). A VOLATILE function takes a fresh snapshot for each
    // statement, so the duplicate check after the advisory lock sees a copy committed meanwhile.
    await queryRunner.query(`
      CREATE FUNCTION aster_store_message(p_envelope_from text, p_envelope_to text[], p_remote_address text, p_helo text,
                                          p_message_id text, p_raw bytea, p_route_queue text)
      RETURNS TABLE (stored_id uuid, is_duplicate boolean) LANGUAGE plpgsql AS $$
      DECLARE
        v_id uuid;
      BEGIN
        IF p_message_id IS NOT NULL THEN
          PERFORM pg_advisory_xact_lock(hashtextextended(p_envelope_from || E'\\n' || p_message_id, 0));
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
      END $$`);

    // One delivery of p_form per notice-receiving contact of the client, each with its first job;
    // idempotent per (message, address). Returns how many contacts of the client receive notices.
    await queryRunner.query(`
      CREATE FUNCTION aster_queue_deliveries(p_message uuid, p_client uuid, p_form text, p_domains text[], p_deliver_queue text)
      RETURNS integer LANGUAGE plpgsql AS $$
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
      END $$`);

    // The decide stage's write (RoutingStore.recordDecisions): decided once, under the row lock,
    // with the deliveries and their jobs; held as no_recipient when no client's contact receives
    // notices. Returns the message's status, or NULL when it was no longer waiting for a decision.
    await queryRunner.query(`
      CREATE FUNCTION aster_record_decision(
        p_id uuid, p_subject text, p_from text, p_kind text, p_decision text, p_reason text, p_hold_reason text,
        p_domains text[], p_client_ids uuid[], p_auth jsonb, p_shares jsonb, p_no_recipient_reason text,
        p_notice_for text[], p_deliver_queue text, p_staff_alert_queue text, p_staff_alert_seconds integer)
      RETURNS text LANGUAGE plpgsql AS $$
      DECLARE
        v_share jsonb;
        v_reached integer := 0;
        v_decision text := p_decision;
        v_reason text := p_reason;
        v_hold text := p_hold_reason;
      BEGIN
        PERFORM 1 FROM inbound_message m WHERE m.id = p_id AND m.stage = 'stored' FOR UPDATE;
        IF NOT FOUND THEN
          RETURN NULL;
        END IF;
        IF v_decision <> 'hold' THEN
          FOR v_share IN SELECT value FROM jsonb_array_elements(p_shares) LOOP
            IF aster_queue_deliveries(p_id, (v_share->>'clientId')::uuid, v_decision,
                                      ARRAY(SELECT jsonb_array_elements_text(v_share->'domains')), p_deliver_queue) > 0 THEN
              v_reached := v_reached + 1;
            END IF;
          END LOOP;
          IF v_reached = 0 THEN
            v_decision := 'hold';
            v_hold := 'no_recipient';
            v_reason := p_no_recipient_reason;
          END IF;
        END IF;
        UPDATE inbound_message m SET
          subject = p_subject, "fromHeader" = p_from, kind = p_kind, decision = v_decision, "decisionReason" = v_reason,
          domains = p_domains, "clientIds" = p_client_ids,
          status = CASE WHEN v_decision = 'hold' THEN 'held' ELSE 'forwarded' END,
          "holdReason" = CASE WHEN v_decision = 'hold' THEN v_hold END,
          "authResults" = p_auth, stage = 'decided', "decidedAt" = now()
        WHERE m.id = p_id;
        IF v_decision = 'hold' AND p_staff_alert_queue IS NOT NULL THEN
          PERFORM aster_enqueue_slot(p_staff_alert_queue, 'staff-alert', p_staff_alert_seconds);
        END IF;
        IF cardinality(p_notice_for) > 0 THEN
          UPDATE domain d SET "lastNoticeAt" = now() WHERE d.name = ANY(p_notice_for);
        END IF;
        RETURN CASE WHEN v_decision = 'hold' THEN 'held' ELSE 'forwarded' END;
      END $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP FUNCTION aster_record_decision(uuid, text, text, text, text, text, text, text[], uuid[], jsonb, jsonb, text, text[], text, text, integer)`,
    );
    await queryRunner.query(`DROP FUNCTION aster_queue_deliveries(uuid, uuid, text, text[], text)`);
    await queryRunner.query(`DROP FUNCTION aster_store_message(text, text[], text, text, text, bytea, text)`);
    await queryRunner.query(`DROP FUNCTION aster_enqueue_slot(text, text, integer)`);
    await queryRunner.query(`DROP FUNCTION aster_enqueue(text, jsonb, text, timestamptz, timestamp)`);
  }
}
