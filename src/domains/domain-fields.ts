// Reads a domain's dates, EPP statuses and name servers — from a JSON body or a CSV row alike —
// into their stored form, naming each bad value by its path (`expiresAt`, `statuses.2`).
import type { FieldError } from '../common/errors';
import { parseDomainName, parseHostName } from './domain-name';
import { canonicalEppStatus } from './epp-status';
import type { DomainName } from './domain-name';

export const DATE_FIELDS = ['registeredAt', 'expiresAt', 'lastTransferredAt', 'registrantChangedAt'] as const;
export type DateField = (typeof DATE_FIELDS)[number];

/** Plausible years: the first domain was registered in 1985, and no registry sells a century ahead. */
const YEARS = { min: 1985, max: 2199 };

// A calendar date, optionally with a time and a UTC offset (ISO 8601 / RFC 3339, `T` or a space).
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

/**
 * The instant an ISO 8601 date names, or undefined when it is not a real date. A date alone
 * (`2026-03-01`) is midnight UTC; a date-time without an offset is taken as UTC too, because
 * registries publish their dates in UTC.
 */
export function parseIsoDate(value: string): Date | undefined {
  const m = ISO_DATE.exec(value.trim());
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  const millis = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  if (year < YEARS.min || year > YEARS.max || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  const midnight = new Date(Date.UTC(year, month - 1, day));
  if (midnight.getUTCMonth() !== month - 1 || midnight.getUTCDate() !== day) return undefined; // 2026-02-30
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone && zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const [oh, om] = [Number(digits.slice(0, 2)), Number(digits.slice(2) || 0)];
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  return new Date(midnight.getTime() + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 + millis);
}

/** The ASCII and Unicode forms of a domain name given in `field`, or the reason it is refused. */
export function readDomainName(value: unknown, field = 'name'): { name?: DomainName; error?: FieldError } {
  if (typeof value !== 'string') return { error: { field, message: 'must be a domain name such as example.com' } };
  const checked = parseDomainName(value);
  return checked.ok ? { name: checked.name } : { error: { field, message: checked.reason } };
}

/** Values as they arrive: strings (JSON or CSV); null clears a field, undefined leaves it alone. */
export interface DomainFieldsInput {
  registeredAt?: string | null;
  expiresAt?: string | null;
  lastTransferredAt?: string | null;
  registrantChangedAt?: string | null;
  statuses?: string[] | null;
  nameservers?: string[] | null;
}

/** The same fields in stored form; only the fields given in the input are present. */
export interface DomainFieldValues {
  registeredAt?: Date | null;
  expiresAt?: Date | null;
  lastTransferredAt?: Date | null;
  registrantChangedAt?: Date | null;
  statuses?: string[];
  nameservers?: string[];
}

export function readDomainFields(input: DomainFieldsInput): { values: DomainFieldValues; errors: FieldError[] } {
  const values: DomainFieldValues = {};
  const errors: FieldError[] = [];
  for (const field of DATE_FIELDS) {
    const raw = input[field];
    if (raw === undefined) continue;
    if (raw === null) {
      values[field] = null;
      continue;
    }
    const date = parseIsoDate(raw);
    if (date) values[field] = date;
    else errors.push({ field, message: `'${raw}' is not a date; use ISO 8601, e.g. 2026-03-01 or 2026-03-01T12:00:00Z` });
  }
  if (input.statuses !== undefined) {
    values.statuses = readList(
      input.statuses,
      'statuses',
      canonicalEppStatus,
      (raw) => `'${raw}' is not an EPP status code (RFC 5731/3915), e.g. clientTransferProhibited`,
      errors,
    );
  }
  if (input.nameservers !== undefined) {
    values.nameservers = readList(input.nameservers, 'nameservers', parseHostName, (raw) => `'${raw}' is not a host name such as ns1.example.net`, errors);
  }
  if (values.registeredAt && values.expiresAt) {
    const order = checkDateOrder(values.registeredAt, values.expiresAt);
    if (order) errors.push(order);
  }
  return { values, errors };
}

/** expiresAt must come after registeredAt; checked on the record as it will be after a change. */
export function checkDateOrder(registeredAt: Date | null, expiresAt: Date | null): FieldError | undefined {
  if (!registeredAt || !expiresAt || expiresAt.getTime() > registeredAt.getTime()) return undefined;
  return {
    field: 'expiresAt',
    message: `must be after registeredAt (${registeredAt.toISOString()}), got ${expiresAt.toISOString()}`,
  };
}

/** Splits a CSV cell holding several values, separated by spaces, `;`, `|` or commas. */
export function splitList(cell: string): string[] {
  return cell.split(/[\s;|,]+/).filter((v) => v !== '');
}

function readList(
  raw: string[] | null,
  field: string,
  read: (value: string) => string | undefined,
  complaint: (value: string) => string,
  errors: FieldError[],
): string[] {
  const out: string[] = [];
  (raw ?? []).forEach((value, index) => {
    const canonical = read(value);
    if (canonical === undefined) errors.push({ field: `${field}.${index}`, message: complaint(value) });
    else if (!out.includes(canonical)) out.push(canonical);
  });
  return out;
}
