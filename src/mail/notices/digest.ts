// The privacy digest (DESIGN.md, stage 7): what a client gets when a registrar's message concerns
// the domains of several clients. It names only this client's domains, explains the kind of notice
// and lists the dates found, and carries nothing of the original that could name another client's
// domain: not its subject, not its text, not an attachment, not the sender's address (a sender such
// as hostmaster@<another client's domain> names it). What it does carry of the original is the date
// it was sent, dates with labels from a fixed vocabulary (see dates.ts), and its Message-ID in
// References and In-Reply-To (so threads and loop checks work) unless that names a domain of
// another client (`<ticket-7@mail.harborlane.org>`): then the digest carries none.
import type { DigestInput, NoticeSettings } from './compose';
import { extractCandidates } from '../intake/match';
import { composeLetter } from './letter';
import { datesNearDomains, formatDate, formatDateTime } from './dates';
import { EXPLANATIONS, suspiciousExplanation, UNCERTAIN_EXPLANATION } from './explanations';
import { html } from './html';
import { heading, list, wrap } from './plain-text';
import { domainCards, footer, h2, opening, letterBody, paragraphs, WHY_COPIED, type Section } from './sections';

/** `[lindapence.com] <headline>`: never the original subject, which may name other clients' domains. */
export function digestSubject(input: Pick<DigestInput, 'domains' | 'kind' | 'reading'>): string {
  const [first] = input.domains;
  const more = input.domains.length > 1 ? ` +${input.domains.length - 1}` : '';
  const headline = input.reading?.suspicious?.length
    ? suspiciousExplanation(input.reading.suspicious, []).headline
    : input.reading?.uncertain
      ? UNCERTAIN_EXPLANATION.headline
      : EXPLANATIONS[input.kind].headline;
  return `[${first.unicodeName || first.name}${more}] ${headline}`;
}

/**
 * The original's Message-ID for References and In-Reply-To, or null when it names a tracked domain
 * that is not the reader's (the right-hand side of a Message-ID is often a host name).
 */
export function digestThreadId(input: Pick<DigestInput, 'domains' | 'original'>): string | null {
  const id = input.original.messageId;
  if (!id) return null;
  const own = new Set(input.domains.map((d) => d.name));
  const others = new Set(input.original.domains.filter((name) => !own.has(name)));
  const named = extractCandidates({ subject: '', text: id, html: '', addresses: [] });
  return named.some((name) => others.has(name)) ? null : id;
}

export const DIGEST_NO_DATES = "The registrar's message gives no dates for your domains.";
export const DIGEST_DATES_NOTE = "These dates are read from the registrar's message. Your domains' own dates, from our records, are shown above.";
export const DIGEST_WHY_SUMMARY =
  "The registrar's message also covered domain names that are not yours. To protect the privacy of everyone concerned, we do not forward it to you whole: your web host's staff keep the original.";
export const DIGEST_ASK = 'If you want to know exactly what it says about your domains, reply to this e-mail and ask.';

function datesSection(input: DigestInput): Section {
  const dates = datesNearDomains(
    input.original.text,
    input.domains.map((d) => d.name),
  );
  if (dates.length === 0) return paragraphs("Dates in the registrar's message", [DIGEST_NO_DATES]);
  const items = dates.map((d) => `${d.label}: ${formatDate(d.date)}`);
  return {
    html: html`${h2("Dates in the registrar's message")}<ul style="margin:0 0 12px;padding-left:24px;">
${dates.map((d) => html`<li style="margin:0 0 6px;">${d.label}: <strong>${formatDate(d.date)}</strong></li>\n`)}</ul>
<p style="margin:0 0 16px;font-size:14px;color:#4b5563;">${DIGEST_DATES_NOTE}</p>
`,
    text: `${heading("Dates in the registrar's message")}\n${list(items, 'bulleted')}\n\n${wrap(DIGEST_DATES_NOTE)}`,
  };
}

function aboutOriginal(input: DigestInput): Section {
  const sent = input.original.date ? formatDateTime(input.original.date) : undefined;
  const line = sent ? `The registrar's message was sent on ${sent}.` : undefined;
  return paragraphs('Why you get a summary', [DIGEST_WHY_SUMMARY, ...(line ? [line] : []), DIGEST_ASK]);
}

export async function composeDigest(settings: NoticeSettings, input: DigestInput): Promise<Buffer> {
  if (input.domains.length === 0) throw new Error("composeDigest: a privacy digest concerns at least one of the client's domains");
  const subject = digestSubject(input);
  const kicker = `Summary of a registrar message, for ${input.clientName}`;
  const sections: Section[] = [
    ...opening(input, input.domains),
    domainCards(input.domains.length > 1 ? 'Your domains' : 'Your domain', input.domains),
    datesSection(input),
    aboutOriginal(input),
  ];
  const foot = footer(settings.staffEmail, WHY_COPIED);
  return composeLetter(settings, {
    to: input.to,
    subject,
    id: input.deliveryId,
    // Aster wrote this summary; it forwards nothing (RFC 3834 §5).
    autoSubmitted: 'auto-generated',
    inReplyTo: digestThreadId(input),
    ...letterBody(subject, kicker, sections, foot),
  });
}
