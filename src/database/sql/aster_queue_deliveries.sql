-- aster_queue_deliveries: one delivery of form p_form ('forward', 'digest', 'welcome') to each contact
-- of the client that receives notices, each with its first delivery job (key '<delivery>:0').
-- Idempotent per (message, address): a contact already queued for this message is skipped.
-- Returns how many of the client's contacts receive notices (not how many were inserted), which
-- aster_record_decision uses for the no_recipient hold.
-- Callers: aster_record_decision, DeliveriesService.queue (a held message released by staff).
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
