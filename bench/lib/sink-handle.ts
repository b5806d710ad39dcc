// The parent's side of bench/sink.ts: starts the sink process and keeps the arrival time of every
// bench token it reports, how often each token arrived again (a duplicate copy), and the copies
// known by their origin's Message-ID instead of a token (smtp-source's messages).
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export class SinkHandle {
  readonly arrivals = new Map<string, { at: number; size: number }>();
  /** Tokens that arrived more than once: how many extra copies. */
  readonly repeats = new Map<string, number>();
  /** Copies without a token, by the Message-ID of the message they came from (see bench/sink.ts): every arrival time. */
  readonly byOrigin = new Map<string, number[]>();
  untokened = 0;
  total = 0;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.on(
      'message',
      (m: { type: string; arrivals?: [string, number, number][]; keyed?: [string, number, number][]; untokened?: number; total?: number }) => {
        if (m.type !== 'arrivals') return;
        for (const [token, at, size] of m.arrivals!) {
          if (!this.arrivals.has(token)) this.arrivals.set(token, { at, size });
          else this.repeats.set(token, (this.repeats.get(token) ?? 0) + 1);
        }
        for (const [origin, at] of m.keyed ?? []) {
          const times = this.byOrigin.get(origin);
          if (times) times.push(at);
          else this.byOrigin.set(origin, [at]);
        }
        this.untokened = m.untokened!;
        this.total = m.total!;
      },
    );
  }

  get pid(): number {
    return this.child.pid!;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  static start(port = 0): Promise<SinkHandle> {
    const child = fork(join(__dirname, '..', 'sink.ts'), [String(port)], {
      execArgv: ['-r', 'ts-node/register/transpile-only'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`the sink exited with ${code}`)));
      child.on('message', function ready(m: { type: string; port?: number }) {
        if (m.type !== 'listening') return;
        child.off('message', ready);
        resolve(new SinkHandle(child, m.port!));
      });
    });
  }

  /** Resolves when every token has arrived, or at the deadline; returns how many arrived. */
  async waitFor(tokens: string[], timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const arrived = tokens.filter((t) => this.arrivals.has(t)).length;
      if (arrived === tokens.length || Date.now() > deadline) return arrived;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    this.child.removeAllListeners('exit'); // the start-up listener that rejects
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'stop' });
    const t = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  }
}
