// Issue 15, item 3: what relaying with PIPELINING costs and what it would save. Sends N letters,
// `--inflight` at a time like Aster's delivery worker, to a sink in a process of its own (a real
// smtp-server configured like bench/sink.ts and test/support/sink.ts, which advertises PIPELINING;
// started by this file with `--sink`, it counts what it accepted and keeps no bytes, so the
// experiment does not depend on the bench's sink changing meanwhile) and measures, in this process:
// letters/s, CPU ms per letter (process.cpuUsage), socket.write() calls per letter, and the sink's
// CPU per letter (/proc). With `--strace` it repeats one run of each variant under
// `strace -c -f -p <this pid>` for the write and read system calls per letter (strace slows the
// process down, so those runs are not timed). Each run first sends 1,000 letters unmeasured (the
// sessions opened, the code compiled by V8); each repeat starts with another variant. With
// `--profile=<dir>` V8's sampling profiler covers the measured letters of each run (a .cpuprofile
// per run, and a line of where the time went).
//
// Variants (`--variants=a,b`, default all):
//   transport      nodemailer's pooled transport as relay.ts configured it before issue 15
//                  (pool: true, maxConnections 4, maxMessages 500); the base of the comparison
//   pool-8         the same options with maxConnections 8 and maxMessages Infinity
//   pool-16        the same with maxConnections 16
//   no-pipelining  the transport's options against the same sink with smtp-server's hidePIPELINING:
//                  what nodemailer's own pipelining already gives
//   smtp-connection  nodemailer's own SMTP client (lib/smtp-connection: it pipelines too) on 4
//                  connections reused through this file's small pool, without nodemailer's
//                  Mailer, MimeNode (the raw letter streamed through PassThrough and LastNewline)
//                  and smtp-pool; RSET after a refused letter, as smtp-pool does
//   smtp-connection-16  the same on 16 connections
//   relay.ts       Aster's Relay class as it is now (for a plain smtp:// relay: RelaySessions, the
//                  smtp-connection variant made production-ready)
//   minimal        a hand-written client, a reference floor and not a proposal: MAIL+RCPT+DATA in
//                  one write, the dot-stuffed body and the final dot in one more (corked), on 4
//                  reused connections; no error handling beyond counting a failed answer
//   minimal-16     the same on 16 connections
//
// Letters (`--letter=8k|notice`, default both): `notice` is a forwarded notice composed by Aster's
// composeForward from the bench's 4 KB registrar message (its original attached: 14,692 bytes);
// `8k` is the same notice cut to 8 KB (its header and the start of its text part, as text/plain).
// Every run checks that the sink accepted each letter of the run.
//
// Found (2026-12-02, nodemailer 10.6.1, Node 26, medians of 3 × 5,000 letters, 16 in flight, on a
// machine whose other work kept the load at 6–16 on its 2 cores, so letters/s is not worth
// quoting): nodemailer already pipelines (3 write and 2 read system calls per letter against 5
// and 4 without PIPELINING); the transport costs 0.45–0.47 ms of CPU per letter, its own SMTP
// client alone 0.19, relay.ts's sessions 0.21 (-53 to -55%), the hand-written floor 0.10–0.12.
//
// Run: npx ts-node --transpile-only bench/experiments/relay-pipelining.ts [--n=5000] [--inflight=16]
//        [--repeats=3] [--letter=8k,notice] [--variants=…] [--strace] [--profile=<dir>]
import { fork, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import net from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { SMTPServer } from 'smtp-server';
import type { AsterConfig } from '../../src/config/config';
import { Relay } from '../../src/mail/delivery/relay';
import { composeForward } from '../../src/mail/notices/compose';
import { registrarMessage } from '../lib/messages';
import { table } from '../lib/stats';

const WARM_UP = 1000;
const FROM = 'bounce+00000000-0000-4000-8000-000000000001@notify.localhost';
const TO = 'client-1@clients.test';
/** The token the template carries; every letter gets its own of the same length. */
const TEMPLATE_TOKEN = 'bm00-000000';

type Send = (letter: Buffer) => Promise<boolean>;

interface Variant {
  name: string;
  pipelinedSink: boolean;
  /** Opens whatever the variant sends through; `close` ends its connections. */
  open(port: number): { send: Send; close(): void };
}

// ---------------------------------------------------------------------------------------------
// The variants.

/** The transport options relay.ts used before issue 15, with the pool's sizes as parameters. */
function nodemailerPool(port: number, maxConnections: number, maxMessages: number): Transporter {
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    pool: true,
    maxConnections,
    maxMessages,
    name: 'notify.localhost',
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
}

function viaNodemailer(name: string, maxConnections: number, maxMessages: number, pipelinedSink = true): Variant {
  return {
    name,
    pipelinedSink,
    open(port) {
      const transport = nodemailerPool(port, maxConnections, maxMessages);
      return {
        send: async (letter) => {
          try {
            await transport.sendMail({ envelope: { from: FROM, to: TO }, raw: letter });
            return true;
          } catch {
            return false;
          }
        },
        close: () => transport.close(),
      };
    },
  };
}

const VARIANTS: Variant[] = [
  viaNodemailer('transport', 4, 500),
  viaNodemailer('pool-8', 8, Infinity),
  viaNodemailer('pool-16', 16, Infinity),
  viaNodemailer('no-pipelining', 4, 500, false),
  smtpConnectionVariant('smtp-connection', 4),
  smtpConnectionVariant('smtp-connection-16', 16),
  {
    name: 'relay.ts',
    pipelinedSink: true,
    open(port) {
      const relay = new Relay({ relayUrl: `smtp://127.0.0.1:${port}`, mailDomain: 'notify.localhost', dataDir: tmpdir() } as AsterConfig);
      let n = 0;
      return {
        send: async (letter) => (await relay.send(`l${n++}`, { from: FROM, to: TO }, letter)).outcome === 'sent',
        close: () => relay.onApplicationShutdown(),
      };
    },
  },
  minimalVariant('minimal', 4),
  minimalVariant('minimal-16', 16),
];

/** SMTP DATA of a letter: CRLF line ends, a dot at the start of a line doubled (RFC 5321 §4.5.2). */
function dataOf(letter: Buffer): Buffer {
  let clean = letter[0] !== 0x2e;
  for (let i = 0; clean && i < letter.length; i++) {
    const byte = letter[i];
    if (byte === 0x0a && letter[i - 1] !== 0x0d) clean = false;
    else if (byte === 0x0d && letter[i + 1] !== 0x0a) clean = false;
    else if (byte === 0x2e && letter[i - 1] === 0x0a) clean = false;
  }
  if (clean) return letter;
  const text = letter
    .toString('latin1')
    .replace(/\r\n|\r|\n/g, '\r\n')
    .replace(/^\./gm, '..');
  return Buffer.from(text, 'latin1');
}

const DOT_END = Buffer.from('.\r\n');
const CRLF_DOT_END = Buffer.from('\r\n.\r\n');

/** One SMTP connection of the reference client: replies are matched to commands in order. */
class PipeliningConnection {
  private pending = '';
  private lines: string[] = [];
  private readonly replies: string[] = [];
  private readonly waiting: ((reply: string) => void)[] = [];

  private constructor(private readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => undefined);
  }

  static async open(port: number): Promise<PipeliningConnection> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const connection = new PipeliningConnection(socket);
    const greeting = await connection.reply();
    if (!greeting.startsWith('220')) throw new Error(`greeting: ${greeting}`);
    socket.write('EHLO notify.localhost\r\n');
    const ehlo = await connection.reply();
    if (!/^250[ -]PIPELINING\b/im.test(ehlo)) throw new Error('the sink does not offer PIPELINING');
    return connection;
  }

  private onData(chunk: Buffer): void {
    this.pending += chunk.toString('latin1');
    for (let end = this.pending.indexOf('\r\n'); end >= 0; end = this.pending.indexOf('\r\n')) {
      const line = this.pending.slice(0, end);
      this.pending = this.pending.slice(end + 2);
      this.lines.push(line);
      if (line.charAt(3) === '-') continue;
      const reply = this.lines.join('\n');
      this.lines = [];
      const waiter = this.waiting.shift();
      if (waiter) waiter(reply);
      else this.replies.push(reply);
    }
  }

  private reply(): Promise<string> {
    const ready = this.replies.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async send(letter: Buffer): Promise<boolean> {
    this.socket.write(`MAIL FROM:<${FROM}>\r\nRCPT TO:<${TO}>\r\nDATA\r\n`);
    const [mail, rcpt, data] = [await this.reply(), await this.reply(), await this.reply()];
    if (!data.startsWith('354')) {
      this.socket.write('RSET\r\n');
      await this.reply();
      return false;
    }
    const body = dataOf(letter);
    this.socket.cork();
    this.socket.write(body);
    this.socket.write(body[body.length - 1] === 0x0a ? DOT_END : CRLF_DOT_END);
    this.socket.uncork();
    const done = await this.reply();
    return mail.startsWith('2') && rcpt.startsWith('2') && done.startsWith('2');
  }

  close(): void {
    this.socket.end('QUIT\r\n');
  }
}

/** `size` reused connections of any kind, handed to one letter at a time. */
function pooled<C>(
  name: string,
  size: number,
  connect: (port: number) => Promise<C>,
  send: (c: C, letter: Buffer) => Promise<boolean>,
  close: (c: C) => void,
): Variant {
  return {
    name,
    pipelinedSink: true,
    open(port) {
      const idle: C[] = [];
      const all: C[] = [];
      const queue: ((connection: C) => void)[] = [];
      let opening = 0;
      const release = (connection: C) => {
        const next = queue.shift();
        if (next) next(connection);
        else idle.push(connection);
      };
      const acquire = (): Promise<C> => {
        const ready = idle.pop();
        if (ready) return Promise.resolve(ready);
        const waiting = new Promise<C>((resolve) => queue.push(resolve));
        if (all.length + opening < size) {
          opening++;
          void connect(port).then((connection) => {
            opening--;
            all.push(connection);
            release(connection);
          });
        }
        return waiting;
      };
      return {
        send: async (letter) => {
          const connection = await acquire();
          try {
            return await send(connection, letter);
          } finally {
            release(connection);
          }
        },
        close: () => all.forEach(close),
      };
    },
  };
}

function minimalVariant(name: string, connections: number): Variant {
  return pooled(
    name,
    connections,
    (port) => PipeliningConnection.open(port),
    (c, letter) => c.send(letter),
    (c) => c.close(),
  );
}

/** nodemailer's own SMTP client (lib/smtp-connection) without its Mailer, MimeNode and pool. */
function smtpConnectionVariant(name: string, connections: number): Variant {
  return pooled(
    name,
    connections,
    async (port) => {
      const connection = new SMTPConnection({
        host: '127.0.0.1',
        port,
        name: 'notify.localhost',
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
      });
      connection.on('error', () => undefined);
      await new Promise<void>((resolve, reject) => connection.connect((err) => (err ? reject(err) : resolve())));
      return connection;
    },
    (connection, letter) =>
      new Promise<boolean>((resolve) =>
        connection.send({ from: FROM, to: [TO] }, letter, (err) => {
          if (err) connection.reset(() => resolve(false));
          else resolve(true);
        }),
      ),
    (connection) => connection.quit(),
  );
}

// ---------------------------------------------------------------------------------------------
// Letters.

async function noticeTemplate(): Promise<Buffer> {
  const original = registrarMessage({ size: '4k', token: TEMPLATE_TOKEN, domain: 'artsite-1.com', to: 'domains@notify.localhost' });
  return composeForward(
    { noticeFrom: 'Aster <notices@notify.localhost>', publicUrl: 'http://127.0.0.1:3000', mailDomain: 'notify.localhost' },
    {
      deliveryId: '00000000-0000-4000-8000-000000000001',
      to: { name: 'Client One', email: TO },
      clientName: 'Client One',
      kind: 'expiry_reminder',
      domains: [
        {
          name: 'artsite-1.com',
          unicodeName: 'artsite-1.com',
          registrar: 'Gandi SAS',
          registeredAt: new Date('2020-03-03T00:00:00Z'),
          expiresAt: new Date('2027-03-03T00:00:00Z'),
          guidanceUrl: 'http://127.0.0.1:3000/guide/domain/artsite-1.com',
        },
      ],
      original: {
        raw: original,
        subject: `Your domain artsite-1.com expires in 30 days (ref ${TEMPLATE_TOKEN})`,
        from: 'Gandi <noreply@gandi-bench.test>',
        messageId: `<${TEMPLATE_TOKEN}@mail.gandi-bench.test>`,
        date: new Date('2026-12-01T10:00:00Z'),
        text: 'Hello,\r\n\r\nYour domain artsite-1.com will expire in 30 days. Automatic renewal is turned off.\r\n',
      },
      unverifiedSender: false,
    },
  );
}

/** The notice cut to `bytes`: its header (as a single text/plain part) and the start of its text. */
function cutTo(notice: Buffer, bytes: number): Buffer {
  const text = notice.toString('latin1');
  const headerEnd = text.indexOf('\r\n\r\n');
  const header = text
    .slice(0, headerEnd)
    .replace(/^Content-Type:.*(\r\n[ \t].*)*/im, 'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit');
  const bodyStart = text.indexOf('Copy of a registrar message');
  const body = text
    .slice(bodyStart)
    .split('\r\n')
    .filter((line) => !line.startsWith('----_'))
    .join('\r\n');
  const room = bytes - header.length - 4;
  const cut = body.slice(0, room);
  return Buffer.from(`${header}\r\n\r\n${cut.slice(0, cut.lastIndexOf('\r\n') + 2)}`, 'latin1');
}

/** Offsets of the template token in a letter, so each copy gets its own token in place. */
function tokenOffsets(template: Buffer): number[] {
  const offsets: number[] = [];
  for (let at = template.indexOf(TEMPLATE_TOKEN); at >= 0; at = template.indexOf(TEMPLATE_TOKEN, at + 1)) offsets.push(at);
  if (!/^Subject:.*(\r\n[ \t].*)*bm00-000000/im.test(template.toString('latin1'))) throw new Error('the template lost its Subject token');
  return offsets;
}

/** `count` copies of the template, each with a token of its own (`bm<run>-<n>`, as the bench's). */
function letters(template: Buffer, run: number, count: number): Buffer[] {
  const offsets = tokenOffsets(template);
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const token = `bm${String(run).padStart(2, '0')}-${String(i).padStart(6, '0')}`;
    const copy = Buffer.from(template);
    for (const at of offsets) copy.write(token, at, 'latin1');
    out.push(copy);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Measuring.

let socketWrites = 0;
const originalWrite = net.Socket.prototype.write;
net.Socket.prototype.write = function countedWrite(this: net.Socket, ...args: unknown[]) {
  socketWrites++;
  return (originalWrite as (...a: unknown[]) => boolean).apply(this, args);
} as typeof net.Socket.prototype.write;

/** utime + stime of a process, in ms (from /proc; clock ticks of 10 ms). */
function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

async function drive(send: Send, batch: Buffer[], inflight: number): Promise<number> {
  let next = 0;
  let failed = 0;
  const lane = async () => {
    while (next < batch.length) {
      const letter = batch[next++];
      if (!(await send(letter))) failed++;
    }
  };
  await Promise.all(Array.from({ length: inflight }, lane));
  return failed;
}

interface Figures {
  variant: string;
  letter: string;
  rate: number;
  cpuMs: number;
  writes: number;
  sinkCpuMs: number;
}

interface Sink {
  port: number;
  pid: number;
  /** How many letters it has accepted so far. */
  accepted(): Promise<number>;
  stop(): void;
}

interface Sinks {
  pipelined: Sink;
  plain: Sink;
}

let runCounter = 0;

async function measure(variant: Variant, letterName: string, template: Buffer, sinks: Sinks, n: number, inflight: number, strace: boolean) {
  const run = ++runCounter;
  const batch = letters(template, run, WARM_UP + n);
  const sink = variant.pipelinedSink ? sinks.pipelined : sinks.plain;
  const acceptedBefore = await sink.accepted();
  const sender = variant.open(sink.port);
  const warmFailed = await drive(sender.send, batch.slice(0, WARM_UP), inflight);
  if (warmFailed) throw new Error(`${variant.name}: ${warmFailed} warm-up letters failed`);

  const tracer = strace ? await startStrace() : undefined;
  const profiler = PROFILE_DIR && !strace ? await startProfile() : undefined;
  const writesBefore = socketWrites;
  const sinkBefore = processCpuMs(sink.pid);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const failed = await drive(sender.send, batch.slice(WARM_UP), inflight);
  const elapsed = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const sinkCpu = processCpuMs(sink.pid) - sinkBefore;
  const writes = socketWrites - writesBefore;
  const syscalls = tracer ? await tracer.stop() : undefined;
  if (profiler) summarise(await profiler.stop(`${variant.name}-${letterName}-${run}`));
  sender.close();
  if (failed) throw new Error(`${variant.name}: ${failed} letters failed`);
  const accepted = (await sink.accepted()) - acceptedBefore;
  if (accepted !== batch.length) throw new Error(`${variant.name}: the sink accepted ${accepted} of ${batch.length} letters`);
  const figures: Figures = {
    variant: variant.name,
    letter: letterName,
    rate: n / (elapsed / 1000),
    cpuMs: (cpu.user + cpu.system) / 1000 / n,
    writes: writes / n,
    sinkCpuMs: sinkCpu / n,
  };
  return { figures, syscalls };
}

const PROFILE_DIR = process.argv.find((a) => a.startsWith('--profile='))?.slice('--profile='.length);

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/** V8's sampling profiler over the measured letters only (not the start-up or the letters' making). */
async function startProfile(): Promise<{ stop(name: string): Promise<CpuProfile> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  return {
    async stop(name) {
      const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
      session.disconnect();
      mkdirSync(PROFILE_DIR!, { recursive: true });
      writeFileSync(join(PROFILE_DIR!, `${name}.cpuprofile`), JSON.stringify(profile));
      return profile;
    },
  };
}

/** Self time by where the code lives (a package, a node: module, or a native function), busy time only. */
function summarise(profile: CpuProfile): void {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const by = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const frame = nodes.get(id)!;
    if (frame.functionName === '(idle)') return;
    const t = profile.timeDeltas[i] ?? 0;
    busy += t;
    const url = frame.url.replace(/^file:\/\//, '');
    const where = url.includes('node_modules/')
      ? url
          .replace(/.*node_modules\//, '')
          .split('/')
          .slice(0, 4)
          .join('/')
      : url.startsWith('node:')
        ? url
        : url
          ? url.replace(/.*\/work\/main\//, '')
          : frame.functionName;
    by.set(where, (by.get(where) ?? 0) + t);
  });
  const top = [...by].sort((a, b) => b[1] - a[1]).slice(0, 14);
  console.log(`  profile, ${(busy / 1000).toFixed(0)} ms busy: ${top.map(([w, t]) => `${w} ${((t / busy) * 100).toFixed(1)}%`).join(', ')}`);
}

/** `strace -c` attached to this process (all its threads) until stop(); per-syscall call counts. */
async function startStrace(): Promise<{ stop(): Promise<Record<string, number>> }> {
  const dir = mkdtempSync(join(tmpdir(), 'relay-strace-'));
  const out = join(dir, 'summary');
  const child = spawn('strace', ['-c', '-f', '-e', 'trace=write,writev,sendto,sendmsg,read,readv,recvfrom', '-o', out, '-p', String(process.pid)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (/attached/.test(stderr)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`strace exited with ${code}: ${stderr}`)));
  });
  return {
    async stop() {
      child.removeAllListeners('exit'); // the start-up listener that rejects
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGINT');
      await exited;
      const counts: Record<string, number> = {};
      for (const line of readFileSync(out, 'utf8').split('\n')) {
        const m = /^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)(?:\s+\d+)?\s+(\w+)\s*$/.exec(line);
        if (m && m[2] !== 'total') counts[m[2]] = Number(m[1]);
      }
      rmSync(dir, { recursive: true, force: true });
      return counts;
    },
  };
}

function startSink(pipelining: boolean): Promise<Sink> {
  const child = fork(__filename, ['--sink', pipelining ? 'pipelining' : 'plain'], {
    execArgv: ['-r', 'ts-node/register/transpile-only'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const counts: ((n: number) => void)[] = [];
  child.on('message', (m: { type: string; accepted?: number }) => {
    if (m.type === 'accepted') counts.shift()?.(m.accepted!);
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.on('message', (m: { type: string; port?: number }) => {
      if (m.type !== 'listening') return;
      resolve({
        port: m.port!,
        pid: child.pid!,
        accepted: () =>
          new Promise<number>((done) => {
            counts.push(done);
            child.send({ type: 'accepted?' });
          }),
        stop: () => child.kill('SIGTERM'),
      });
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function option(name: string, fallback: string): string {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? arg.slice(name.length + 3) : fallback;
}

async function main(): Promise<void> {
  const n = Number(option('n', '5000'));
  const inflight = Number(option('inflight', '16'));
  const repeats = Number(option('repeats', '3'));
  const names = option('variants', VARIANTS.map((v) => v.name).join(',')).split(',');
  const variants = names.map((name) => {
    const variant = VARIANTS.find((v) => v.name === name);
    if (!variant) throw new Error(`no variant ${name}`);
    return variant;
  });
  const notice = await noticeTemplate();
  const templates: Record<string, Buffer> = { '8k': cutTo(notice, 8 * 1024), notice };
  const letterNames = option('letter', '8k,notice').split(',');

  const uptime = () =>
    `load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} on ${cpus().length} cores`;
  console.log(`# relay-pipelining: N=${n}, ${inflight} in flight, ${repeats} repeats; Node ${process.version}; nodemailer ${nodemailerVersion()}`);
  console.log(`letters: ${letterNames.map((l) => `${l} = ${templates[l].length} bytes`).join(', ')}`);
  console.log(`start: ${uptime()}`);

  const sinks: Sinks = { pipelined: await startSink(true), plain: await startSink(false) };
  const results: Figures[] = [];
  try {
    for (let r = 1; r <= repeats; r++) {
      for (const letterName of letterNames) {
        // Each repeat starts with another variant, so no variant always runs first (or last).
        const order = variants.map((_, i) => variants[(i + r - 1) % variants.length]);
        for (const variant of order) {
          const { figures } = await measure(variant, letterName, templates[letterName], sinks, n, inflight, false);
          results.push(figures);
          console.log(
            `run ${r} ${letterName} ${variant.name}: ${figures.rate.toFixed(0)} letters/s, ${figures.cpuMs.toFixed(3)} CPU ms/letter, ` +
              `${figures.writes.toFixed(2)} socket.write/letter, sink ${figures.sinkCpuMs.toFixed(3)} CPU ms/letter (${uptime()})`,
          );
        }
      }
    }
    console.log(`\n## Medians of ${repeats} runs (${n} letters each, ${inflight} in flight)\n`);
    const rows: (string | number)[][] = [];
    for (const letterName of letterNames) {
      const base = median(results.filter((f) => f.letter === letterName && f.variant === 'transport').map((f) => f.cpuMs));
      for (const variant of variants) {
        const mine = results.filter((f) => f.letter === letterName && f.variant === variant.name);
        const cpu = median(mine.map((f) => f.cpuMs));
        rows.push([
          letterName,
          variant.name,
          median(mine.map((f) => f.rate)).toFixed(0),
          cpu.toFixed(3),
          Number.isFinite(base) ? `${(((cpu - base) / base) * 100).toFixed(0)}%` : '–',
          median(mine.map((f) => f.writes)).toFixed(2),
          median(mine.map((f) => f.sinkCpuMs)).toFixed(3),
        ]);
      }
    }
    console.log(table(['letter', 'variant', 'letters/s', 'sender CPU ms/letter', 'vs transport', 'socket.write/letter', 'sink CPU ms/letter'], rows));

    if (process.argv.includes('--strace')) {
      console.log(`\n## System calls per letter (one run each under strace -c -f; not timed)\n`);
      const traced: (string | number)[][] = [];
      for (const letterName of letterNames) {
        for (const variant of variants) {
          const { syscalls } = await measure(variant, letterName, templates[letterName], sinks, n, inflight, true);
          const per = (name: string) => ((syscalls?.[name] ?? 0) / n).toFixed(2);
          const writes = ['write', 'writev', 'sendto', 'sendmsg'].reduce((sum, name) => sum + (syscalls?.[name] ?? 0), 0) / n;
          const reads = ['read', 'readv', 'recvfrom'].reduce((sum, name) => sum + (syscalls?.[name] ?? 0), 0) / n;
          traced.push([letterName, variant.name, per('write'), per('writev'), writes.toFixed(2), reads.toFixed(2)]);
        }
      }
      console.log(table(['letter', 'variant', 'write', 'writev', 'all writes', 'all reads'], traced));
    }
  } finally {
    sinks.pipelined.stop();
    sinks.plain.stop();
  }
  console.log(`\nend: ${uptime()}`);
}

function nodemailerVersion(): string {
  return (JSON.parse(readFileSync(require.resolve('nodemailer/package.json'), 'utf8')) as { version: string }).version;
}

// ---------------------------------------------------------------------------------------------
// Started as a sink (bench/sink.ts's smtp-server options; `plain` adds hidePIPELINING), or as the
// experiment. Last in the file: main() reads the variants declared above.
if (process.argv[2] === '--sink') {
  let accepted = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    hideSTARTTLS: true,
    hidePIPELINING: process.argv[3] === 'plain',
    disableReverseLookup: true,
    logger: false,
    onData: (stream, _session, callback) => {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        accepted++;
        callback(null, 'Ok: sunk');
      });
    },
  });
  server.on('error', () => undefined);
  process.on('message', (m: { type: string }) => {
    if (m.type === 'accepted?') process.send?.({ type: 'accepted', accepted });
  });
  process.on('disconnect', () => process.exit(0));
  server.listen(0, '127.0.0.1', () => {
    const address = server.server.address();
    process.send?.({ type: 'listening', port: typeof address === 'object' && address ? address.port : 0 });
  });
} else {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
