// The relay both Aster and Postfix forward to during the bench: a real SMTP server (smtp-server,
// configured like test/support/sink.ts) in a process of its own, so its clock is not held up by the
// load generator. Unlike the test sink it keeps no message bytes: it reads the Subject of each
// message, takes the bench token from it, and reports (token, arrival time) to its parent over IPC.
// A copy without a token (Postfix's smtp-source sends the same Subject every time) is known by the
// message it came from instead: the first Message-ID in its References (Aster's notice keeps the
// original's there) or else its own Message-ID (Postfix forwards the original unchanged; Aster's
// notice ids are per delivery). Run by bench/run.ts with `fork`; argv[2] is the port to listen on.
import { SMTPServer } from 'smtp-server';
import { now } from './lib/stats';

const TOKEN = /\bbm\d+-\d+\b/i;
const HEADER_LIMIT = 64 * 1024;

let pending: [string, number, number][] = [];
let keyed: [string, number, number][] = [];
let untokened = 0;
let total = 0;

function header(head: string, name: string): string {
  const m = new RegExp(`^${name}:[ \\t]*((?:.*)(?:\\r?\\n[ \\t].*)*)`, 'im').exec(head);
  return m ? m[1].replace(/\r?\n[ \t]+/g, ' ') : '';
}

/** Which message a copy without a token stands for: the first id of References, else its Message-ID. */
function originOf(head: string): string | undefined {
  const id = /<[^<>\s]+>/;
  return (id.exec(header(head, 'references')) ?? id.exec(header(head, 'message-id')))?.[0].toLowerCase();
}

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['AUTH', 'STARTTLS'],
  hideSTARTTLS: true,
  disableReverseLookup: true,
  logger: false,
  onData: (stream, _session, callback) => {
    const head: Buffer[] = [];
    let headBytes = 0;
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (headBytes < HEADER_LIMIT) {
        head.push(chunk);
        headBytes += chunk.length;
      }
    });
    stream.on('end', () => {
      const at = now();
      const text = Buffer.concat(head).toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      const headers = end < 0 ? text : text.slice(0, end);
      const token = TOKEN.exec(header(headers, 'subject'));
      total++;
      if (token) pending.push([token[0].toLowerCase(), at, size]);
      else {
        untokened++;
        const origin = originOf(headers);
        if (origin) keyed.push([origin, at, size]);
      }
      callback(null, 'Ok: sunk');
    });
  },
});

setInterval(() => {
  if (pending.length === 0 && keyed.length === 0) return;
  process.send?.({ type: 'arrivals', arrivals: pending, keyed, untokened, total });
  pending = [];
  keyed = [];
}, 20).unref();

process.on('message', (m: { type: string }) => {
  if (m.type === 'stop') server.close(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));

// A sender that goes away mid-session is not the sink's failure (an unhandled 'error' would end it).
server.on('error', () => undefined);
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  const address = server.server.address();
  process.send?.({ type: 'listening', port: typeof address === 'object' && address ? address.port : 0 });
});
