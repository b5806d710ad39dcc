// A letter's MIME message written directly, for the one shape every letter has:
// multipart/mixed [multipart/alternative [text/plain, text/html], message/rfc822 original], or
// the alternative alone. MailComposer builds the same message through a tree of stream nodes, and
// that machinery (a stream pipeline per part, header normalisation, random bytes per boundary)
// cost more CPU than anything else in forwarding a message (issue 15). Every header value and body
// here still goes through nodemailer's own code: MimeNode.encodeHeaderValue encodes (RFC 2047
// words, addresses, msg-ids) exactly as MailComposer's nodes do, mime-funcs builds parameters and
// folds, qp and base64 encode; nothing is spliced into a header unencoded. The bytes differ from
// MailComposer's only in the boundaries and in where quoted-printable lines get soft breaks
// (letter-mime.spec.ts compares the two). What is the same from letter to letter is not built
// again: the part headers, the sender's fields, the encoded lines of the page and of each kind's
// explanation, and the encoded original of a message forwarded to several contacts.
import { randomUUID } from 'node:crypto';
import * as base64 from 'nodemailer/lib/base64';
import * as mimeFuncs from 'nodemailer/lib/mime-funcs';
import MimeNode from 'nodemailer/lib/mime-node';
import * as qp from 'nodemailer/lib/qp';
import { NOTICE_HEADER } from '../notice-header';

/** RFC 2045's limit for an encoded line, and the width MimeNode folds header lines at. */
const LINE_LENGTH = 76;

/** Only encodes header values: it is never given a body and never built into a message. */
const headerEncoder = new MimeNode(false);

/** An address header value, as MailComposer takes it. */
export interface MailAddress {
  name: string;
  address: string;
}

/** The letter as the builder takes it: header values unencoded, bodies as text with CRLF line ends only. */
export interface MimeLetter {
  /** RFC 3834's Auto-Submitted. */
  autoSubmitted: 'auto-forwarded' | 'auto-generated';
  /** The X-Aster-Notice value: the delivery or letter id. */
  notice: string;
  from: string;
  to: MailAddress;
  replyTo?: string;
  inReplyTo?: string;
  references?: string;
  subject: string;
  messageId: string;
  text: string;
  html: string;
  /** The original message, attached whole as message/rfc822 (ORIGINAL_FILENAME). */
  original?: Buffer;
}

export const ORIGINAL_FILENAME = 'original.eml';

/**
 * One header field as MimeNode writes it: the value encoded by encodeHeaderValue, then
 * `key: value` folded at 76 characters; a field whose value encodes to nothing is left out.
 */
export function headerField(key: string, value: string | Date | MailAddress): string {
  const encoded = headerEncoder.encodeHeaderValue(key, value);
  return encoded.trim() ? `${mimeFuncs.foldLines(`${key}: ${encoded}`, LINE_LENGTH)}\r\n` : '';
}

/** `Content-Type: <type>; <params>`, its parameters quoted or RFC 2231-encoded by mime-funcs. */
function contentType(value: string, params: Record<string, string> = {}): string {
  return headerField('Content-Type', mimeFuncs.buildHeaderValue({ value, params }));
}

type TextEncoding = '7bit' | 'quoted-printable' | 'base64';

/** The part headers of each text part, for each way it may travel: the same in every letter. */
const TEXT_PART_HEADERS: Record<'text/plain' | 'text/html', Record<TextEncoding, string>> = {
  'text/plain': textPartHeaders('text/plain'),
  'text/html': textPartHeaders('text/html'),
};

function textPartHeaders(type: string): Record<TextEncoding, string> {
  const head = contentType(type, { charset: 'utf-8' });
  const withEncoding = (encoding: TextEncoding): string => `${head}${headerField('Content-Transfer-Encoding', encoding)}\r\n`;
  return { '7bit': withEncoding('7bit'), 'quoted-printable': withEncoding('quoted-printable'), base64: withEncoding('base64') };
}

/** What a text body cannot carry as it is: control characters but HT, CR and LF, and anything not ASCII (mime-funcs' isPlainText). */
// eslint-disable-next-line no-control-regex -- control characters are among what is looked for
const NEEDS_ENCODING = /[\x00-\x08\x0b\x0c\x0e-\x1f\u0080-\uFFFF]/;

/**
 * How MimeNode sends a text body: as it is when it is printable ASCII in lines of at most 76
 * characters (isPlainText, hasLongerLines); otherwise quoted-printable when Latin letters outnumber
 * the characters that need encoding (mostly-English text stays readable and small), else base64
 * (text in another script).
 */
export function textTransferEncoding(text: string): TextEncoding {
  const plain = !NEEDS_ENCODING.test(text);
  if (plain && !mimeFuncs.hasLongerLines(text, LINE_LENGTH)) return '7bit';
  let latin = 0;
  let encoded = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) {
      latin++;
      if (plain) break; // nothing to encode: one letter decides
    } else if (code >= 0x80 || (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d)) encoded++;
  }
  return encoded < latin ? 'quoted-printable' : 'base64';
}

/** At most this many encoded lines are remembered, each of at most this many characters. */
const MEMO_LINES = 2048;
const MEMO_LINE_LENGTH = 400;

/** Lines met before, quoted-printable: the page's chrome and styles, each kind's explanation. */
const encodedLines = new Map<string, string>();

/**
 * Quoted-printable for a body with CRLF line ends, a line at a time: qp.encode and qp.wrap on
 * each line, which gives a valid encoding since the encoding never runs across a hard line break
 * (RFC 2045 §6.7). So a line every letter of a kind has (most of a letter) is encoded once and
 * taken from the memo after that, and so is the whole body of a second recipient's copy. The memo
 * is emptied when full: a registrar's own lines, seen once, cannot make it grow without bound.
 */
function quotedPrintable(text: string): string {
  const lines = text.split('\r\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    let encoded = encodedLines.get(line);
    if (encoded === undefined) {
      const bytes = Buffer.from(line, 'utf8');
      encoded = qp.wrap(qp.encode(bytes), LINE_LENGTH);
      if (line.length <= MEMO_LINE_LENGTH) {
        if (encodedLines.size >= MEMO_LINES) encodedLines.clear();
        // A string of its own as the key: the line cut from the body would keep the whole body alive.
        encodedLines.set(bytes.toString('utf8'), encoded);
      }
    }
    lines[i] = encoded;
  }
  return lines.join('\r\n');
}

function textPart(type: 'text/plain' | 'text/html', text: string): string {
  const encoding = textTransferEncoding(text);
  const body = encoding === '7bit' ? text : encoding === 'quoted-printable' ? quotedPrintable(text) : base64.wrap(base64.encode(text), LINE_LENGTH);
  return TEXT_PART_HEADERS[type][encoding] + body;
}

/**
 * How the attached original travels. RFC 2046 §5.2.1 allows only 7bit, 8bit or binary for
 * message/rfc822, and 7bit is used whenever the bytes are 7bit already (ASCII without NUL, every
 * line ended by CRLF and at most 998 octets, RFC 5322 §2.1.1), so mail clients show it as the
 * embedded message it is. Anything else (8-bit bytes of a Latin-1 message, bare LF, overlong
 * lines) would not survive a relay without 8BITMIME/BINARYMIME unchanged, so it goes base64,
 * which every client we know decodes (and RFC 6532 §3.5 allows for message/global): the promise is
 * that the client gets exactly the bytes the registrar sent.
 */
export function originalTransferEncoding(raw: Buffer): '7bit' | 'base64' {
  let lineLength = 0;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i];
    if (byte === 0 || byte > 0x7f) return 'base64';
    if (byte === 0x0d) {
      if (raw[i + 1] !== 0x0a) return 'base64';
      continue;
    }
    if (byte === 0x0a) {
      if (raw[i - 1] !== 0x0d) return 'base64';
      lineLength = 0;
      continue;
    }
    if (++lineLength > 998) return 'base64';
  }
  return '7bit';
}

/** The attached original as a part: its headers and its encoded body. */
interface OriginalPart {
  head: Buffer;
  body: Buffer;
}

/**
 * Each original's part, built once however many letters carry it (a message forwarded to every
 * contact of a client): keyed by the Buffer itself, so it lives exactly as long as the original,
 * which is never changed once read (OriginalMessage.raw: "the message exactly as received").
 */
const originalParts = new WeakMap<Buffer, OriginalPart>();

function originalPart(raw: Buffer): OriginalPart {
  const cached = originalParts.get(raw);
  if (cached) return cached;
  const encoding = originalTransferEncoding(raw);
  const head =
    contentType('message/rfc822', { name: ORIGINAL_FILENAME }) +
    headerField('Content-Transfer-Encoding', encoding) +
    headerField('Content-Disposition', mimeFuncs.buildHeaderValue({ value: 'attachment', params: { filename: ORIGINAL_FILENAME } })) +
    '\r\n';
  // message/rfc822 as 7bit is the bytes as they are (RFC 2046 §5.2.1); base64 as MimeNode wraps it.
  const body = encoding === 'base64' ? Buffer.from(base64.wrap(base64.encode(raw), LINE_LENGTH), 'ascii') : raw;
  const part = { head: Buffer.from(head, 'ascii'), body };
  originalParts.set(raw, part);
  return part;
}

/**
 * A field whose value repeats from letter to letter (From and Reply-To come from the settings,
 * Auto-Submitted has two values): encoded again only when the value changes.
 */
function repeatedField(key: string): (value: string) => string {
  let last: { value: string; line: string } | undefined;
  return (value) => {
    if (last?.value !== value) last = { value, line: headerField(key, value) };
    return last.line;
  };
}

const autoSubmittedField = repeatedField('Auto-Submitted');
const fromField = repeatedField('From');
const replyToField = repeatedField('Reply-To');
const MIME_VERSION = headerField('MIME-Version', '1.0');

/**
 * A multipart boundary for this letter: random, so that no body can contain its delimiter line
 * by chance (RFC 2046 §5.1.1), and holding `=_`, which quoted-printable and base64 never produce.
 */
function boundaries(): [string, string] {
  const random = randomUUID().replace(/-/g, '');
  return [`=_Aster_${random}_1`, `=_Aster_${random}_2`];
}

/** The letter as one RFC 5322 message, in the order and form MailComposer writes it. */
export function buildLetterMime(letter: MimeLetter): Buffer {
  const [outer, inner] = boundaries();
  const alternativeBoundary = letter.original ? inner : outer;
  const alternative =
    `--${alternativeBoundary}\r\n${textPart('text/plain', letter.text)}` +
    `\r\n--${alternativeBoundary}\r\n${textPart('text/html', letter.html)}` +
    `\r\n--${alternativeBoundary}--\r\n`;
  // MailComposer's order: its `headers` option, the address and identity fields, then what it adds
  // itself (Date, MIME-Version) and the Content-Type last.
  let head = autoSubmittedField(letter.autoSubmitted);
  head += headerField(NOTICE_HEADER, letter.notice);
  head += fromField(letter.from);
  head += headerField('To', letter.to);
  if (letter.replyTo) head += replyToField(letter.replyTo);
  if (letter.inReplyTo) head += headerField('In-Reply-To', letter.inReplyTo);
  if (letter.references) head += headerField('References', letter.references);
  head += headerField('Subject', letter.subject);
  head += headerField('Message-ID', letter.messageId);
  head += headerField('Date', new Date());
  head += MIME_VERSION;
  if (!letter.original) {
    return Buffer.from(`${head}${contentType('multipart/alternative', { boundary: outer })}\r\n${alternative}`, 'utf8');
  }
  const part = originalPart(letter.original);
  const before =
    `${head}${contentType('multipart/mixed', { boundary: outer })}\r\n` +
    `--${outer}\r\n${contentType('multipart/alternative', { boundary: inner })}\r\n${alternative}` +
    `\r\n--${outer}\r\n`;
  return Buffer.concat([Buffer.from(before, 'utf8'), part.head, part.body, Buffer.from(`\r\n--${outer}--\r\n`, 'ascii')]);
}
