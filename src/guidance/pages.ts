// Server-rendered guidance pages for people: readable on a phone, accessible (landmarks, a skip
// link, real headings, strong contrast), printable. Every value is escaped; topic Markdown is ours
// (reviewed like code), and raw HTML inside it is dropped all the same.
import { Marked } from 'marked';
import { escapeHtml } from '../common/escape-html';
import type { TransferGuidance } from './transfer-guidance';
import type { Topic, TopicSummary } from './topics';

const marked = new Marked({ gfm: true, renderer: { html: () => '' } });

export const esc = escapeHtml;

const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 1.0625rem/1.6 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1b1b1b; background: #fff; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; outline: 3px solid #0b57d0; }
header, main, footer { max-width: 44rem; margin: 0 auto; padding: 1rem 1.25rem; }
header { border-bottom: 1px solid #d0d0d0; }
header a { color: #1b1b1b; font-weight: 600; text-decoration: none; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: .5rem 0 1rem; }
h2 { font-size: 1.3rem; margin-top: 2rem; }
a { color: #0b57d0; }
a:focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
code { background: #f1f1f1; padding: 0 .25rem; border-radius: 3px; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #c8c8c8; padding: .4rem; text-align: left; vertical-align: top; }
.verdict { border-left: 6px solid; padding: .75rem 1rem; margin: 1rem 0; background: #f6f6f6; }
.verdict.yes { border-color: #1e7b34; } .verdict.no { border-color: #b3261e; }
.blocker { margin-bottom: .75rem; }
.muted { color: #4a4a4a; font-size: .95rem; }
footer { border-top: 1px solid #d0d0d0; color: #4a4a4a; font-size: .9rem; }
@media print { header nav, .skip { display: none; } a { color: #000; } a[href^="http"]::after { content: " (" attr(href) ")"; font-size: .85em; } body { font-size: 11pt; } }
`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} — domain guidance</title>
<style>${STYLE}</style>
</head>
<body>
<a class="skip" href="#main">Skip to the content</a>
<header><nav aria-label="Guidance"><a href="/guide">Your domain names: guidance</a></nav></header>
<main id="main">
${body}
</main>
<footer><p>This guidance is general information, written to help you keep control of your domain names. Registrars' own terms apply.</p></footer>
</body>
</html>`;
}

export function topicIndexPage(topics: TopicSummary[]): string {
  const items = topics.map((t) => `<li><a href="/guide/${esc(t.slug)}">${esc(t.title)}</a></li>`).join('\n');
  return layout(
    'Guidance',
    `<h1>Your domain names: what to know</h1>
<p>Your domain names are registered in your name. These pages explain how to look after them, what the messages from your registrar mean, and how to move a domain or a website elsewhere whenever you want.</p>
<ul>${items}</ul>`,
  );
}

export function topicPage(topic: Topic, topics: TopicSummary[]): string {
  const others = topics
    .filter((t) => t.slug !== topic.slug)
    .map((t) => `<li><a href="/guide/${esc(t.slug)}">${esc(t.title)}</a></li>`)
    .join('');
  return layout(
    topic.title,
    `<article>${marked.parse(topic.markdown, { async: false })}</article>
<nav aria-label="More guidance"><h2>More guidance</h2><ul>${others}</ul></nav>`,
  );
}

const day = (iso: string) =>
  new Date(`${iso.slice(0, 10)}T12:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

export function domainGuidancePage(g: TransferGuidance & { unicodeName: string; registrar: string | null }, at: Date, topics: TopicSummary[]): string {
  const name = g.unicodeName;
  const verdict = g.eligible
    ? `<div class="verdict yes" role="status"><strong>${esc(name)} can be moved to another registrar now.</strong></div>`
    : `<div class="verdict no" role="status"><strong>${esc(name)} cannot be moved today.</strong>${
        g.earliestTransferDate ? ` The earliest date it can move is <strong>${esc(day(g.earliestTransferDate))}</strong>, if the steps below are followed.` : ''
      }</div>`;
  const blockers = g.blockers.length
    ? `<h2>What stands in the way</h2><ul>${g.blockers
        .map((b) => `<li class="blocker">${esc(b.message)}${b.until ? ` <span class="muted">(until ${esc(day(b.until))})</span>` : ''}</li>`)
        .join('')}</ul>`
    : '';
  const warnings = g.warnings.length ? `<h2>Good to know first</h2><ul>${g.warnings.map((w) => `<li>${esc(w.message)}</li>`).join('')}</ul>` : '';
  const steps = `<h2>Steps</h2><ol>${g.steps.map((s) => `<li>${esc(s)}</li>`).join('')}</ol>`;
  // `caveats` opens with the warnings' messages (for API clients that read only the Contract's fields).
  const rest = g.caveats.slice(g.warnings.length);
  const caveats = rest.length ? `<h2>Caveats</h2><ul>${rest.map((c) => `<li>${esc(c)}</li>`).join('')}</ul>` : '';
  const sources = g.rules.length
    ? `<h2>Rules this rests on</h2><ul class="muted">${g.rules
        .map(
          (r) =>
            `<li>${esc(r.summary)} — <a href="${esc(r.source.url)}">${esc(r.source.policy)}${r.source.section ? `, ${esc(r.source.section)}` : ''}</a></li>`,
        )
        .join('')}</ul>`
    : '';
  const more = `<h2>More guidance</h2><ul>${topics.map((t) => `<li><a href="/guide/${esc(t.slug)}">${esc(t.title)}</a></li>`).join('')}</ul>`;
  return layout(
    `Moving ${name}`,
    `<h1>Moving ${esc(name)} to another registrar</h1>
<p class="muted">As of ${esc(day(at.toISOString()))}${g.registrar ? ` · registrar: ${esc(g.registrar)}` : ''}</p>
${verdict}${blockers}${warnings}${steps}${caveats}${sources}${more}`,
  );
}

export function notFoundPage(): string {
  return layout(
    'Not found',
    '<h1>This page does not exist</h1><p>The link may be mistyped, or it has been replaced. Ask the people who manage your domain names for a new one.</p><p><a href="/guide">All guidance</a></p>',
  );
}
