// What every fault test needs: a database of its own, a relay sink, a tracked client and domain,
// and ways to count what reached the sink.
import { simpleParser } from 'mailparser';
import { Client } from 'pg';
import type { Sink } from '../../support/sink';
import type { AsterProcess } from './aster-process';
import { Cluster } from './cluster';

let embedded: Cluster | undefined;

/** A fresh database on DATABASE_URL's server, or on an embedded server of the test run's own. */
export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  let base = process.env.DATABASE_URL;
  if (!base) {
    embedded ??= await Cluster.create();
    base = embedded.url;
  }
  const name = `aster_fault_${Math.random().toString(16).slice(2, 10)}`;
  const at = (db: string) => Object.assign(new URL(base), { pathname: `/${db}` }).toString();
  const admin = async (sql: string) => {
    const c = new Client({ connectionString: at('postgres') });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  return { url: at(name), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

export async function stopEmbedded(): Promise<void> {
  await embedded?.close();
  embedded = undefined;
}

/** Linda's studio with one contact and lindapence.com, through the API. */
export async function seedLinda(aster: AsterProcess): Promise<void> {
  const client = await aster.api('/api/clients', {
    method: 'POST',
    body: JSON.stringify({ name: 'Linda Pence Studio', contacts: [{ name: 'Linda Pence', email: 'linda@pence-mail.test' }] }),
  });
  if (client.status !== 201) throw new Error(`client: ${client.status} ${await client.text()}`);
  const { id } = (await client.json()) as { id: string };
  const domain = await aster.api('/api/domains', { method: 'POST', body: JSON.stringify({ name: 'lindapence.com', clientId: id }) });
  if (domain.status !== 201) throw new Error(`domain: ${domain.status} ${await domain.text()}`);
}

export interface Copies {
  /** Message index → the Message-IDs of the copies the sink received (one entry per copy). */
  byIndex: Map<number, string[]>;
}

// Each received copy is parsed once, however often a test polls.
const parsed = new WeakMap<object, { subject: string; messageId: string }>();

/** Reads what the sink received, keyed by the load's message index found in the subject. */
export async function copies(sink: Sink, token: string): Promise<Copies> {
  const byIndex = new Map<number, string[]>();
  for (const m of sink.messages) {
    let mail = parsed.get(m);
    if (!mail) {
      const p = await simpleParser(m.raw, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
      mail = { subject: p.subject ?? '', messageId: p.messageId ?? '' };
      parsed.set(m, mail);
    }
    const match = new RegExp(`${token}-(\\d+)`).exec(mail.subject);
    if (!match) continue;
    const i = Number(match[1]);
    byIndex.set(i, [...(byIndex.get(i) ?? []), mail.messageId]);
  }
  return { byIndex };
}

export async function waitUntil(check: () => Promise<boolean> | boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** One query on a test database. */
export async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}

/** Routing and delivery work not yet done: messages stored and not decided, deliveries still queued. */
export async function pendingJobs(url: string): Promise<number> {
  const [row] = await query<{ n: string }>(
    url,
    `SELECT (SELECT count(*) FROM inbound_message WHERE stage = 'stored' AND status <> 'discarded')
          + (SELECT count(*) FROM delivery WHERE status = 'queued') AS n`,
  );
  return Number(row.n);
}
