// The DNS look-ups of sender verification: sent to DNS_SERVERS when set (otherwise the system's
// servers), each tried once and given up after DNS_TIMEOUT_MS, so a dead server costs one timeout.
import { promises as dns } from 'node:dns';

/** mailauth's resolver: node's answer for `rrtype`, or an error whose `code` is ENOTFOUND/ENODATA when there is none. */
export type DnsLookup = (name: string, rrtype: string) => Promise<string[][] | string[]>;

export interface DnsSession {
  lookup: DnsLookup;
  /** Ends the session: look-ups still waiting, and any asked for later, fail at once (ECANCELLED). */
  cancel(): void;
}

/**
 * A resolver for one message's checks, so that giving up on them cancels only that message's
 * look-ups, and the check that was given up on cannot go on querying in the background.
 */
export function openDnsSession(servers: string[], timeoutMs: number): DnsSession {
  const resolver = new dns.Resolver({ timeout: timeoutMs, tries: 1 });
  if (servers.length) resolver.setServers(servers);
  let cancelled = false;
  return {
    lookup: (name, rrtype) =>
      cancelled
        ? Promise.reject(Object.assign(new Error(`query${rrtype} ECANCELLED ${name}`), { code: 'ECANCELLED' }))
        : (resolver.resolve(name, rrtype) as Promise<string[][] | string[]>),
    cancel: () => {
      cancelled = true;
      resolver.cancel();
    },
  };
}
