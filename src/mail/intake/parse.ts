// Stage 3, parse: mailparser turns the stored bytes into the parts later stages read. A message
// mailparser cannot read is kept and held as `unparseable`, never dropped.
//
// A streaming MailParser, fed 64 KB at a time: the headers and the text parts are kept; an
// attachment a person or program could read as text (CSV, JSON, XML, a calendar, any text/*) is
// read for matching, up to a bound, and every other attachment is drained unread as it goes by, so
// a 25 MB attachment is never held in memory a second time (docs/benchmarks.md, item 14).
//
// Every value handed on is storable in PostgreSQL (storable-text.ts): a Subject that decodes to a
// NUL must not make the decision's write fail for good.
import libmime from 'libmime';
import { MailParser, type AddressObject, type HeaderLines, type Headers, type MessageText } from 'mailparser';
import { storableText } from '../../common/storable-text';
import type { HeaderField } from './loop';
import type { MatchSource } from './match';

export interface ParsedMessage extends MatchSource {
  messageId: string | null;
  /** The first address of the From header, or null. */
  fromAddress?: string | null;
  /** Attachments that could not be read for names (a PDF, an archive, an image, or text past the bound). */
  unscannable: { contentType: string; filename: string | null }[];
  from: string | null;
  /** The Date header (mailparser's reading of it: an unreadable date reads as the time of parsing), or null. */
  date: Date | null;
  headers: HeaderField[];
}

const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/;

export type ParseOutcome = { ok: true; message: ParsedMessage } | { ok: false; reason: string };

/** What the stages read; the same options simpleParser was called with, and no attachment checksums. */
const PARSER_OPTIONS = { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true, checksumAlgo: false } as const;

/** How much of the raw message is written to the parser at a time. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Attachments read as text for matching: any text/*, and the structured text formats a program
 * reads (JSON, XML, CSV, calendars, YAML), including their `+json`/`+xml` variants.
 */
const TEXT_LIKE =
  /^(?:text\/|message\/(?:global|delivery-status|disposition-notification|global-headers|global-delivery-status)$|application\/(?:json|xml|csv|ics|x-csv|yaml|x-yaml|rtf|x-sh|javascript|ecmascript|mbox|.+\+json|.+\+xml)$)/i;
/** The most of one attachment, and of all of them, that is read for matching (decoded bytes). */
const MAX_SCANNED_PART_BYTES = 4 * 1024 * 1024;
const MAX_SCANNED_TOTAL_BYTES = 8 * 1024 * 1024;

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  if (!field) return [];
  const list = Array.isArray(field) ? field : [field];
  const out: string[] = [];
  const walk = (entries: AddressObject['value']) => {
    for (const e of entries) {
      if (e.address) out.push(e.address);
      if (e.group) walk(e.group);
    }
  };
  for (const f of list) walk(f.value);
  return out;
}

/** Message-ID without angle brackets, or null. */
export function bareMessageId(value: string | undefined): string | null {
  if (!value) return null;
  const trimmed = storableText(value).trim().replace(/^<|>$/g, '').trim();
  return trimmed === '' ? null : trimmed.slice(0, 998);
}

interface ReadMail {
  headers: Headers;
  headerLines: HeaderLines;
  content: MessageText | undefined;
  /** Decoded values of every header field of every part: nested messages and attachments too. */
  headerValues: string[];
  /** Text-like attachments, decoded, and which of them are HTML. */
  attached: { text: string[]; html: string[] };
  unscannable: { contentType: string; filename: string | null }[];
}

/** The node tree mailparser keeps while it parses (internal, but it holds every part's headers). */
interface ParserNode {
  headers?: Headers;
  headerLines?: HeaderLines;
  children?: ParserNode[];
}

/** Every string a processed header value holds: text, addresses, parameters (a filename), lists. */
function headerStrings(value: unknown, out: string[], depth = 0): void {
  if (value === null || value === undefined || depth > 6 || value instanceof Date) return;
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) headerStrings(v, out, depth + 1);
  else if (typeof value === 'object') for (const [key, v] of Object.entries(value)) if (key !== 'html') headerStrings(v, out, depth + 1);
}

/**
 * What every header field of every part says, for matching: each raw line with its encoded words
 * decoded (mailparser decodes only the fields it knows), and mailparser's reading of it (RFC 2231
 * parameters such as `filename*=`, List-* fields). An attachment's filename is read once more with
 * its separators as spaces: `harborlane.org-invoice.pdf` names harborlane.org to anyone who sees it.
 */
function collectHeaderValues(node: ParserNode | undefined, out: string[], depth = 0): void {
  if (!node || depth > 64) return;
  for (const line of node.headerLines ?? []) {
    const unfolded = line.line.replace(/\r?\n[ \t]+/g, ' ');
    try {
      out.push(libmime.decodeWords(unfolded));
    } catch {
      out.push(unfolded);
    }
  }
  if (node.headers) {
    for (const value of node.headers.values()) headerStrings(value, out);
    const filename = (node.headers.get('content-disposition') as { params?: { filename?: unknown } } | undefined)?.params?.filename;
    if (typeof filename === 'string') out.push(filename.replace(/[-_+~]/g, ' '));
  }
  for (const child of node.children ?? []) collectHeaderValues(child, out, depth + 1);
}

/** Text in a charset a label names; an unknown label reads as Latin-1, which never fails. */
function decodeText(bytes: Buffer, charset: string | undefined): string {
  try {
    return new TextDecoder(charset?.trim() || 'utf-8').decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}

/**
 * Runs the raw message through a MailParser: the top-level headers and the text content, as
 * simpleParser would give them. Attachments are resumed (read and dropped) and released at once.
 * Rejects on the first error mailparser reports, as simpleParser does.
 */
/** How deep messages forwarded inside messages are read (a bound, against a message nested without end). */
const MAX_NESTED_DEPTH = 8;
const NESTED_MESSAGE = /^message\/(?:rfc822|global)$/i;

/**
 * `scan`: also read what only matching needs (every header of every part, text-like attachments,
 * nested messages). Off, every attachment is drained unread, as a letter needs nothing of them.
 */
function readMail(raw: Buffer, scan: boolean, depth = 0): Promise<ReadMail> {
  return new Promise<ReadMail>((resolve, reject) => {
    const parser = new MailParser(PARSER_OPTIONS);
    let headers: Headers = new Map();
    let headerLines: HeaderLines = [];
    let content: MessageText | undefined;
    const attached: ReadMail['attached'] = { text: [], html: [] };
    const unscannable: ReadMail['unscannable'] = [];
    const nestedHeaderValues: string[] = [];
    let scannedBytes = 0;
    let reading = 0;
    let ended = false;
    let settled = false;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      reject(err instanceof Error ? err : new Error(String(err)));
      parser.destroy();
    };
    const finish = () => {
      if (settled || !ended || reading > 0) return;
      settled = true;
      const headerValues: string[] = [];
      if (scan) collectHeaderValues((parser as unknown as { tree?: ParserNode }).tree, headerValues);
      headerValues.push(...nestedHeaderValues);
      resolve({ headers, headerLines, content, headerValues, attached, unscannable });
    };
    parser.on('headers', (h: Headers) => {
      headers = h;
      headerLines = parser.headerLines || [];
    });
    parser.on('data', (data) => {
      if (data.type !== 'attachment') {
        content = data;
        return;
      }
      const contentType = String(data.contentType || 'application/octet-stream').toLowerCase();
      const filename = typeof data.filename === 'string' ? data.filename : null;
      data.content.on('error', fail);
      const nested = NESTED_MESSAGE.test(contentType) && depth < MAX_NESTED_DEPTH;
      if (!scan || (!nested && !TEXT_LIKE.test(contentType)) || scannedBytes >= MAX_SCANNED_TOTAL_BYTES) {
        if (scan) unscannable.push({ contentType, filename });
        data.content.resume();
        data.release?.();
        return;
      }
      // Read up to the bound; past it the part counts as unscannable and the rest is drained.
      const chunks: Buffer[] = [];
      let size = 0;
      let cut = false;
      reading += 1;
      data.content.on('data', (chunk: Buffer) => {
        if (cut) return;
        if (size + chunk.length > MAX_SCANNED_PART_BYTES || scannedBytes + chunk.length > MAX_SCANNED_TOTAL_BYTES) {
          cut = true;
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
        scannedBytes += chunk.length;
      });
      data.content.on('end', () => {
        if (cut) unscannable.push({ contentType, filename });
        const bytes = Buffer.concat(chunks);
        if (!nested) {
          reading -= 1;
          const charset = (data.headers?.get('content-type') as { params?: { charset?: string } } | undefined)?.params?.charset;
          (contentType === 'text/html' ? attached.html : attached.text).push(decodeText(bytes, charset));
          finish();
          return;
        }
        // A message forwarded as an attachment: read it as a message, everything it holds.
        readMail(bytes, true, depth + 1).then(
          (inner) => {
            reading -= 1;
            attached.text.push(inner.content?.text ?? '', ...inner.attached.text);
            if (typeof inner.content?.html === 'string') attached.html.push(inner.content.html);
            attached.html.push(...inner.attached.html);
            nestedHeaderValues.push(...inner.headerValues);
            unscannable.push(...inner.unscannable);
            finish();
          },
          () => {
            // Not readable as a message: its bytes as text are still what a person would see.
            reading -= 1;
            attached.text.push(bytes.toString('utf8'));
            finish();
          },
        );
      });
      data.release?.();
    });
    parser.on('error', fail);
    parser.on('end', () => {
      ended = true;
      finish();
    });
    let at = 0;
    const feed = (): void => {
      while (at < raw.length) {
        if (settled) return;
        const chunk = raw.subarray(at, at + CHUNK_BYTES);
        at += chunk.length;
        if (!parser.write(chunk)) {
          parser.once('drain', feed);
          return;
        }
      }
      if (!settled) parser.end();
    };
    feed();
  });
}

/**
 * The parts of any stored message, whether or not routing would call it unparseable: what a letter
 * shows of the original. Rejects when mailparser reports an error. `{ scan: false }` (a letter)
 * leaves out what only matching reads: headerValues, attached and unscannable come back empty.
 */
export async function readMessage(raw: Buffer, options: { scan?: boolean } = {}): Promise<ParsedMessage> {
  const { headers, headerLines, content, headerValues, attached, unscannable } = await readMail(raw, options.scan ?? true);
  const header = <T>(key: string) => headers.get(key) as T | undefined;
  const date = header<Date>('date');
  const from = header<AddressObject>('from')?.text;
  return {
    subject: storableText(header<string>('subject') ?? ''),
    text: storableText(content?.text ?? ''),
    html: typeof content?.html === 'string' ? storableText(content.html) : '',
    addresses: [
      ...addresses(header<AddressObject>('from')),
      ...addresses(header<AddressObject | AddressObject[]>('to')),
      ...addresses(header<AddressObject | AddressObject[]>('cc')),
      ...addresses(header<AddressObject>('reply-to')),
      ...addresses(header<AddressObject>('sender')),
    ].map(storableText),
    headerValues: headerValues.map(storableText),
    attached: { text: attached.text.map(storableText), html: attached.html.map(storableText) },
    unscannable,
    messageId: bareMessageId(header<string>('message-id')),
    from: from === undefined ? null : storableText(from),
    fromAddress: addresses(header<AddressObject>('from')).map(storableText)[0] ?? null,
    date: date instanceof Date ? date : null,
    headers: headerLines.map((h) => ({ key: storableText(h.key), value: storableText(h.line.slice(h.line.indexOf(':') + 1).trim()) })),
  };
}

export async function parse(raw: Buffer): Promise<ParseOutcome> {
  let message: ParsedMessage;
  try {
    message = await readMessage(raw);
  } catch (err) {
    return { ok: false, reason: `mailparser could not read the message: ${err instanceof Error ? err.message : String(err)}` };
  }
  // mailparser reads anything; a message without a single well-formed header field (RFC 5322 §2.2:
  // printable ASCII except ':' in the name) is not mail we can route (e.g. bytes after a broken DATA).
  if (!message.headers.some((h) => FIELD_NAME.test(h.key))) return { ok: false, reason: 'the message has no header fields' };
  return { ok: true, message };
}

/**
 * The Message-ID header read straight from the raw header block, for the store stage's duplicate
 * check before anything is parsed (cheap: the header block only, unfolded).
 */
export function rawMessageId(raw: Buffer): string | null {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, end < 0 ? Math.min(raw.length, 65536) : end).toString('latin1');
  const match = /^message-id:[ \t]*((?:.*)(?:\r?\n[ \t].*)*)/im.exec(head);
  return match ? bareMessageId(match[1].replace(/\r?\n[ \t]+/g, ' ')) : null;
}
