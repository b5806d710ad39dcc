// Delivery status notifications (RFC 3464) that come back to a per-delivery bounce address: which
// delivery, and whether the report proves that our letter failed.
//
// The address is signed, as SRS and VERP-with-a-tag do: `bounces+<delivery id>.<tag>@MAIL_DOMAIN`,
// the tag a truncated HMAC-SHA256 of the delivery id under a key Aster keeps in its database
// (delivery/bounce-addresses.ts). The delivery id alone is no secret (it is the left side of every
// letter's Message-ID), so an address without the right tag is refused like any unknown address.
// Even behind a good tag only a real DSN counts: a multipart/report whose returned message is the
// letter we sent (its Message-ID), read from the machine-readable fields alone. Nothing of a
// report's human-readable text is ever kept as its status.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { MailParser, type Headers } from 'mailparser';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** 16 hex digits: 64 bits of the HMAC, far beyond guessing over SMTP. */
const TAG_LENGTH = 16;
const BOUNCE_LOCAL = new RegExp(`^bounces\\+(${UUID})(?:\\.([0-9a-z]*))?$`, 'i');

export function bounceTag(deliveryId: string, key: Buffer): string {
  return createHmac('sha256', key).update(deliveryId.toLowerCase(), 'utf8').digest('hex').slice(0, TAG_LENGTH);
}

/** The envelope sender of a delivery's letter: `bounces+<id>.<tag>@mailDomain`. */
export function signedBounceAddress(deliveryId: string, mailDomain: string, key: Buffer): string {
  return `bounces+${deliveryId.toLowerCase()}.${bounceTag(deliveryId, key)}@${mailDomain}`;
}

/**
 * A bounce address under `mailDomain`, signed or not: its delivery id and whether its tag is the
 * right one (compared in constant time). undefined when the address is no bounce address at all.
 */
export function readBounceAddress(address: string, mailDomain: string, key: Buffer): { deliveryId: string; signed: boolean } | undefined {
  const at = address.lastIndexOf('@');
  if (at <= 0 || address.slice(at + 1).toLowerCase() !== mailDomain) return undefined;
  const m = BOUNCE_LOCAL.exec(address.slice(0, at));
  if (!m) return undefined;
  const deliveryId = m[1].toLowerCase();
  const given = Buffer.from((m[2] ?? '').toLowerCase(), 'latin1');
  const expected = Buffer.from(bounceTag(deliveryId, key), 'latin1');
  const signed = given.length === expected.length && timingSafeEqual(given, expected);
  return { deliveryId, signed };
}

/** The delivery id of a correctly signed bounce address under `mailDomain`, or undefined. */
export function bounceDeliveryId(address: string, mailDomain: string, key: Buffer): string | undefined {
  const read = readBounceAddress(address, mailDomain, key);
  return read?.signed ? read.deliveryId : undefined;
}

/** RFC 3464 §2.3.3. */
export const DSN_ACTIONS = ['failed', 'delayed', 'delivered', 'relayed', 'expanded'] as const;
export type DsnAction = (typeof DSN_ACTIONS)[number];

/** Why a message to a bounce address does not prove anything about our letter. */
export const BOUNCE_PROBLEMS = {
  unsigned_address: 'it was sent to a bounce address without the right signature',
  not_a_report: 'it is not a delivery status notification (multipart/report; report-type=delivery-status)',
  no_status_part: 'it has no machine-readable delivery-status part',
  no_returned_message: 'it does not return the headers of the letter it reports on',
  other_message: "the message it returns is not Aster's letter for this delivery (Message-ID)",
  no_recipient_status: 'its delivery-status part has no recipient with a valid Action and Status',
  unreadable: 'mailparser could not read it',
} as const;
export type BounceProblem = keyof typeof BOUNCE_PROBLEMS;

/**
 * What a message to a bounce address says about the letter: a DSN for that letter (its Action and
 * Status code, nothing else), or why it is not one.
 */
export type BounceReport = { dsn: true; action: DsnAction; status: string } | { dsn: false; problem: BounceProblem };

/** True when the report proves the letter was not delivered and never will be. */
export function reportsFailure(report: BounceReport): report is { dsn: true; action: 'failed'; status: string } {
  // RFC 3464: `failed` is final. Its status is 5.x.x, or 4.x.x when the reporting MTA gave up
  // retrying (e.g. 4.4.7, the message expired in its queue): the letter was not delivered either way.
  return report.dsn && report.action === 'failed' && /^[45]\./.test(report.status);
}

/** The report in a few machine-readable words, for staff and the delivery's last response. */
export function describeReport(report: BounceReport): string {
  return report.dsn ? `${report.status} (Action: ${report.action})` : BOUNCE_PROBLEMS[report.problem];
}

const REPORT_TYPES = ['delivery-status', 'global-delivery-status'];
const STATUS_PARTS = ['message/delivery-status', 'message/global-delivery-status'];
/** RFC 3462/6522 §3: the third part returns the message, or only its header (RFC 6533: global forms). */
const RETURNED_PARTS = ['message/rfc822', 'text/rfc822-headers', 'message/global', 'message/global-headers'];
/** Of a returned message only its header block is read. */
const RETURNED_HEADER_BYTES = 64 * 1024;
const STATUS_PART_BYTES = 64 * 1024;
const STATUS_CODE = /^([245])\.(\d{1,3})\.(\d{1,3})$/;

interface ReportParts {
  contentType: { value: string; params: Record<string, string> } | undefined;
  status: Buffer | undefined;
  returned: Buffer | undefined;
}

/**
 * Reads a message's top-level Content-Type and the first delivery-status part and returned part
 * among the top-level multipart's own parts (mailparser, streaming; the delivery-status part is
 * kept as an attachment rather than mixed into the text). Every other part is drained unread.
 */
function reportParts(raw: Buffer): Promise<ReportParts> {
  return new Promise<ReportParts>((resolve, reject) => {
    const parser = new MailParser({
      keepDeliveryStatus: true,
      skipHtmlToText: true,
      skipImageLinks: true,
      skipTextToHtml: true,
      skipTextLinks: true,
      checksumAlgo: false,
    });
    const found: ReportParts = { contentType: undefined, status: undefined, returned: undefined };
    let settled = false;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      reject(err instanceof Error ? err : new Error(String(err)));
      parser.destroy();
    };
    parser.on('headers', (headers: Headers) => {
      const ct = headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
      found.contentType = ct?.value ? { value: ct.value.toLowerCase(), params: ct.params ?? {} } : undefined;
    });
    parser.on('data', (data) => {
      if (data.type !== 'attachment') return;
      // A part of the report itself is numbered 1, 2, 3…; deeper parts (inside a returned message,
      // or a multipart within the report) are not the report's.
      const topLevel = /^\d+$/.test(data.partId ?? '');
      const type = data.contentType.toLowerCase();
      const slot = !topLevel
        ? undefined
        : STATUS_PARTS.includes(type) && !found.status
          ? 'status'
          : RETURNED_PARTS.includes(type) && !found.returned
            ? 'returned'
            : undefined;
      const limit = slot === 'status' ? STATUS_PART_BYTES : RETURNED_HEADER_BYTES;
      const chunks: Buffer[] = [];
      let length = 0;
      data.content.on('error', fail);
      data.content.on('data', (chunk: Buffer) => {
        if (slot && length < limit) chunks.push(chunk);
        length += chunk.length;
      });
      data.content.on('end', () => {
        if (slot) found[slot] = Buffer.concat(chunks).subarray(0, limit);
        data.release?.();
      });
    });
    parser.on('error', fail);
    parser.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(found);
    });
    parser.end(raw);
  });
}

/** RFC 822-style field groups separated by blank lines, unfolded; names lowercased. */
function fieldGroups(text: string): Map<string, string>[] {
  return text
    .split(/\r?\n(?:[ \t]*\r?\n)+/)
    .map((block) => {
      const fields = new Map<string, string>();
      for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
        const m = /^([\x21-\x39\x3b-\x7e]+)[ \t]*:(.*)$/.exec(line);
        if (m && !fields.has(m[1].toLowerCase())) fields.set(m[1].toLowerCase(), m[2].trim());
      }
      return fields;
    })
    .filter((fields) => fields.size > 0);
}

/** The Message-ID of a returned message's header block, without angle brackets, lowercased. */
function returnedMessageId(returned: Buffer): string | undefined {
  const text = returned.toString('latin1');
  const end = /\r?\n[ \t]*\r?\n/.exec(text);
  const [header] = fieldGroups(end ? text.slice(0, end.index) : text);
  const value = header?.get('message-id');
  return (
    value
      ?.replace(/^\s*<|>\s*$/g, '')
      .trim()
      .toLowerCase() || undefined
  );
}

/**
 * The per-recipient Action and Status of a delivery-status part (RFC 3464 §2.3). Our letters have
 * one recipient each; if a report names several, a failure among them is what counts.
 */
function recipientStatus(status: Buffer): { action: DsnAction; status: string } | undefined {
  const recipients = fieldGroups(status.toString('utf8'))
    .filter((fields) => fields.has('action') && fields.has('status'))
    .map((fields) => ({
      action: fields.get('action')!.toLowerCase().split(/[\s(]/)[0] as DsnAction,
      // The status field is a code, sometimes followed by a comment: keep the code only.
      status: fields.get('status')!.split(/[\s(]/)[0],
    }))
    .filter((r) => (DSN_ACTIONS as readonly string[]).includes(r.action) && STATUS_CODE.test(r.status));
  return recipients.find((r) => r.action === 'failed') ?? recipients[0];
}

/**
 * Reads a message that arrived at the bounce address of the letter whose Message-ID is
 * `letterMessageId` (`<id@MAIL_DOMAIN>`): a DSN for that letter with its Action and Status code,
 * or the reason it is not one.
 */
export async function readBounce(raw: Buffer, letterMessageId: string): Promise<BounceReport> {
  let parts: ReportParts;
  try {
    parts = await reportParts(raw);
  } catch {
    return { dsn: false, problem: 'unreadable' };
  }
  const type = parts.contentType;
  if (type?.value !== 'multipart/report' || !REPORT_TYPES.includes((type.params['report-type'] ?? '').toLowerCase())) {
    return { dsn: false, problem: 'not_a_report' };
  }
  if (!parts.status) return { dsn: false, problem: 'no_status_part' };
  if (!parts.returned) return { dsn: false, problem: 'no_returned_message' };
  const expected = letterMessageId.replace(/^<|>$/g, '').toLowerCase();
  if (returnedMessageId(parts.returned) !== expected) return { dsn: false, problem: 'other_message' };
  const recipient = recipientStatus(parts.status);
  if (!recipient) return { dsn: false, problem: 'no_recipient_status' };
  return { dsn: true, ...recipient };
}
