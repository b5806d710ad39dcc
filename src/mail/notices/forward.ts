// The forwarded notice (DESIGN.md, "What a forwarded notice looks like"): a registrar's message
// about one client's domains, explained in plain words, with the original attached unchanged.
import type { Readable } from 'node:stream';
import type { ForwardInput, NoticeSettings } from './compose';
import { composeLetter, composeLetterStream, ORIGINAL_FILENAME, type Letter } from './letter';
import { formatDateTime } from './dates';
import { EXPLANATIONS } from './explanations';
import { html } from './html';
import { heading, wrap } from './plain-text';
import { domainCards, facts, footer, h2, opening, letterBody, verbatim, WHY_COPIED, type Section } from './sections';

/**
 * `[lindapence.com] <original subject>`; for a message about several of the client's domains the
 * first and how many more, `[lindapence.com +1] …`, so the subject stays short. An original with
 * no subject gets the kind's headline.
 */
export function forwardSubject(input: Pick<ForwardInput, 'domains' | 'kind' | 'original' | 'reading'>): string {
  const [first] = input.domains;
  const more = input.domains.length > 1 ? ` +${input.domains.length - 1}` : '';
  const subject = input.original.subject.trim() || EXPLANATIONS[input.kind].headline;
  // A scam's own subject ("Final notice: renew now") must not be the first thing the client reads.
  const warning = input.reading?.suspicious?.length ? `${SUSPICIOUS_SUBJECT_PREFIX} ` : '';
  return `[${first.unicodeName || first.name}${more}] ${warning}${subject}`;
}

export const SUSPICIOUS_SUBJECT_PREFIX = 'Warning, likely a scam:';

function originalSection(original: ForwardInput['original']): Section {
  const rows: [string, string][] = [];
  if (original.from) rows.push(['From', original.from]);
  if (original.date) rows.push(['Sent', formatDateTime(original.date)]);
  rows.push(['Subject', original.subject || '(no subject)']);
  const about = facts(rows);
  const text = original.text.replace(/\r\n?/g, '\n').replace(/\s+$/, '');
  const attached = `The registrar's original message is attached to this e-mail unchanged, as ${ORIGINAL_FILENAME}.`;
  const empty = 'The message has no text we can show here; open the attached original to read it.';
  return {
    html: html`${h2("The registrar's message")}${about.html}${text ? verbatim(text) : html`<p style="margin:0 0 16px;">${empty}</p>\n`}<p style="margin:0 0 16px;">${attached}</p>
`,
    // The registrar's text as it was written: not wrapped, not re-flowed.
    text: `${heading("The registrar's message")}\n${about.text}\n\n${text || wrap(empty)}\n\n${wrap(attached)}`,
  };
}

function forwardLetter(settings: NoticeSettings, input: ForwardInput): Letter {
  if (input.domains.length === 0) throw new Error('composeForward: a forwarded notice concerns at least one domain');
  const subject = forwardSubject(input);
  const kicker = `Copy of a registrar message, for ${input.clientName}`;
  const sections: Section[] = [
    ...opening(input, input.domains),
    domainCards(input.domains.length > 1 ? 'Your domains' : 'Your domain', input.domains),
    originalSection(input.original),
  ];
  const foot = footer(settings.staffEmail, WHY_COPIED);
  return {
    to: input.to,
    subject,
    id: input.deliveryId,
    autoSubmitted: 'auto-forwarded',
    inReplyTo: input.original.messageId,
    ...letterBody(subject, kicker, sections, foot),
    original: input.original.raw,
  };
}

export async function composeForward(settings: NoticeSettings, input: ForwardInput): Promise<Buffer> {
  return composeLetter(settings, forwardLetter(settings, input));
}

/**
 * The forwarded notice as a stream, for the relay: the original (up to the 25 MB Aster accepts)
 * is encoded into the letter as the relay reads it, never copied into a second whole Buffer.
 * Throws, like composeForward, when the input is refused.
 */
export function composeForwardStream(settings: NoticeSettings, input: ForwardInput): Readable {
  return composeLetterStream(settings, forwardLetter(settings, input));
}
