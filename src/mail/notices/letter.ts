// Where the client-facing letters (forwards, digests, welcome and registry letters) become RFC 5322
// bytes; the staff alert still builds its own (staff-alert.letter.ts). Every header value goes
// through nodemailer's MailComposer, which encodes (RFC 2047), folds and quotes it: no header line
// is ever spliced together from a value here.
import type { Readable } from 'node:stream';
import MailComposer from 'nodemailer/lib/mail-composer';
import { NOTICE_HEADER } from '../notice-header';
import type { NoticeSettings, Recipient } from './compose';

/**
 * The Message-ID Aster gives a letter: `<${id}@${mailDomain}>` — deterministic, so a resend after
 * a crash carries the same Message-ID and receiving systems can drop the copy.
 */
export function noticeMessageId(id: string, mailDomain: string): string {
  return `<${id}@${mailDomain}>`;
}

export interface Letter {
  to: Recipient;
  subject: string;
  /** Delivery or letter id: the Message-ID's left side and the X-Aster-Notice value. */
  id: string;
  /** RFC 3834: `auto-forwarded` for a copy of registrar mail, `auto-generated` for Aster's own letters. */
  autoSubmitted: 'auto-forwarded' | 'auto-generated';
  /** The Message-ID of the registrar's message this letter is about: References and In-Reply-To. */
  inReplyTo?: string | null;
  html: string;
  text: string;
  /** The original message, attached whole as message/rfc822. */
  original?: Buffer;
}

/** Runs of whitespace (CR and LF included) as one space: a header value is one line of text. */
export function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

export const ORIGINAL_FILENAME = 'original.eml';

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

function composer(settings: NoticeSettings, letter: Letter): MailComposer {
  return new MailComposer({
    from: settings.noticeFrom,
    to: { name: oneLine(letter.to.name), address: letter.to.email.trim() },
    replyTo: settings.staffEmail || undefined,
    subject: oneLine(letter.subject),
    messageId: noticeMessageId(letter.id, settings.mailDomain),
    inReplyTo: letter.inReplyTo ? oneLine(letter.inReplyTo) : undefined,
    references: letter.inReplyTo ? oneLine(letter.inReplyTo) : undefined,
    headers: {
      'Auto-Submitted': letter.autoSubmitted,
      [NOTICE_HEADER]: letter.id,
    },
    text: letter.text,
    html: letter.html,
    attachments: letter.original
      ? [
          {
            filename: ORIGINAL_FILENAME,
            content: letter.original,
            contentType: 'message/rfc822',
            contentDisposition: 'attachment',
            contentTransferEncoding: originalTransferEncoding(letter.original),
          },
        ]
      : [],
    // The letters are built from values only: never read a file or fetch a URL named by one.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
}

/** The letter as one Buffer. */
export async function composeLetter(settings: NoticeSettings, letter: Letter): Promise<Buffer> {
  return composer(settings, letter).compile().build();
}

/**
 * The same letter as a stream, produced as it is read: a letter carrying a 25 MB original is
 * never built whole in memory (docs/benchmarks.md, item 15). The stream reads the original once.
 */
export function composeLetterStream(settings: NoticeSettings, letter: Letter): Readable {
  return composer(settings, letter).compile().createReadStream();
}
