// Under --profile the bench database runs auto_explain (ALTER DATABASE … SET, this database only),
// which writes the plan of every slow statement to the PostgreSQL server log. This reads the part
// of the log written during the run and groups the plans by statement.
import { closeSync, openSync, readSync, statSync } from 'node:fs';

export const SERVER_LOG = '/var/log/postgresql/postgresql-15-main.log';

export function logSize(file = SERVER_LOG): number {
  try {
    return statSync(file).size;
  } catch {
    return -1;
  }
}

export interface ExplainedStatement {
  query: string;
  count: number;
  maxMs: number;
  meanMs: number;
  plan: string;
}

export function slowStatements(database: string, from: number, file = SERVER_LOG): ExplainedStatement[] {
  if (from < 0) return [];
  const size = statSync(file).size;
  const buffer = Buffer.alloc(Math.max(0, size - from));
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buffer, 0, buffer.length, from);
  } finally {
    closeSync(fd);
  }
  const entries: string[] = [];
  for (const line of buffer.toString('utf8').split('\n')) {
    if (/^\d{4}-\d\d-\d\d /.test(line)) entries.push(line);
    else if (entries.length) entries[entries.length - 1] += `\n${line}`;
  }
  const byQuery = new Map<string, ExplainedStatement & { total: number }>();
  for (const e of entries) {
    if (!e.includes(`@${database} `) || !/duration: [\d.]+ ms\s+plan:/.test(e)) continue;
    const ms = Number(/duration: ([\d.]+) ms/.exec(e)![1]);
    const lines = e.split('\n');
    const q = lines.findIndex((l) => l.includes('Query Text:'));
    const p = lines.findIndex((l, i) => i > q && /\((?:cost|actual)[ =]/.test(l));
    if (q < 0 || p < 0) continue;
    const query = lines
      .slice(q, p)
      .join(' ')
      .replace(/^.*?Query Text:/, '')
      .replace(/\s+/g, ' ')
      .trim();
    const plan = lines
      .slice(p)
      .map((l) => l.replace(/^\t/, ''))
      .join('\n')
      .trimEnd();
    const s = byQuery.get(query) ?? { query, count: 0, maxMs: 0, meanMs: 0, total: 0, plan: '' };
    s.count++;
    s.total += ms;
    if (ms >= s.maxMs) {
      s.maxMs = ms;
      s.plan = plan;
    }
    byQuery.set(query, s);
  }
  return [...byQuery.values()].map((s) => ({ ...s, meanMs: s.total / s.count })).sort((a, b) => b.total - a.total);
}
