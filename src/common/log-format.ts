// How logs are written: readable lines for a person at a terminal (pino-pretty), one JSON object
// per line for everything else (a file, journald, a log shipper), as pino is made to be used.
import type { TransportSingleOptions } from 'pino';

/** pino's transport for this process's stdout: pino-pretty at a TTY, none (JSON) otherwise. */
export function logTransport(stdout: { isTTY?: boolean } = process.stdout): TransportSingleOptions | undefined {
  if (!stdout.isTTY) return undefined;
  return { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } };
}
