// The message list (the held queue with ?status=held) and a message's page: its decision,
// deliveries and their attempts, the original as plain text (escaped, never rendered as HTML),
// the raw download, and the release and discard forms.
import type { Actor } from '../../auth/actor';
import { HOLD_REASONS, MESSAGE_STATUSES } from '../../mail/intake/inbound-message.entity';
import { html } from '../../mail/notices/html';
import { badge, csrfField, errorNotice, flash, moment, page, withQuery } from './layout';

export interface MessageSummary {
  id: string;
  from: string | null;
  subject: string | null;
  receivedAt: Date;
  status: string;
  holdReason: string | null;
  kind: string | null;
  suspicious: { reasons: string[] } | null;
  domains: string[];
}

export interface MessageListView {
  items: MessageSummary[];
  total: number;
  capped: boolean;
  page: number;
  limit: number;
  filters: { status?: string; holdReason?: string; domain?: string; clientId?: string; suspicious?: string };
}

export function messagesPage(v: MessageListView, actor: Actor, csrf: string): string {
  const f = v.filters;
  const held = f.status === 'held';
  const title = held ? 'Held queue' : 'Messages';
  const opt = (value: string, label: string, selected: boolean) => html`<option value="${value}"${selected ? html` selected` : ''}>${label}</option>`;
  const pages = Math.max(1, Math.ceil(v.total / v.limit));
  return page(
    { title, actor, csrf, current: held ? 'held' : 'messages' },
    html`<h1>${title}</h1>
<form class="filters" method="get" action="/console/messages" role="search" aria-label="Filter messages">
  <div><label for="status">Status</label><select id="status" name="status">${opt('', 'Any status', !f.status)}${MESSAGE_STATUSES.map((s) => opt(s, s, f.status === s))}</select></div>
  <div><label for="holdReason">Why held</label><select id="holdReason" name="holdReason">${opt('', 'Any reason', !f.holdReason)}${HOLD_REASONS.map((s) => opt(s, s.replace(/_/g, ' '), f.holdReason === s))}</select></div>
  <div><label for="domain">Domain</label><input id="domain" name="domain" value="${f.domain ?? ''}"></div>
  <div class="checks"><label><input type="checkbox" name="suspicious" value="true"${f.suspicious ? html` checked` : ''}> Suspicious only</label></div>
  ${f.clientId ? html`<input type="hidden" name="clientId" value="${f.clientId}">` : ''}
  <div><button type="submit">Filter</button></div>
</form>
<p role="status">${v.capped ? 'More than ' : ''}${v.total} message${v.total === 1 ? '' : 's'}, newest first.</p>
<div class="table-wrap" tabindex="0" role="region" aria-label="Table; scrolls sideways on a narrow screen">
<table>
  <caption>${title}</caption>
  <thead><tr><th scope="col">Received</th><th scope="col">Sender and subject</th><th scope="col">Kind</th><th scope="col">Domains</th><th scope="col">Decision</th></tr></thead>
  <tbody>
  ${
    v.items.length
      ? v.items.map(
          (m) => html`<tr>
    <td>${moment(m.receivedAt)}</td>
    <td class="wrap"><a href="/console/messages/${m.id}">${m.subject ?? '(no subject)'}</a><br><small>${m.from ?? '(no sender)'}</small></td>
    <td>${m.kind?.replace(/_/g, ' ') ?? '—'}${m.suspicious ? html`<br>${badge('suspicious')}` : ''}</td>
    <td class="wrap">${m.domains.length ? m.domains.join(', ') : 'none'}</td>
    <td>${badge(m.status)}${m.holdReason ? html`<br><small>${m.holdReason.replace(/_/g, ' ')}</small>` : ''}</td>
  </tr>`,
        )
      : html`<tr><td colspan="5">No message matches.</td></tr>`
  }
  </tbody>
</table>
</div>
<nav class="pager" aria-label="Pages">
  ${v.page > 1 ? html`<a href="${withQuery('/console/messages', { ...f, page: v.page - 1 })}" rel="prev">Previous page</a>` : ''}
  <span>Page ${v.page} of ${v.capped ? 'many' : pages}</span>
  ${v.page < pages ? html`<a href="${withQuery('/console/messages', { ...f, page: v.page + 1 })}" rel="next">Next page</a>` : ''}
</nav>`,
  );
}

export interface MessageView extends MessageSummary {
  messageId: string | null;
  decision: string | null;
  decisionReason: string | null;
  kindConfidence: number | null;
  kindEvidence: string[];
  clientIds: string[];
  envelope: { from: string; to: string[] };
  remoteAddress: string | null;
  size: number;
  deliveries: {
    email: string;
    form: string;
    status: string;
    attempts: number;
    lastResponse: string | null;
    attemptLog: { at: Date; outcome: string; response: string }[];
  }[];
}

export interface MessagePageView {
  message: MessageView;
  /** The original's text (plain), or why it is not shown. */
  text: { ok: true; value: string; truncated: boolean } | { ok: false; why: string };
  clients: { id: string; name: string }[];
  error?: string;
  done?: string;
}

export function messagePage(v: MessagePageView, actor: Actor, csrf: string): string {
  const m = v.message;
  const name = (id: string) => v.clients.find((c) => c.id === id)?.name ?? id;
  const canAct = actor.role !== 'client' && (m.status === 'held' || m.status === 'received');
  return page(
    { title: m.subject ?? 'Message', actor, csrf, current: m.status === 'held' ? 'held' : 'messages' },
    html`<h1>${m.subject ?? '(no subject)'}</h1>
${flash(v.done)}
${errorNotice(v.error)}
<section aria-labelledby="details-h">
<h2 id="details-h">Details</h2>
<dl class="record">
  <dt>From</dt><dd>${m.from ?? '—'}</dd>
  <dt>Received</dt><dd>${moment(m.receivedAt)}</dd>
  <dt>Envelope</dt><dd>${m.envelope.from || '<>'} → ${m.envelope.to.join(', ')}</dd>
  <dt>Sent from</dt><dd>${m.remoteAddress ?? '—'}</dd>
  <dt>Message-ID</dt><dd>${m.messageId ?? '—'}</dd>
  <dt>Kind</dt><dd>${m.kind?.replace(/_/g, ' ') ?? '—'}${m.kindConfidence !== null ? ` (confidence ${Math.round(m.kindConfidence * 100)}%)` : ''}${m.kindEvidence.length ? html`<br><small>${m.kindEvidence.join('; ')}</small>` : ''}</dd>
  <dt>Suspicious</dt><dd>${m.suspicious ? html`${badge('suspicious')} ${m.suspicious.reasons.join('; ')}` : 'no'}</dd>
  <dt>Domains</dt><dd>${m.domains.length ? m.domains.map((d, i) => html`${i ? ', ' : ''}<a href="/console/domains/${encodeURIComponent(d)}">${d}</a>`) : 'none tracked'}</dd>
  <dt>Clients</dt><dd>${m.clientIds.length ? m.clientIds.map((c, i) => html`${i ? ', ' : ''}<a href="/console/clients/${c}">${name(c)}</a>`) : 'none'}</dd>
  <dt>Status</dt><dd>${badge(m.status)}${m.holdReason ? html` — held: ${m.holdReason.replace(/_/g, ' ')}` : ''}</dd>
  <dt>Decision</dt><dd>${m.decision ?? '—'}${m.decisionReason ? html`<br><small>${m.decisionReason}</small>` : ''}</dd>
  <dt>Size</dt><dd>${m.size.toLocaleString('en')} bytes</dd>
</dl>
</section>
<section aria-labelledby="deliv-h">
<h2 id="deliv-h">Deliveries</h2>
${
  m.deliveries.length
    ? html`<div class="table-wrap" tabindex="0" role="region" aria-label="Table; scrolls sideways on a narrow screen"><table>
  <caption>Letters sent about this message, with every attempt</caption>
  <thead><tr><th scope="col">To</th><th scope="col">Form</th><th scope="col">Status</th><th scope="col">Attempts</th></tr></thead>
  <tbody>${m.deliveries.map(
    (
      d,
    ) => html`<tr><td class="wrap">${d.email}</td><td>${d.form}</td><td>${badge(d.status)}${d.lastResponse ? html`<br><small>${d.lastResponse}</small>` : ''}</td>
    <td>${d.attemptLog.length ? html`<ol>${d.attemptLog.map((a) => html`<li>${moment(a.at)}: ${a.outcome} — ${a.response}</li>`)}</ol>` : String(d.attempts)}</td></tr>`,
  )}</tbody></table></div>`
    : html`<p>No delivery.</p>`
}
</section>
${canAct ? actionForms(v, csrf) : ''}
<section aria-labelledby="orig-h">
<h2 id="orig-h">The original, as plain text</h2>
${
  v.text.ok
    ? html`<p class="hint">Shown as text only: no HTML is rendered, no image or link is loaded.${v.text.truncated ? ' Cut short; download the raw message for all of it.' : ''}</p>
<pre class="original" tabindex="0" aria-label="Text of the original message">${v.text.value}</pre>`
    : html`<p>${v.text.why}</p>`
}
${actor.role !== 'client' || v.text.ok ? html`<p><a href="/console/messages/${m.id}/raw" download="message-${m.id}.eml">Download the raw message (.eml)</a></p>` : ''}
</section>`,
  );
}

function actionForms(v: MessagePageView, csrf: string) {
  const m = v.message;
  const matched = m.clientIds;
  return html`<section aria-labelledby="act-h">
<h2 id="act-h">Decide</h2>
<div class="actions">
<form method="post" action="/console/messages/${m.id}/release">
  ${csrfField(csrf)}
  <fieldset class="checks">
    <legend>Release to</legend>
    ${matched.length === 0 ? html`<p class="hint">No tracked domain matched: choose the client(s) it is for.</p>` : ''}
    ${(matched.length ? v.clients.filter((c) => matched.includes(c.id)) : v.clients).map(
      (c) => html`<label><input type="checkbox" name="clientIds" value="${c.id}"${matched.includes(c.id) ? html` checked` : ''}> ${c.name}</label>`,
    )}
  </fieldset>
  <button type="submit">Release</button>
</form>
<form method="post" action="/console/messages/${m.id}/discard">
  ${csrfField(csrf)}
  <p>Discarding keeps the message for the record but sends it to nobody.</p>
  <button type="submit" class="danger">Discard</button>
</form>
</div>
</section>`;
}
