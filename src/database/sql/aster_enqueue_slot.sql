-- aster_enqueue_slot: pg-boss's singletonSeconds + singletonNextSlot, for the staff alert's batching.
-- One job per slot of p_seconds; when this slot's job exists already, one for the next slot (starting a
-- second after that slot begins, like pg-boss's getDebounceStartAfter); when both exist, nothing.
-- Callers: aster_record_decision (a hold asks for a staff alert), DeliveriesService.
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
