-- aster_store_messages: the store stage (src/mail/intake/store.ts) for a group of messages from
-- different SMTP sessions in one round trip and one commit; each session's 250 is sent only after
-- this commits. p_envelopes[i] ({ from, to, remoteAddress, helo, messageId }) goes with p_raw[i];
-- one row per input comes back, ord being its 1-based position.
-- Rules kept here:
--   * Duplicate window: a message with the same Message-ID from the same envelope sender within the
--     last 24 hours is a duplicate; its first copy's `duplicates` count goes up, nothing new is stored,
--     and is_duplicate is true. Two copies in one group: the earlier one is stored, the later one is
--     its duplicate (the check sees this transaction's own inserts). Without a Message-ID every copy
--     is stored.
--   * The advisory locks on every (sender, Message-ID) of the group are taken first, in ascending
--     order of their keys, so that two groups holding copies of the same messages wait for each other
--     instead of deadlocking; a VOLATILE function takes a fresh snapshot per statement, so each check
--     after the locks sees a copy committed meanwhile.
--   * A stored message has stage 'stored' and its raw bytes: the routing loop claims it from
--     inbound_message (no job; Aster writes no other library's tables).
--   * The `duplicates` count is best effort: while a routing pass holds the first copy's row (its
--     claim, claim-loop.ts) the count is not raised, rather than making the whole group, and every
--     session waiting on it, wait for that pass to commit.
-- History: migrations/1795781000000-GroupedStore.ts (with p_route_queue, a pg-boss job per message
-- when set), replaced by migrations/1795791000000-NoJobsFromSql.ts and
-- migrations/1795792000000-DuplicateCountSkipsClaimed.ts.
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
            UPDATE inbound_message m SET duplicates = m.duplicates + 1
             WHERE m.id = (SELECT l.id FROM inbound_message l WHERE l.id = v_id FOR UPDATE SKIP LOCKED);
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
