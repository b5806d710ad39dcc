// Which RDAP server answers for a domain (RFC 9224): an IANA-format bootstrap file (dns.json),
// with RDAP_SERVERS adding or overriding servers per TLD, matched on the longest suffix.
import { readFile } from 'node:fs/promises';
import shipped from './iana-rdap-dns.json';

/** The parts of dns.json Aster reads (RFC 9224 §4). */
export interface BootstrapFile {
  publication?: string;
  services: [string[], string[]][];
}

export class BootstrapError extends Error {}

/** A suffix → base URL table; base URLs always end in `/`. */
export class RdapBootstrap {
  private constructor(
    private readonly servers: Map<string, string>,
    /** When the bootstrap file was published (its `publication`), for the docs and /metrics. */
    readonly publication: string | undefined,
  ) {}

  /**
   * The table from a parsed dns.json and the overrides. Of a service's URLs the first https one is
   * taken (RFC 9224 §4 lets a client choose; https protects the answer), else the first.
   */
  static from(file: unknown, overrides: Record<string, string> = {}): RdapBootstrap {
    const services = (file as BootstrapFile | null)?.services;
    if (!Array.isArray(services)) throw new BootstrapError('the bootstrap file has no "services" array');
    const servers = new Map<string, string>();
    for (const service of services) {
      if (!Array.isArray(service) || !Array.isArray(service[0]) || !Array.isArray(service[1])) continue;
      const urls = service[1].filter((u): u is string => typeof u === 'string' && /^https?:\/\//i.test(u));
      const url = urls.find((u) => u.toLowerCase().startsWith('https:')) ?? urls[0];
      if (!url) continue;
      for (const suffix of service[0]) {
        if (typeof suffix === 'string' && suffix.trim())
          servers.set(
            suffix
              .trim()
              .toLowerCase()
              .replace(/^\.|\.$/g, ''),
            withSlash(url),
          );
      }
    }
    for (const [suffix, url] of Object.entries(overrides)) servers.set(suffix.toLowerCase(), withSlash(url));
    return new RdapBootstrap(servers, (file as BootstrapFile).publication);
  }

  /** The bootstrap named by RDAP_BOOTSTRAP (a path or an http(s) URL), else the copy shipped with Aster. */
  static async load(source: string | undefined, overrides: Record<string, string>, timeoutMs = 10_000): Promise<RdapBootstrap> {
    if (source === undefined) return RdapBootstrap.from(shipped, overrides);
    let text: string;
    if (/^https?:\/\//i.test(source)) {
      const res = await fetch(source, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
      if (!res.ok) throw new BootstrapError(`RDAP_BOOTSTRAP ${source} answered ${res.status}`);
      text = await res.text();
    } else {
      text = await readFile(source, 'utf8');
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new BootstrapError(`RDAP_BOOTSTRAP ${source} is not JSON`);
    }
    return RdapBootstrap.from(parsed, overrides);
  }

  /** The base URL for `domain` (lowercase ASCII): the longest suffix that has a server, or undefined. */
  serverFor(domain: string): string | undefined {
    const labels = domain.toLowerCase().replace(/\.$/, '').split('.');
    for (let i = 1; i < labels.length; i++) {
      const url = this.servers.get(labels.slice(i).join('.'));
      if (url) return url;
    }
    return undefined;
  }

  get size(): number {
    return this.servers.size;
  }
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
