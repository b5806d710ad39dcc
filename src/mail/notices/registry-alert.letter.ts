// The registry watch's letters (issue 13): an urgent alarm when the registry shows a change nobody
// may have asked for (registrar, transfer lock, pending transfer or delete, nameservers, expiry
// passed), and the reminder before expiry; for staff, the same alarm, or a digest of reminders.
import type { NoticeDomain, NoticeSettings, Recipient } from './compose';
import { formatDate } from './dates';
import { html, link } from './html';
import { composeLetter } from './letter';
import { heading, wrap } from './plain-text';
import { facts, footer, h1, letterBody, paragraphs, steps, type Section } from './sections';

/** One watch event the letter tells of (src/watch/watch-event.entity.ts). */
export interface WatchLetterEvent {
  kind: string;
  domain: NoticeDomain;
  before: unknown;
  after: unknown;
  detail: string | null;
}

export interface WatchLetterInput {
  letterId: string;
  to: Recipient;
  /** The client's name; null for a letter to staff. */
  clientName: string | null;
  events: WatchLetterEvent[];
}

const WHY_WATCHED =
  'You receive this because your web host watches your domain names at their registries every day and tells you at once when something changes that could take a domain away from you.';
const WHY_STAFF = "Aster's registry watch sends this to STAFF_EMAIL.";

const IF_NOT_YOU = [
  'If you asked for this (or we told you it would happen), there is nothing to do.',
  'If you did not ask for it, reply to this e-mail or call us today: we will contact the registrar at once. The sooner, the more can be undone.',
  'Do not give anyone a transfer code (auth code), and do not approve any transfer you did not ask for.',
];

/** What each alarm says: its subject, what the registry shows, and what to do. Rules are data. */
const ALARMS: Record<string, { subject: string; what: (e: WatchLetterEvent) => string; steps: string[] }> = {
  registrar_changed: {
    subject: 'URGENT: the registrar of this domain has changed',
    what: (e) =>
      `The registry now shows ${registrarOf(e.after)} as the registrar of ${name(e)}; at our last check it was ${registrarOf(e.before)}. A domain moves to another registrar only by a transfer.`,
    steps: IF_NOT_YOU,
  },
  transfer_lock_removed: {
    subject: 'URGENT: the transfer lock of this domain was removed',
    what: (e) =>
      `The registry no longer shows a transfer lock on ${name(e)}. Without the lock, anyone holding its transfer code can move it to another registrar.`,
    steps: IF_NOT_YOU,
  },
  pending_transfer: {
    subject: 'URGENT: a transfer of this domain is under way',
    what: (e) =>
      `The registry shows a transfer of ${name(e)} to another registrar under way (pendingTransfer). Unless it is refused, a transfer completes by itself within five days.`,
    steps: IF_NOT_YOU,
  },
  pending_delete: {
    subject: 'URGENT: this domain is about to be deleted',
    what: (e) =>
      `The registry shows ${name(e)} in ${statusesOf(e.after)}: it has been deleted at the registrar and can only be restored (at a restore fee) for a short time, after which anyone may register it.`,
    steps: [
      'Reply to this e-mail or call us today if you want to keep this domain: we will ask the registrar to restore it.',
      'If you meant to let it go, there is nothing to do.',
    ],
  },
  nameservers_changed: {
    subject: 'URGENT: the nameservers of this domain have changed',
    what: (e) =>
      `The registry now delegates ${name(e)} to ${listOf(e.after, 'nameservers')}; at our last check it was ${listOf(e.before, 'nameservers')}. Nameservers decide where the website and e-mail of the domain go.`,
    steps: IF_NOT_YOU,
  },
  expired: {
    subject: 'URGENT: this domain has expired',
    what: (e) =>
      `${name(e)} expired on ${dateOf(e.after)} and has not been renewed. For most domains the registrar keeps it for a grace period (often 30 to 45 days), then the registry holds it for 30 days of redemption, when a restore costs extra, and then anyone may register it.`,
    steps: ['Reply to this e-mail or call us today if you want to keep this domain: we will renew it.', 'If you meant to let it go, there is nothing to do.'],
  },
};

const name = (e: WatchLetterEvent) => e.domain.unicodeName || e.domain.name;
const obj = (v: unknown) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});
function registrarOf(v: unknown): string {
  const o = obj(v);
  const who = typeof o.registrarName === 'string' ? o.registrarName : 'an unknown registrar';
  return typeof o.registrarIanaId === 'number' ? `${who} (IANA id ${o.registrarIanaId})` : who;
}
function listOf(v: unknown, key: string): string {
  const list = obj(v)[key];
  return Array.isArray(list) && list.length ? list.join(', ') : 'none';
}
const statusesOf = (v: unknown) => listOf(v, 'statuses');
function dateOf(v: unknown): string {
  const at = obj(v).expiresAt;
  return typeof at === 'string' ? formatDate(new Date(at)) : 'an unknown date';
}

/** An event's before or after value in words (the registrar, statuses, nameservers or a date). */
function describe(v: unknown): string {
  const o = obj(v);
  if ('registrarName' in o || 'registrarIanaId' in o) return registrarOf(v);
  if ('statuses' in o) return statusesOf(v);
  if ('nameservers' in o) return listOf(v, 'nameservers');
  if ('expiresAt' in o) return `expires ${dateOf(v)}`;
  return '—';
}

function subjectOf(input: WatchLetterInput): string {
  const [first] = input.events;
  if (input.events.length > 1) return `[Aster] ${input.events.length} domain names expire soon`;
  if (first.kind === 'expiry_reminder') {
    const days = obj(first.after).daysLeft;
    return `[${name(first)}] Expires on ${dateOf(first.after)}${typeof days === 'number' ? `, in ${days} day${days === 1 ? '' : 's'}` : ''}`;
  }
  return `[${name(first)}] ${ALARMS[first.kind]?.subject ?? 'The registry shows a change'}`;
}

function reminderSections(e: WatchLetterEvent, forStaff: boolean): Section[] {
  const who = e.domain.registrar ? `${e.domain.registrar} (the registrar), through us` : 'us, at the registrar';
  return [
    paragraphs(undefined, [
      `${name(e)} expires on ${dateOf(e.after)}. It is renewed by ${who}.`,
      forStaff
        ? 'Check that it is set to renew, or renew it now.'
        : 'If you want to keep it, there is usually nothing to do: we renew it in time. If you want to let it go, or move it elsewhere, tell us before that date.',
    ]),
    facts([
      ['Domain', name(e)],
      ['Expires', dateOf(e.after)],
      ['Registrar', e.domain.registrar ?? 'unknown'],
    ]),
    paragraphs(undefined, [
      {
        html: html`What you can do with this domain, and how to move it: ${link(e.domain.guidanceUrl)}`,
        text: wrap(`What you can do with this domain, and how to move it: ${e.domain.guidanceUrl}`),
      },
    ]),
  ];
}

function alarmSections(e: WatchLetterEvent): Section[] {
  const alarm = ALARMS[e.kind] ?? { subject: 'The registry shows a change', what: () => `The registry shows a change to ${name(e)}.`, steps: IF_NOT_YOU };
  return [
    paragraphs(undefined, [alarm.what(e)]),
    steps('What to do', alarm.steps),
    facts([
      ['Domain', name(e)],
      ['At our last check', describe(e.before)],
      ['Now', describe(e.after)],
    ]),
    paragraphs(undefined, [
      { html: html`Guidance for this domain: ${link(e.domain.guidanceUrl)}`, text: wrap(`Guidance for this domain: ${e.domain.guidanceUrl}`) },
    ]),
  ];
}

export async function composeRegistryLetter(settings: NoticeSettings, input: WatchLetterInput): Promise<Buffer> {
  const subject = subjectOf(input);
  const forStaff = input.clientName === null;
  const title = subject.replace(/^\[[^\]]*\]\s*/, '');
  const intro: Section = {
    html: html`${h1(title)}<p style="margin:0 0 16px;">Hello ${input.to.name || 'there'},</p>\n`,
    text: `${heading(title, 1)}\n\n${wrap(`Hello ${input.to.name || 'there'},`)}`,
  };
  const body = input.events.flatMap((e) => [
    ...(input.events.length > 1 ? [paragraphs(name(e), [])] : []),
    ...(e.kind === 'expiry_reminder' ? reminderSections(e, forStaff) : alarmSections(e)),
  ]);
  const sections = [intro, ...body];
  const foot = footer(settings.staffEmail, forStaff ? WHY_STAFF : WHY_WATCHED);
  const kicker = forStaff ? 'Registry watch, for staff' : `Registry watch, for ${input.clientName}`;
  return composeLetter(settings, {
    to: input.to,
    subject,
    id: input.letterId,
    autoSubmitted: 'auto-generated',
    ...letterBody(title, kicker, sections, foot),
  });
}
