// The audit log (staff and admin, as GET /api/audit) and the tokens page (admin only, as
// /api/tokens): make a token (its secret shown this once), revoke one.
import type { Actor } from '../../auth/actor';
import { ROLES } from '../../auth/api-token.entity';
import { html } from '../../mail/notices/html';
import { csrfField, errorNotice, flash, moment, page, withQuery } from './layout';

export interface AuditRow {
  id: string;
  at: Date;
  actor: string;
  action: string;
  entityType: string;
  entityId: string | null;
  before: object | null;
  after: object | null;
}

const LINKS: Record<string, (id: string) => string> = {
  domain: () => '',
  client: (id) => `/console/clients/${id}`,
  message: (id) => `/console/messages/${id}`,
};

export function auditPage(v: { items: AuditRow[]; total: number; page: number; limit: number; entityType?: string }, actor: Actor, csrf: string): string {
  const pages = Math.max(1, Math.ceil(v.total / v.limit));
  return page(
    { title: 'Audit log', actor, csrf, current: 'audit' },
    html`<h1>Audit log</h1>
<form class="filters" method="get" action="/console/audit" role="search" aria-label="Filter the audit log">
  <div><label for="entityType">Record type</label><input id="entityType" name="entityType" value="${v.entityType ?? ''}"></div>
  <div><button type="submit">Filter</button></div>
</form>
<p role="status">${v.total} change${v.total === 1 ? '' : 's'}, newest first.</p>
<div class="table-wrap" tabindex="0" role="region" aria-label="Table; scrolls sideways on a narrow screen"><table>
  <caption>Every change, who made it and what it was</caption>
  <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Record</th><th scope="col">Change</th></tr></thead>
  <tbody>${v.items.map((e) => {
    const link = e.entityId ? LINKS[e.entityType]?.(e.entityId) : '';
    return html`<tr><td>${moment(e.at)}</td><td>${e.actor}</td><td>${e.action}</td>
      <td class="wrap">${e.entityType} ${link ? html`<a href="${link}">${e.entityId}</a>` : (e.entityId ?? '')}</td>
      <td class="wrap"><details><summary>before and after</summary><pre class="original">${JSON.stringify({ before: e.before, after: e.after }, null, 2)}</pre></details></td></tr>`;
  })}</tbody>
</table></div>
<nav class="pager" aria-label="Pages">
  ${v.page > 1 ? html`<a href="${withQuery('/console/audit', { entityType: v.entityType, page: v.page - 1 })}" rel="prev">Previous page</a>` : ''}
  ${v.page < pages ? html`<a href="${withQuery('/console/audit', { entityType: v.entityType, page: v.page + 1 })}" rel="next">Next page</a>` : ''}
</nav>`,
  );
}

export interface TokenRow {
  id: string;
  name: string | null;
  role: string;
  clientId: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export function tokensPage(
  v: {
    tokens: TokenRow[];
    clients: { id: string; name: string }[];
    created?: { token: string; role: string; name: string | null };
    error?: string;
    revoked?: boolean;
  },
  actor: Actor,
  csrf: string,
): string {
  const clientName = (id: string | null) => (id ? (v.clients.find((c) => c.id === id)?.name ?? id) : '');
  return page(
    { title: 'Tokens', actor, csrf, current: 'tokens' },
    html`<h1>API tokens</h1>
${
  v.created
    ? html`<div class="notice" role="status"><p>The new ${v.created.role} token${v.created.name ? ` “${v.created.name}”` : ''} — copy it now, it is not shown again:</p>
  <p><label for="new-token">Token</label><input id="new-token" readonly value="${v.created.token}" size="60"></p></div>`
    : ''
}
${flash(v.revoked ? 'Revoked. Its console sessions have ended.' : undefined)}
${errorNotice(v.error)}
<section aria-labelledby="new-h"><h2 id="new-h">Make a token</h2>
<form method="post" action="/console/tokens">
  ${csrfField(csrf)}
  <div class="field"><label for="t-role">Role</label><select id="t-role" name="role">${ROLES.map((r) => html`<option value="${r}"${r === 'staff' ? html` selected` : ''}>${r}</option>`)}</select></div>
  <div class="field"><label for="t-client">Client (client tokens only)</label><select id="t-client" name="clientId"><option value="">—</option>${v.clients.map((c) => html`<option value="${c.id}">${c.name}</option>`)}</select></div>
  <div class="field"><label for="t-name">Name</label><input id="t-name" name="name" maxlength="200" aria-describedby="t-name-hint"><p class="hint" id="t-name-hint">Who or what uses it, e.g. “Mia (staff laptop)”.</p></div>
  <button type="submit">Make the token</button>
</form></section>
<section aria-labelledby="list-h"><h2 id="list-h">Tokens</h2>
<div class="table-wrap" tabindex="0" role="region" aria-label="Table; scrolls sideways on a narrow screen"><table>
  <caption>Every token, newest first</caption>
  <thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Made</th><th scope="col">Last used</th><th scope="col">State</th></tr></thead>
  <tbody>${v.tokens.map(
    (k) => html`<tr><td class="wrap">${k.name ?? k.id}</td><td>${k.role}${k.clientId ? html`<br><small>${clientName(k.clientId)}</small>` : ''}</td>
      <td>${moment(k.createdAt)}</td><td>${moment(k.lastUsedAt)}</td>
      <td>${
        k.revokedAt
          ? html`revoked ${moment(k.revokedAt)}`
          : html`<form method="post" action="/console/tokens/${k.id}/revoke">${csrfField(csrf)}<button type="submit" class="danger" aria-label="Revoke ${k.name ?? k.id}">Revoke</button></form>`
      }</td></tr>`,
  )}</tbody>
</table></div></section>`,
  );
}
