// The Postfix side of the comparison: scripts/postfix-bench.sh sets up and tears down a throwaway
// instance under a temporary directory; this finds its processes for the CPU figures.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentOf, pidsWhere } from './proc';

const SCRIPT = join(__dirname, '..', '..', 'scripts', 'postfix-bench.sh');

export class PostfixInstance {
  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  static start(dir: string, port: number, sinkPort: number, forwardTo: string): PostfixInstance {
    execFileSync('bash', [SCRIPT, 'start', dir, String(port), String(sinkPort), forwardTo], { stdio: 'inherit' });
    return new PostfixInstance(dir, port);
  }

  static version(): string {
    try {
      return execFileSync('postconf', ['-h', '-d', 'mail_version'], { encoding: 'utf8' }).trim();
    } catch {
      return 'not installed';
    }
  }

  masterPid(): number {
    try {
      return Number(readFileSync(join(this.dir, 'queue', 'pid', 'master.pid'), 'utf8').trim());
    } catch {
      return 0;
    }
  }

  /** The master and every daemon it started (smtpd, cleanup, qmgr, smtp …). */
  pids(): number[] {
    const master = this.masterPid();
    if (!master) return [];
    return [master, ...pidsWhere((_cmd, pid) => parentOf(pid) === master)];
  }

  stop(): void {
    execFileSync('bash', [SCRIPT, 'stop', this.dir], { stdio: 'inherit' });
  }

  /** Stops every instance set up directly under `work` (a bench interrupted mid-phase). */
  static stopUnder(work: string): void {
    for (const name of existsSync(work) ? readdirSync(work) : []) {
      const dir = join(work, name);
      if (existsSync(join(dir, 'etc', 'main.cf'))) execFileSync('bash', [SCRIPT, 'stop', dir], { stdio: 'inherit' });
    }
  }
}
