// Reading an RDAP domain record (RFC 9083) into what Aster keeps of it: registrar, dates, EPP
// statuses and nameservers. Pure functions over parsed JSON; the client (rdap-client.ts) fetches.
import { canonicalEppStatus } from '../domains/epp-status';

/** What one RDAP domain record (a registry's or a registrar's) says. */
export interface RdapDomainFacts {
  ldhName: string | null;
  registrar: { name: string | null; ianaId: number | null } | null;
  events: {
    registration: Date | null;
    expiration: Date | null;
    /** ICANN gTLD RDAP profile: the date the registrar has the domain paid until. */
    registrarExpiration: Date | null;
    lastChanged: Date | null;
    transfer: Date | null;
  };
  /** EPP form (RFC 8056 mapping); RDAP-only values (e.g. `associated`) are left out. */
  statuses: string[];
  /** Lowercase, sorted, without a trailing dot. */
  nameservers: string[];
  /** The registrar's RDAP record of the domain (`rel: related`, RDAP type), when the registry links it. */
  registrarUrl: string | null;
}

/** The answer is no RDAP domain record at all (HTML, an error object, some other object class). */
export class NotADomainRecord extends Error {}

/**
 * RDAP status values (RFC 8056 §2) in EPP form. Each RDAP value is the EPP code split into lower
 * case words, except `active` for `ok`; the table is the few that do not follow that rule.
 */
const RDAP_TO_EPP: Record<string, string> = {
  active: 'ok',
  'add period': 'addPeriod',
  'auto renew period': 'autoRenewPeriod',
  'renew period': 'renewPeriod',
  'transfer period': 'transferPeriod',
  'redemption period': 'redemptionPeriod',
  'pending restore': 'pendingRestore',
};

/** `client transfer prohibited` → `clientTransferProhibited`, `active` → `ok`; undefined for RDAP-only values. */
export function eppStatus(rdap: string): string | undefined {
  const words = rdap.trim().toLowerCase().replace(/\s+/g, ' ');
  if (RDAP_TO_EPP[words]) return RDAP_TO_EPP[words];
  const camel = words.replace(/ ([a-z])/g, (_m, c: string) => c.toUpperCase());
  return canonicalEppStatus(camel);
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function date(v: unknown): Date | null {
  if (typeof v !== 'string') return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The `fn` (formatted name) of a jCard (RFC 7095), or null. */
function vcardName(entity: Json): string | null {
  const card = entity.vcardArray;
  if (!Array.isArray(card) || !Array.isArray(card[1])) return null;
  for (const prop of card[1] as unknown[]) {
    if (Array.isArray(prop) && prop[0] === 'fn' && typeof prop[3] === 'string' && prop[3].trim()) return prop[3].trim();
  }
  return null;
}

function registrarOf(record: Json): RdapDomainFacts['registrar'] {
  const entities = Array.isArray(record.entities) ? record.entities.filter(isObject) : [];
  const entity = entities.find((e) => Array.isArray(e.roles) && e.roles.includes('registrar'));
  if (!entity) return null;
  const ids = Array.isArray(entity.publicIds) ? entity.publicIds.filter(isObject) : [];
  const iana = ids.find((p) => typeof p.type === 'string' && p.type.toLowerCase() === 'iana registrar id');
  const ianaId = iana && /^\d+$/.test(String(iana.identifier).trim()) ? Number(String(iana.identifier).trim()) : null;
  const name = vcardName(entity) ?? (typeof entity.handle === 'string' && !/^\d+$/.test(entity.handle) ? entity.handle : null);
  return { name, ianaId };
}

function eventsOf(record: Json): RdapDomainFacts['events'] {
  const events: RdapDomainFacts['events'] = { registration: null, expiration: null, registrarExpiration: null, lastChanged: null, transfer: null };
  const keys: Record<string, keyof RdapDomainFacts['events']> = {
    registration: 'registration',
    expiration: 'expiration',
    'registrar expiration': 'registrarExpiration',
    'last changed': 'lastChanged',
    transfer: 'transfer',
  };
  for (const e of Array.isArray(record.events) ? record.events.filter(isObject) : []) {
    const key = typeof e.eventAction === 'string' ? keys[e.eventAction.trim().toLowerCase()] : undefined;
    const when = date(e.eventDate);
    // Several events of one kind (a domain transferred twice): the latest counts.
    if (key && when && (!events[key] || when > events[key])) events[key] = when;
  }
  return events;
}

function registrarLink(record: Json): string | null {
  for (const l of Array.isArray(record.links) ? record.links.filter(isObject) : []) {
    if (l.rel !== 'related' || typeof l.href !== 'string' || !/^https?:\/\//i.test(l.href)) continue;
    // Some registries link HTML pages as `related` too (.co, CentralNic): only an RDAP record counts.
    const type = typeof l.type === 'string' ? l.type.toLowerCase() : '';
    if (type.includes('application/rdap+json') || (type === '' && /\/domain\/[^/]+$/i.test(l.href))) return l.href;
  }
  return null;
}

/** Reads a parsed RDAP answer; throws NotADomainRecord when it is not a domain object. */
export function readDomainRecord(json: unknown): RdapDomainFacts {
  if (
    !isObject(json) ||
    (json.objectClassName !== undefined && json.objectClassName !== 'domain') ||
    (json.objectClassName === undefined && typeof json.ldhName !== 'string')
  ) {
    throw new NotADomainRecord('the answer is not an RDAP domain object');
  }
  const statuses = Array.isArray(json.status) ? json.status.filter((s): s is string => typeof s === 'string') : [];
  const nameservers = Array.isArray(json.nameservers) ? json.nameservers.filter(isObject) : [];
  return {
    ldhName: typeof json.ldhName === 'string' ? json.ldhName.toLowerCase() : null,
    registrar: registrarOf(json),
    events: eventsOf(json),
    statuses: [...new Set(statuses.map(eppStatus).filter((s): s is string => !!s))].sort(),
    nameservers: [...new Set(nameservers.map((n) => (typeof n.ldhName === 'string' ? n.ldhName.toLowerCase().replace(/\.$/, '') : '')).filter(Boolean))].sort(),
    registrarUrl: registrarLink(json),
  };
}

/** The registry's view of a domain, as the domain JSON carries it (`registry`). */
export interface RegistryView {
  checkedAt: string;
  /** The registry's RDAP URL that was asked. */
  source: string | null;
  registrarIanaId: number | null;
  registrarName: string | null;
  expiresAt: string | null;
  registeredAt: string | null;
  lastChangedAt: string | null;
  lastTransferredAt: string | null;
  statuses: string[];
  nameservers: string[];
  /** Why the last check failed; the other fields are then those of the last successful check. */
  error: string | null;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/**
 * One view from the registry's record and, when read, the registrar's. The registrar's `registrar
 * expiration` wins over the registry's `expiration`: a registry auto-renews a domain for a year
 * when it expires, whether or not the registrar has renewed it with its customer.
 */
export function mergeView(registry: RdapDomainFacts, registrar: RdapDomainFacts | null, source: string, checkedAt: Date): RegistryView {
  const expires =
    registrar?.events.registrarExpiration ?? registry.events.registrarExpiration ?? registry.events.expiration ?? registrar?.events.expiration ?? null;
  const who = registry.registrar ?? registrar?.registrar ?? null;
  return {
    checkedAt: checkedAt.toISOString(),
    source,
    registrarIanaId: who?.ianaId ?? registrar?.registrar?.ianaId ?? null,
    registrarName: who?.name ?? registrar?.registrar?.name ?? null,
    expiresAt: iso(expires),
    registeredAt: iso(registry.events.registration ?? registrar?.events.registration),
    lastChangedAt: iso(registry.events.lastChanged),
    lastTransferredAt: iso(registry.events.transfer ?? registrar?.events.transfer),
    statuses: registry.statuses.length ? registry.statuses : (registrar?.statuses ?? []),
    nameservers: registry.nameservers.length ? registry.nameservers : (registrar?.nameservers ?? []),
    error: null,
  };
}
