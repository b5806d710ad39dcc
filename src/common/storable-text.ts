// PostgreSQL cannot store every JavaScript string: `text` refuses U+0000 (22021) and `jsonb` refuses
// the escape `\u0000` (22P05), and a lone UTF-16 surrogate is no character at all (it reaches the
// database as invalid UTF-8 or an invalid JSON escape). Anything read from the outside (a parsed
// mail header, an SMTP argument) passes through here before it is written, so that one message
// cannot make a write fail for a permanent cause.

/** U+0000 and lone surrogates. */
// eslint-disable-next-line no-control-regex -- NUL is exactly what is looked for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** True when PostgreSQL could store the string as it is. */
export function isStorable(value: string): boolean {
  UNSTORABLE.lastIndex = 0;
  return !UNSTORABLE.test(value);
}

/**
 * The string with NUL removed and each lone surrogate replaced by U+FFFD. NUL goes without a trace:
 * removing it joins what it split (`linda\0pence.com` reads as the name it hides), so matching sees
 * what a reader would; a lone surrogate becomes the replacement character, as a decoder would show it.
 */
export function storableText(value: string): string {
  if (isStorable(value)) return value;
  return value.replace(UNSTORABLE, (c) => (c === '\u0000' ? '' : '\uFFFD'));
}

/** JSON.stringify with every string value made storable: for jsonb parameters. */
export function storableJson(value: unknown): string {
  return JSON.stringify(value, function (this: unknown, key: string, v: unknown) {
    return typeof v === 'string' ? storableText(v) : v;
  });
}
