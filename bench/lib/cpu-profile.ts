// Reads a V8 .cpuprofile (node --cpu-prof) and says where the time went: self time by function,
// self time by package or source file, and total (inclusive) time of Aster's own functions.
import { readFileSync } from 'node:fs';
import { table } from './stats';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** node_modules/<package>, src/<file> (Aster), node:<module>, or a V8 pseudo-frame such as (garbage collector). */
export function moduleOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1];
  const src = /\/dist\/(src\/.*|migrations\/.*)\.js$/.exec(url);
  if (src) return src[1];
  if (url.startsWith('node:')) return url;
  return url.replace(/^file:\/\//, '');
}

function frameName(n: ProfileNode): string {
  const f = n.callFrame;
  const where = f.url ? `${moduleOf(f.url, f.functionName)}:${f.lineNumber + 1}` : '';
  return `${f.functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
}

export function summarizeProfile(file: string, top = 25): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const idleUs = [...selfUs].filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)').reduce((a, [, us]) => a + us, 0);
  const busyUs = totalUs - idleUs;

  const selfByFunction = new Map<string, number>();
  const selfByModule = new Map<string, number>();
  const inclusiveAster = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    if (n.callFrame.functionName === '(idle)') continue;
    selfByFunction.set(frameName(n), (selfByFunction.get(frameName(n)) ?? 0) + us);
    const mod = moduleOf(n.callFrame.url, n.callFrame.functionName);
    selfByModule.set(mod, (selfByModule.get(mod) ?? 0) + us);
    // Inclusive time of Aster's functions: each function once per stack.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const node = byId.get(cur)!;
      if (!/\/dist\/src\//.test(node.callFrame.url)) continue;
      const name = frameName(node);
      if (seen.has(name)) continue;
      seen.add(name);
      inclusiveAster.set(name, (inclusiveAster.get(name) ?? 0) + us);
    }
  }
  const rows = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => [`\`${name}\``, (us / 1000).toFixed(0), `${((us / busyUs) * 100).toFixed(1)}%`]);
  return [
    `Profile ${file.split('/').pop()}: ${(totalUs / 1e6).toFixed(1)} s sampled, ${(busyUs / 1e6).toFixed(1)} s busy (not idle).`,
    '',
    'Self time by package or file:',
    '',
    table(['module', 'self ms', 'of busy'], rows(selfByModule, 20)),
    '',
    'Self time by function:',
    '',
    table(['function', 'self ms', 'of busy'], rows(selfByFunction, top)),
    '',
    "Total (inclusive) time of Aster's own functions (async continuations count only from where they resume):",
    '',
    table(['function', 'total ms', 'of busy'], rows(inclusiveAster, top)),
    '',
  ].join('\n');
}

if (require.main === module) {
  for (const f of process.argv.slice(2)) process.stdout.write(`${summarizeProfile(f)}\n`);
}
