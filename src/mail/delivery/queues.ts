// The durable job queues of outgoing mail.
import type { QueueDefinition } from '../../database/job-queue';

/**
 * One attempt at one delivery. Retries after a relay's 4xx are scheduled by the worker itself
 * (retry.ts); pg-boss's own retries only cover a crash or an exception during an attempt.
 */
export const DELIVER_QUEUE: QueueDefinition = {
  name: 'deliver',
  retryLimit: 20,
  retryDelay: 5,
  retryBackoff: true,
  // Longer than the slowest attempt the relay's timeouts allow (relay.ts: 10 + 10 + 30 s of silence),
  // so a job is only taken back from an instance that died; then it is retried within a minute.
  expireInSeconds: 60,
};

/** Staff alerts, at most one every ten minutes (debounced into the next slot). */
export const STAFF_ALERT_QUEUE: QueueDefinition = {
  name: 'staff-alert',
  retryLimit: 10,
  retryDelay: 30,
  retryBackoff: true,
  expireInSeconds: 120,
};

export const STAFF_ALERT_INTERVAL_SECONDS = 600;
