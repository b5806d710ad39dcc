// What the watch makes of two registry views and a date: which changes are alarms, which expiry
// reminder is due. Pure functions and tables, tested in watch-rules.spec.ts.
import type { RegistryView } from './rdap-record';

export const WATCH_EVENT_KINDS = [
  'expiry_reminder',
  'expired',
  'registrar_changed',
  'transfer_lock_removed',
  'pending_transfer',
  'pending_delete',
  'nameservers_changed',
  'registry_error',
] as const;
export type WatchEventKind = (typeof WATCH_EVENT_KINDS)[number];

/** Kinds that are alarms: to the client's contacts and staff at once, in urgent words. */
export const ALERT_KINDS: readonly WatchEventKind[] = [
  'expired',
  'registrar_changed',
  'transfer_lock_removed',
  'pending_transfer',
  'pending_delete',
  'nameservers_changed',
];

export interface Change {
  kind: WatchEventKind;
  before: unknown;
  after: unknown;
}

const TRANSFER_LOCKS = ['clientTransferProhibited', 'serverTransferProhibited'];
const DELETE_STAGES = ['pendingDelete', 'redemptionPeriod'];

const has = (v: RegistryView, codes: string[]) => codes.some((c) => v.statuses.includes(c));
const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

/**
 * The alarms between the last successful view and this one, one per rule that fires. A rule is
 * a row: what changed, and the values before and after that the event records.
 */
const RULES: { kind: WatchEventKind; fires: (b: RegistryView, a: RegistryView) => boolean; values: (v: RegistryView) => unknown }[] = [
  {
    kind: 'registrar_changed',
    fires: (b, a) =>
      b.registrarIanaId !== null && a.registrarIanaId !== null
        ? b.registrarIanaId !== a.registrarIanaId
        : !!b.registrarName && !!a.registrarName && b.registrarName.toLowerCase() !== a.registrarName.toLowerCase(),
    values: (v) => ({ registrarName: v.registrarName, registrarIanaId: v.registrarIanaId }),
  },
  {
    kind: 'transfer_lock_removed',
    fires: (b, a) => TRANSFER_LOCKS.some((c) => b.statuses.includes(c) && !a.statuses.includes(c)),
    values: (v) => ({ statuses: v.statuses }),
  },
  {
    kind: 'pending_transfer',
    fires: (b, a) => !b.statuses.includes('pendingTransfer') && a.statuses.includes('pendingTransfer'),
    values: (v) => ({ statuses: v.statuses }),
  },
  { kind: 'pending_delete', fires: (b, a) => !has(b, DELETE_STAGES) && has(a, DELETE_STAGES), values: (v) => ({ statuses: v.statuses }) },
  { kind: 'nameservers_changed', fires: (b, a) => !sameSet(b.nameservers, a.nameservers), values: (v) => ({ nameservers: v.nameservers }) },
];

/** The alarms between two successful checks; the first check (no `before`) is the baseline and raises none. */
export function changesBetween(before: RegistryView | null, after: RegistryView): Change[] {
  if (!before) return [];
  return RULES.filter((r) => r.fires(before, after)).map((r) => ({ kind: r.kind, before: r.values(before), after: r.values(after) }));
}

const DAY_MS = 86_400_000;

/** How long after the expiry date an `expired` alert is still worth sending (past it the name is gone: ERRP's 30 days of redemption and 5 of pending delete). */
export const EXPIRED_ALERT_WINDOW_DAYS = 45;

/**
 * What the expiry date calls for now: the reminder of the nearest threshold already reached (a
 * threshold passed while Aster was not watching is not sent late), or `expired` once the date
 * has passed, or nothing. `days` is EXPIRY_REMINDER_DAYS.
 */
export function expiryDue(
  expiresAt: Date,
  now: Date,
  days: readonly number[],
): { kind: 'expiry_reminder'; threshold: number; daysLeft: number } | { kind: 'expired' } | null {
  const left = (expiresAt.getTime() - now.getTime()) / DAY_MS;
  if (left <= 0) return -left <= EXPIRED_ALERT_WINDOW_DAYS ? { kind: 'expired' } : null;
  const reached = days.filter((d) => left <= d);
  if (reached.length === 0) return null;
  return { kind: 'expiry_reminder', threshold: Math.min(...reached), daysLeft: Math.ceil(left) };
}

/** Once per domain, threshold and expiry date: a renewal moves the date and re-arms every threshold. */
export function dedupeKey(domainId: string, due: { kind: 'expiry_reminder'; threshold: number } | { kind: 'expired' }, expiresAt: Date): string {
  const day = expiresAt.toISOString().slice(0, 10);
  return due.kind === 'expired' ? `expired:${domainId}:${day}` : `expiry_reminder:${domainId}:${due.threshold}:${day}`;
}
