// Controls a PostgreSQL cluster of the test's own through pg-cluster.cjs (see there why).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from './aster-process';

export class Cluster {
  private readonly child: ChildProcess;
  private readonly replies: string[] = [];
  private waiter: (() => void) | undefined;
  private readonly dir: string;

  private constructor(
    readonly port: number,
    private readonly password: string,
  ) {
    const dir = mkdtempSync(join(tmpdir(), 'aster-fault-pg-'));
    this.dir = dir;
    this.child = spawn(process.execPath, [join(__dirname, 'pg-cluster.cjs'), dir, String(port), password], { stdio: ['pipe', 'pipe', 'inherit'] });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      this.replies.push(line);
      this.waiter?.();
    });
  }

  /**
   * A new cluster on a free port. The port can be taken between freePort() and PostgreSQL's bind
   * (another process on a busy machine): then the cluster is dropped and made again on another.
   */
  static async create(): Promise<Cluster> {
    for (let attempt = 1; ; attempt++) {
      const cluster = new Cluster(await freePort(), 'fault-test-password');
      try {
        await cluster.send('init');
        await cluster.send('start');
        await cluster.send('createdb');
        return cluster;
      } catch (err) {
        await cluster.close().catch(() => undefined);
        if (attempt >= 4) throw err;
      }
    }
  }

  get url(): string {
    return `postgres://aster:${this.password}@127.0.0.1:${this.port}/aster`;
  }

  serverUrl(database: string): string {
    return `postgres://aster:${this.password}@127.0.0.1:${this.port}/${database}`;
  }

  async send(command: 'init' | 'start' | 'stop' | 'createdb'): Promise<void> {
    this.child.stdin!.write(`${command}\n`);
    const deadline = Date.now() + 60_000;
    while (this.replies.length === 0) {
      if (Date.now() > deadline) throw new Error(`PostgreSQL cluster: no answer to ${command}`);
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        setTimeout(resolve, 1000);
      });
    }
    const reply = this.replies.shift()!;
    if (reply !== `ok ${command}`) throw new Error(`PostgreSQL cluster: ${command}: ${reply}`);
  }

  async close(): Promise<void> {
    this.child.stdin!.end();
    await new Promise<void>((resolve) => (this.child.exitCode !== null ? resolve() : this.child.once('exit', () => resolve())));
    // The cluster's files (about 50 MB): nothing of them is needed after the test.
    rmSync(this.dir, { recursive: true, force: true });
  }
}
