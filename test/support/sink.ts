// A real SMTP server (smtp-server) standing in for the outbound relay: records what it receives
// and answers as a test scripts it (e.g. 451 twice, then 250).
import { SMTPServer } from 'smtp-server';

export interface SunkMessage {
  from: string;
  to: string[];
  raw: Buffer;
}

export class Sink {
  readonly messages: SunkMessage[] = [];
  /** Answers to give, in order, before accepting: e.g. [451, 451]. A code per DATA, consumed. */
  readonly script: number[] = [];
  /** Refuse this recipient with this code, every time. */
  readonly refuse = new Map<string, number>();
  private server: SMTPServer | undefined;
  private isDown = false;
  port = 0;

  async start(port = 0): Promise<this> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      hideSTARTTLS: true,
      disableReverseLookup: true,
      logger: false,
      // A relay that is down (down()): 421 at once, then the connection closes (RFC 5321 §3.8).
      onConnect: (_session, cb) => cb(this.isDown ? Object.assign(new Error('Relay down, try again later'), { responseCode: 421 }) : undefined),
      onRcptTo: (address, _session, cb) => {
        const code = this.refuse.get(address.address.toLowerCase());
        if (code) return cb(Object.assign(new Error(code >= 500 ? 'No such user here' : 'Try again later'), { responseCode: code }));
        cb();
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const code = this.script.shift();
          if (code) return cb(Object.assign(new Error(code >= 500 ? 'Rejected by the sink' : 'Sink busy, try again'), { responseCode: code }));
          this.messages.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks),
          });
          cb(null, 'Ok: sunk');
        });
      },
    });
    // A sender that goes away mid-session (a killed Aster, a pooled connection cut) is not the
    // sink's failure: without a listener smtp-server's 'error' event would crash the test run.
    server.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(port || this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    const address = server.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    // Cut open pooled connections too: a relay that is down answers nothing.
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      this.cutConnections(server);
    });
  }

  /**
   * The relay goes down: open connections are cut, and every new one is refused with a 421
   * greeting (a temporary failure to the sender, at once like a refused connection), until `up()`.
   * The port stays bound: closing it and listening on it again later would race every other
   * socket on the machine for that port (EADDRINUSE when another test or a client connection took
   * it meanwhile). Not a silently dropped connection: nodemailer's pool re-queues a message whose
   * connection closed before a reply, which would stretch each failed attempt over seconds.
   */
  down(): void {
    const server = this.server;
    if (!server) throw new Error('the sink is not running');
    this.isDown = true;
    this.cutConnections(server);
  }

  /** The relay is back on the same port. */
  up(): void {
    this.isDown = false;
  }

  private cutConnections(server: SMTPServer): void {
    for (const connection of (server as unknown as { connections: Set<{ close(): void }> }).connections ?? []) connection.close();
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  to(address: string): SunkMessage[] {
    return this.messages.filter((m) => m.to.includes(address.toLowerCase()));
  }
}
