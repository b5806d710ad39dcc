// Domain names as Aster keys them: one lowercase ASCII (punycode) form per domain, checked
// against the Public Suffix List so only names a registrar can actually register get in.
import { domainToASCII, domainToUnicode } from 'node:url';
import { parse } from 'tldts';

export interface DomainName {
  /** Lowercase ASCII form (punycode for IDNs): the key Aster stores and matches on. */
  ascii: string;
  /** The same name in Unicode, for people. Equal to `ascii` for plain ASCII names. */
  unicode: string;
}

export type DomainNameCheck = { ok: true; name: DomainName } | { ok: false; reason: string; suggestion?: string };

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Lowercase, drop one trailing dot, convert Unicode to punycode. '' when the input is not a host name. */
export function toAsciiHost(input: string): string {
  let host = input.trim().toLowerCase();
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (host === '' || /[\s/@:]/.test(host)) return '';
  const ascii = domainToASCII(host);
  // An `xn--` label that is no valid punycode makes the whole name invalid, on every Node version.
  return ascii.split('.').every((label) => !label.startsWith('xn--') || isALabel(label)) ? ascii : '';
}

/**
 * An `xn--` label is an A-label only if it decodes to a non-ASCII U-label that encodes back to it
 * (RFC 5891 §5.4). Checked here, not left to `url.domainToASCII`: Node 20 refused `xn--zz.com`,
 * Node 24+ (ada 3+) passes it through unchanged.
 */
function isALabel(label: string): boolean {
  const unicode = domainToUnicode(label);
  return unicode !== '' && unicode !== label && /[^\p{ASCII}]/u.test(unicode) && domainToASCII(unicode) === label;
}

function checkSyntax(ascii: string): string | undefined {
  if (ascii.length > 253) return 'is longer than 253 characters';
  const labels = ascii.split('.');
  if (labels.some((l) => l === '')) return 'has an empty label (two dots in a row?)';
  for (const label of labels) {
    if (!LABEL.test(label)) {
      return `has an invalid label '${label}' (letters, digits and inner hyphens only, at most 63 characters)`;
    }
    // RFC 5891 §4.2.3.1: hyphens in positions 3–4 are reserved for A-labels ("xn--").
    if (label.slice(2, 4) === '--' && !label.startsWith('xn--')) {
      return `has an invalid label '${label}' (hyphens in the third and fourth place are reserved)`;
    }
  }
  return undefined;
}

/**
 * Checks that `input` names a registrable domain (the part directly under a public suffix of
 * the ICANN section of the PSL) and returns its ASCII and Unicode forms. `www.example.com`
 * is refused with `example.com` as the suggestion, because Aster tracks registrations, not hosts.
 */
export function parseDomainName(input: string): DomainNameCheck {
  const raw = (input ?? '').trim();
  if (raw === '') return { ok: false, reason: 'must not be empty' };
  const ascii = toAsciiHost(raw);
  if (ascii === '') return { ok: false, reason: `'${raw}' is not a valid domain name` };
  const syntax = checkSyntax(ascii);
  if (syntax) return { ok: false, reason: `'${raw}' ${syntax}` };
  const parsed = parse(ascii);
  if (parsed.isIp) return { ok: false, reason: `'${raw}' is an IP address, not a domain name` };
  if (!parsed.isIcann || !parsed.publicSuffix || parsed.publicSuffix === ascii) {
    if (!ascii.includes('.')) {
      return { ok: false, reason: `'${raw}' has no top-level domain (expected a name like example.com)` };
    }
    if (parsed.publicSuffix === ascii) {
      return { ok: false, reason: `'${raw}' is a public suffix, not a registrable domain` };
    }
    return { ok: false, reason: `'${raw}' does not end in a known public suffix` };
  }
  if (!parsed.domain) return { ok: false, reason: `'${raw}' is not a registrable domain` };
  if (parsed.domain !== ascii) {
    const suggestion = parsed.domain;
    return {
      ok: false,
      reason: `'${raw}' is a host under ${suggestion}; register and track the registrable name '${suggestion}'`,
      suggestion,
    };
  }
  return { ok: true, name: { ascii, unicode: domainToUnicode(ascii) || ascii } };
}

/**
 * The registrable domain a host or e-mail address belongs to, in ASCII, or undefined.
 * Used for matching: `mail.LindaPence.com`, `bob@lindapence.com` and `www.lindapence.com.`
 * all give `lindapence.com`.
 */
export function registrableDomain(hostOrAddress: string): string | undefined {
  const at = hostOrAddress.lastIndexOf('@');
  const host = toAsciiHost(at >= 0 ? hostOrAddress.slice(at + 1) : hostOrAddress);
  if (host === '' || checkSyntax(host)) return undefined;
  const parsed = parse(host);
  if (parsed.isIp || !parsed.isIcann || !parsed.domain) return undefined;
  return parsed.domain;
}

/**
 * A host name such as a name server (`NS1.Example.NET.` gives `ns1.example.net`) in lowercase
 * ASCII, or undefined. Unlike a domain it may be any depth and need not end in a public suffix
 * (hosts under a registry's own zone exist), but it needs two labels and may not be an IP address.
 */
export function parseHostName(input: string): string | undefined {
  const ascii = toAsciiHost(input ?? '');
  if (ascii === '' || !ascii.includes('.') || checkSyntax(ascii)) return undefined;
  if (parse(ascii).isIp) return undefined;
  return ascii;
}

/** The Unicode form of an ASCII domain name (for display). */
export function unicodeDomain(ascii: string): string {
  return domainToUnicode(ascii) || ascii;
}
