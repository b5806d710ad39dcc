// The API under a large portfolio: bulk-inserted with SQL (clients, contacts, registrars, domains
// with every column of the `domain` table filled, decided inbound messages with their raw bytes,
// deliveries and attempts), then list and lookup requests driven by autocannon.
import autocannon from 'autocannon';
import { Client } from 'pg';
import { ADMIN_TOKEN, type AsterProcess } from './aster';
import { PgSampler } from './pg-sampler';

export interface ApiResult {
  label: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  topQueries?: { query: string; share: number; waits: string }[];
}

/** Tops the database up to `domains` tracked domains and `messages` stored messages; says what it did. */
export async function seedPortfolio(url: string, target: { domains: number; messages: number }): Promise<string> {
  const pg = new Client({ connectionString: url });
  await pg.connect();
  const t0 = Date.now();
  try {
    const count = async (table: string) => Number((await pg.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
    const haveDomains = await count('domain');
    const haveMessages = await count('inbound_message');
    const clients = Math.max(1, Math.round(target.domains / 20));
    // A bulk load: no JIT compilation of these one-off statements, sorts in memory, no wait for each flush.
    await pg.query(`SET jit = off; SET work_mem = '256MB'; SET synchronous_commit = off`);
    await pg.query('BEGIN');
    await pg.query(`INSERT INTO registrar (name, "ianaId", "senderDomains") VALUES
      ('Namecheap', 1068, '{namecheap.com}'), ('GoDaddy', 146, '{godaddy.com}'), ('OVH', 433, '{ovh.net}'), ('Hover', 1556, '{hover.com}')
      ON CONFLICT DO NOTHING`);
    await pg.query(
      `INSERT INTO client (name, notes) SELECT 'Portfolio Client ' || g, CASE WHEN g % 3 = 0 THEN 'Pays yearly' END FROM generate_series(1, $1::int) g`,
      [clients],
    );
    await pg.query(`INSERT INTO contact ("clientId", name, email)
      SELECT id, 'Owner of ' || name, 'owner-' || substr(md5(id::text), 1, 12) || '@client-bench.test' FROM client WHERE name LIKE 'Portfolio Client %'`);
    await pg.query(
      `WITH c AS (SELECT array_agg(id ORDER BY id) AS ids FROM client WHERE name LIKE 'Portfolio Client %'),
            r AS (SELECT array_agg(id ORDER BY name) AS ids FROM registrar)
       INSERT INTO domain (name, "unicodeName", "clientId", "registrarId", "registeredAt", "expiresAt", "lastTransferredAt",
                           "registrantChangedAt", statuses, nameservers, "autoRenew", state, notes, "lastNoticeAt")
       SELECT n, n, c.ids[1 + g % array_length(c.ids, 1)], r.ids[1 + g % array_length(r.ids, 1)],
              now() - (g % 3650) * interval '1 day', now() + (g % 730) * interval '1 day',
              CASE WHEN g % 10 = 0 THEN now() - (g % 400) * interval '1 day' END,
              CASE WHEN g % 17 = 0 THEN now() - (g % 300) * interval '1 day' END,
              CASE WHEN g % 4 = 0 THEN '{clientTransferProhibited,clientDeleteProhibited}'::text[] ELSE '{clientTransferProhibited}'::text[] END,
              '{ns1.host-bench.test,ns2.host-bench.test}', g % 2 = 0, 'active',
              CASE WHEN g % 50 = 0 THEN 'Renews with the hosting plan' END,
              CASE WHEN g % 3 = 0 THEN now() - (g % 90) * interval '1 day' END
         FROM generate_series(1, $1::int) g, c, r,
              LATERAL (SELECT 'studio-' || lpad(g::text, 6, '0') || (ARRAY['.com', '.net', '.org', '.de', '.co.uk'])[1 + g % 5] AS n) name`,
      [Math.max(0, target.domains - haveDomains)],
    );
    // Each seeded message names one domain (spread by a prime stride), newest first every two minutes.
    await pg.query(`CREATE TEMP TABLE seed_domain ON COMMIT DROP AS SELECT row_number() OVER (ORDER BY name) AS rn, name, "clientId" FROM domain`);
    const nd = await count('seed_domain');
    await pg.query(
      `INSERT INTO inbound_message ("receivedAt", "envelopeFrom", "envelopeTo", "remoteAddress", helo, "messageId", size, stage, status,
                                    "holdReason", subject, "fromHeader", kind, decision, "decisionReason", domains, "clientIds", "decidedAt")
       SELECT now() - g * interval '2 minutes', 'noreply@gandi-bench.test', '{domains@notify.localhost}', '127.0.0.1', 'mail-out-3.gandi-bench.test',
              'seed-' || g || '@mail.gandi-bench.test', 4100, 'decided',
              CASE WHEN g % 10 = 0 THEN 'held' ELSE 'forwarded' END,
              CASE WHEN g % 10 = 0 THEN 'unmatched' END,
              'Your domain ' || d.name || ' expires in 30 days', 'Gandi <noreply@gandi-bench.test>',
              (ARRAY['expiry_reminder', 'renewal_confirmation', 'transfer_request', 'whois_data_reminder'])[1 + g % 4],
              CASE WHEN g % 10 = 0 THEN 'hold' ELSE 'forward' END,
              CASE WHEN g % 10 = 0 THEN 'Held: no tracked domain.' ELSE 'Forwarded to the one client that owns ' || d.name || '.' END,
              CASE WHEN g % 10 = 0 THEN '{}'::text[] ELSE ARRAY[d.name] END,
              CASE WHEN g % 10 = 0 THEN '{}'::uuid[] ELSE ARRAY[d."clientId"] END,
              now() - g * interval '2 minutes' + interval '1 second'
         FROM generate_series(1, $1::int) g JOIN seed_domain d ON d.rn = 1 + (g::bigint * 7919) % $2`,
      [Math.max(0, target.messages - haveMessages), nd],
    );
    // The raw bytes: a registrar-like message of about 4 KB (stored compressed by TOAST, as real ones are).
    await pg.query(`INSERT INTO raw_message ("messageId", raw)
      SELECT id, convert_to(
        'Return-Path: <noreply@gandi-bench.test>' || E'\\r\\n' || 'From: ' || "fromHeader" || E'\\r\\n' || 'To: domains@notify.localhost' || E'\\r\\n' ||
        'Subject: ' || subject || E'\\r\\n' || 'Message-ID: <' || "messageId" || '>' || E'\\r\\n' || 'MIME-Version: 1.0' || E'\\r\\n' ||
        'Content-Type: text/plain; charset=utf-8' || E'\\r\\n\\r\\n' || subject || E'.\\r\\n\\r\\n' ||
        repeat('Renewal fees are charged to the payment method on file for the account at the time of renewal.' || E'\\r\\n', 38), 'UTF8')
      FROM inbound_message WHERE "messageId" LIKE 'seed-%'`);
    await pg.query(`INSERT INTO delivery ("inboundMessageId", "clientId", "contactId", email, form, domains, status, attempts, "nextAttemptAt", "lastResponse", "sentAt", "createdAt", "updatedAt")
      SELECT m.id, m."clientIds"[1], ct.id, ct.email, 'forward', m.domains, 'sent', 1, NULL, '250 Ok: sunk', m."decidedAt" + interval '1 second', m."decidedAt", m."decidedAt"
        FROM inbound_message m JOIN LATERAL (SELECT id, email FROM contact WHERE "clientId" = m."clientIds"[1] LIMIT 1) ct ON true
       WHERE m."messageId" LIKE 'seed-%' AND m.status = 'forwarded'`);
    await pg.query(`INSERT INTO delivery_attempt ("deliveryId", at, outcome, response, "durationMs")
      SELECT d.id, d."sentAt", 'sent', '250 Ok: sunk', 12 FROM delivery d JOIN inbound_message m ON m.id = d."inboundMessageId" WHERE m."messageId" LIKE 'seed-%'`);
    await pg.query('COMMIT');
    await pg.query('VACUUM ANALYZE');
    const totals = await pg.query(`SELECT (SELECT count(*) FROM client) AS clients, (SELECT count(*) FROM domain) AS domains,
      (SELECT count(*) FROM inbound_message) AS messages, (SELECT count(*) FROM delivery) AS deliveries,
      pg_size_pretty(pg_database_size(current_database())) AS size`);
    const t = totals.rows[0];
    return `Seeded with SQL in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${t.clients} clients, ${t.domains} domains, ${t.messages} stored messages (with raw bytes), ${t.deliveries} deliveries; database ${t.size}.`;
  } catch (err) {
    await pg.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await pg.end();
  }
}

function pick<T>(list: T[]): T {
  return list[Math.floor(Math.random() * list.length)];
}

async function cannon(api: string, connections: number, duration: number, path: () => string): Promise<autocannon.Result> {
  return autocannon({
    url: api,
    connections,
    duration,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: path() }) }],
  });
}

export async function runApiBench(
  aster: AsterProcess,
  url: string,
  options: { durationSeconds: number; profile: boolean; log: (line: string) => void; connections?: number[] },
): Promise<ApiResult[]> {
  const pg = new Client({ connectionString: url });
  await pg.connect();
  const database = new URL(url).pathname.slice(1);
  const sample = async (sql: string) => (await pg.query(sql)).rows.map((r: { v: string }) => r.v);
  const names = await sample(`SELECT name AS v FROM domain ORDER BY random() LIMIT 2000`);
  const messageIds = await sample(`SELECT id AS v FROM inbound_message ORDER BY random() LIMIT 2000`);
  const withMessages = await sample(`SELECT domains[1] AS v FROM inbound_message WHERE cardinality(domains) > 0 ORDER BY random() LIMIT 2000`);
  const pages = Math.ceil(Number((await pg.query('SELECT count(*) AS n FROM domain')).rows[0].n) / 50);
  await pg.end();

  const endpoints: { label: string; path: () => string }[] = [
    { label: 'GET /api/domains?page=<1…' + pages + '>&limit=50', path: () => `/api/domains?page=${1 + Math.floor(Math.random() * pages)}&limit=50` },
    { label: 'GET /api/domains/<name>', path: () => `/api/domains/${pick(names)}` },
    { label: 'GET /api/messages?limit=50', path: () => '/api/messages?limit=50' },
    { label: 'GET /api/messages?domain=<name>', path: () => `/api/messages?domain=${pick(withMessages)}` },
    { label: 'GET /api/messages/<id>', path: () => `/api/messages/${pick(messageIds)}` },
  ];
  const results: ApiResult[] = [];
  for (const e of endpoints) {
    await cannon(aster.api, 4, 2, e.path); // warm-up: JIT, caches, pool
    for (const connections of options.connections ?? [1, 10]) {
      const sampler = options.profile && connections > 1 ? new PgSampler(url, database) : undefined;
      await sampler?.start();
      const r = await cannon(aster.api, connections, options.durationSeconds, e.path);
      const pgs = await sampler?.stop(5);
      const result: ApiResult = {
        label: e.label,
        connections,
        rps: r.requests.average,
        p50: r.latency.p50,
        p99: r.latency.p99,
        max: r.latency.max,
        non2xx: r.non2xx,
        errors: r.errors,
        topQueries: pgs?.queries,
      };
      results.push(result);
      options.log(`${e.label} x${connections}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, non-2xx ${result.non2xx}`);
    }
  }
  return results;
}
