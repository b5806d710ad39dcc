// Outgoing mail's work: the delivery loop on the delivery table, and the staff alerts' job queue.
import type { QueueDefinition } from '../../database/job-queue';

/**
 * The delivery loop's name (nudges, metrics): it claims queued deliveries whose `nextAttemptAt` has
 * come from the delivery table (DeliveryWorker). Retries after a relay's 4xx are such deliveries,
 * due later (retry.ts).
 */
export const DELIVER_LOOP = 'deliver';

/** Staff alerts, at most one every ten minutes (debounced into the next slot): a pg-boss queue. */
export const STAFF_ALERT_QUEUE: QueueDefinition = {
  name: 'staff-alert',
  retryLimit: 10,
  retryDelay: 30,
  retryBackoff: true,
  expireInSeconds: 120,
};

export const STAFF_ALERT_INTERVAL_SECONDS = 600;
