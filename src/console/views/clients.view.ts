// Clients: the list and a client's page (contacts and domains).
import type { Actor } from '../../auth/actor';
import type { ClientDetailDto, ClientListItemDto } from '../../clients/dto/client-views';
import { html } from '../../mail/notices/html';
import { csrfField, flash, page, withQuery } from './layout';

export function clientsPage(v: { items: ClientListItemDto[]; total: number; page: number; limit: number; q?: string }, actor: Actor, csrf: string): string {
  const pages = Math.max(1, Math.ceil(v.total / v.limit));
  return page(
    { title: 'Clients', actor, csrf, current: 'clients' },
    html`<h1>Clients</h1>
<form class="filters" method="get" action="/console/clients" role="search" aria-label="Find clients">
  <div><label for="q">Name or contact e-mail</label><input id="q" name="q" type="search" value="${v.q ?? ''}"></div>
  <div><button type="submit">Find</button></div>
</form>
<p role="status">${v.total} client${v.total === 1 ? '' : 's'}.</p>
<div class="table-wrap" tabindex="0" role="region" aria-label="Table; scrolls sideways on a narrow screen"><table>
  <caption>Clients by name</caption>
  <thead><tr><th scope="col">Client</th><th scope="col">Contacts</th><th scope="col">Domains</th></tr></thead>
  <tbody>${v.items.length
    ? v.items.map(
        (c) => html`<tr><td><a href="/console/clients/${c.id}">${c.name}</a></td>
      <td class="wrap">${c.contacts.map((k, i) => html`${i ? html`<br>` : ''}${k.name} &lt;${k.email}&gt;`)}</td>
      <td><a href="${withQuery('/console/domains', { clientId: c.id })}">${c.domainCount}</a></td></tr>`,
      )
    : html`<tr><td colspan="3">No client matches.</td></tr>`}</tbody>
</table></div>
<nav class="pager" aria-label="Pages">
  ${v.page > 1 ? html`<a href="${withQuery('/console/clients', { q: v.q, page: v.page - 1 })}" rel="prev">Previous page</a>` : ''}
  ${v.page < pages ? html`<a href="${withQuery('/console/clients', { q: v.q, page: v.page + 1 })}" rel="next">Next page</a>` : ''}
</nav>`,
  );
}

export function clientPage(c: ClientDetailDto, actor: Actor, csrf: string, done?: string): string {
  return page(
    { title: c.name, actor, csrf, current: 'clients' },
    html`<h1>${c.name}</h1>
${flash(done)}
${c.notes ? html`<p>${c.notes}</p>` : ''}
<section aria-labelledby="k-h"><h2 id="k-h">Contacts</h2>
<div class="table-wrap" tabindex="0" role="region" aria-label="Table; scrolls sideways on a narrow screen"><table><caption>Who hears about this client's domains</caption>
<thead><tr><th scope="col">Name</th><th scope="col">E-mail</th><th scope="col">Receives notices</th></tr></thead>
<tbody>${c.contacts.map((k) => html`<tr><td>${k.name}</td><td class="wrap">${k.email}</td><td>${k.receivesNotices ? 'yes' : 'no'}</td></tr>`)}</tbody></table></div>
</section>
<section aria-labelledby="d-h"><h2 id="d-h">Domains (${c.domains.length})</h2>
${c.domains.length ? html`<ul>${c.domains.map((d) => html`<li><a href="/console/domains/${encodeURIComponent(d.name)}">${d.unicodeName}</a></li>`)}</ul>` : html`<p>None.</p>`}
<p><a href="${withQuery('/console/messages', { clientId: c.id })}">Messages about this client</a></p>
</section>
${actor.role === 'client'
  ? ''
  : html`<section aria-labelledby="w-h"><h2 id="w-h">Welcome letter</h2>
<form method="post" action="/console/clients/${c.id}/welcome">
  ${csrfField(csrf)}
  <p>Tells each contact that receives notices what Aster does for them, with the guidance link. Contacts already welcomed are skipped unless you tick below.</p>
  <div class="field checks"><label><input type="checkbox" name="force" value="true"> Send again to contacts already welcomed</label></div>
  <button type="submit">Send the welcome letter</button>
</form></section>`}`,
  );
}
