// How long a new SMTP connection waits for its greeting. smtp-server 3.21 waits a fixed 100 ms before
// every greeting ("a small delay for detecting early talkers", SMTPConnection.init in its
// smtp-connection.js), with no option to change it. A sender that opens a connection per message
// (Postfix's smtp-source does by default, and so do many registrars' mailers) then waits 100 ms per
// message before it may say anything: at 10 sessions that caps intake near 90 messages a second
// whatever the machine (docs/benchmarks.md, issue 15). Postfix's smtpd greets at once; its
// postscreen greet pause is off by default. So Aster's listener greets after SMTP_GREET_PAUSE_MS
// (default 0): init is replaced, for the servers that pass `greetPauseMs`, by the same steps with
// that pause. A client that talks before the greeting is still refused by smtp-server ("You talk too
// soon"). Other smtp-server instances in the process keep the library's 100 ms.
import { SMTPConnection } from 'smtp-server/lib/smtp-connection';

/** smtp-server's connection, as far as init uses it (its own code, smtp-connection.js). */
interface Connection {
  _server: { options: { maxClients?: number; greetPauseMs?: number }; connections: Set<unknown> };
  name: string;
  _setListeners(callback: () => void): void;
  connectionReady(): void;
  send(code: number, message: string, keepOpen?: boolean): void;
}

/** The library's pause, for servers that do not set `greetPauseMs`. */
const LIBRARY_PAUSE_MS = 100;

const prototype = SMTPConnection.prototype as unknown as Connection & { init(this: Connection): void };

/** Whether the installed smtp-server still has the steps this override repeats (greet-pause.spec.ts). */
export function greetPauseApplies(): boolean {
  return ['init', '_setListeners', 'connectionReady', 'send'].every((m) => typeof (prototype as unknown as Record<string, unknown>)[m] === 'function');
}

let installed = false;

/** Replaces SMTPConnection.init once per process; the listener passes `greetPauseMs` in its options. */
export function installGreetPause(): void {
  if (installed) return;
  if (!greetPauseApplies()) throw new Error('smtp-server changed: SMTPConnection.init and its steps are not where greet-pause.ts expects them');
  installed = true;
  prototype.init = function (this: Connection) {
    this._setListeners(() => {
      const { maxClients, greetPauseMs } = this._server.options;
      // Check that connection limit is not exceeded (as the library does)
      if (maxClients && this._server.connections.size > maxClients) {
        return this.send(421, `${this.name} Too many connected clients, try again in a moment`, false);
      }
      const pause = greetPauseMs ?? LIBRARY_PAUSE_MS;
      if (pause <= 0) return this.connectionReady();
      setTimeout(() => this.connectionReady(), pause).unref();
    });
  };
}
