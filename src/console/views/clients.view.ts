// Clients: the list and a client's page (contacts and domains).
import type { Actor } from '../../auth/actor';
import type { ClientDetailDto, ClientListItemDto } from '../../clients/dto/client-views';
import { html } from '../../mail/notices/html';
import { csrfField, errorNotice, flash, page, withQuery } from './layout';

/** What a form sent, to fill it in again when the service refused it. */
export type FormValues = Record<string, string | undefined>;

export function clientsPage(
  v: { items: ClientListItemDto[]; total: number; page: number; limit: number; q?: string; error?: string; values?: FormValues },
  actor: Actor,
  csrf: string,
): string {
  const pages = Math.max(1, Math.ceil(v.total / v.limit));
  const f = v.values ?? {};
  return page(
    { title: 'Clients', actor, csrf, current: 'clients' },
    html`<h1>Clients</h1>
${errorNotice(v.error)}
<form class="filters" method="get" action="/console/clients" role="search" aria-label="Find clients">
  <div><label for="q">Name or contact e-mail</label><input id="q" name="q" type="search" value="${v.q ?? ''}"></div>
  <div><button type="submit">Find</button></div>
</form>
<p role="status">${v.total} client${v.total === 1 ? '' : 's'}.</p>
<div class="table-wrap" tabindex="0" role="region" aria-label="Table; scrolls sideways on a narrow screen"><table>
  <caption>Clients by name</caption>
  <thead><tr><th scope="col">Client</th><th scope="col">Contacts</th><th scope="col">Domains</th></tr></thead>
  <tbody>${
    v.items.length
      ? v.items.map(
          (c) => html`<tr><td><a href="/console/clients/${c.id}">${c.name}</a></td>
      <td class="wrap">${c.contacts.map((k, i) => html`${i ? html`<br>` : ''}${k.name} &lt;${k.email}&gt;`)}</td>
      <td><a href="${withQuery('/console/domains', { clientId: c.id })}">${c.domainCount}</a></td></tr>`,
        )
      : html`<tr><td colspan="3">No client matches.</td></tr>`
  }</tbody>
</table></div>
<nav class="pager" aria-label="Pages">
  ${v.page > 1 ? html`<a href="${withQuery('/console/clients', { q: v.q, page: v.page - 1 })}" rel="prev">Previous page</a>` : ''}
  ${v.page < pages ? html`<a href="${withQuery('/console/clients', { q: v.q, page: v.page + 1 })}" rel="next">Next page</a>` : ''}
</nav>
${
  actor.role === 'client'
    ? ''
    : html`<section aria-labelledby="new-h"><h2 id="new-h">New client</h2>
<form method="post" action="/console/clients">
  ${csrfField(csrf)}
  <div class="field"><label for="c-name">Client name</label><input id="c-name" name="name" required maxlength="200" value="${f.name ?? ''}"></div>
  <div class="field"><label for="c-notes">Notes</label><textarea id="c-notes" name="notes">${f.notes ?? ''}</textarea></div>
  <fieldset><legend>First contact (receives the registrar notices)</legend>
    <div class="field"><label for="c-contact">Name</label><input id="c-contact" name="contactName" required maxlength="200" value="${f.contactName ?? ''}"></div>
    <div class="field"><label for="c-email">E-mail</label><input id="c-email" name="contactEmail" type="email" required maxlength="254" value="${f.contactEmail ?? ''}"></div>
  </fieldset>
  <button type="submit">Add the client</button>
</form></section>`
}`,
  );
}

export function clientPage(c: ClientDetailDto, actor: Actor, csrf: string, done?: string, error?: string): string {
  const staff = actor.role !== 'client';
  return page(
    { title: c.name, actor, csrf, current: 'clients' },
    html`<h1>${c.name}</h1>
${flash(done)}
${errorNotice(error)}
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
${
  staff
    ? html`<section aria-labelledby="edit-h"><h2 id="edit-h">Edit the client</h2>
<form method="post" action="/console/clients/${c.id}">
  ${csrfField(csrf)}
  <div class="field"><label for="e-name">Client name</label><input id="e-name" name="name" required maxlength="200" value="${c.name}"></div>
  <div class="field"><label for="e-notes">Notes</label><textarea id="e-notes" name="notes">${c.notes ?? ''}</textarea></div>
  <button type="submit">Save the client</button>
</form></section>
<section aria-labelledby="add-h"><h2 id="add-h">Add a contact</h2>
<form method="post" action="/console/clients/${c.id}/contacts">
  ${csrfField(csrf)}
  <div class="field"><label for="k-name">Name</label><input id="k-name" name="name" required maxlength="200"></div>
  <div class="field"><label for="k-email">E-mail</label><input id="k-email" name="email" type="email" required maxlength="254"></div>
  <div class="field checks"><label><input type="checkbox" name="receivesNotices" value="true" checked> Receives the registrar notices</label></div>
  <button type="submit">Add the contact</button>
</form></section>`
    : ''
}
${
  actor.role === 'client'
    ? ''
    : html`<section aria-labelledby="w-h"><h2 id="w-h">Welcome letter</h2>
<form method="post" action="/console/clients/${c.id}/welcome">
  ${csrfField(csrf)}
  <p>Tells each contact that receives notices what Aster does for them, with the guidance link. Contacts already welcomed are skipped unless you tick below.</p>
  <div class="field checks"><label><input type="checkbox" name="force" value="true"> Send again to contacts already welcomed</label></div>
  <button type="submit">Send the welcome letter</button>
</form></section>`
}`,
  );
}
