// The domain table (by expiry, filtered, paged) and a domain's page with its edit form.
import type { Actor } from '../../auth/actor';
import type { ClientDetailDto } from '../../clients/dto/client-views';
import { DOMAIN_STATES } from '../../domains/domain.entity';
import type { DomainDto } from '../../domains/dto/domain.dto';
import { html } from '../../mail/notices/html';
import type { WatchEventView } from '../../watch/registry-watch.service';
import type { DomainRow } from '../console-queries';
import { badge, csrfField, day, errorNotice, flash, moment, page } from './layout';

export interface DomainListView {
  rows: DomainRow[];
  total: number;
  nextHref: string | null;
  filters: { q?: string; clientId?: string; registrar?: string; expiresBefore?: string; state?: string; noticeSeen?: string };
  clients: { id: string; name: string }[];
  registrars: string[];
}

export function domainsPage(v: DomainListView, actor: Actor, csrf: string): string {
  const f = v.filters;
  const option = (value: string, label: string, selected: boolean) => html`<option value="${value}"${selected ? html` selected` : ''}>${label}</option>`;
  return page(
    { title: 'Domains', actor, csrf, current: 'domains' },
    html`<h1>Domains</h1>
<form class="filters" method="get" action="/console/domains" role="search" aria-label="Filter domains">
  <div><label for="q">Name contains</label><input id="q" name="q" type="search" value="${f.q ?? ''}"></div>
  ${
    actor.role === 'client'
      ? ''
      : html`<div><label for="clientId">Client</label><select id="clientId" name="clientId">${option('', 'Any client', !f.clientId)}${v.clients.map((c) => option(c.id, c.name, f.clientId === c.id))}</select></div>`
  }
  <div><label for="registrar">Registrar</label><select id="registrar" name="registrar">${option('', 'Any registrar', !f.registrar)}${v.registrars.map((r) => option(r, r, f.registrar === r))}</select></div>
  <div><label for="expiresBefore">Expiring before</label><input id="expiresBefore" name="expiresBefore" type="date" value="${f.expiresBefore ?? ''}"></div>
  <div><label for="state">Status</label><select id="state" name="state">${option('', 'Any status', !f.state)}${DOMAIN_STATES.map((s) => option(s, s.replace(/_/g, ' '), f.state === s))}</select></div>
  ${f.noticeSeen ? html`<input type="hidden" name="noticeSeen" value="${f.noticeSeen}">` : ''}
  <div><button type="submit">Filter</button></div>
</form>
<p role="status">${v.total} domain${v.total === 1 ? '' : 's'}${f.noticeSeen === 'false' ? ' that no registrar mail has reached yet' : ''}, soonest expiry first.</p>
<div class="table-wrap" tabindex="0" role="region" aria-label="Table; scrolls sideways on a narrow screen">
<table>
  <caption>Domains by expiry date</caption>
  <thead><tr><th scope="col">Domain</th><th scope="col">Expires</th><th scope="col">Client</th><th scope="col">Registrar</th><th scope="col">Status</th><th scope="col">Last registrar mail</th></tr></thead>
  <tbody>
  ${
    v.rows.length
      ? v.rows.map(
          (d) => html`<tr>
      <td class="wrap"><a href="/console/domains/${encodeURIComponent(d.name)}">${d.unicodeName}</a>${d.unicodeName !== d.name ? html`<br><small>${d.name}</small>` : ''}</td>
      <td>${day(d.expiresAt)}</td>
      <td>${d.clientName}</td>
      <td>${d.registrarName ?? '—'}</td>
      <td>${badge(d.state)}${d.statuses.length ? html`<br><small>${d.statuses.join(', ')}</small>` : ''}</td>
      <td>${d.lastNoticeAt ? day(d.lastNoticeAt) : 'never'}</td>
    </tr>`,
        )
      : html`<tr><td colspan="6">No domain matches.</td></tr>`
  }
  </tbody>
</table>
</div>
<nav class="pager" aria-label="Pages">
  ${v.nextHref ? html`<a href="${v.nextHref}" rel="next">Next page</a>` : ''}
  ${v.filters && Object.values(f).some(Boolean) ? html`<a href="/console/domains">Clear the filters</a>` : ''}
</nav>`,
  );
}

export interface DomainPageView {
  domain: DomainDto;
  client: ClientDetailDto | null;
  messages: {
    id: string;
    receivedAt: Date;
    from: string | null;
    subject: string | null;
    kind: string | null;
    status: string;
    holdReason: string | null;
    decisionReason: string | null;
    deliveries: { email: string; status: string; attempts: number; lastResponse: string | null }[];
  }[];
  clients: { id: string; name: string }[];
  events: WatchEventView[];
  error?: string;
  saved?: boolean;
}

export function domainPage(v: DomainPageView, actor: Actor, csrf: string): string {
  const d = v.domain;
  const canEdit = actor.role !== 'client';
  return page(
    { title: d.unicodeName, actor, csrf, current: 'domains' },
    html`<h1>${d.unicodeName}</h1>
${flash(v.saved ? 'Saved. The change is in the audit log.' : undefined)}
${errorNotice(v.error)}
<section aria-labelledby="rec-h">
<h2 id="rec-h">Record</h2>
<dl class="record">
  <dt>ASCII name</dt><dd>${d.name}</dd>
  <dt>Client</dt><dd>${v.client ? html`<a href="/console/clients/${v.client.id}">${v.client.name}</a>` : d.clientId}</dd>
  <dt>Registrar</dt><dd>${d.registrar ?? '—'}</dd>
  <dt>Registered</dt><dd>${day(d.registeredAt)}</dd>
  <dt>Expires</dt><dd>${day(d.expiresAt)}</dd>
  <dt>Last transferred</dt><dd>${day(d.lastTransferredAt)}</dd>
  <dt>Registrant changed</dt><dd>${day(d.registrantChangedAt)}</dd>
  <dt>Status</dt><dd>${badge(d.state)}</dd>
  <dt>EPP statuses</dt><dd>${d.statuses.length ? d.statuses.join(', ') : '—'}</dd>
  <dt>Name servers</dt><dd>${d.nameservers.length ? d.nameservers.join(', ') : '—'}</dd>
  <dt>Auto-renew</dt><dd>${d.autoRenew === null ? 'unknown' : d.autoRenew ? 'yes' : 'no'}</dd>
  <dt>Notice address</dt><dd>${d.noticeAddress}</dd>
  <dt>Last registrar mail</dt><dd>${d.lastNoticeAt ? moment(d.lastNoticeAt) : 'never — the registrar may still write to an old address'}</dd>
  <dt>Transfer guidance</dt><dd><a href="${d.guidanceUrl}">The client's guidance page for ${d.unicodeName}</a></dd>
  <dt>Notes</dt><dd>${d.notes ?? '—'}</dd>
</dl>
</section>
${registrySection(v)}
${
  v.client
    ? html`<section aria-labelledby="contacts-h"><h2 id="contacts-h">Contacts of ${v.client.name}</h2>
  <ul>${v.client.contacts.map((c) => html`<li>${c.name} &lt;${c.email}&gt;${c.receivesNotices ? ' — receives notices' : ' — no notices'}</li>`)}</ul></section>`
    : ''
}
<section aria-labelledby="msgs-h">
<h2 id="msgs-h">Messages about ${d.unicodeName}</h2>
${
  v.messages.length
    ? html`<div class="table-wrap" tabindex="0" role="region" aria-label="Table; scrolls sideways on a narrow screen"><table>
  <caption>Latest registrar mail naming this domain</caption>
  <thead><tr><th scope="col">Received</th><th scope="col">Subject</th><th scope="col">Kind</th><th scope="col">Decision</th><th scope="col">Deliveries</th></tr></thead>
  <tbody>${v.messages.map(
    (m) => html`<tr>
    <td>${moment(m.receivedAt)}</td>
    <td class="wrap"><a href="/console/messages/${m.id}">${m.subject ?? '(no subject)'}</a><br><small>${m.from ?? ''}</small></td>
    <td>${m.kind?.replace(/_/g, ' ') ?? '—'}</td>
    <td>${badge(m.status)}${m.holdReason ? html` (${m.holdReason.replace(/_/g, ' ')})` : ''}</td>
    <td>${m.deliveries.length ? html`<ul>${m.deliveries.map((x) => html`<li>${x.email}: ${badge(x.status)} after ${x.attempts} attempt(s)</li>`)}</ul>` : '—'}</td>
  </tr>`,
  )}</tbody></table></div>`
    : html`<p>No message has named this domain yet.</p>`
}
</section>
${canEdit ? editForm(v, csrf) : ''}`,
  );
}

/** The record beside what the registry (RDAP) said at the last check, and the watch's events. */
function registrySection(v: DomainPageView) {
  const d = v.domain;
  const r = d.registry;
  const list = (xs: string[]) => (xs.length ? xs.join(', ') : '—');
  const rows: [string, string, string][] = r
    ? [
        ['Expires', day(d.expiresAt), day(r.expiresAt)],
        ['Registrar', d.registrar ?? '—', r.registrarName ?? '—'],
        ['EPP statuses', list(d.statuses), list(r.statuses)],
        ['Name servers', list(d.nameservers), list(r.nameservers)],
      ]
    : [];
  return html`<section aria-labelledby="reg-h">
<h2 id="reg-h">Registry view</h2>
${
  r
    ? html`<p>Checked ${moment(r.checkedAt)}${r.source ? html` at ${r.source}` : ''}.${r.error ? html` The last check failed: ${r.error}` : ''}</p>
<div class="table-wrap" tabindex="0" role="region" aria-label="Table; scrolls sideways on a narrow screen"><table>
  <caption>The record beside the registry</caption>
  <thead><tr><th scope="col">Field</th><th scope="col">On record</th><th scope="col">Registry says</th></tr></thead>
  <tbody>${rows.map(([field, mine, theirs]) => html`<tr><th scope="row">${field}</th><td class="wrap">${mine}</td><td class="wrap">${theirs}${mine !== theirs ? html` ${badge('differs')}` : ''}</td></tr>`)}</tbody>
</table></div>`
    : html`<p>Not checked against the registry yet.</p>`
}
${
  v.events.length
    ? html`<h3>Registry events</h3><ul>${v.events.map((e) => html`<li>${moment(e.createdAt)}: ${e.kind.replace(/_/g, ' ')}${e.detail ? html` — ${e.detail}` : ''}</li>`)}</ul>`
    : ''
}
</section>`;
}

function editForm(v: DomainPageView, csrf: string) {
  const d = v.domain;
  const opt = (value: string, label: string, selected: boolean) => html`<option value="${value}"${selected ? html` selected` : ''}>${label}</option>`;
  const clients = v.clients.some((c) => c.id === d.clientId) ? v.clients : [{ id: d.clientId, name: v.client?.name ?? d.clientId }, ...v.clients];
  return html`<section aria-labelledby="edit-h">
<h2 id="edit-h">Edit the record</h2>
<form method="post" action="/console/domains/${encodeURIComponent(d.name)}">
  ${csrfField(csrf)}
  <div class="field"><label for="f-client">Client</label><select id="f-client" name="clientId">${clients.map((c) => opt(c.id, c.name, c.id === d.clientId))}</select></div>
  <div class="field"><label for="f-registrar">Registrar</label><input id="f-registrar" name="registrar" value="${d.registrar ?? ''}" aria-describedby="f-registrar-hint"><p class="hint" id="f-registrar-hint">Empty: no registrar on record. A new name adds the registrar.</p></div>
  <div class="field"><label for="f-registered">Registered on</label><input id="f-registered" name="registeredAt" type="date" value="${d.registeredAt ? day(d.registeredAt) : ''}"></div>
  <div class="field"><label for="f-expires">Expires on</label><input id="f-expires" name="expiresAt" type="date" value="${d.expiresAt ? day(d.expiresAt) : ''}"></div>
  <div class="field"><label for="f-transferred">Last transferred on</label><input id="f-transferred" name="lastTransferredAt" type="date" value="${d.lastTransferredAt ? day(d.lastTransferredAt) : ''}"></div>
  <div class="field"><label for="f-registrant">Registrant last changed on</label><input id="f-registrant" name="registrantChangedAt" type="date" value="${d.registrantChangedAt ? day(d.registrantChangedAt) : ''}"></div>
  <div class="field"><label for="f-optout">Registrant opted out of the 60-day lock at that change</label><select id="f-optout" name="registrantChangeOptOut">${opt('false', 'no', !d.registrantChangeOptOut)}${opt('true', 'yes', d.registrantChangeOptOut)}</select></div>
  <div class="field"><label for="f-state">Status</label><select id="f-state" name="state">${DOMAIN_STATES.map((s) => opt(s, s.replace(/_/g, ' '), s === d.state))}</select></div>
  <div class="field"><label for="f-statuses">EPP statuses</label><textarea id="f-statuses" name="statuses" aria-describedby="f-statuses-hint">${d.statuses.join('\n')}</textarea><p class="hint" id="f-statuses-hint">One per line, e.g. clientTransferProhibited.</p></div>
  <div class="field"><label for="f-ns">Name servers</label><textarea id="f-ns" name="nameservers" aria-describedby="f-ns-hint">${d.nameservers.join('\n')}</textarea><p class="hint" id="f-ns-hint">One per line.</p></div>
  <div class="field"><label for="f-renew">Auto-renew</label><select id="f-renew" name="autoRenew">${opt('', 'unknown', d.autoRenew === null)}${opt('true', 'yes', d.autoRenew === true)}${opt('false', 'no', d.autoRenew === false)}</select></div>
  <div class="field"><label for="f-notes">Notes</label><textarea id="f-notes" name="notes">${d.notes ?? ''}</textarea></div>
  <button type="submit">Save changes</button>
</form>
</section>`;
}
