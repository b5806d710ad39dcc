// Soak mode (`npm run bench -- --soak=<rate>:<minutes>`, issue 15 item 5): a steady open-loop rate of
// 4 KB registrar messages over a few SMTP sessions to Aster with 500 tracked domains, for minutes on
// end, and a figure per interval — accepted, copies at the sink, backlog, accept latency, RSS,
// database size, dead rows — to see whether anything drifts (the issue saw the accept p99 double
// over 30 minutes on a server with autovacuum off).
//
// Open loop: message i is due at start + i / rate whatever happened before it; it goes out on the
// first idle session (one message at a time per session, no pipelining) or waits for one. Latency is
// MAIL FROM → 250 like the rest of the bench; the wait for a session (from the due time) is reported
// apart, so a system that falls behind shows it instead of slowing the load down.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { asterLedger, createPortfolio, databaseUrl, startAster, withAdmin, type AsterLedger, type AsterOptions } from './aster';
import { registrarMessage } from './messages';
import type { BenchPostgres } from './pg-cluster';
import { CpuMeter, machineCpu, memory, pidsWhere } from './proc';
import type { SinkHandle } from './sink-handle';
import { isForeign } from './smtp-bench';
import { sendOne, SmtpConnection, type SentMessage } from './smtp-load';
import { mb, ms, now, percentile, table } from './stats';

export interface SoakOptions {
  /** Messages per second. */
  rate: number;
  minutes: number;
  /** Seconds per reported interval. */
  intervalSeconds: number;
  sessions: number;
  domains: number;
  clients: number;
  pg: BenchPostgres;
  work: string;
  sink: SinkHandle;
  log: (line: string) => void;
  keep: boolean;
}

export interface SoakInterval {
  /** Minutes from the start at the interval's end. */
  endMinute: number;
  accepted: number;
  refused: number;
  copies: number;
  /** Accepted so far − copies so far, at the interval's end, and the largest sampled (every second) within it. */
  backlog: number;
  backlogMax: number;
  acceptP50: number;
  acceptP99: number;
  acceptMax: number;
  /** Longest wait of a message for an idle session, from its due time to its MAIL FROM. */
  lagMax: number;
  /** RSS of each Aster process (main first), bytes. */
  rss: number[];
  dbBytes: number;
  deadRows: number;
  autovacuums: number;
  machineBusy: number;
  /** Share of the machine's CPU used by processes that have nothing to do with the bench. */
  othersBusy: number;
}

export interface SoakResult {
  options: Omit<SoakOptions, 'pg' | 'sink' | 'log' | 'work'>;
  intervals: SoakInterval[];
  sent: number;
  accepted: number;
  refused: number;
  errors: string[];
  arrived: number;
  lost: number;
  doubled: number;
  dbBytesStart: number;
  dbBytesEnd: number;
  acceptP99: number;
  acceptMax: number;
  /** The first and last window (5 minutes, or half the soak when shorter). */
  windowMinutes: number;
  firstP99: number;
  lastP99: number;
  drainSeconds: number;
  ledger?: AsterLedger;
}

interface Sent extends SentMessage {
  dueAt: number;
}

const MAIL_TO = 'domains@notify.localhost';
const RUN = 9000; // token prefix bm9000-: apart from the other phases' runs on the same sink

async function databaseFigures(url: string, db: string): Promise<{ bytes: number; dead: number; autovacuums: number }> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const size = await c.query<{ b: string }>('SELECT pg_database_size($1) AS b', [db]);
    const stats = await c.query<{ dead: string | null; av: string | null }>(
      'SELECT sum(n_dead_tup) AS dead, sum(autovacuum_count + autoanalyze_count) AS av FROM pg_stat_user_tables',
    );
    return { bytes: Number(size.rows[0].b), dead: Number(stats.rows[0].dead ?? 0), autovacuums: Number(stats.rows[0].av ?? 0) };
  } finally {
    await c.end();
  }
}

export async function runSoak(o: SoakOptions): Promise<SoakResult> {
  const dbName = `aster_bench_${process.pid}_soak`;
  const dbUrl = databaseUrl(o.pg.baseUrl, dbName);
  await withAdmin(o.pg.baseUrl, (c) => c.query(`CREATE DATABASE ${dbName}`));
  const dataDir = join(o.work, 'aster-soak');
  mkdirSync(dataDir, { recursive: true });
  const options: AsterOptions = { databaseUrl: dbUrl, smtpPort: 0, httpPort: 0, relayUrl: o.sink.url, dataDir, logFile: join(o.work, 'aster-soak.log') };
  const aster = await startAster(options, true, o.log);
  try {
    o.log(`soak: Aster pid ${aster.pid}, ${o.clients} clients and ${o.domains} domains through the API`);
    const domains = await createPortfolio(aster, o.clients, o.domains);
    const start = await databaseFigures(dbUrl, dbName);
    const total = Math.round(o.rate * o.minutes * 60);
    const token = (i: number) => `bm${RUN}-${String(i).padStart(6, '0')}`;
    const arrivedBefore = o.sink.arrivals.size;
    const arrived = () => o.sink.arrivals.size - arrivedBefore;

    let connections = await Promise.all(
      Array.from({ length: o.sessions }, async () => {
        const c = await SmtpConnection.open(options.smtpPort);
        await c.greet('mx.registrar-bench.test');
        return c;
      }),
    );
    const idle = [...connections];
    const waiting: number[] = [];
    const sent: Sent[] = [];
    const errors: string[] = [];
    let acceptedSoFar = 0;
    let inFlight = 0;
    const t0 = now() + 200;
    const dueAt = (i: number) => t0 + (i * 1000) / o.rate;

    const send = async (c: SmtpConnection, i: number): Promise<void> => {
      inFlight++;
      const raw = registrarMessage({ size: '4k', token: token(i), domain: domains[i % domains.length], to: MAIL_TO });
      try {
        const s = await sendOne(c, { token: token(i), from: 'noreply@gandi-bench.test', to: MAIL_TO, raw });
        sent.push({ ...s, dueAt: dueAt(i) });
        if (s.code === 250) acceptedSoFar++;
        idle.push(c);
      } catch (err) {
        errors.push(`${token(i)}: ${err instanceof Error ? err.message : String(err)}`);
        c.destroy();
        // A new session in its place, so the load keeps its shape.
        try {
          const fresh = await SmtpConnection.open(options.smtpPort);
          await fresh.greet('mx.registrar-bench.test');
          connections = [...connections.filter((x) => x !== c), fresh];
          idle.push(fresh);
        } catch (again) {
          errors.push(`a new session: ${again instanceof Error ? again.message : String(again)}`);
          connections = connections.filter((x) => x !== c);
        }
      } finally {
        inFlight--;
        pump();
      }
    };
    const pump = () => {
      while (waiting.length && idle.length) void send(idle.pop()!, waiting.shift()!);
    };

    // The figures of one interval, from what was answered and arrived within it.
    const intervals: SoakInterval[] = [];
    let intervalStart = t0;
    let backlogMax = 0;
    let cpu0 = machineCpu();
    const ours = () => new Set([...aster.pids(), process.pid, o.sink.pid]);
    const cluster = o.pg.kind === 'own' ? 'aster-bench' : undefined;
    const othersMeter = () =>
      new CpuMeter(() => {
        const mine = ours();
        return pidsWhere((cmd, pid) => !mine.has(pid) && isForeign(cmd, dbName, cluster));
      });
    let others = othersMeter();
    let arrivedAtStart = 0;
    const sampleBacklog = setInterval(() => (backlogMax = Math.max(backlogMax, acceptedSoFar - arrived())), 1000);
    const pendingRows: Promise<void>[] = [];
    // Everything but the database figures is taken at once, so the schedule is not held up.
    const closeInterval = (end: number) => {
      const inside = sent.filter((s) => s.answeredAt >= intervalStart && s.answeredAt < end);
      const ok = inside.filter((s) => s.code === 250);
      const lat = ok.map((s) => s.answeredAt - s.startedAt);
      const cpu1 = machineCpu();
      const othersSeconds = others.stop();
      others = othersMeter();
      const got = arrived();
      const backlog = acceptedSoFar - got;
      const row: SoakInterval = {
        endMinute: (end - t0) / 60_000,
        accepted: ok.length,
        refused: inside.length - ok.length,
        copies: got - arrivedAtStart,
        backlog,
        backlogMax: Math.max(backlogMax, backlog),
        acceptP50: percentile(lat, 50),
        acceptP99: percentile(lat, 99),
        acceptMax: lat.length ? Math.max(...lat) : NaN,
        lagMax: inside.length ? Math.max(...inside.map((s) => s.startedAt - s.dueAt)) : NaN,
        rss: aster.pids().map((pid) => {
          try {
            return memory(pid).rss;
          } catch {
            return NaN;
          }
        }),
        dbBytes: NaN,
        deadRows: NaN,
        autovacuums: NaN,
        machineBusy: (cpu1.busy - cpu0.busy) / Math.max(1, cpu1.total - cpu0.total),
        othersBusy: (othersSeconds * 100) / Math.max(1, cpu1.total - cpu0.total),
      };
      intervals.push(row);
      intervalStart = end;
      arrivedAtStart = got;
      backlogMax = 0;
      cpu0 = cpu1;
      pendingRows.push(
        databaseFigures(dbUrl, dbName).then((db) => {
          row.dbBytes = db.bytes;
          row.deadRows = db.dead;
          row.autovacuums = db.autovacuums;
          o.log(
            `soak ${row.endMinute.toFixed(1)} min: ${row.accepted} accepted, ${row.copies} copies, backlog ${row.backlog} (max ${row.backlogMax}), ` +
              `accept p50 ${ms(row.acceptP50)} p99 ${ms(row.acceptP99)} max ${ms(row.acceptMax)} ms, RSS ${row.rss.map(mb).join(' + ')} MB, ` +
              `db ${mb(row.dbBytes)} MB, ${row.deadRows} dead rows, machine ${(row.machineBusy * 100).toFixed(0)}% busy, ${(row.othersBusy * 100).toFixed(0)}% by others`,
          );
        }),
      );
    };

    o.log(`soak: ${total} messages at ${o.rate}/s over ${o.sessions} sessions (${o.minutes} min), a line every ${o.intervalSeconds} s`);
    let next = 0;
    let nextInterval = t0 + o.intervalSeconds * 1000;
    while (next < total) {
      const t = now();
      while (next < total && dueAt(next) <= t) waiting.push(next++);
      pump();
      if (t >= nextInterval && next < total) {
        closeInterval(nextInterval);
        nextInterval += o.intervalSeconds * 1000;
      }
      if (next >= total) break;
      const wake = Math.min(dueAt(next), nextInterval);
      await new Promise((r) => setTimeout(r, Math.max(0, wake - now())));
    }
    // The last messages out, then the last (possibly partial) interval.
    while (waiting.length || inFlight) await new Promise((r) => setTimeout(r, 20));
    // The last interval ends with the last answer (unless that came long after its boundary).
    const loadEnd = now() + 1;
    if (loadEnd - nextInterval >= (o.intervalSeconds * 1000) / 2) closeInterval(nextInterval);
    closeInterval(loadEnd);
    clearInterval(sampleBacklog);
    others.stop();
    await Promise.all(pendingRows);
    await Promise.all(connections.map((c) => c.quit()));

    // Drain: every accepted message's copy, or two minutes.
    const accepted = sent.filter((s) => s.code === 250);
    const drainStart = now();
    const got = await o.sink.waitFor(
      accepted.map((s) => s.token),
      120_000,
    );
    const drainSeconds = (now() - drainStart) / 1000;
    await new Promise((r) => setTimeout(r, 1500)); // a late duplicate
    const end = await databaseFigures(dbUrl, dbName);
    const ledger = await asterLedger(dbUrl);
    const lat = accepted.map((s) => s.answeredAt - s.startedAt);
    const windowMinutes = Math.min(5, o.minutes / 2);
    const inWindow = (from: number, to: number) =>
      accepted.filter((s) => s.startedAt >= t0 + from * 60_000 && s.startedAt < t0 + to * 60_000).map((s) => s.answeredAt - s.startedAt);
    const doubled = accepted.reduce((a, s) => a + (o.sink.repeats.get(s.token) ?? 0), 0);
    return {
      options: {
        rate: o.rate,
        minutes: o.minutes,
        intervalSeconds: o.intervalSeconds,
        sessions: o.sessions,
        domains: o.domains,
        clients: o.clients,
        keep: o.keep,
      },
      intervals,
      sent: sent.length,
      accepted: accepted.length,
      refused: sent.length - accepted.length,
      errors,
      arrived: got,
      lost: accepted.length - got,
      doubled,
      dbBytesStart: start.bytes,
      dbBytesEnd: end.bytes,
      acceptP99: percentile(lat, 99),
      acceptMax: lat.length ? Math.max(...lat) : NaN,
      windowMinutes,
      firstP99: percentile(inWindow(0, windowMinutes), 99),
      lastP99: percentile(inWindow(o.minutes - windowMinutes, o.minutes + 1), 99),
      drainSeconds,
      ledger,
    };
  } finally {
    await aster.stop();
    if (!o.keep) await withAdmin(o.pg.baseUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)).catch(() => undefined);
  }
}

export function soakReport(r: SoakResult): string[] {
  const o = r.options;
  const out: string[] = [];
  out.push(`### Soak: ${o.rate} messages/s for ${o.minutes} min`);
  out.push('');
  out.push(
    `${r.sent} × 4 KB registrar messages, open loop at ${o.rate}/s over ${o.sessions} sessions, naming ${o.domains} tracked domains of ${o.clients} clients ` +
      `(one copy each); a row per ${o.intervalSeconds} s. Accept latency is MAIL FROM → 250; "wait" is the longest a due message waited for an idle session.`,
  );
  out.push('');
  out.push(
    table(
      [
        'minute',
        'accepted',
        'copies at the sink',
        'backlog at end (max)',
        'accept p50 / p99 / max ms',
        'wait max ms',
        'RSS MB (main + workers)',
        'database MB',
        'dead rows',
        'autovacuum + autoanalyze runs',
        'machine busy / of it others',
      ],
      r.intervals.map((i) => [
        i.endMinute.toFixed(1),
        i.accepted + (i.refused ? ` (+${i.refused} refused)` : ''),
        i.copies,
        `${i.backlog} (${i.backlogMax})`,
        `${ms(i.acceptP50)} / ${ms(i.acceptP99)} / ${ms(i.acceptMax)}`,
        ms(i.lagMax),
        i.rss.map(mb).join(' + '),
        mb(i.dbBytes),
        i.deadRows,
        i.autovacuums,
        `${(i.machineBusy * 100).toFixed(0)}% / ${(i.othersBusy * 100).toFixed(0)}%`,
      ]),
    ),
  );
  out.push('');
  const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
  const ratio = r.lastP99 / r.firstP99;
  const backlogMax = Math.max(...r.intervals.map((i) => i.backlogMax));
  const perMessage = (r.dbBytesEnd - r.dbBytesStart) / Math.max(1, r.accepted);
  const l = r.ledger;
  out.push(
    table(
      ['at the end', 'measured', 'verdict'],
      [
        [
          'nothing lost',
          `${r.accepted} accepted (${r.refused} refused, ${r.errors.length} session errors), ${r.arrived} copies at the sink after a drain of ${r.drainSeconds.toFixed(1)} s; ${r.lost} lost`,
          verdict(r.lost === 0 && r.refused === 0 && r.errors.length === 0),
        ],
        ['no duplicate', `${r.doubled} copies beyond the first`, verdict(r.doubled === 0)],
        [
          "Aster's tables",
          l
            ? `${l.stored} messages stored, ${l.deliveries} deliveries, ${l.sent} sent, ${l.multiDelivered} messages with more than one delivery`
            : 'not readable',
          l ? verdict(l.stored === r.accepted && l.sent === r.accepted && l.multiDelivered === 0) : '–',
        ],
        ['backlog (accepted − at the sink) never above 20', `largest sampled ${backlogMax}`, verdict(backlogMax <= 20)],
        ['database per message', `${(perMessage / 1024).toFixed(1)} KB (${mb(r.dbBytesStart)} → ${mb(r.dbBytesEnd)} MB)`, ''],
        [
          `accept p99, last ${r.windowMinutes} min ÷ first ${r.windowMinutes} min ≤ 1.2`,
          `${ms(r.lastP99)} / ${ms(r.firstP99)} ms = ${Number.isFinite(ratio) ? ratio.toFixed(2) : '–'} (whole soak: p99 ${ms(r.acceptP99)}, max ${ms(r.acceptMax)} ms)`,
          verdict(ratio <= 1.2),
        ],
      ],
    ),
  );
  if (r.errors.length) out.push('', `Session errors: ${r.errors.slice(0, 5).join(' / ')}`);
  out.push('');
  return out;
}
