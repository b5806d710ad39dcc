import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * aster_record_decision without `p_notice_for`, which the caller always passed as '{}' (the
 * tracked domains' lastNoticeAt is set once per batch by RoutingStore.recordDecisions). The
 * function's source was src/database/sql/aster_record_decision.sql until HotPathOnOwnTables1795790000000
 * dropped the function with that file; it is written out here as this migration ran it.
 */
export const RECORD_DECISION = `-- aster_record_decision: the decide stage's write (RoutingStore.recordDecisions calls it once per
-- message of a batch). Returns the message's new status, or NULL when it was no longer waiting for a
-- decision.
-- Rules kept here:
--   * Once only: the row is locked and decided only while at stage 'stored', so a routing job that
--     runs twice (crash, two instances) queues one set of deliveries.
--   * Deliveries: a 'forward' or 'digest' decision queues, per share (client + its domains), one
--     delivery per notice-receiving contact (aster_queue_deliveries).
--   * no_recipient hold: when no share's client has a contact that receives notices, the decision
--     becomes 'hold' with holdReason 'no_recipient' and p_no_recipient_reason as its reason.
--   * Status mapping: decision 'hold' -> status 'held' (with holdReason); anything else -> 'forwarded'
--     (holdReason NULL). The stage becomes 'decided'.
--   * Staff alert: every hold (given or no_recipient) asks for one staff alert per slot of
--     p_staff_alert_seconds (aster_enqueue_slot), unless p_staff_alert_queue is NULL (no STAFF_EMAIL set).
-- domain.lastNoticeAt is set by the caller, in one UPDATE per batch (so concurrent batches lock
-- domain rows in one order), not here.
-- History: migrations/1795710000000-HotPathFunctions.ts, replaced by
-- migrations/1795740000000-KindEvidenceAndSuspicious.ts (kind confidence and evidence, suspicious,
-- checks) and migrations/1795770000000-RecordDecisionWithoutNoticeFor.ts (the unused p_notice_for gone).
CREATE OR REPLACE FUNCTION public.aster_record_decision(
    p_id uuid, p_subject text, p_from text, p_kind text, p_decision text, p_reason text,
    p_hold_reason text, p_domains text[], p_client_ids uuid[], p_auth jsonb, p_shares jsonb,
    p_no_recipient_reason text, p_deliver_queue text, p_staff_alert_queue text,
    p_staff_alert_seconds integer, p_kind_confidence real, p_kind_evidence text[], p_suspicious jsonb,
    p_checks jsonb)
 RETURNS text
 LANGUAGE plpgsql
AS $function$
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
          "kindConfidence" = p_kind_confidence, "kindEvidence" = p_kind_evidence, suspicious = p_suspicious, checks = p_checks,
          domains = p_domains, "clientIds" = p_client_ids,
          status = CASE WHEN v_decision = 'hold' THEN 'held' ELSE 'forwarded' END,
          "holdReason" = CASE WHEN v_decision = 'hold' THEN v_hold END,
          "authResults" = p_auth, stage = 'decided', "decidedAt" = now()
        WHERE m.id = p_id;
        IF v_decision = 'hold' AND p_staff_alert_queue IS NOT NULL THEN
          PERFORM aster_enqueue_slot(p_staff_alert_queue, 'staff-alert', p_staff_alert_seconds);
        END IF;
        RETURN CASE WHEN v_decision = 'hold' THEN 'held' ELSE 'forwarded' END;
      END $function$;
`;

export class RecordDecisionWithoutNoticeFor1795770000000 implements MigrationInterface {
  name = 'RecordDecisionWithoutNoticeFor1795770000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP FUNCTION IF EXISTS aster_record_decision(uuid, text, text, text, text, text, text, text[], uuid[], jsonb, jsonb, text, text[], text, text, integer, real, text[], jsonb, jsonb)`,
    );
    await queryRunner.query(RECORD_DECISION);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP FUNCTION IF EXISTS aster_record_decision(uuid, text, text, text, text, text, text, text[], uuid[], jsonb, jsonb, text, text, integer, real, text[], jsonb, jsonb)`,
    );
    await queryRunner.query(`
CREATE OR REPLACE FUNCTION public.aster_record_decision(
    p_id uuid, p_subject text, p_from text, p_kind text, p_decision text, p_reason text,
    p_hold_reason text, p_domains text[], p_client_ids uuid[], p_auth jsonb, p_shares jsonb,
    p_no_recipient_reason text, p_notice_for text[], p_deliver_queue text, p_staff_alert_queue text,
    p_staff_alert_seconds integer, p_kind_confidence real, p_kind_evidence text[], p_suspicious jsonb,
    p_checks jsonb)
 RETURNS text
 LANGUAGE plpgsql
AS $function$
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
          "kindConfidence" = p_kind_confidence, "kindEvidence" = p_kind_evidence, suspicious = p_suspicious, checks = p_checks,
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
      END $function$;
`);
  }
}
