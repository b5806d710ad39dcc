// Stage 3, parse: mailparser turns the stored bytes into the parts later stages read. A message
// mailparser cannot read is kept and held as `unparseable`, never dropped.
//
// A streaming MailParser, fed 64 KB at a time: the headers and the text parts are kept, every
// attachment is drained unread as it goes by, so a 25 MB attachment is never held in memory a
// second time (simpleParser collects each attachment into a Buffer; docs/benchmarks.md, item 14).
import { MailParser, type AddressObject, type HeaderLines, type Headers, type MessageText } from 'mailparser';
import type { HeaderField } from './loop';
import type { MatchSource } from './match';

export interface ParsedMessage extends MatchSource {
  messageId: string | null;
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
  const trimmed = value.trim().replace(/^<|>$/g, '').trim();
  return trimmed === '' ? null : trimmed.slice(0, 998);
}

interface ReadMail {
  headers: Headers;
  headerLines: HeaderLines;
  content: MessageText | undefined;
}

/**
 * Runs the raw message through a MailParser: the top-level headers and the text content, as
 * simpleParser would give them. Attachments are resumed (read and dropped) and released at once.
 * Rejects on the first error mailparser reports, as simpleParser does.
 */
function readMail(raw: Buffer): Promise<ReadMail> {
  return new Promise<ReadMail>((resolve, reject) => {
    const parser = new MailParser(PARSER_OPTIONS);
    let headers: Headers = new Map();
    let headerLines: HeaderLines = [];
    let content: MessageText | undefined;
    let settled = false;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      reject(err instanceof Error ? err : new Error(String(err)));
      parser.destroy();
    };
    parser.on('headers', (h: Headers) => {
      headers = h;
      headerLines = parser.headerLines || [];
    });
    parser.on('data', (data) => {
      if (data.type === 'attachment') {
        data.content.on('error', fail);
        data.content.resume();
        data.release?.();
      } else {
        content = data;
      }
    });
    parser.on('error', fail);
    parser.on('end', () => {
      if (settled) return;
      settled = true;
      resolve({ headers, headerLines, content });
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
 * shows of the original. Rejects when mailparser reports an error.
 */
export async function readMessage(raw: Buffer): Promise<ParsedMessage> {
  const { headers, headerLines, content } = await readMail(raw);
  const header = <T>(key: string) => headers.get(key) as T | undefined;
  const date = header<Date>('date');
  return {
    subject: header<string>('subject') ?? '',
    text: content?.text ?? '',
    html: typeof content?.html === 'string' ? content.html : '',
    addresses: [
      ...addresses(header<AddressObject>('from')),
      ...addresses(header<AddressObject | AddressObject[]>('to')),
      ...addresses(header<AddressObject | AddressObject[]>('cc')),
      ...addresses(header<AddressObject>('reply-to')),
      ...addresses(header<AddressObject>('sender')),
    ],
    messageId: bareMessageId(header<string>('message-id')),
    from: header<AddressObject>('from')?.text ?? null,
    date: date instanceof Date ? date : null,
    headers: headerLines.map((h) => ({ key: h.key, value: h.line.slice(h.line.indexOf(':') + 1).trim() })),
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
