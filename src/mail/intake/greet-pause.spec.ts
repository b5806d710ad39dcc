import { createConnection } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { greetPauseApplies, installGreetPause } from './greet-pause';

/** The first reply a client gets, after writing `early` (if any) right after connecting. */
function firstReplies(port: number, early?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(port, '127.0.0.1', () => {
      if (early) socket.write(early);
    });
    let text = '';
    socket.on('data', (d: Buffer) => {
      text += d.toString();
      if (/^\d{3} [^\r\n]*\r\n/m.test(text) && (!early || text.split('\r\n').length > 2)) {
        socket.end();
        resolve(text);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(text));
  });
}

async function listen(options: object): Promise<{ server: SMTPServer; port: number }> {
  const server = new SMTPServer({ disabledCommands: ['AUTH', 'STARTTLS'], hideSTARTTLS: true, disableReverseLookup: true, logger: false, ...options });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.server.address() as { port: number }).port };
}

describe('greet pause', () => {
  beforeAll(() => installGreetPause());

  it('finds the steps it repeats in the installed smtp-server (an upgrade that moves them fails here)', () => {
    expect(greetPauseApplies()).toBe(true);
  });

  it('greets at once with greetPauseMs 0, and still refuses a client that talks first when there is a pause', async () => {
    const quick = await listen({ greetPauseMs: 0 });
    const paused = await listen({ greetPauseMs: 2000 });
    try {
      expect(await firstReplies(quick.port)).toMatch(/^220 /);
      // Talking before the greeting: smtp-server answers 421 and closes.
      expect(await firstReplies(paused.port, 'EHLO early.example\r\n')).toMatch(/421[ -].*talk too soon/i);
    } finally {
      await new Promise<void>((r) => quick.server.close(() => r()));
      await new Promise<void>((r) => paused.server.close(() => r()));
    }
  });

  it('keeps the connection limit: over maxClients a connection gets 421', async () => {
    const { server, port } = await listen({ greetPauseMs: 0, maxClients: 1 });
    const holder = createConnection(port, '127.0.0.1');
    try {
      await new Promise((r) => holder.once('data', r));
      expect(await firstReplies(port)).toMatch(/^421 .*Too many connected clients/m);
    } finally {
      holder.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
