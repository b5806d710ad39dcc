// What the API refuses of any request before a controller sees it, so that no input can end in a
// 500: JSON nested deeper than MAX_JSON_DEPTH (checked on the raw bytes, before JSON.parse and
// class-transformer recurse over it), and strings PostgreSQL cannot store (a NUL, which no `text`
// or `jsonb` value may hold, and an unpaired UTF-16 surrogate, which is no Unicode character at
// all), reported by the field they are in. The global pipe (validation.ts) and the JSON body
// parser (setup-app.ts) call these; no DTO has to remember them.
import type { IncomingMessage } from 'node:http';
import type { FieldError } from './errors';

/** Deepest nesting of arrays and objects a JSON body may have; Aster's deepest DTO needs 3. */
export const MAX_JSON_DEPTH = 64;

/** The http-errors shape body-parser passes on (Nest maps it to an HttpException with this cause). */
export class JsonTooDeepError extends Error {
  readonly status = 400;
  readonly statusCode = 400;
  readonly expose = true;
  readonly type = 'entity.too.deep';
  readonly limit = MAX_JSON_DEPTH;
  constructor() {
    super(`The request body nests deeper than ${MAX_JSON_DEPTH} levels`);
  }
}

/** A JSON charset other than UTF-8 and UTF-16 (body-parser lets any `utf-*` through). */
export class UnsupportedCharsetError extends Error {
  readonly status = 415;
  readonly statusCode = 415;
  readonly expose = true;
  readonly type = 'charset.unsupported';
  constructor(charset: string) {
    super(`JSON must be sent in UTF-8, not ${charset.toUpperCase()}`);
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = new Set([0x5b, 0x7b]); // [ {
const CLOSE = new Set([0x5d, 0x7d]); // ] }

/**
 * How deeply a JSON text nests, read once over its UTF-8 bytes without recursion, stopping as soon
 * as it passes `limit`. Brackets inside strings do not count. (No byte of a multi-byte UTF-8
 * sequence is ASCII, so scanning bytes is exact.) Malformed JSON is left for JSON.parse to refuse.
 */
export function jsonDepth(bytes: Uint8Array, limit = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) {
      inString = true;
    } else if (OPEN.has(b)) {
      if (++depth > deepest) deepest = depth;
      if (deepest > limit) break;
    } else if (CLOSE.has(b)) {
      depth--;
    }
  }
  return deepest;
}

/**
 * body-parser's `verify` hook for JSON: refuses a body nested too deep before it is parsed. JSON is
 * UTF-8 (RFC 8259 §8.1); a body in UTF-16 is decoded first so that its brackets can be counted.
 */
export function refuseDeepJson(_req: IncomingMessage, _res: unknown, body: Buffer, encoding: string | null): void {
  if (jsonDepth(asUtf8(body, encoding), MAX_JSON_DEPTH) > MAX_JSON_DEPTH) throw new JsonTooDeepError();
}

function asUtf8(body: Buffer, encoding: string | null): Uint8Array {
  if (!encoding || /^utf-?8$/i.test(encoding)) return body;
  let text: string;
  try {
    text = new TextDecoder(encoding).decode(body);
  } catch {
    throw new UnsupportedCharsetError(encoding);
  }
  return Buffer.from(text, 'utf8');
}

/** The first character PostgreSQL cannot store, as `U+XXXX`, with what it is; undefined when none. */
function unstorable(text: string): string | undefined {
  if (text.includes('\u0000')) return 'a NUL character (U+0000)';
  // With the u flag a paired surrogate is one code point, so only a lone one matches.
  const lone = /\p{Surrogate}/u.exec(text)?.[0];
  return lone && `an unpaired UTF-16 surrogate (U+${lone.charCodeAt(0).toString(16).toUpperCase()})`;
}

/** A key as a field path shows it: an unstorable character written as its JSON escape. */
function printable(key: string): string {
  // eslint-disable-next-line no-control-regex -- NUL is exactly what is looked for
  return key.replace(/[\u0000]|\p{Surrogate}/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Every string in `value` (a parsed query, body or path parameter), keys included, that PostgreSQL
 * cannot store, by its field path (`contacts.0.name`); `root` names a value that is itself a string.
 * Walks with a stack of its own, so no input can make it recurse.
 */
export function unstorableStrings(value: unknown, root: string): FieldError[] {
  const errors: FieldError[] = [];
  const stack: { value: unknown; path: string }[] = [{ value, path: '' }];
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === 'string') {
      const what = unstorable(v);
      if (what) errors.push({ field: path || root, message: `contains ${what}, which cannot be stored` });
    } else if (typeof v === 'object' && v !== null) {
      const entries: [string, unknown][] = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i];
        const field = path ? `${path}.${printable(key)}` : printable(key);
        const what = unstorable(key);
        if (what) errors.push({ field, message: `is a name that contains ${what}` });
        stack.push({ value: child, path: field });
      }
    }
  }
  return errors;
}
