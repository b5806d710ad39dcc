// Where the client-facing letters (forwards, digests, welcome and registry letters) become RFC 5322
// bytes; the staff alert still builds its own (staff-alert.letter.ts). Every header value goes
// through nodemailer's code, which encodes (RFC 2047), folds and quotes it: no header line is ever
// spliced together from a value here. A letter built whole is written by letter-mime.ts (the fixed
// shape of our letters, without MailComposer's stream machinery: issue 15); a letter streamed
// around a large original is MailComposer's, from the same values, and both give the same message.
import type { Readable } from 'node:stream';
import MailComposer from 'nodemailer/lib/mail-composer';
import { buildLetterMime, ORIGINAL_FILENAME, originalTransferEncoding, type MimeLetter } from './letter-mime';
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

export { ORIGINAL_FILENAME, originalTransferEncoding };

/**
 * The bodies with CRLF line ends (RFC 5322 §2.3: CR and LF only together): the sections are
 * written with LF, and a body sent with bare LF also splits quoted-printable lines at odd places.
 */
function crlf(text: string): string {
  return text.replace(/\r\n|\r|\n/g, '\r\n');
}

/** What a letter says, as the MIME builders take it: header values one line each, bodies CRLF. */
function mimeLetter(settings: NoticeSettings, letter: Letter): MimeLetter {
  const inReplyTo = letter.inReplyTo ? oneLine(letter.inReplyTo) : undefined;
  return {
    autoSubmitted: letter.autoSubmitted,
    notice: letter.id,
    from: settings.noticeFrom,
    to: { name: oneLine(letter.to.name), address: letter.to.email.trim() },
    replyTo: settings.staffEmail || undefined,
    inReplyTo,
    references: inReplyTo,
    subject: oneLine(letter.subject),
    messageId: noticeMessageId(letter.id, settings.mailDomain),
    text: crlf(letter.text),
    html: crlf(letter.html),
    original: letter.original,
  };
}

function composer(letter: MimeLetter): MailComposer {
  return new MailComposer({
    headers: { 'Auto-Submitted': letter.autoSubmitted, [NOTICE_HEADER]: letter.notice },
    from: letter.from,
    to: letter.to,
    replyTo: letter.replyTo,
    inReplyTo: letter.inReplyTo,
    references: letter.references,
    subject: letter.subject,
    messageId: letter.messageId,
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

/**
 * The letter as one Buffer (nearly every letter: the original fits in memory), written directly
 * by letter-mime.ts: the message MailComposer would build (letter-mime.spec.ts), for a fraction of
 * the CPU.
 */
export function composeLetter(settings: NoticeSettings, letter: Letter): Promise<Buffer> {
  // Built at once; still a promise, so that a failure reaches the callers as a rejection.
  return new Promise((resolve) => resolve(buildLetterMime(mimeLetter(settings, letter))));
}

/**
 * The same letter as a stream, produced as it is read: a letter carrying a 25 MB original is
 * never built whole in memory (docs/benchmarks.md, item 15). The stream reads the original once.
 */
export function composeLetterStream(settings: NoticeSettings, letter: Letter): Readable {
  return composer(mimeLetter(settings, letter)).compile().createReadStream();
}
