// The relay's sessions (src/mail/delivery/relay.ts, RelaySessions) against real SMTP servers over
// TCP: smtp-server as the relay, with its hooks refusing what a test wants refused, and for the one
// reply smtp-server cannot script (a refused DATA command) a few lines of scripted SMTP. Each test
// sends through Relay.send, the door the delivery worker uses, and checks both what the relay
// received and the RelayAnswer (retry.ts reads temporary/permanent from the SMTP code).
import { createHash } from 'node:crypto';
import net from 'node:net';
import { Readable } from 'node:stream';
import { Logger } from '@nestjs/common';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import type { AsterConfig } from '../src/config/config';
import { Relay } from '../src/mail/delivery/relay';

const FROM = 'bounce+d1@notify.artsites.test';
const TO = 'linda@lindapence.com';

interface Received {
  from: string;
  to: string[];
  raw: Buffer;
}

/** smtp-server on loopback that keeps what it accepts, counts connections, and records what each connection's client wrote. */
class Relayhost {
  readonly received: Received[] = [];
  /** Every chunk the client wrote, per connection, as the relay read it off the socket. */
  readonly chunks: string[][] = [];
  connections = 0;
  private server!: SMTPServer;
  private proxy!: net.Server;
  port = 0;

  constructor(private readonly hooks: Partial<SMTPServerOptions> = {}) {}

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      hideSTARTTLS: true,
      disableReverseLookup: true,
      logger: false,
      onData: (stream, session, cb) => {
        const parts: Buffer[] = [];
        stream.on('data', (c: Buffer) => parts.push(c));
        stream.on('end', () => {
          this.received.push({ from: mailFrom(session), to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(parts) });
          cb(null, 'Ok: queued as 4XYZ');
        });
      },
      ...this.hooks,
    });
    this.server.on('error', () => undefined);
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const inner = (this.server.server.address() as net.AddressInfo).port;
    // A TCP hop in front of the server that records the client's writes as they arrive, so a test
    // can see which commands came in one packet. It passes every byte through unchanged.
    this.proxy = net.createServer((client) => {
      const writes: string[] = [];
      this.chunks.push(writes);
      this.connections++;
      const upstream = net.connect(inner, '127.0.0.1');
      client.on('data', (chunk: Buffer) => {
        const text = chunk.toString('latin1');
        writes.push(text);
        upstream.write(chunk);
        for (const e of this.expected.filter((e) => e.text === text)) {
          this.expected.splice(this.expected.indexOf(e), 1);
          e.arrived();
        }
      });
      upstream.pipe(client);
      client.on('end', () => upstream.end());
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.proxy.listen(0, '127.0.0.1', resolve));
    this.port = (this.proxy.address() as net.AddressInfo).port;
    return this;
  }

  private readonly expected: { text: string; arrived(): void }[] = [];

  /** Resolves when a client writes exactly `text` in one write. */
  written(text: string): Promise<void> {
    if (this.chunks.some((writes) => writes.includes(text))) return Promise.resolve();
    return new Promise((arrived) => this.expected.push({ text, arrived }));
  }

  /** The relay drops every connection at once (as test/support/sink.ts does). */
  cut(): void {
    for (const c of (this.server as unknown as { connections: Set<{ close(): void }> }).connections ?? []) c.close();
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.proxy.close(() => resolve());
      this.server.close();
      this.cut();
    });
  }
}

function mailFrom(session: SMTPServerSession): string {
  return session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
}

function relayTo(port: number): Relay {
  return new Relay({ relayUrl: `smtp://127.0.0.1:${port}`, mailDomain: 'notify.artsites.test', dataDir: '/nonexistent' } as AsterConfig);
}

function letter(subject: string, body = 'Your domain lindapence.com expires on 3 March 2027.\r\n'): Buffer {
  return Buffer.from(
    `From: ArtSites notices <notices@notify.artsites.test>\r\nTo: ${TO}\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}@notify.artsites.test>\r\n\r\n${body}`,
  );
}

function refusal(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

describe('Relay sessions (plain smtp:// relay)', () => {
  const relays: Relay[] = [];
  const hosts: Relayhost[] = [];
  const open = async (hooks: Partial<SMTPServerOptions> = {}) => {
    const host = await new Relayhost(hooks).start();
    const relay = relayTo(host.port);
    hosts.push(host);
    relays.push(relay);
    return { host, relay };
  };
  beforeAll(() => Logger.overrideLogger(false));
  afterEach(async () => {
    relays.splice(0).forEach((r) => r.onApplicationShutdown());
    await Promise.all(hosts.splice(0).map((h) => h.stop()));
  });

  it('sends MAIL, RCPT and DATA in one write, and letter after letter over one session', async () => {
    const { host, relay } = await open();
    const letters = [letter('first'), letter('second'), letter('third')];
    for (const [i, bytes] of letters.entries()) {
      expect(await relay.send(`d${i}`, { from: FROM, to: TO }, bytes)).toEqual({ outcome: 'sent', response: expect.stringMatching(/^250 Ok: queued as 4XYZ/) });
    }
    expect(host.connections).toBe(1);
    expect(host.received.map((r) => r.raw)).toEqual(letters);
    expect(host.received.every((r) => r.from === FROM && r.to.join() === TO)).toBe(true);
    const writes = host.chunks[0];
    expect(writes.filter((w) => w.startsWith('EHLO '))).toHaveLength(1);
    // RFC 2920: the envelope and DATA as one packet, for each letter.
    expect(writes.filter((w) => w === `MAIL FROM:<${FROM}>\r\nRCPT TO:<${TO}>\r\nDATA\r\n`)).toHaveLength(3);
  });

  it('keeps up to four sessions for letters sent side by side, each reused', async () => {
    const { host, relay } = await open();
    const answers = await Promise.all(Array.from({ length: 24 }, (_, i) => relay.send(`d${i}`, { from: FROM, to: TO }, letter(`side ${i}`))));
    expect(answers.every((a) => a.outcome === 'sent')).toBe(true);
    expect(host.received).toHaveLength(24);
    expect(host.connections).toBe(4);
  });

  it.each([
    ['MAIL FROM', 550, 'permanent'],
    ['MAIL FROM', 451, 'temporary'],
    ['RCPT TO', 550, 'permanent'],
    ['RCPT TO', 452, 'temporary'],
    ['the final dot', 554, 'permanent'],
    ['the final dot', 451, 'temporary'],
  ] as const)('%s refused with %i is %s, and the session is reset and reused', async (step, code, outcome) => {
    let refuseNext = true;
    const once = (cb: (err?: Error) => void) => {
      if (!refuseNext) return cb();
      refuseNext = false;
      cb(refusal(code, `refused at ${step}`));
    };
    const { host, relay } = await open(
      step === 'MAIL FROM'
        ? { onMailFrom: (_a, _s, cb) => once(cb) }
        : step === 'RCPT TO'
          ? { onRcptTo: (_a, _s, cb) => once(cb) }
          : {
              onData: (stream, session, cb) => {
                const parts: Buffer[] = [];
                stream.on('data', (c: Buffer) => parts.push(c));
                stream.on('end', () => {
                  if (refuseNext) return once(cb);
                  host.received.push({ from: mailFrom(session), to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(parts) });
                  cb(null, 'Ok: queued');
                });
              },
            },
    );
    const answer = await relay.send('d1', { from: FROM, to: TO }, letter('refused'));
    expect(answer).toEqual({ outcome, response: expect.stringMatching(new RegExp(`^${code} refused at ${step}`)) });
    expect(await relay.send('d2', { from: FROM, to: TO }, letter('after the refusal'))).toMatchObject({ outcome: 'sent' });
    expect(host.received.map((r) => r.raw)).toEqual([letter('after the refusal')]);
    expect(host.connections).toBe(1);
    expect(host.chunks[0].some((w) => w === 'RSET\r\n')).toBe(true);
  });

  it('a 421 at the final dot is temporary and ends the session; the next letter opens another', async () => {
    let first = true;
    const { host, relay } = await open({
      onData: (stream, session, cb) => {
        const parts: Buffer[] = [];
        stream.on('data', (c: Buffer) => parts.push(c));
        stream.on('end', () => {
          if (first) {
            first = false;
            return cb(refusal(421, 'Shutting down, try again later'));
          }
          host.received.push({ from: mailFrom(session), to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(parts) });
          cb(null, 'Ok: queued');
        });
      },
    });
    expect(await relay.send('d1', { from: FROM, to: TO }, letter('one'))).toEqual({ outcome: 'temporary', response: expect.stringMatching(/^421 /) });
    expect(await relay.send('d2', { from: FROM, to: TO }, letter('two'))).toMatchObject({ outcome: 'sent' });
    expect(host.received.map((r) => r.raw)).toEqual([letter('two')]);
    expect(host.connections).toBe(2);
  });

  it('a connection lost in the middle of a letter is temporary; the next letter goes over a new session', async () => {
    let cutFirst = true;
    const { host, relay } = await open({
      onData: (stream, session, cb) => {
        const parts: Buffer[] = [];
        let cut = false;
        stream.on('data', (c: Buffer) => {
          parts.push(c);
          if (cutFirst) {
            cutFirst = false;
            cut = true;
            host.cut();
          }
        });
        stream.on('end', () => {
          if (cut) return;
          host.received.push({ from: mailFrom(session), to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(parts) });
          cb(null, 'Ok: queued');
        });
      },
    });
    const big = letter('cut', 'Renewal notice line\r\n'.repeat(20_000));
    expect(await relay.send('d1', { from: FROM, to: TO }, big)).toEqual({ outcome: 'temporary', response: expect.stringMatching(/^E[A-Z]+: /) });
    expect(await relay.send('d2', { from: FROM, to: TO }, letter('after the cut'))).toMatchObject({ outcome: 'sent' });
    expect(host.received.map((r) => r.raw)).toEqual([letter('after the cut')]);
    expect(host.connections).toBe(2);
  });

  it('doubles a dot at the start of a line and sends CRLF line ends, so the relay receives the letter as written', async () => {
    const { host, relay } = await open();
    const body = '.\r\n.hidden\r\nText\r\n..two dots\r\nbare LF line\nend.\r\n.';
    expect(await relay.send('d1', { from: FROM, to: TO }, letter('dots', body))).toMatchObject({ outcome: 'sent' });
    const sent = host.chunks[0].join('');
    expect(sent).toContain('\r\n..\r\n..hidden\r\nText\r\n...two dots\r\nbare LF line\r\nend.\r\n..\r\n.\r\n');
    // smtp-server removes the stuffing: what it hands on is the letter with CRLF throughout.
    expect(host.received[0].raw.toString()).toBe(letter('dots', body).toString().replace(/\r?\n/g, '\r\n') + '\r\n');
  });

  it('streams a 25 MB letter as it is read, and the relay receives every byte', async () => {
    const { host, relay } = await open();
    const line = Buffer.from(`${'0123456789abcdef'.repeat(4)}\r\n.starts with a dot\r\n`);
    const head = letter('large', '');
    const lines = Math.ceil((25 * 1024 * 1024) / line.length);
    const expected = createHash('sha256').update(head);
    for (let i = 0; i < lines; i++) expected.update(line);
    function* chunks() {
      yield head;
      for (let i = 0; i < lines; i += 1000) yield Buffer.concat(Array.from({ length: Math.min(1000, lines - i) }, () => line));
    }
    expect(await relay.send('d1', { from: FROM, to: TO }, Readable.from(chunks()))).toMatchObject({ outcome: 'sent' });
    expect(host.received).toHaveLength(1);
    expect(host.received[0].raw.length).toBe(head.length + lines * line.length);
    expect(createHash('sha256').update(host.received[0].raw).digest('hex')).toBe(expected.digest('hex'));
  }, 120_000);

  it('a letter stream that fails halfway is temporary, the relay keeps nothing of it, and the next letter goes through', async () => {
    const { host, relay } = await open();
    let sent = 0;
    const failing = new Readable({
      read() {
        if (sent++ < 50) this.push(Buffer.from('A line of the original message, attached as it came.\r\n'.repeat(100)));
        else this.destroy(new Error('composition failed'));
      },
    });
    expect(await relay.send('d1', { from: FROM, to: TO }, failing)).toEqual({ outcome: 'temporary', response: expect.stringContaining('composition failed') });
    expect(await relay.send('d2', { from: FROM, to: TO }, letter('after the failure'))).toMatchObject({ outcome: 'sent' });
    expect(host.received.map((r) => r.raw)).toEqual([letter('after the failure')]);
  });

  it('a streamed letter the relay refuses before DATA is destroyed unread, so its composer stops', async () => {
    const { host, relay } = await open({ onRcptTo: (_a, _s, cb) => cb(refusal(550, 'No such user here')) });
    const stream = new Readable({ read() {} });
    expect(await relay.send('d1', { from: FROM, to: TO }, stream)).toEqual({ outcome: 'permanent', response: expect.stringMatching(/^550 No such user here/) });
    expect(stream.destroyed).toBe(true);
    expect(host.received).toHaveLength(0);
  });

  it('at shutdown ends its idle sessions with QUIT', async () => {
    const { host, relay } = await open();
    expect(await relay.send('d1', { from: FROM, to: TO }, letter('before shutdown'))).toMatchObject({ outcome: 'sent' });
    relay.onApplicationShutdown();
    await host.written('QUIT\r\n');
    expect(host.chunks[0].at(-1)).toBe('QUIT\r\n');
    expect(await relay.send('d2', { from: FROM, to: TO }, letter('after shutdown'))).toMatchObject({ outcome: 'temporary' });
  });

  it('a relay that offers no PIPELINING gets the commands one at a time', async () => {
    const { host, relay } = await open({ hidePIPELINING: true });
    expect(await relay.send('d1', { from: FROM, to: TO }, letter('plain'))).toMatchObject({ outcome: 'sent' });
    expect(host.received.map((r) => r.raw)).toEqual([letter('plain')]);
    const writes = host.chunks[0];
    expect(writes).toEqual(expect.arrayContaining([`MAIL FROM:<${FROM}>\r\n`, `RCPT TO:<${TO}>\r\n`, 'DATA\r\n']));
  });

  it('writes an internationalised domain of the recipient as its A-label, as the transport did', async () => {
    const { host, relay } = await open();
    expect(await relay.send('d1', { from: FROM, to: 'linda@jõgeva.ee' }, letter('idn'))).toMatchObject({ outcome: 'sent' });
    expect(host.chunks[0]).toContain(`MAIL FROM:<${FROM}>\r\nRCPT TO:<linda@xn--jgeva-dua.ee>\r\nDATA\r\n`);
    expect(host.received).toHaveLength(1);
  });

  it('a relay that refuses the connection, or greets with 421, is temporary', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = relayTo(port);
    relays.push(refused);
    expect(await refused.send('d1', { from: FROM, to: TO }, letter('refused'))).toEqual({
      outcome: 'temporary',
      response: expect.stringMatching(/^ECONNECTION|^ESOCKET|ECONNREFUSED/),
    });

    const { relay } = await open({ onConnect: (_s, cb) => cb(refusal(421, 'Too busy, try again later')) });
    expect(await relay.send('d1', { from: FROM, to: TO }, letter('busy'))).toEqual({ outcome: 'temporary', response: expect.stringMatching(/^421 /) });
  });

  it('a relay that never greets is temporary once the greeting timeout passes', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const relay = relayTo((silent.address() as net.AddressInfo).port);
      relays.push(relay);
      expect(await relay.send('d1', { from: FROM, to: TO }, letter('silent'))).toEqual({
        outcome: 'temporary',
        response: expect.stringMatching(/^ETIMEDOUT: .*[Gg]reeting/),
      });
    } finally {
      silent.close();
      (silent as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
    }
  }, 30_000);

  it.each([
    [554, 'permanent'],
    [451, 'temporary'],
  ] as const)('a DATA command refused with %i is %s, and the session is reset and reused', async (code, outcome) => {
    // smtp-server has no hook for the DATA command itself, so this relay is scripted by hand.
    const script = await scriptedRelay(code);
    try {
      const relay = relayTo(script.port);
      relays.push(relay);
      expect(await relay.send('d1', { from: FROM, to: TO }, letter('refused at DATA'))).toEqual({ outcome, response: `${code} DATA refused` });
      expect(await relay.send('d2', { from: FROM, to: TO }, letter('next'))).toMatchObject({ outcome: 'sent', response: '250 queued' });
      expect(script.commands).toEqual([
        'EHLO notify.artsites.test',
        `MAIL FROM:<${FROM}>`,
        `RCPT TO:<${TO}>`,
        'DATA',
        'RSET',
        `MAIL FROM:<${FROM}>`,
        `RCPT TO:<${TO}>`,
        'DATA',
      ]);
      expect(script.connections).toBe(1);
    } finally {
      await script.stop();
    }
  });
});

/** An SMTP relay that offers PIPELINING and refuses the first DATA command with `code`, then accepts. */
async function scriptedRelay(code: number): Promise<{ port: number; commands: string[]; connections: number; stop(): Promise<void> }> {
  const commands: string[] = [];
  const sockets = new Set<net.Socket>();
  const state = { connections: 0, refused: false };
  const server = net.createServer((socket) => {
    sockets.add(socket);
    state.connections++;
    let pending = '';
    let inData = false;
    socket.write('220 scripted.test ESMTP\r\n');
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      for (let end = pending.indexOf('\r\n'); end >= 0; end = pending.indexOf('\r\n')) {
        const line = pending.slice(0, end);
        pending = pending.slice(end + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            socket.write('250 queued\r\n');
          }
          continue;
        }
        commands.push(line);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') socket.write('250-scripted.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n');
        else if (verb === 'DATA' && !state.refused) {
          state.refused = true;
          socket.write(`${code} DATA refused\r\n`);
        } else if (verb === 'DATA') {
          inData = true;
          socket.write('354 go ahead\r\n');
        } else if (verb === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    commands,
    get connections() {
      return state.connections;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        sockets.forEach((s) => s.destroy());
      }),
  };
}
