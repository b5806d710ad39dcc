// The durable job queues of the mail pipeline, with their retry schedules.
import type { QueueDefinition } from '../../database/job-queue';

/** Runs stages 3–7 (parse … decide) for one stored message. */
export const ROUTE_QUEUE: QueueDefinition = {
  name: 'intake-route',
  // A failure here is our bug or the database being away: retry for about an hour, then leave the
  // message visible to staff with status `received`.
  retryLimit: 12,
  retryDelay: 2,
  retryBackoff: true,
  // Routing one message takes milliseconds; a job still active after this was held by a dead instance.
  expireInSeconds: 30,
};
