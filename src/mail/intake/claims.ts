// Part of the classify stage (issue 13, item 6): what a notice claims about each tracked domain it
// names — the expiry date, the registrar it comes from, a transfer under way — set against what the
// registry says (the registry watch's last view). Mail says what registrars claim; the registry says
// what is true. Pure: the pipeline hands in the registry views it read.
import { datesNearDomains, formatDate } from '../notices/dates';
import type { NoticeKind } from './classify';

export type ClaimKind = 'expiresAt' | 'registrar' | 'transfer';
export type Verdict = 'agrees' | 'disagrees' | 'unknown';

/** One claim of a notice about one domain, and the registry's answer (`GET /api/messages/:id` `checks`). */
export interface ClaimCheck {
  domain: string;
  claim: ClaimKind;
  /** What the notice says: an ISO date, a registrar's name, `transfer requested`/`auth code issued`… */
  notice: string;
  /** What the registry says, or null when there was no fresh registry view. */
  registry: string | null;
  verdict: Verdict;
}

/** The registry's view of a domain as the registry watch keeps it (the fields the checks read). */
export interface RegistrySnapshot {
  registrarIanaId: number | null;
  registrarName: string | null;
  expiresAt: string | null;
  statuses: string[];
  lastTransferredAt: string | null;
}

export interface ClaimInput {
  kind: NoticeKind;
  text: string;
  /** Tracked domains (ASCII) the message names. */
  domains: string[];
  /** The registrar the message comes from, by its sender domain (a known registrar), or null. */
  sender: { name: string; ianaId: number | null } | null;
  /** The registry's fresh view of each domain; undefined: none (never checked, too old, failed). */
  registry: Map<string, RegistrySnapshot | undefined>;
}

/** Kinds whose dates speak of the domain's expiry. */
const EXPIRY_KINDS = new Set<NoticeKind>(['expiry_reminder', 'expired', 'renewal_confirmation']);
/** Kinds that say a transfer is asked for or prepared. */
const TRANSFER_KINDS = new Set<NoticeKind>(['transfer_request', 'auth_code']);
/** A date a day apart is the same expiry seen from another time zone. */
const DAY_MS = 24 * 60 * 60 * 1000;

const isoDay = (value: string) => value.slice(0, 10);

function sameRegistrar(sender: NonNullable<ClaimInput['sender']>, registry: RegistrySnapshot): boolean | undefined {
  if (sender.ianaId !== null && registry.registrarIanaId !== null) return sender.ianaId === registry.registrarIanaId;
  if (!registry.registrarName) return undefined;
  const simple = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .replace(/\b(inc|llc|ltd|sas|gmbh|se|ag|bv|srl|sa|corp|corporation|limited|d ?b ?a)\b/g, '')
      .trim();
  const a = simple(sender.name);
  const b = simple(registry.registrarName);
  // Names alone can confirm (`Gandi` and `GANDI SAS`) but not contradict: a reseller or a brand
  // writes under another name than the registrar's legal one.
  return a !== '' && b !== '' && (a.includes(b) || b.includes(a)) ? true : undefined;
}

/** The checks of one message: each claim it makes about each domain, with the registry's verdict. */
export function checkClaims(input: ClaimInput): ClaimCheck[] {
  const checks: ClaimCheck[] = [];
  for (const domain of input.domains) {
    const view = input.registry.get(domain);
    if (EXPIRY_KINDS.has(input.kind)) {
      const claimed = datesNearDomains(input.text, [domain]).find((d) => d.label === 'Expiry date');
      if (claimed) {
        const registry = view?.expiresAt ? isoDay(view.expiresAt) : null;
        const verdict: Verdict = registry === null ? 'unknown' : Math.abs(Date.parse(registry) - Date.parse(claimed.date)) <= DAY_MS ? 'agrees' : 'disagrees';
        checks.push({ domain, claim: 'expiresAt', notice: claimed.date, registry, verdict });
      }
    }
    if (input.sender) {
      const same = view ? sameRegistrar(input.sender, view) : undefined;
      checks.push({
        domain,
        claim: 'registrar',
        notice: input.sender.name,
        registry: view?.registrarName ?? null,
        verdict: same === undefined ? 'unknown' : same ? 'agrees' : 'disagrees',
      });
    }
    if (TRANSFER_KINDS.has(input.kind)) {
      const notice = input.kind === 'transfer_request' ? 'transfer requested' : 'auth code issued';
      if (!view) {
        checks.push({ domain, claim: 'transfer', notice, registry: null, verdict: 'unknown' });
        continue;
      }
      const pending = view.statuses.includes('pendingTransfer');
      const locked = view.statuses.some((s) => s === 'clientTransferProhibited' || s === 'serverTransferProhibited');
      const registry = pending ? 'pendingTransfer' : locked ? 'transfer lock on' : 'unlocked, no transfer pending';
      // A transfer request is confirmed by a pending transfer and contradicted by a lock (no transfer
      // can be pending then); an unlocked domain with none pending may be about to get one (the
      // gaining registrar writes before it asks the registry). An auth code is for a domain that
      // can move: unlocked, or already moving.
      const verdict: Verdict =
        input.kind === 'transfer_request' ? (pending ? 'agrees' : locked ? 'disagrees' : 'unknown') : pending || !locked ? 'agrees' : 'disagrees';
      checks.push({ domain, claim: 'transfer', notice, registry, verdict });
    }
  }
  return checks;
}

/** What a client is told when the registry disagrees, one sentence per check (forward and digest). */
export function disagreements(checks: readonly ClaimCheck[], ownDomains: readonly string[]): string[] {
  const own = new Set(ownDomains);
  const out: string[] = [];
  for (const c of checks) {
    if (c.verdict !== 'disagrees' || !own.has(c.domain) || c.registry === null) continue;
    if (c.claim === 'expiresAt') {
      out.push(`The registry says ${c.domain} expires on ${formatDate(c.registry)}, not ${formatDate(c.notice)} as this message says.`);
    } else if (c.claim === 'registrar') {
      out.push(`The registry says the registrar of ${c.domain} is ${c.registry}, not ${c.notice}, who sent this message.`);
    } else if (c.notice === 'transfer requested') {
      out.push(`The registry shows ${c.domain} locked against transfers, so no transfer can be under way, although this message speaks of one.`);
    } else {
      out.push(`The registry shows ${c.domain} locked against transfers: a transfer code alone cannot move it.`);
    }
  }
  return out;
}

/**
 * What the registry's answers add to a message's suspicion (issue 13, item 7), in sentences for the
 * client: a registrar that is not the registry's (compared by IANA id only: a reseller writing under
 * its own brand is no contradiction when the ids are unknown), or an expiry date the registry
 * contradicts in mail that is not verified registrar mail.
 */
export function registryReasons(checks: readonly ClaimCheck[], senderVerified: boolean): string[] {
  const out: string[] = [];
  for (const c of checks) {
    if (c.verdict !== 'disagrees' || c.registry === null) continue;
    if (c.claim === 'registrar') {
      out.push(`It comes from ${c.notice}, but the registry says the registrar of ${c.domain} is ${c.registry}. Do not pay it or act on it.`);
    } else if (c.claim === 'expiresAt' && !senderVerified) {
      out.push(`It says ${c.domain} expires on ${formatDate(c.notice)}, but the registry says ${formatDate(c.registry)}.`);
    }
  }
  return out;
}
