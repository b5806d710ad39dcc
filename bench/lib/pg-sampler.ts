// A sampling profiler for PostgreSQL without pg_stat_statements (which needs a server restart to
// load): polls pg_stat_activity for the bench database every few milliseconds and counts, per
// statement and per wait event, how often a backend was found busy with it. "idle in transaction"
// counts the time a transaction stayed open while the client (Aster) was working between statements.
import { Client } from 'pg';

export interface PgSample {
  samples: number;
  /** Per statement text (whitespace collapsed): share of samples in which a backend ran it. */
  queries: { query: string; share: number; waits: string }[];
  /** Per backend state and wait event: share of samples. */
  states: { state: string; share: number }[];
}

export class PgSampler {
  private readonly client: Client;
  private timer: NodeJS.Timeout | undefined;
  private samples = 0;
  private readonly queries = new Map<string, { n: number; waits: Map<string, number> }>();
  private readonly states = new Map<string, number>();
  private busy = false;

  constructor(
    url: string,
    private readonly database: string,
  ) {
    this.client = new Client({ connectionString: url });
  }

  async start(everyMs = 20): Promise<void> {
    await this.client.connect();
    this.timer = setInterval(() => void this.sample(), everyMs);
  }

  private async sample(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const { rows } = await this.client.query<{ state: string; wait: string | null; query: string }>(
        `SELECT state, wait_event_type || ':' || wait_event AS wait, query FROM pg_stat_activity
          WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND state <> 'idle'`,
        [this.database],
      );
      this.samples++;
      for (const r of rows) {
        const state = `${r.state}${r.wait ? ` (${r.wait})` : ''}`;
        this.states.set(state, (this.states.get(state) ?? 0) + 1);
        if (r.state !== 'active') continue;
        const q = r.query.replace(/\s+/g, ' ').trim();
        const e = this.queries.get(q) ?? { n: 0, waits: new Map<string, number>() };
        e.n++;
        if (r.wait) e.waits.set(r.wait, (e.waits.get(r.wait) ?? 0) + 1);
        this.queries.set(q, e);
      }
    } finally {
      this.busy = false;
    }
  }

  async stop(top = 8): Promise<PgSample> {
    clearInterval(this.timer);
    while (this.busy) await new Promise((r) => setTimeout(r, 5));
    await this.client.end();
    const n = Math.max(1, this.samples);
    return {
      samples: this.samples,
      queries: [...this.queries]
        .sort((a, b) => b[1].n - a[1].n)
        .slice(0, top)
        .map(([query, e]) => ({
          query,
          share: e.n / n,
          waits: [...e.waits]
            .sort((a, b) => b[1] - a[1])
            .map(([w, c]) => `${w} ${((c / e.n) * 100).toFixed(0)}%`)
            .join(', '),
        })),
      states: [...this.states]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([state, c]) => ({ state, share: c / n })),
    };
  }
}
