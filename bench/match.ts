// How long matching one message takes with 100 and with 100,000 tracked domains: candidate
// extraction (pure) plus the one indexed lookup, on the corpus messages, against a real PostgreSQL.
// Run: DATABASE_URL=postgres://… npx ts-node --transpile-only bench/match.ts
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { Client } from 'pg';
import { runMigrations } from '../src/database/migrate';
import { aliasDomains, extractCandidates } from '../src/mail/intake/match';

const CORPUS = join(__dirname, '..', 'test', 'fixtures', 'mail');

async function main(): Promise<void> {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('set DATABASE_URL to a PostgreSQL server (any database; a scratch one is created)');
  const db = `aster_bench_${process.pid}`;
  const url = (name: string) => Object.assign(new URL(base), { pathname: `/${name}` }).toString();
  const admin = new Client({ connectionString: url('postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${db}`);
  try {
    await runMigrations(url(db));
    const pg = new Client({ connectionString: url(db) });
    await pg.connect();
    const corpus = JSON.parse(readFileSync(join(CORPUS, 'corpus.json'), 'utf8')) as {
      mailDomain: string;
      messages: { file: string; envelope: { to: string[] } }[];
    };
    const parsed = await Promise.all(corpus.messages.map(async (m) => ({ m, mail: await simpleParser(readFileSync(join(CORPUS, m.file))) })));
    const [{ id: clientId }] = (await pg.query(`INSERT INTO client (name) VALUES ('bench') RETURNING id`)).rows;
    const results: string[] = [];
    let have = 0;
    for (const size of [100, 100_000]) {
      await pg.query(
        `INSERT INTO domain (name, "unicodeName", "clientId") SELECT n, n, $1 FROM (SELECT 'tracked-' || g || '.com' AS n FROM generate_series($2::int, $3::int) g) s`,
        [clientId, have + 1, size],
      );
      have = size;
      await pg.query('ANALYZE domain');
      const rounds = 20;
      let extractNs = 0n;
      let lookupNs = 0n;
      for (let r = 0; r < rounds; r++) {
        for (const { m, mail } of parsed) {
          const t0 = process.hrtime.bigint();
          const candidates = [
            ...new Set([
              ...aliasDomains(m.envelope.to, corpus.mailDomain),
              ...extractCandidates({ subject: mail.subject ?? '', text: mail.text ?? '', html: typeof mail.html === 'string' ? mail.html : '', addresses: [] }),
            ]),
          ];
          const t1 = process.hrtime.bigint();
          await pg.query('SELECT name, "clientId" FROM domain WHERE name = ANY($1)', [candidates]);
          const t2 = process.hrtime.bigint();
          extractNs += t1 - t0;
          lookupNs += t2 - t1;
        }
      }
      const n = BigInt(rounds * parsed.length);
      const plan = (await pg.query(`EXPLAIN SELECT name FROM domain WHERE name = ANY($1)`, [['a.com', 'b.com']])).rows.map((r) => r['QUERY PLAN']).join(' | ');
      results.push(
        `${size.toString().padStart(7)} tracked domains: extract ${(Number(extractNs / n) / 1e6).toFixed(3)} ms + lookup ${(Number(lookupNs / n) / 1e6).toFixed(3)} ms per message (mean of ${n} runs); plan: ${plan}`,
      );
    }
    await pg.end();
    console.log(results.join('\n'));
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await admin.end();
  }
}

void main();
