// The pure core of the match stage: which registrable domains a message names (its candidates),
// and which tracked domains its per-domain alias recipients stand for. Looking the candidates up
// among the tracked domains is one indexed query, done by the caller.
import { parseDomainName, registrableDomain, toAsciiHost } from '../../domains/domain-name';

/** The parts of a parsed message that can name a domain. */
export interface MatchSource {
  subject: string;
  text: string;
  html: string;
  /** Addresses from the From, To, Cc, Reply-To and Sender headers. */
  addresses: string[];
}

/**
 * ASCII domains named by per-domain aliases `<domain>@<mailDomain>` among the envelope recipients
 * (case-insensitive); the shared mailbox and foreign addresses give nothing.
 */
export function aliasDomains(recipients: string[], mailDomain: string): string[] {
  const ownDomain = toAsciiHost(mailDomain);
  const found = new Set<string>();
  if (ownDomain === '') return [];
  for (const recipient of recipients) {
    const address = recipient.trim().replace(/^<(.*)>$/, '$1');
    const at = address.lastIndexOf('@');
    if (at <= 0 || toAsciiHost(address.slice(at + 1)) !== ownDomain) continue;
    // An alias is exactly `<ascii-domain>@MAIL_DOMAIN`; parseDomainName refuses `domains`, hosts
    // such as `www.example.com` and anything else that is not a registrable name.
    const checked = parseDomainName(address.slice(0, at));
    if (checked.ok) found.add(checked.name.ascii);
  }
  return [...found];
}

/**
 * Every registrable domain (ASCII, lowercase, deduplicated, in order of first appearance) that the
 * message names: in the subject, the text part, the HTML part's visible text and its link hosts
 * (href/src), and the given header addresses.
 */
export function extractCandidates(source: MatchSource): string[] {
  const found = new Set<string>();
  const add = (candidate: string | undefined) => {
    if (candidate !== undefined) found.add(candidate);
  };
  scanText(source.subject, add);
  scanText(source.text, add);
  if (source.html) {
    const { text, links } = readHtml(source.html);
    scanText(text, add);
    for (const link of links) add(linkCandidate(link));
  }
  for (const address of source.addresses) add(registrableDomain(address));
  return [...found];
}

/**
 * The candidate a domain-like token stands for: its registrable domain (ASCII) under a public
 * suffix of the ICANN section of the Public Suffix List, or undefined. `www.Bücher.de.` gives
 * `xn--bcher-kva.de`; `invoice.pdf` and `lindapence.com.evil.test` give nothing, because `pdf`
 * and `test` are not public suffixes.
 */
export function tokenCandidate(token: string): string | undefined {
  return registrableDomain(token);
}

// Letters and digits of any script, and combining marks (for IDNs written in Unicode).
const L = String.raw`\p{L}\p{N}\p{M}`;
// U+002E and the ideographic and fullwidth full stops, which IDNA maps to '.' (RFC 3490 §3.1).
const DOT = String.raw`[.\u3002\uFF0E\uFF61]`;

/**
 * A host name as a whole word. Labels are letters/digits with inner hyphens; the last label (the
 * top-level domain) is letters only, or an A-label (`xn--p1ai`), so `1.2.3` and `10.0.0.1` never
 * match. The token may not touch another word character or hyphen on either side, nor continue
 * with a dot and another label: this keeps `smart-lindapence.com` and `lindapence.com.evil.test`
 * whole instead of yielding `lindapence.com`, and `lindapence.com.` (end of a sentence) still
 * yields `lindapence.com`. A hyphen may follow (German compounds such as `lindapence.com-Domain`):
 * a name that goes on with a hyphen and more labels (`lindapence.com-evil.net`) is matched whole
 * first, because the labels are greedy. `@` is no boundary: in `hostmaster@lindapence.com` the host is a token
 * (and so is the local part of an alias address such as `lindapence.com@notify.example`).
 */
const HOST_TOKEN = new RegExp(
  String.raw`(?<![${L}_-]|[${L}]${DOT})` +
    String.raw`(?:[${L}](?:[${L}-]{0,61}[${L}])?${DOT})+` +
    String.raw`(?:xn--[a-z0-9-]{1,59}|[\p{L}\p{M}]{2,63})` +
    String.raw`(?![${L}_]|${DOT}[${L}])`,
  'giu',
);

// Invisible characters that can sit inside a name without showing (soft hyphen, zero-width
// space/joiners, word joiner, BOM); they would otherwise split `linda\u00ADpence.com` in two.
const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/g;

function scanText(text: string, add: (candidate: string | undefined) => void): void {
  if (!text) return;
  const clean = text.replace(INVISIBLE, '');
  // Many tokens repeat (a domain named ten times, the registrar's host in every link); each
  // distinct token is normalised once.
  const seen = new Set<string>();
  for (const match of clean.matchAll(HOST_TOKEN)) {
    const token = match[0];
    if (seen.has(token)) continue;
    seen.add(token);
    add(tokenCandidate(token));
  }
}

/** The registrable domain of an href/src value: the URL's host, or a mailto: address's domain. */
function linkCandidate(link: string): string | undefined {
  const value = link.trim();
  const mailto = /^mailto:([^?]*)/i.exec(value);
  if (mailto) {
    let addresses = mailto[1];
    try {
      addresses = decodeURIComponent(addresses);
    } catch {
      // A malformed %-escape leaves the address as written.
    }
    return registrableDomain(addresses.split(',')[0] ?? '');
  }
  if (/^(?:data|cid|javascript|tel):/i.test(value)) return undefined;
  try {
    const url = new URL(value.startsWith('//') ? `https:${value}` : value);
    return url.hostname ? registrableDomain(url.hostname) : undefined;
  } catch {
    return undefined; // a relative link or not a URL: no host
  }
}

// Elements whose content is never shown; comments likewise.
// Tags are matched with their quoted attribute values so that a '>' inside a value ends nothing.
const HTML_PIECE =
  /<!--[\s\S]*?-->|<(script|style|head)\b[^>]*>[\s\S]*?<\/\1\s*>|<\/?([a-z][a-z0-9]*)\b((?:[^>"']|"[^"]*"|'[^']*')*)>/gi;
const LINK_ATTRIBUTE = /\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi;
// Inline elements join their neighbours (`<b>linda</b>pence.com` reads "lindapence.com"); every
// other tag separates words, as a browser's layout would.
const INLINE = new Set([
  'a', 'abbr', 'b', 'bdi', 'bdo', 'big', 'cite', 'code', 'em', 'font', 'i', 'kbd', 'mark', 'q',
  's', 'samp', 'small', 'span', 'strike', 'strong', 'sub', 'sup', 'tt', 'u', 'var', 'wbr',
]);

/** The visible text of an HTML document (entities decoded) and the values of its href/src attributes. */
export function readHtml(html: string): { text: string; links: string[] } {
  const links: string[] = [];
  const text = html.replace(HTML_PIECE, (_piece, hidden?: string, tag?: string, attributes?: string) => {
    if (hidden !== undefined || tag === undefined) return ' ';
    if (attributes) {
      for (const attribute of attributes.matchAll(LINK_ATTRIBUTE)) {
        links.push(decodeEntities(attribute[1] ?? attribute[2] ?? attribute[3] ?? ''));
      }
    }
    return INLINE.has(tag.toLowerCase()) ? '' : ' ';
  });
  return { text: decodeEntities(text), links };
}

// The named entities that occur in mail around names and addresses; any numeric reference is
// decoded. An unknown named entity stays as written, which can only separate words, never join them.
// Named references need their ';' (as in attribute values, `&region=eu` is not `®ion=eu`), except
// the few that old mailers write without one.
const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', shy: '\u00AD', period: '.',
  commat: '@', sol: '/', colon: ':', hyphen: '-', dash: '-', ndash: '–', mdash: '—',
  lpar: '(', rpar: ')', lsqb: '[', rsqb: ']', comma: ',', semi: ';', excl: '!', quest: '?',
  hellip: '…', laquo: '«', raquo: '»', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”',
  zwj: '\u200D', zwnj: '\u200C', ensp: ' ', emsp: ' ', thinsp: ' ', bull: '•', middot: '·',
  auml: 'ä', ouml: 'ö', uuml: 'ü', Auml: 'Ä', Ouml: 'Ö', Uuml: 'Ü', szlig: 'ß',
  eacute: 'é', egrave: 'è', ecirc: 'ê', agrave: 'à', acirc: 'â', ccedil: 'ç', ocirc: 'ô',
  icirc: 'î', ugrave: 'ù', ucirc: 'û', euml: 'ë', iuml: 'ï', Eacute: 'É', euro: '€', copy: '©',
  reg: '®', trade: '™',
};

export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(?:#(\d{1,7});?|#x([0-9a-f]{1,6});?|([a-z][a-z0-9]{1,31});|(amp|lt|gt|quot|nbsp)\b)/gi, (entity, dec?: string, hex?: string, name?: string, bare?: string) => {
    if (name !== undefined || bare !== undefined) return NAMED_ENTITIES[name ?? bare ?? ''] ?? entity;
    const code = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex ?? '', 16);
    if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\uFFFD';
    return String.fromCodePoint(code);
  });
}
