// The routing loop of the mail pipeline.

/**
 * The routing loop's name (nudges, metrics): it claims stored messages whose `routeAfter` has come
 * from inbound_message and runs stages 3–8 for them (IntakePipeline).
 */
export const ROUTE_LOOP = 'intake-route';
