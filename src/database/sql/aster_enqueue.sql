-- aster_enqueue: insert a pg-boss 10 job inside the caller's transaction, so the job commits with the
-- work it refers to. It does what pg-boss's own insertJob does for the options Aster uses: the queue's
-- defaults (retry limit, delay and backoff, expiry, retention, policy, dead letter), a singleton key
-- and a start time. Returns true when the job was inserted, false when a singleton like it exists
-- already (pg-boss's unique indexes on singleton_key / singleton_on, by queue policy).
-- Coupling: reads pgboss.queue and writes pgboss.job, pg-boss's own tables (written against pg-boss
-- 10.x); test/job-functions.e2e-spec.ts proves the rows equal those pg-boss makes.
-- Callers: aster_store_message, aster_queue_deliveries, aster_enqueue_slot, DeliveriesService.
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
