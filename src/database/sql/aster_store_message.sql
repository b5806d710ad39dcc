-- aster_store_message: the store stage (src/mail/intake/store.ts) in one round trip; the SMTP 250 is
-- sent only after this commits.
-- Rules kept here:
--   * Duplicate window: a message with the same Message-ID from the same envelope sender within the
--     last 24 hours is a duplicate; its first copy's `duplicates` count goes up, nothing new is stored,
--     and is_duplicate is true. The advisory lock on (sender, Message-ID) makes two copies arriving
--     together store once; a VOLATILE function takes a fresh snapshot per statement, so the check
--     after the lock sees a copy committed meanwhile. Without a Message-ID every copy is stored.
--   * Otherwise the message (stage 'stored') and its raw bytes are inserted and a routing job is
--     queued on p_route_queue, singleton per message.
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
