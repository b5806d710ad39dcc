// Stage 3, parse: mailparser turns the stored bytes into the parts later stages read. A message
// mailparser cannot read is kept and held as `unparseable`, never dropped.
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import type { HeaderField } from './loop';
import type { MatchSource } from './match';

export interface ParsedMessage extends MatchSource {
  messageId: string | null;
  from: string | null;
  headers: HeaderField[];
}

const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/;

export type ParseOutcome = { ok: true; message: ParsedMessage } | { ok: false; reason: string };

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

export async function parse(raw: Buffer): Promise<ParseOutcome> {
  let mail: ParsedMail;
  try {
    mail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  } catch (err) {
    return { ok: false, reason: `mailparser could not read the message: ${err instanceof Error ? err.message : String(err)}` };
  }
  // mailparser reads anything; a message without a single well-formed header field (RFC 5322 §2.2:
  // printable ASCII except ':' in the name) is not mail we can route (e.g. bytes after a broken DATA).
  if (!mail.headerLines.some((h) => FIELD_NAME.test(h.key))) return { ok: false, reason: 'the message has no header fields' };
  return {
    ok: true,
    message: {
      subject: mail.subject ?? '',
      text: mail.text ?? '',
      html: typeof mail.html === 'string' ? mail.html : '',
      addresses: [
        ...addresses(mail.from),
        ...addresses(mail.to),
        ...addresses(mail.cc),
        ...addresses(mail.replyTo),
        ...addresses(mail.headers.get('sender') as AddressObject | undefined),
      ],
      messageId: bareMessageId(mail.messageId),
      from: mail.from?.text ?? null,
      headers: mail.headerLines.map((h) => ({ key: h.key, value: h.line.slice(h.line.indexOf(':') + 1).trim() })),
    },
  };
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
