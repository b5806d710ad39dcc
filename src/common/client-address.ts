// The address a per-client limit counts by, on both doors (HTTP and SMTP).
import { normalizeIp } from '@nestjs/throttler';

/**
 * An IPv4 address as it is (an IPv4-mapped IPv6 address as its IPv4 form); an IPv6 address as its
 * /64, since one host or one customer line usually holds a whole /64 and could otherwise pick a
 * fresh address for every attempt. The same rule @nestjs/throttler applies on the HTTP side.
 */
export function clientKey(address: string | undefined | null): string {
  if (!address) return 'unknown';
  return normalizeIp(address, 64);
}
