-- aster_queue_deliveries: one queued delivery of form p_form ('forward', 'digest') to each contact of
-- the client that receives notices, due at once; the delivery loop (DeliveryWorker) claims it from the
-- delivery table. Idempotent per (message, address): a contact already queued for this message is
-- skipped. Returns how many of the client's contacts receive notices (not how many were inserted).
-- Callers: DeliveriesService.queue (a held message released by staff). Routing decides and delivers
-- in one pass and writes its deliveries itself (RoutingStore.recordDeliveries).
-- History: migrations/1795710000000-HotPathFunctions.ts (with a pg-boss job per delivery), replaced by
-- migrations/1795790000000-HotPathOnOwnTables.ts (no job: Aster writes no other library's tables).
CREATE OR REPLACE FUNCTION public.aster_queue_deliveries(
    p_message uuid, p_client uuid, p_form text, p_domains text[])
 RETURNS integer
 LANGUAGE plpgsql
AS $function$
      DECLARE
        v_recipients integer;
      BEGIN
        SELECT count(*) INTO v_recipients FROM contact c WHERE c."clientId" = p_client AND c."receivesNotices";
        INSERT INTO delivery ("inboundMessageId", "clientId", "contactId", email, form, domains)
        SELECT p_message, p_client, c.id, lower(c.email), p_form, p_domains
          FROM contact c WHERE c."clientId" = p_client AND c."receivesNotices"
        ON CONFLICT ("inboundMessageId", email) DO NOTHING;
        RETURN v_recipients;
      END $function$;
