// Reading a process's memory and CPU time from /proc (Linux), for the memory figures and the
// CPU-per-message figures of the bench.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

/** VmRSS and VmHWM (peak RSS) in bytes. */
export function memory(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** Resets the peak-RSS counter (VmHWM) to the current RSS (Linux ≥ 4.0, `clear_refs` value 5). */
export function resetPeak(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

const TICKS = 100; // USER_HZ on Linux

/** User + system CPU seconds used so far by `pid` (its threads included). */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS; // utime, stime
  } catch {
    return 0;
  }
}

/** Pids whose command line matches `test` (e.g. every process of a Postfix instance). */
/** The child processes of `pid` (every thread's children file). */
export function childPids(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

export function pidsWhere(test: (cmdline: string, pid: number) => boolean): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (test(cmd, Number(entry))) out.push(Number(entry));
    } catch {
      // gone
    }
  }
  return out;
}

/** Busy and total CPU jiffies of the whole machine, for "how busy was the machine". */
export function machineCpu(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  const idle = line[3] + line[4];
  const total = line.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
  return { busy: total - idle, total };
}

/** Samples VmRSS of `pid` every `everyMs` until stopped; `stop` returns the largest sample, `timeline` every [time, rss]. */
export function sampleRss(pid: number, everyMs = 20): { stop(): number; timeline: [number, number][] } {
  let max = 0;
  const timeline: [number, number][] = [];
  const take = () => {
    try {
      const rss = memory(pid).rss;
      timeline.push([performance.timeOrigin + performance.now(), rss]);
      max = Math.max(max, rss);
    } catch {
      // process gone
    }
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    timeline,
    stop() {
      clearInterval(timer);
      take();
      return max;
    },
  };
}

/** The largest RSS sampled between `from` and `to` (epoch ms). */
export function peakBetween(timeline: [number, number][], from: number, to: number): number {
  return timeline.filter(([t]) => t >= from && t <= to).reduce((m, [, rss]) => Math.max(m, rss), 0);
}

/** Parent pid of `pid`, or 0. */
export function parentOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 0;
  }
}

/**
 * CPU seconds used by a changing set of processes (PostgreSQL backends come and go, Postfix forks
 * daemons): samples every process `select` names every 200 ms and adds up what each used between
 * its first and last sample. A process that lives less than one sample interval is missed.
 */
export class CpuMeter {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly select: () => number[]) {
    this.sample(true);
    this.timer = setInterval(() => this.sample(false), 200);
  }

  private sample(initial: boolean): void {
    for (const pid of this.select()) {
      const cpu = cpuSeconds(pid);
      if (!this.first.has(pid)) this.first.set(pid, initial ? cpu : 0);
      this.last.set(pid, cpu);
    }
  }

  stop(): number {
    clearInterval(this.timer);
    this.sample(false);
    let total = 0;
    for (const [pid, end] of this.last) total += end - (this.first.get(pid) ?? 0);
    return total;
  }
}
