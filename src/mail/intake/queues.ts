// The routing loop of the mail pipeline.
import type { QueueDefinition } from '../../database/job-queue';

/**
 * The routing loop's name (nudges, metrics): it claims stored messages whose `routeAfter` has come
 * from inbound_message and runs stages 3–8 for them (IntakePipeline).
 */
export const ROUTE_LOOP = 'intake-route';

/**
 * The pg-boss queue that routing jobs went to before routing claimed messages from its own table.
 * Still defined while the store function may insert such a job; nothing works it.
 */
export const ROUTE_QUEUE: QueueDefinition = {
  name: 'intake-route',
  retryLimit: 12,
  retryDelay: 2,
  retryBackoff: true,
  expireInSeconds: 30,
};
