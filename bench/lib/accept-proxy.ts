// A TCP proxy in front of the system under test that times each message's answer, for load
// generators that report none (Postfix's smtp-source). It forwards every byte at once in both
// directions and watches the SMTP dialogue as it passes: when a MAIL FROM line arrives from the
// client, when the final dot of the data does, and when the server's answer to that dot comes back —
// the same points our own generator (smtp-load.ts) records, seen one loopback hop nearer the server.
// smtp-source does not pipeline (its BUGS section says so), so each reply answers the command before
// it. Runs in a process of its own (forked, like the sink), so that the bench's /proc sampling does
// not hold up its clock; the parent reads the records over IPC.
import { fork, type ChildProcess } from 'node:child_process';
import { connect, createServer, type Socket } from 'node:net';
import { now } from './stats';

/** One message as the proxy saw it, times in epoch ms (stats.now()). */
export interface ProxiedMessage {
  /** The client's TCP connection accepted by the proxy. */
  connectedAt: number;
  /** The server's greeting passed back (same for every message of a connection). */
  greetedAt: number;
  mailAt: number;
  dotAt: number;
  answeredAt: number;
  code: number;
}

type Record5 = [number, number, number, number, number, number];

const DOT = Buffer.from('\r\n.\r\n');

/** One client connection and its server connection, with the little SMTP state needed to pair replies. */
function relay(client: Socket, serverPort: number, report: (r: Record5) => void): void {
  const connectedAt = now();
  let greetedAt = NaN;
  const server = connect(serverPort, '127.0.0.1');
  client.setNoDelay(true);
  server.setNoDelay(true);
  // Replies the server owes, in order: 'greeting', 'dot' (the final answer to a message), 'data'
  // (the 354 that switches the client side into data), or 'other'.
  const owed: ('greeting' | 'data' | 'dot' | 'other')[] = ['greeting'];
  let inData = false;
  let commandText = '';
  let dataTail = Buffer.from('\r\n'); // the DATA line's CRLF: an empty body ends at once
  let mailAt = NaN;
  let dotAt = NaN;
  let replyText = '';

  client.on('data', (chunk: Buffer) => {
    server.write(chunk);
    const at = now();
    let rest = chunk;
    while (rest.length) {
      if (inData) {
        const joined = Buffer.concat([dataTail, rest]);
        const end = joined.indexOf(DOT);
        if (end < 0) {
          dataTail = joined.subarray(Math.max(0, joined.length - 4));
          return;
        }
        inData = false;
        dotAt = at;
        owed.push('dot');
        rest = joined.subarray(end + DOT.length);
        continue;
      }
      commandText += rest.toString('latin1');
      rest = Buffer.alloc(0);
      // After DATA nothing is a command until the 354 is back (a non-pipelining client sends nothing
      // in between; whatever came is data, taken up when the 354 passes).
      while (owed[owed.length - 1] !== 'data') {
        const eol = commandText.indexOf('\r\n');
        if (eol < 0) break;
        const line = commandText.slice(0, eol);
        commandText = commandText.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'MAIL') mailAt = at;
        owed.push(verb === 'DATA' ? 'data' : 'other');
      }
    }
  });

  server.on('data', (chunk: Buffer) => {
    client.write(chunk);
    const at = now();
    replyText += chunk.toString('latin1');
    for (let eol = replyText.indexOf('\r\n'); eol >= 0; eol = replyText.indexOf('\r\n')) {
      const line = replyText.slice(0, eol);
      replyText = replyText.slice(eol + 2);
      if (line[3] === '-') continue; // a multi-line reply goes on
      const code = Number(line.slice(0, 3));
      const what = owed.shift();
      if (what === 'greeting') greetedAt = at;
      else if (what === 'data' && code === 354) {
        inData = true;
        dataTail = Buffer.from('\r\n');
        // Anything the client sent after DATA before the 354 is data.
        if (commandText) {
          const joined = Buffer.concat([dataTail, Buffer.from(commandText, 'latin1')]);
          commandText = '';
          const end = joined.indexOf(DOT);
          if (end >= 0) {
            inData = false;
            dotAt = at;
            owed.push('dot');
          } else dataTail = joined.subarray(Math.max(0, joined.length - 4));
        }
      } else if (what === 'dot') {
        report([connectedAt, greetedAt, mailAt, dotAt, at, code]);
        mailAt = NaN;
      }
    }
  });

  const close = () => {
    client.destroy();
    server.destroy();
  };
  client.on('error', close);
  server.on('error', close);
  client.on('close', () => server.end());
  server.on('close', () => client.end());
}

/** The proxy process: argv[2] the server port; tells its parent the port it listens on, then sends records. */
function serve(serverPort: number): void {
  let pending: Record5[] = [];
  let connections = 0;
  const proxy = createServer((client) => {
    connections++;
    relay(client, serverPort, (r) => pending.push(r));
  });
  setInterval(() => {
    if (!pending.length) return;
    process.send?.({ type: 'records', records: pending, connections });
    pending = [];
  }, 50).unref();
  process.on('message', (m: { type: string }) => {
    if (m.type === 'flush') process.send?.({ type: 'flushed', records: pending.splice(0), connections });
    if (m.type === 'stop') proxy.close(() => process.exit(0));
  });
  process.on('disconnect', () => process.exit(0));
  proxy.listen(0, '127.0.0.1', () => {
    const address = proxy.address();
    process.send?.({ type: 'listening', port: typeof address === 'object' && address ? address.port : 0 });
  });
}

/** The parent's side: starts a proxy to `serverPort` and keeps what it reports. */
export class AcceptProxy {
  readonly messages: ProxiedMessage[] = [];
  connections = 0;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.on('message', (m: { type: string; records?: Record5[]; connections?: number }) => {
      if (m.type !== 'records' && m.type !== 'flushed') return;
      for (const [connectedAt, greetedAt, mailAt, dotAt, answeredAt, code] of m.records!)
        this.messages.push({ connectedAt, greetedAt, mailAt, dotAt, answeredAt, code });
      this.connections = m.connections!;
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  static start(serverPort: number): Promise<AcceptProxy> {
    const child = fork(__filename, [String(serverPort)], {
      execArgv: ['-r', 'ts-node/register/transpile-only'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`the proxy exited with ${code}`)));
      child.on('message', function ready(m: { type: string; port?: number }) {
        if (m.type !== 'listening') return;
        child.off('message', ready);
        resolve(new AcceptProxy(child, m.port!));
      });
    });
  }

  /** Everything recorded so far, the last records included. */
  async flush(): Promise<ProxiedMessage[]> {
    const flushed = new Promise<void>((resolve) => {
      const on = (m: { type: string }) => {
        if (m.type !== 'flushed') return;
        this.child.off('message', on);
        resolve();
      };
      this.child.on('message', on);
    });
    this.child.send({ type: 'flush' });
    await flushed;
    return this.messages;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    this.child.removeAllListeners('exit');
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'stop' });
    const t = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  }
}

if (require.main === module) serve(Number(process.argv[2]));
