// An RDAP server of the tests' own on loopback (real HTTP, node:http): answers registry and
// registrar records from test/fixtures/rdap, or whatever a test scripts for a path (a status, a
// delay, a body, headers; a list is answered in order, its last answer repeated), and records
// when each request arrived.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { join } from 'node:path';

export interface RdapAnswer {
  status?: number;
  /** An object is sent as JSON; a string as it is. */
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
}

export class RdapServer {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly routes = new Map<string, RdapAnswer[]>();
  readonly requests: { path: string; at: number }[] = [];
  port = 0;

  get base(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  /** Answers for a path (any case), e.g. `/com/v1/domain/lindapence.com`. */
  answer(path: string, ...answers: RdapAnswer[]): void {
    this.routes.set(path.toLowerCase(), answers);
  }

  /** When the requests for `path` arrived, in order. */
  arrivals(path: string): number[] {
    return this.requests.filter((r) => r.path === path.toLowerCase()).map((r) => r.at);
  }

  /** A fixture with {{REGISTRY}} and {{REGISTRAR}} pointing here. */
  fixture(
    name: string,
  ): Record<string, unknown> & { events: { eventAction: string; eventDate: string }[]; status: string[]; links?: { rel: string; href: string }[] } {
    const text = readFileSync(join(__dirname, '..', 'fixtures', 'rdap', name), 'utf8');
    return JSON.parse(text.replaceAll('{{REGISTRY}}', `${this.base}com/v1/`).replaceAll('{{REGISTRAR}}', `${this.base}registrar/`));
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const path = decodeURIComponent((req.url ?? '/').split('?')[0]).toLowerCase();
      this.requests.push({ path, at: Date.now() });
      const list = this.routes.get(path);
      const answer: RdapAnswer = list ? (list.length > 1 ? list.shift()! : list[0]) : { status: 404, body: { errorCode: 404, title: 'Not Found' } };
      const send = () => {
        if (res.destroyed) return;
        const body = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
        res.writeHead(answer.status ?? 200, { 'content-type': 'application/rdap+json', ...answer.headers });
        res.end(body);
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs).unref();
      else send();
    });
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
