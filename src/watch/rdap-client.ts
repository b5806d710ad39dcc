// The RDAP client (RFC 7480): plain fetch, one request at a time per host and at most
// RDAP_RATE_PER_SECOND of them, a timeout on each, 429 + Retry-After honoured, 5xx retried with
// backoff, and every failure a typed RdapError that the watch records on the domain.
import type { RdapSettings } from '../config/config';
import type { RdapBootstrap } from './rdap-bootstrap';
import { mergeView, NotADomainRecord, readDomainRecord, type RdapDomainFacts, type RegistryView } from './rdap-record';

/** How a request ended: the `outcome` label of aster_rdap_requests_total. */
export type RdapOutcome = 'ok' | 'not_found' | 'rate_limited' | 'server_error' | 'http_error' | 'timeout' | 'malformed' | 'redirect' | 'network';

/** Why a check failed, for the domain's `registry.error` and the registry_error event. */
export type RdapErrorCode = RdapOutcome | 'no_server' | 'bootstrap';

export class RdapError extends Error {
  constructor(
    readonly code: RdapErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RdapError';
  }
}

/** Retries of one request after a 429 or a 5xx/lost connection, before the check fails. */
const MAX_RETRIES = 2;
/** Redirects followed (RFC 7480 §5.2 lets a server redirect, e.g. rdap.org); more is a loop. */
const MAX_REDIRECTS = 3;
/** A Retry-After longer than this fails the check instead of stalling the cycle; the host stays paused. */
const MAX_RETRY_AFTER_MS = 60_000;
/** A domain record is a few kilobytes; anything this large is not one. */
const MAX_BODY_BYTES = 2 * 1024 * 1024;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One request at a time to each host, across all concurrent checks of this process, each started
 * at least 1/rate seconds after the previous one *ended*: so however long a request spends in
 * transit, two never reach the host closer together than that (the host sees at most `rate` a
 * second). A host's Retry-After holds it back as long as it asks.
 */
export class HostLimiter {
  private readonly next = new Map<string, number>();
  private readonly queues = new Map<string, Promise<void>>();

  constructor(private readonly ratePerSecond: number) {}

  /** Runs `request` in the host's next slot; throws when the host asked for a pause longer than we wait. */
  async run<T>(host: string, request: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(host) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const queue = previous.then(() => mine);
    this.queues.set(host, queue);
    await previous;
    try {
      const wait = (this.next.get(host) ?? 0) - Date.now();
      if (wait > MAX_RETRY_AFTER_MS) {
        throw new RdapError('rate_limited', `${host} asked us to wait until ${new Date(Date.now() + wait).toISOString()} (429 Retry-After)`);
      }
      if (wait > 0) await sleep(wait);
      return await request();
    } finally {
      this.next.set(host, Math.max(this.next.get(host) ?? 0, Date.now() + 1000 / this.ratePerSecond));
      if (this.queues.get(host) === queue) this.queues.delete(host);
      release();
    }
  }

  pause(host: string, until: number): void {
    this.next.set(host, Math.max(this.next.get(host) ?? 0, until));
  }
}

/** Retry-After (RFC 9110 §10.2.3): seconds or an HTTP date; milliseconds from now, or undefined. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const v = header.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export class RdapClient {
  private readonly limiter: HostLimiter;

  constructor(
    private readonly bootstrap: () => Promise<RdapBootstrap>,
    private readonly settings: Pick<RdapSettings, 'ratePerSecond' | 'timeoutMs' | 'retryDelayMs'>,
    private readonly onRequest: (host: string, outcome: RdapOutcome) => void = () => undefined,
  ) {
    this.limiter = new HostLimiter(settings.ratePerSecond);
  }

  /** The registry's (and its registrar's) view of `domain` (lowercase ASCII); throws RdapError. */
  async lookup(domain: string, now = () => new Date()): Promise<RegistryView> {
    let bootstrap: RdapBootstrap;
    try {
      bootstrap = await this.bootstrap();
    } catch (err) {
      throw new RdapError('bootstrap', `the RDAP bootstrap could not be read: ${(err as Error).message}`);
    }
    const base = bootstrap.serverFor(domain);
    if (!base) {
      const tld = domain.slice(domain.lastIndexOf('.') + 1);
      throw new RdapError('no_server', `no RDAP service is known for .${tld} (add one with RDAP_SERVERS, e.g. ${tld}=https://rdap.example/)`);
    }
    const url = `${base}domain/${encodeURIComponent(domain)}`;
    const registry = await this.domainRecord(url);
    let registrar: RdapDomainFacts | null = null;
    if (registry.registrarUrl) {
      // The registrar's record adds its expiry; when it cannot be read the registry's view stands.
      registrar = await this.domainRecord(registry.registrarUrl).catch(() => null);
    }
    return mergeView(registry, registrar, url, now());
  }

  private async domainRecord(url: string): Promise<RdapDomainFacts> {
    const json = await this.getJson(url);
    try {
      return readDomainRecord(json);
    } catch (err) {
      if (err instanceof NotADomainRecord) throw new RdapError('malformed', `${new URL(url).host} did not answer with an RDAP domain record`);
      throw err;
    }
  }

  /** One GET in the host's slot: status, headers and (for a 2xx) the body, or a thrown fetch error. */
  private fetchOnce(url: string, host: string): Promise<{ status: number; headers: Headers; body?: string }> {
    return this.limiter.run(host, async () => {
      const res = await fetch(url, {
        redirect: 'manual',
        signal: AbortSignal.timeout(this.settings.timeoutMs),
        headers: { accept: 'application/rdap+json, application/json;q=0.9', 'user-agent': 'Aster registry watch' },
      });
      if (res.status < 200 || res.status >= 300) {
        await res.body?.cancel().catch(() => undefined);
        return { status: res.status, headers: res.headers };
      }
      const length = Number(res.headers.get('content-length') ?? 0);
      if (length > MAX_BODY_BYTES) {
        await res.body?.cancel().catch(() => undefined);
        this.onRequest(host, 'malformed');
        throw new RdapError('malformed', `${host} sent ${length} bytes, too many for a domain record`);
      }
      return { status: res.status, headers: res.headers, body: await res.text() };
    });
  }

  private async getJson(url: string, redirects = 0, attempt = 0): Promise<unknown> {
    const host = new URL(url).host;
    let res: { status: number; headers: Headers; body?: string };
    try {
      res = await this.fetchOnce(url, host);
    } catch (err) {
      if (err instanceof RdapError) throw err;
      const name = (err as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        // A slow server is not asked again now: a retry would double the wait of the whole cycle.
        this.onRequest(host, 'timeout');
        throw new RdapError('timeout', `${host} did not answer within ${this.settings.timeoutMs} ms`);
      }
      this.onRequest(host, 'network');
      if (attempt < MAX_RETRIES) {
        await sleep(this.settings.retryDelayMs * 2 ** attempt);
        return this.getJson(url, redirects, attempt + 1);
      }
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      throw new RdapError('network', `${host} could not be reached${cause ? ` (${cause})` : ''}`);
    }
    const body = res.body;

    if (res.status >= 300 && res.status < 400) {
      this.onRequest(host, 'redirect');
      const location = res.headers.get('location');
      let next: URL | undefined;
      try {
        next = location ? new URL(location, url) : undefined;
      } catch {
        next = undefined;
      }
      if (!next || !['http:', 'https:'].includes(next.protocol))
        throw new RdapError('redirect', `${host} redirected (${res.status}) without a usable Location`);
      if (redirects >= MAX_REDIRECTS) throw new RdapError('redirect', `${host} redirected more than ${MAX_REDIRECTS} times (a loop?)`);
      return this.getJson(next.toString(), redirects + 1, attempt);
    }
    if (res.status === 404) {
      this.onRequest(host, 'not_found');
      throw new RdapError('not_found', `${host} has no record of this domain (404)`);
    }
    if (res.status === 429) {
      this.onRequest(host, 'rate_limited');
      const wait = retryAfterMs(res.headers.get('retry-after')) ?? this.settings.retryDelayMs * 2 ** attempt;
      this.limiter.pause(host, Date.now() + wait);
      if (attempt < MAX_RETRIES && wait <= MAX_RETRY_AFTER_MS) return this.getJson(url, redirects, attempt + 1);
      throw new RdapError(
        'rate_limited',
        `${host} limits our requests (429${res.headers.get('retry-after') ? `, Retry-After ${res.headers.get('retry-after')}` : ''})`,
      );
    }
    if (res.status >= 500) {
      this.onRequest(host, 'server_error');
      if (attempt < MAX_RETRIES) {
        await sleep(this.settings.retryDelayMs * 2 ** attempt);
        return this.getJson(url, redirects, attempt + 1);
      }
      throw new RdapError('server_error', `${host} answered ${res.status} ${MAX_RETRIES + 1} times`);
    }
    if (res.status < 200 || res.status >= 300) {
      this.onRequest(host, 'http_error');
      throw new RdapError('http_error', `${host} answered ${res.status}`);
    }
    try {
      const json: unknown = JSON.parse(body ?? '');
      this.onRequest(host, 'ok');
      return json;
    } catch {
      this.onRequest(host, 'malformed');
      throw new RdapError('malformed', `${host} answered with malformed JSON`);
    }
  }
}
