// Where a message's time goes inside Aster, from the timestamps the pipeline writes anyway: stored
// (inbound_message.receivedAt, the store transaction's start), claimed by a routing pass (decidedAt:
// the pass's transaction start), and recorded as sent (delivery.sentAt: the clock when the pass wrote
// its deliveries, after the relay answered). Routing and the first delivery attempt are one pass, so
// the former job columns are filled from these: route wait = stored → claimed, route run = the pass.
import { Client } from 'pg';

export interface StageBreakdown {
  messages: number;
  /** [p50, p99] in ms. */
  storedToDecided: [number, number];
  routeWait: [number, number];
  routeRun: [number, number];
  decidedToSent: [number, number];
  deliverWait: [number, number];
  deliverRun: [number, number];
}

export async function stageBreakdown(url: string, messageIdPrefix: string): Promise<StageBreakdown | undefined> {
  const pg = new Client({ connectionString: url });
  await pg.connect();
  try {
    const pct = (expr: string) => `ARRAY[percentile_cont(0.5) WITHIN GROUP (ORDER BY ${expr}), percentile_cont(0.99) WITHIN GROUP (ORDER BY ${expr})]`;
    const ms = (a: string, b: string) => `extract(epoch FROM (${b} - ${a})) * 1000`;
    const { rows } = await pg.query(
      `WITH m AS (SELECT id, "receivedAt", "decidedAt" FROM inbound_message WHERE "messageId" LIKE $1),
            d AS (SELECT d.id, d."inboundMessageId", d."sentAt" FROM delivery d JOIN m ON m.id = d."inboundMessageId")
       SELECT (SELECT count(*) FROM m) AS messages,
              (SELECT ${pct(ms('"receivedAt"', '"decidedAt"'))} FROM m) AS stored_to_decided,
              (SELECT ${pct(ms('"receivedAt"', '"decidedAt"'))} FROM m) AS route_wait,
              (SELECT ${pct(ms('m."decidedAt"', 'd."sentAt"'))} FROM d JOIN m ON m.id = d."inboundMessageId") AS route_run,
              (SELECT ${pct(ms('m."decidedAt"', 'd."sentAt"'))} FROM d JOIN m ON m.id = d."inboundMessageId") AS decided_to_sent,
              NULL::float8[] AS deliver_wait,
              NULL::float8[] AS deliver_run`,
      [`${messageIdPrefix}%`],
    );
    const r = rows[0];
    if (!Number(r.messages)) return undefined;
    const pair = (v: (number | null)[] | null): [number, number] => [Number(v?.[0] ?? NaN), Number(v?.[1] ?? NaN)];
    return {
      messages: Number(r.messages),
      storedToDecided: pair(r.stored_to_decided),
      routeWait: pair(r.route_wait),
      routeRun: pair(r.route_run),
      decidedToSent: pair(r.decided_to_sent),
      deliverWait: pair(r.deliver_wait),
      deliverRun: pair(r.deliver_run),
    };
  } finally {
    await pg.end();
  }
}

/** Transactions committed and rolled back in the database so far (pg_stat_database). */
export async function transactionCount(url: string): Promise<number> {
  const pg = new Client({ connectionString: url });
  await pg.connect();
  try {
    const { rows } = await pg.query('SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()');
    return Number(rows[0].n);
  } finally {
    await pg.end();
  }
}
