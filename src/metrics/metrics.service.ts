// Prometheus metrics. Counts that live in the database (messages, deliveries, queue depth) are read
// at scrape time, so every instance reports the same truth; latencies are observed where they happen.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AggregatorRegistry, collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import { DataSource } from 'typeorm';
import { workerLink } from '../database/worker-processes';

/** Gauges read from the database at scrape time: the same in every process, so never summed. */
const DATABASE_GAUGES = new Set([
  'aster_messages',
  'aster_deliveries',
  'aster_queue_depth',
  'aster_queue_oldest_job_age_seconds',
  'aster_domains_by_registry_check_age',
]);

/** Latency buckets in seconds, from a quick commit to a slow relay. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600];

@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  /** Set by the SMTP listener: how many sessions are open now. */
  smtpConnections: () => number = () => 0;

  readonly acceptSeconds = new Histogram({
    name: 'aster_accept_seconds',
    help: 'From the end of DATA to the 250: storing the message and its envelope in one transaction',
    buckets: BUCKETS,
    registers: [this.registry],
  });

  readonly deliverySeconds = new Histogram({
    name: 'aster_delivery_seconds',
    help: 'From a delivery being made (in the routing pass, or queued) to the relay accepting it',
    buckets: BUCKETS,
    registers: [this.registry],
  });

  /** The registry watch's RDAP requests (src/watch/rdap-client.ts), by host and how each ended. */
  readonly rdapRequests = new Counter({
    name: 'aster_rdap_requests_total',
    help: 'RDAP requests by host and outcome (ok, not_found, rate_limited, server_error, http_error, timeout, malformed, redirect, network)',
    labelNames: ['host', 'outcome'],
    registers: [this.registry],
  });

  constructor(@InjectDataSource() db: DataSource) {
    collectDefaultMetrics({ register: this.registry, prefix: 'aster_' });
    new Gauge({
      name: 'aster_messages',
      help: 'Stored inbound messages by status and kind',
      labelNames: ['status', 'kind'],
      registers: [this.registry],
      async collect() {
        this.reset();
        const rows: { status: string; kind: string; n: string }[] = await db.query(
          `SELECT status, coalesce(kind, 'unclassified') AS kind, count(*) AS n FROM inbound_message GROUP BY 1, 2`,
        );
        for (const r of rows) this.set({ status: r.status, kind: r.kind }, Number(r.n));
      },
    });
    new Gauge({
      name: 'aster_deliveries',
      help: 'Deliveries by status and form',
      labelNames: ['status', 'form'],
      registers: [this.registry],
      async collect() {
        this.reset();
        const rows: { status: string; form: string; n: string }[] = await db.query(`SELECT status, form, count(*) AS n FROM delivery GROUP BY 1, 2`);
        for (const r of rows) this.set({ status: r.status, form: r.form }, Number(r.n));
      },
    });
    const depth = new Gauge({
      name: 'aster_queue_depth',
      help: 'Work waiting or under way, per loop: intake-route (messages stored, not yet decided), deliver (deliveries queued)',
      labelNames: ['queue'],
      registers: [this.registry],
    });
    new Gauge({
      name: 'aster_queue_oldest_job_age_seconds',
      help: 'Age of the oldest work waiting or under way, per loop (0 when empty)',
      labelNames: ['queue'],
      registers: [this.registry],
      async collect() {
        this.reset();
        depth.reset();
        // The routing and delivery loops' work is on Aster's own tables (claim-loop.ts): messages
        // stored and not yet decided, deliveries queued (due now or later, retries included).
        const rows: { name: string; n: string; age: string | null }[] = await db.query(
          `SELECT 'intake-route' AS name, count(*) AS n, extract(epoch FROM now() - min("receivedAt")) AS age
             FROM inbound_message WHERE stage = 'stored'
           UNION ALL
           SELECT 'deliver', count(*), extract(epoch FROM now() - min("createdAt")) FROM delivery WHERE status = 'queued'`,
        );
        for (const r of rows) {
          depth.set({ queue: r.name }, Number(r.n));
          this.set({ queue: r.name }, Number(r.age ?? 0));
        }
      },
    });
    new Gauge({
      name: 'aster_domains_by_registry_check_age',
      help: 'Domains by the age of their last successful registry (RDAP) check: never, 1d (under a day), 2d, 7d, older',
      labelNames: ['age'],
      registers: [this.registry],
      async collect() {
        this.reset();
        const rows: { age: string; n: string }[] = await db.query(
          `SELECT CASE WHEN "registryOkAt" IS NULL THEN 'never'
                       WHEN "registryOkAt" > now() - interval '1 day' THEN '1d'
                       WHEN "registryOkAt" > now() - interval '2 days' THEN '2d'
                       WHEN "registryOkAt" > now() - interval '7 days' THEN '7d'
                       ELSE 'older' END AS age, count(*) AS n
             FROM domain GROUP BY 1`,
        );
        for (const age of ['never', '1d', '2d', '7d', 'older']) this.set({ age }, Number(rows.find((r) => r.age === age)?.n ?? 0));
      },
    });
    // prom-client calls collect() with the gauge as `this`; the service's counter comes in a closure.
    const openSessions = () => this.smtpConnections();
    new Gauge({
      name: 'aster_smtp_connections',
      help: 'Open SMTP sessions on this instance',
      registers: [this.registry],
      collect() {
        this.set(openSessions());
      },
    });
  }

  async text(): Promise<string> {
    const children = await workerLink.childMetrics?.();
    if (!children?.length) return this.registry.metrics();
    // Latencies observed in the worker processes (deliveries) and their process figures, summed
    // with this process's (prom-client's aggregation rules); database counts come from here only.
    const own = await this.registry.getMetricsAsJSON();
    return AggregatorRegistry.aggregate([own, ...children]).metrics();
  }

  /** In a worker child: what it observed itself, without the counts read from the database. */
  async ownMetrics(): Promise<MetricObjectWithValues<MetricValue<string>>[]> {
    const names = this.registry
      .getMetricsAsArray()
      .map((m) => m.name)
      .filter((n) => !DATABASE_GAUGES.has(n) && n !== 'aster_smtp_connections');
    return Promise.all(names.map((n) => this.registry.getSingleMetric(n)!.get()));
  }
}
