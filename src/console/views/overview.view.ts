// The overview: what needs a person now.
import type { Actor } from '../../auth/actor';
import { html } from '../../mail/notices/html';
import type { WatchEventView } from '../../watch/registry-watch.service';
import type { Overview } from '../console-queries';
import { day, moment, page, withQuery } from './layout';

export function overviewPage(o: Overview & { registryAlerts: WatchEventView[] }, actor: Actor, csrf: string): string {
  const held = o.heldByReason.reduce((n, r) => n + r.count, 0);
  return page(
    { title: 'Overview', actor, csrf, current: 'overview' },
    html`<h1>What needs a person now</h1>
<div class="cards">
  <section class="card" aria-labelledby="held-h">
    <h2 id="held-h">Held messages: ${held}</h2>
    ${
      o.heldByReason.length
        ? html`<ul>${o.heldByReason.map((r) => html`<li><a href="${withQuery('/console/messages', { status: 'held', holdReason: r.holdReason })}">${r.holdReason.replace(/_/g, ' ')}</a>: ${r.count}</li>`)}</ul>`
        : html`<p>Nothing is held.</p>`
    }
  </section>
  <section class="card" aria-labelledby="exp-h">
    <h2 id="exp-h">Expiring within 30 days: ${o.expiringCount}</h2>
    ${
      o.expiringSoon.length
        ? html`<ul>${o.expiringSoon.map((d) => html`<li><a href="/console/domains/${encodeURIComponent(d.name)}">${d.unicodeName}</a> — ${day(d.expiresAt)} (${d.clientName})</li>`)}</ul>
        <p><a href="${withQuery('/console/domains', { expiresBefore: day(new Date(Date.now() + 30 * 86_400_000)) })}">All of them</a></p>`
        : html`<p>None.</p>`
    }
  </section>
  <section class="card" aria-labelledby="fail-h">
    <h2 id="fail-h">Failed deliveries: ${o.failedCount}</h2>
    ${
      o.failedDeliveries.length
        ? html`<ul>${o.failedDeliveries.map(
            (d) =>
              html`<li>${d.email}: ${d.lastResponse ?? 'no answer recorded'} (${moment(d.at)})${d.messageId ? html` — <a href="/console/messages/${d.messageId}">${d.subject ?? 'the message'}</a>` : ''}</li>`,
          )}</ul>`
        : html`<p>None.</p>`
    }
  </section>
  <section class="card" aria-labelledby="sus-h">
    <h2 id="sus-h">Suspicious notices${o.suspicious ? html`: ${o.suspicious.length}${o.suspicious.length === 10 ? '+' : ''}` : ''}</h2>
    ${
      o.suspicious === null
        ? html`<p>Not available with this database schema yet.</p>`
        : o.suspicious.length
          ? html`<ul>${o.suspicious.map((m) => html`<li><a href="/console/messages/${m.id}">${m.subject ?? '(no subject)'}</a> from ${m.from ?? 'unknown'} — ${m.reasons.join('; ')}</li>`)}</ul>
          <p><a href="/console/messages?suspicious=true">All suspicious messages</a></p>`
          : html`<p>None.</p>`
    }
  </section>
  <section class="card" aria-labelledby="reg-h">
    <h2 id="reg-h">Registry alerts</h2>
    ${
      o.registryAlerts.length
        ? html`<ul>${o.registryAlerts.map((e) => html`<li>${moment(e.createdAt)}: <a href="/console/domains/${encodeURIComponent(e.domain)}">${e.domain}</a> — ${e.kind.replace(/_/g, ' ')}${e.detail ? html`: ${e.detail}` : ''}</li>`)}</ul>`
        : html`<p>None recently.</p>`
    }
  </section>
  <section class="card" aria-labelledby="setup-h">
    <h2 id="setup-h">Setting up</h2>
    <ul>
      <li>Contacts that never got a welcome letter: ${o.contactsNeverWelcomed}</li>
      <li>Domains no registrar mail has reached yet (addresses perhaps not switched over): <a href="${withQuery('/console/domains', { noticeSeen: 'false' })}">${o.neverNoticed}</a></li>
    </ul>
  </section>
</div>`,
  );
}
