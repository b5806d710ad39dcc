// The frame of every console page: skip link, navigation (what the signed-in role may see), the
// sign-out form, and helpers the pages share (dates, badges, the hidden `_csrf` field, pagers).
import type { Actor } from '../../auth/actor';
import { html, type SafeHtml } from '../../mail/notices/html';

export interface Chrome {
  title: string;
  actor?: Actor | null;
  csrf?: string;
  /** The nav entry to mark as the current page. */
  current?: 'overview' | 'domains' | 'clients' | 'messages' | 'held' | 'audit' | 'tokens';
}

const NAV: { key: NonNullable<Chrome['current']>; href: string; label: string; adminOnly?: boolean; staffOnly?: boolean }[] = [
  { key: 'overview', href: '/console', label: 'Overview' },
  { key: 'domains', href: '/console/domains', label: 'Domains' },
  { key: 'clients', href: '/console/clients', label: 'Clients' },
  { key: 'messages', href: '/console/messages', label: 'Messages' },
  { key: 'held', href: '/console/messages?status=held', label: 'Held queue', staffOnly: true },
  { key: 'audit', href: '/console/audit', label: 'Audit log', staffOnly: true },
  { key: 'tokens', href: '/console/tokens', label: 'Tokens', adminOnly: true },
];

export function csrfField(csrf: string | undefined): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${csrf ?? ''}">`;
}

export function page(chrome: Chrome, body: SafeHtml): string {
  const actor = chrome.actor;
  const nav = actor ? NAV.filter((n) => (!n.adminOnly || actor.role === 'admin') && (!n.staffOnly || actor.role !== 'client')) : [];
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${chrome.title} · Aster console</title>
<link rel="stylesheet" href="/console/console.css">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <a class="brand" href="/console">Aster console</a>
  ${
    nav.length
      ? html`<nav aria-label="Console"><ul>${nav.map(
          (n) => html`<li><a href="${n.href}"${chrome.current === n.key ? html` aria-current="page"` : ''}>${n.label}</a></li>`,
        )}</ul></nav>`
      : ''
  }
  ${
    actor
      ? html`<div class="who"><span>Signed in: ${actor.label}</span>
      <form method="post" action="/console/logout">${csrfField(chrome.csrf)}<button type="submit">Sign out</button></form></div>`
      : ''
  }
</header>
<main id="main" tabindex="-1">
${body}
</main>
</body>
</html>`.value;
}

/** A date as YYYY-MM-DD (UTC), or an em dash. */
export function day(value: Date | string | null | undefined): string {
  if (!value) return '—';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? '—' : d.toISOString().slice(0, 10);
}

/** A moment as YYYY-MM-DD HH:MM UTC. */
export function moment(value: Date | string | null | undefined): string {
  if (!value) return '—';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? '—' : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function badge(text: string | null | undefined): SafeHtml {
  return text ? html`<span class="badge ${text.replace(/[^a-z_]/g, '')}">${text.replace(/_/g, ' ')}</span>` : html`—`;
}

/** A link with the query it is given, empty values left out. */
export function withQuery(path: string, query: Record<string, string | number | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

export function errorNotice(message: string | undefined): SafeHtml | '' {
  return message ? html`<div class="notice error" role="alert"><p>${message}</p></div>` : '';
}

export function flash(message: string | undefined): SafeHtml | '' {
  return message ? html`<div class="notice" role="status"><p>${message}</p></div>` : '';
}
