// The pieces the three letters are made of, each written twice side by side (HTML and plain text)
// so the two parts of a letter always say the same thing. The HTML is what mail clients render
// well: one column of tables at most 600 px wide, inline styles, no external resources, contrast
// above WCAG AA (body text #1f2937 and links #1d4ed8 on white).
import type { NoticeKind } from '../intake/classify';
import { formatDate } from './dates';
import { EXPLANATIONS, suspiciousExplanation, UNCERTAIN_EXPLANATION, type Explanation } from './explanations';
import { html, link, SafeHtml } from './html';
import { fields, heading, list, wrap } from './plain-text';
import type { NoticeDomain } from './compose';

/** One section of a letter in both forms. */
export interface Section {
  html: SafeHtml;
  text: string;
}

const FONT = 'font-family:-apple-system,BlinkMacSystemFont,Segoe UI,Roboto,Helvetica,Arial,sans-serif;';
const BODY = `${FONT}font-size:16px;line-height:1.55;color:#1f2937;`;
const P = 'margin:0 0 16px;';
const H1 = `${FONT}margin:0 0 14px;font-size:24px;line-height:1.3;font-weight:bold;color:#111827;`;
const H2 = `${FONT}margin:28px 0 8px;font-size:18px;line-height:1.35;font-weight:bold;color:#111827;`;
const MUTED = 'color:#4b5563;';
const CARD = 'width:100%;margin:0 0 12px;background-color:#f8fafc;border:1px solid #d1d5db;border-radius:6px;';

/** The footer of the notices about registrar messages. */
export const WHY_COPIED =
  'You receive this because your web host manages your domain names at the registrars, and Aster copies every message a registrar sends about them to you.';

export const UNVERIFIED_WARNING = 'We could not confirm this message really comes from the registrar. Do not click links or pay anything; ask us.';

/** The title of a letter. */
export function h1(title: string): SafeHtml {
  return html`<h1 style="${H1}">${title}</h1>\n`;
}

/** A section title. */
export function h2(title: string): SafeHtml {
  return html`<h2 style="${H2}">${title}</h2>\n`;
}

/** The whole HTML document around the sections: a single column, at most 600 px wide. */
export function page(title: string, kicker: string, sections: SafeHtml[], footer: SafeHtml): string {
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<meta name="color-scheme" content="light">
<meta name="supported-color-schemes" content="light">
<title>${title}</title>
</head>
<body style="margin:0;padding:0;background-color:#eef1f4;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;background-color:#eef1f4;">
<tr><td align="center" style="padding:24px 10px;">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;background-color:#ffffff;border:1px solid #d1d5db;border-radius:8px;">
<tr><td style="padding:14px 24px;border-bottom:1px solid #e5e7eb;${FONT}font-size:14px;line-height:1.4;${MUTED}">${kicker}</td></tr>
<tr><td style="padding:24px 24px 8px;${BODY}">
${sections}
</td></tr>
<tr><td style="padding:16px 24px 20px;border-top:1px solid #e5e7eb;${FONT}font-size:14px;line-height:1.5;${MUTED}">${footer}</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`.value;
}

/** The plain-text document: kicker, sections and footer, separated by blank lines. */
export function plainText(kicker: string, sections: string[], footer: string): string {
  return [wrap(kicker), ...sections, `--\n${footer}`].join('\n\n') + '\n';
}

/** A letter's HTML page and its plain-text twin, made from the same sections and footer. */
export function letterBody(title: string, kicker: string, sections: readonly Section[], foot: Section): { html: string; text: string } {
  return {
    html: page(
      title,
      kicker,
      sections.map((s) => s.html),
      foot.html,
    ),
    text: plainText(
      kicker,
      sections.map((s) => s.text),
      foot.text,
    ),
  };
}

/** `a.com`, `a.com and b.com`, `a.com, b.com and c.com` (Unicode names, for people). */
export function domainList(domains: readonly NoticeDomain[]): string {
  const names = domains.map((d) => d.unicodeName || d.name);
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

export function unverifiedBanner(): Section {
  return {
    html: html`<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;margin:0 0 20px;background-color:#fef2f2;border:1px solid #fca5a5;border-left:6px solid #b91c1c;border-radius:4px;">
<tr><td style="padding:12px 16px;${FONT}font-size:16px;line-height:1.5;color:#7f1d1d;"><strong>Warning:</strong> ${UNVERIFIED_WARNING}</td></tr>
</table>
`,
    text: `*** WARNING ***\n${wrap(UNVERIFIED_WARNING)}`,
  };
}

/** The warning a suspicious message's copy leads with: what it is, and why (issue 12). */
export function suspiciousBanner(reasons: readonly string[]): Section {
  const first = 'This looks like a scam, not a notice from your registrar.';
  return {
    html: html`<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;margin:0 0 20px;background-color:#fef2f2;border:1px solid #fca5a5;border-left:6px solid #b91c1c;border-radius:4px;">
<tr><td style="padding:12px 16px;${FONT}font-size:16px;line-height:1.5;color:#7f1d1d;"><strong>Warning:</strong> ${first}<ul style="margin:8px 0 0;padding-left:20px;">
${reasons.map(
  (r) => html`<li style="margin:0 0 4px;">${r}</li>
`,
)}</ul></td></tr>
</table>
`,
    text: `*** WARNING ***
${wrap(first)}
${list(reasons, 'bulleted')}`,
  };
}

/** The plain-language explanation of a kind of notice: what it is, whether to act, what to do, what never to do. */
export function explanation(kind: NoticeKind | Explanation, domains: readonly NoticeDomain[]): Section {
  const e = typeof kind === 'string' ? EXPLANATIONS[kind] : kind;
  const names = domainList(domains);
  const [leadBefore, leadAfter] = e.lead.split('{domains}');
  const lead = `${leadBefore}${names}${leadAfter ?? ''}`;
  return {
    html: html`${h1(e.headline)}<p style="${P}font-size:17px;">${leadBefore}<strong>${names}</strong>${leadAfter ?? ''} <strong>${e.shouldYouAct}</strong></p>
<h2 style="${H2}">What this is</h2>
<p style="${P}">${e.whatItIs}</p>
<h2 style="${H2}">What to do</h2>
<ol style="margin:0 0 16px;padding-left:24px;">
${e.whatToDo.map((step) => html`<li style="margin:0 0 8px;">${step}</li>\n`)}</ol>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;margin:8px 0 8px;background-color:#fff7ed;border-left:6px solid #c2410c;border-radius:4px;">
<tr><td style="padding:12px 16px;${FONT}font-size:16px;line-height:1.5;color:#1f2937;">
<p style="margin:0 0 6px;font-weight:bold;color:#7c2d12;">What never to do</p>
<ul style="margin:0;padding-left:20px;">
${e.neverDo.map((rule) => html`<li style="margin:0 0 6px;">${rule}</li>\n`)}</ul>
</td></tr>
</table>
`,
    text: [
      heading(e.headline, 1),
      wrap(`${lead} ${e.shouldYouAct}`),
      `${heading('What this is')}\n${wrap(e.whatItIs)}`,
      `${heading('What to do')}\n${list(e.whatToDo, 'numbered')}`,
      `${heading('What never to do')}\n${list(e.neverDo, 'bulleted')}`,
    ].join('\n\n'),
  };
}

const NOT_ON_RECORD = 'not on record';

function domainRows(d: NoticeDomain & { noticeAddress?: string }): [string, string][] {
  const rows: [string, string][] = [
    ['Registrar', d.registrar ?? NOT_ON_RECORD],
    ['Registered', d.registeredAt ? formatDate(d.registeredAt) : NOT_ON_RECORD],
    ['Expires', d.expiresAt ? formatDate(d.expiresAt) : NOT_ON_RECORD],
  ];
  if (d.noticeAddress !== undefined) rows.push(['Notice address', d.noticeAddress]);
  return rows;
}

/**
 * One card per domain: its name (and the ASCII form of an IDN), registrar, key dates from the
 * host's records, the notice address when given, and the link to its transfer guidance.
 */
export function domainCards(title: string, domains: readonly (NoticeDomain & { noticeAddress?: string })[]): Section {
  const cards = domains.map((d) => {
    const ascii = d.unicodeName && d.unicodeName !== d.name ? d.name : undefined;
    return html`<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="${CARD}">
<tr><td style="padding:14px 16px;${FONT}font-size:16px;line-height:1.5;color:#1f2937;">
<p style="margin:0 0 8px;font-size:18px;font-weight:bold;color:#111827;word-break:break-word;">${d.unicodeName || d.name}${ascii ? html` <span style="font-size:14px;font-weight:normal;${MUTED}">(${ascii})</span>` : ''}</p>
<table role="presentation" cellpadding="0" cellspacing="0" border="0">
${domainRows(d).map(([label, value]) => html`<tr><td style="padding:2px 14px 2px 0;vertical-align:top;white-space:nowrap;${MUTED}">${label}</td><td style="padding:2px 0;vertical-align:top;word-break:break-word;">${value}</td></tr>\n`)}</table>
<p style="margin:10px 0 0;">How to move this domain to another company:<br>${link(d.guidanceUrl)}</p>
</td></tr>
</table>
`;
  });
  const texts = domains.map((d) => {
    const name = d.unicodeName && d.unicodeName !== d.name ? `${d.unicodeName} (${d.name})` : d.name;
    return `${name}\n${fields(domainRows(d))}\n  How to move this domain to another company:\n  ${d.guidanceUrl}`;
  });
  return {
    html: html`${h2(title)}${cards}`,
    text: `${heading(title)}\n${texts.join('\n\n')}`,
  };
}

/** A titled section of paragraphs. */
export function paragraphs(title: string | undefined, items: readonly (string | { html: SafeHtml; text: string })[]): Section {
  const parts = items.map((p) => (typeof p === 'string' ? { html: html`${p}`, text: wrap(p) } : p));
  return {
    html: html`${title ? h2(title) : ''}${parts.map((p) => html`<p style="${P}">${p.html}</p>\n`)}`,
    text: `${title ? `${heading(title)}\n` : ''}${parts.map((p) => p.text).join('\n\n')}`,
  };
}

/** A titled numbered list. */
export function steps(title: string, items: readonly string[]): Section {
  return {
    html: html`${h2(title)}<ol style="margin:0 0 16px;padding-left:24px;">
${items.map((step) => html`<li style="margin:0 0 8px;">${step}</li>\n`)}</ol>
`,
    text: `${heading(title)}\n${list(items, 'numbered')}`,
  };
}

/** `label: value` lines (the original's sender, date and subject). */
export function facts(rows: readonly [string, string][]): Section {
  return {
    html: html`<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 12px;">
${rows.map(([label, value]) => html`<tr><td style="padding:2px 14px 2px 0;vertical-align:top;white-space:nowrap;${MUTED}">${label}</td><td style="padding:2px 0;vertical-align:top;word-break:break-word;">${value}</td></tr>\n`)}</table>
`,
    text: fields(rows, ''),
  };
}

/** Text shown exactly as it was written (the registrar's own words): preformatted, escaped, wrapped only by the viewer. */
export function verbatim(text: string): SafeHtml {
  return html`<pre style="margin:0 0 16px;padding:10px 8px;background-color:#f8fafc;border:1px solid #d1d5db;border-radius:6px;white-space:pre-wrap;word-wrap:break-word;overflow-wrap:anywhere;font-family:Menlo,Consolas,monospace;font-size:12px;line-height:1.5;color:#1f2937;">${text}</pre>
`;
}

export function footer(staffEmail: string | undefined, why: string): Section {
  const ask = staffEmail ? "Questions? Reply to this e-mail: your answer goes to your web host's staff" : 'Questions? Contact your web host.';
  return {
    html: html`<p style="margin:0 0 8px;">${why}</p>
<p style="margin:0;">${ask}${staffEmail ? html` (<a href="mailto:${staffEmail}" style="color:#1d4ed8;">${staffEmail}</a>).` : ''}</p>`,
    text: `${wrap(why)}\n${wrap(staffEmail ? `${ask} (${staffEmail}).` : ask)}`,
  };
}

/**
 * The opening of a forward or digest: a scam is never explained as the notice it imitates (a
 * warning leads, then what to do instead); a kind read without confidence gets no guessed
 * explanation; otherwise the kind's explanation. The unverified-sender banner comes first when set.
 */
export function opening(
  input: { kind: NoticeKind; unverifiedSender: boolean; reading?: { suspicious?: string[] | null; uncertain?: boolean; registrySays?: string[] } },
  domains: readonly NoticeDomain[],
): Section[] {
  const reasons = input.reading?.suspicious;
  const registry = input.reading?.registrySays?.length ? [paragraphs('What the registry says', input.reading.registrySays)] : [];
  if (reasons && reasons.length > 0) {
    const registrars = [...new Set(domains.map((d) => d.registrar).filter((r): r is string => !!r))];
    return [
      suspiciousBanner(reasons),
      ...(input.unverifiedSender ? [unverifiedBanner()] : []),
      explanation(suspiciousExplanation(reasons, registrars), domains),
      ...registry,
    ];
  }
  const e = input.reading?.uncertain ? UNCERTAIN_EXPLANATION : input.kind;
  return [...(input.unverifiedSender ? [unverifiedBanner()] : []), explanation(e, domains), ...registry];
}
