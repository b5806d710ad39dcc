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
  /**
   * Decoded values of every header field of every part (nested messages and attachments included):
   * Message-ID, References, Received, List-Unsubscribe, X-anything, an attachment's filename.
   */
  headerValues?: string[];
  /** Attachments read as text (CSV, JSON, XML, calendars, text/*), and those that are HTML. */
  attached?: { text: string[]; html: string[] };
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
 * message names anywhere a person or a program could read it: the subject, the text part, the HTML
 * (its visible text, link hosts, and what a reader does not see: comments, the title and the rest
 * of the head, every attribute), the header addresses, every other header of every part, and the
 * attachments read as text. A name hidden anywhere still names it: matching decides who may see the
 * original, so it must see everything the original holds.
 */
export function extractCandidates(source: MatchSource): string[] {
  const found = new Set<string>();
  const add = (candidate: string | undefined) => {
    if (candidate !== undefined) found.add(candidate);
  };
  const scanHtml = (document: string) => {
    const { text, links, hidden } = readHtml(document);
    scanText(text, add);
    for (const link of links) add(linkCandidate(link));
    for (const part of hidden) scanText(part, add);
  };
  scanText(source.subject, add);
  scanText(source.text, add);
  if (source.html) scanHtml(source.html);
  for (const address of source.addresses) add(registrableDomain(address));
  for (const value of source.headerValues ?? []) scanText(value, add);
  for (const text of source.attached?.text ?? []) scanText(text, add);
  for (const document of source.attached?.html ?? []) scanHtml(document);
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
 * match. The token may not follow a word character or hyphen, nor a label and a dot, nor be followed
 * by a word character or by a dot and another label: this keeps `smart-lindapence.com` and `lindapence.com.evil.test`
 * whole instead of yielding `lindapence.com`, and `lindapence.com.` (end of a sentence) still
 * yields `lindapence.com`. A hyphen may follow (German compounds such as `lindapence.com-Domain`):
 * a name that goes on with a hyphen and more labels (`lindapence.com-evil.net`) is matched whole
 * first, because the labels are greedy. `@` is no boundary: in `hostmaster@lindapence.com` the host
 * is a token (and so is the local part of an alias address such as `lindapence.com@notify.example`).
 */
const HOST_TOKEN = new RegExp(
  String.raw`(?<![${L}_-]|[${L}]${DOT})` +
    String.raw`(?:[${L}](?:[${L}-]{0,61}[${L}])?${DOT})+` +
    String.raw`(?:xn--[a-z0-9-]{1,59}|[\p{L}\p{M}]{2,63})` +
    String.raw`(?![${L}_]|${DOT}[${L}])`,
  'giu',
);

// Invisible characters that can sit inside a name without showing (NUL, soft hyphen, zero-width
// space/joiners, word joiner, BOM); they would otherwise split `linda\u00ADpence.com` in two.
// eslint-disable-next-line no-control-regex -- NUL is one of the invisible characters
const INVISIBLE = /[\u0000\u00AD\u200B-\u200D\u2060\uFEFF]/g;
// Percent-escaped URL delimiters (`%2F`, `%3A`, `%40`, …), as in a tracking link that carries its
// target (`?u=https%3A%2F%2Fwww.lindapence.com`): read as separators, or `2Flindapence.com` would
// hide the name. No host name contains a '%'.
const ESCAPED_DELIMITER = /%(?:2F|3A|40|3D|26|3F|23|20)/gi;

function scanText(text: string, add: (candidate: string | undefined) => void): void {
  if (!text) return;
  let clean = text.replace(INVISIBLE, '');
  if (clean.includes('%')) clean = clean.replace(ESCAPED_DELIMITER, ' ');
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

// Inline elements join their neighbours (`<b>linda</b>pence.com` reads "lindapence.com"); every
// other tag separates words, as a browser's layout would.
const INLINE = new Set([
  'a',
  'abbr',
  'b',
  'bdi',
  'bdo',
  'big',
  'cite',
  'code',
  'em',
  'font',
  'i',
  'kbd',
  'mark',
  'q',
  's',
  'samp',
  'small',
  'span',
  'strike',
  'strong',
  'sub',
  'sup',
  'tt',
  'u',
  'var',
  'wbr',
]);
// Elements whose content is never shown, and where it ends.
const HIDDEN_END: Record<string, RegExp> = {
  script: /<\/script\s*>/gi,
  style: /<\/style\s*>/gi,
  head: /<\/head\s*>/gi,
};
const TAG_NAME = /<(\/?)([a-z][a-z0-9]*)/iy;

/**
 * The visible text of an HTML document (entities decoded), the values of its href/src attributes,
 * and what is there without showing (`hidden`, entities decoded): comments, every attribute value,
 * the content of head, title, script and style, and whatever follows a tag, comment or script that
 * never ends (a browser drops it from view; a program reading the source does not). A hand-written
 * scanner rather than one regex over the document: it reads every character once, so malformed or
 * hostile HTML (`<a "` a hundred thousand times, a quote that never closes) costs linear time, not
 * quadratic.
 */
export function readHtml(html: string): { text: string; links: string[]; hidden: string[] } {
  const links: string[] = [];
  const text: string[] = [];
  const hiddenRaw: string[] = [];
  const length = html.length;
  let at = 0;
  while (at < length) {
    const open = html.indexOf('<', at);
    if (open < 0) {
      text.push(html.slice(at));
      break;
    }
    text.push(html.slice(at, open));
    if (html.startsWith('<!--', open)) {
      const close = html.indexOf('-->', open + 4);
      if (close < 0) {
        hiddenRaw.push(html.slice(open + 4));
        break;
      }
      hiddenRaw.push(html.slice(open + 4, close));
      text.push(' ');
      at = close + 3;
      continue;
    }
    TAG_NAME.lastIndex = open;
    const tag = TAG_NAME.exec(html);
    if (!tag) {
      text.push('<'); // a '<' that opens no tag is text ("a < b")
      at = open + 1;
      continue;
    }
    const name = tag[2].toLowerCase();
    const after = readAttributes(html, TAG_NAME.lastIndex, (attribute, value) => {
      if (attribute === 'href' || attribute === 'src') links.push(decodeEntities(value));
      hiddenRaw.push(value);
    });
    if (after < 0) {
      hiddenRaw.push(html.slice(TAG_NAME.lastIndex));
      break;
    }
    text.push(INLINE.has(name) ? '' : ' ');
    at = after;
    const hiddenEnd = tag[1] === '' ? HIDDEN_END[name] : undefined;
    if (hiddenEnd) {
      hiddenEnd.lastIndex = at;
      if (!hiddenEnd.exec(html)) {
        hiddenRaw.push(html.slice(at));
        break;
      }
      // The hidden element's source (its tags included): a title, a meta content, a script's strings.
      hiddenRaw.push(html.slice(at, hiddenEnd.lastIndex));
      at = hiddenEnd.lastIndex;
    }
  }
  return { text: decodeEntities(text.join('')), links, hidden: hiddenRaw.map(decodeEntities) };
}

const isSpace = (code: number) => code === 32 || (code >= 9 && code <= 13);

/**
 * Reads the attributes of a tag from `at` (just after its name) to its '>', reporting each
 * `name=value`; returns the index after the '>', or -1 when the tag never ends. A quote opens a
 * value only after '=' (HTML §13.2.5.32–38), so a stray quote cannot swallow the document.
 */
function readAttributes(html: string, at: number, onAttribute: (name: string, value: string) => void): number {
  const length = html.length;
  let i = at;
  while (i < length) {
    const code = html.charCodeAt(i);
    if (code === 62 /* > */) return i + 1;
    if (isSpace(code) || code === 47 /* / */) {
      i += 1;
      continue;
    }
    const nameStart = i;
    // A name runs to a space, '/', '>' or '=' ('=' as its first character belongs to the name).
    i += 1;
    while (i < length) {
      const c = html.charCodeAt(i);
      if (isSpace(c) || c === 47 || c === 62 || c === 61 /* = */) break;
      i += 1;
    }
    const name = html.slice(nameStart, i).toLowerCase();
    let j = i;
    while (j < length && isSpace(html.charCodeAt(j))) j += 1;
    if (html.charCodeAt(j) !== 61 /* = */) continue;
    j += 1;
    while (j < length && isSpace(html.charCodeAt(j))) j += 1;
    const quote = html.charCodeAt(j);
    let value: string;
    if (quote === 34 /* " */ || quote === 39 /* ' */) {
      const close = html.indexOf(html[j], j + 1);
      if (close < 0) return -1;
      value = html.slice(j + 1, close);
      i = close + 1;
    } else {
      const valueStart = j;
      while (j < length && !isSpace(html.charCodeAt(j)) && html.charCodeAt(j) !== 62) j += 1;
      value = html.slice(valueStart, j);
      i = j;
    }
    onAttribute(name, value);
  }
  return -1;
}

// The named entities that occur in mail around names and addresses; any numeric reference is
// decoded. An unknown named entity stays as written, which can only separate words, never join them.
// Named references need their ';' (as in attribute values, `&region=eu` is not `®ion=eu`), except
// the few that old mailers write without one.
const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  shy: '\u00AD',
  period: '.',
  commat: '@',
  sol: '/',
  colon: ':',
  hyphen: '-',
  dash: '-',
  ndash: '–',
  mdash: '—',
  lpar: '(',
  rpar: ')',
  lsqb: '[',
  rsqb: ']',
  comma: ',',
  semi: ';',
  excl: '!',
  quest: '?',
  hellip: '…',
  laquo: '«',
  raquo: '»',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  zwj: '\u200D',
  zwnj: '\u200C',
  ensp: ' ',
  emsp: ' ',
  thinsp: ' ',
  bull: '•',
  middot: '·',
  auml: 'ä',
  ouml: 'ö',
  uuml: 'ü',
  Auml: 'Ä',
  Ouml: 'Ö',
  Uuml: 'Ü',
  szlig: 'ß',
  eacute: 'é',
  egrave: 'è',
  ecirc: 'ê',
  agrave: 'à',
  acirc: 'â',
  ccedil: 'ç',
  ocirc: 'ô',
  icirc: 'î',
  ugrave: 'ù',
  ucirc: 'û',
  euml: 'ë',
  iuml: 'ï',
  Eacute: 'É',
  euro: '€',
  copy: '©',
  reg: '®',
  trade: '™',
};

export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(
    /&(?:#(\d{1,7});?|#x([0-9a-f]{1,6});?|([a-z][a-z0-9]{1,31});|(amp|lt|gt|quot|nbsp)\b)/gi,
    (entity, dec?: string, hex?: string, name?: string, bare?: string) => {
      if (name !== undefined || bare !== undefined) return NAMED_ENTITIES[name ?? bare ?? ''] ?? entity;
      const code = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex ?? '', 16);
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\uFFFD';
      return String.fromCodePoint(code);
    },
  );
}
