// Per-domain transfer guidance: whether a domain can move to another registrar on a given day,
// what blocks it and until when, what to watch out for, and the ordered steps. A pure function of
// the domain's record, the date and the policy table (policy-table.ts): no database, no clock.
import {
  CURRENT_TRANSFER_POLICY_FROM,
  PolicyRule,
  PolicyRuleOf,
  RegistryFallbackRoute,
  PolicySource,
  REVISED_TRANSFER_POLICY,
  REVISED_TRANSFER_POLICY_RULES,
  appliesToTld,
  isGenericTld,
  ruleOfKind,
  rulesInForce,
  topLevelDomain,
  utcDay,
} from './policy-table';

/** The parts of a Domain record (and its registrar) that transfer guidance reads. */
export interface GuidanceDomain {
  /** ASCII name, e.g. `lindapence.com`. */
  name: string;
  registeredAt: Date | null;
  expiresAt: Date | null;
  lastTransferredAt: Date | null;
  registrantChangedAt: Date | null;
  /** EPP status codes (RFC 5731 / RFC 3915) in any of their written forms. */
  statuses: readonly string[];
  nameservers: readonly string[];
  autoRenew: boolean | null;
  registrarName?: string | null;
  /** The registrar record's notes on how it handles transfers out. */
  registrarNotes?: string | null;
  /** The registrant opted out of the lock after a change of registrant before that change. */
  registrantChangeOptOut?: boolean;
}

export interface TransferGuidanceInput {
  domain: GuidanceDomain;
  /** The moment the guidance is for; decides which rules are in force. */
  at: Date;
  /** The policy table (policyTable()); only rules in force on `at` for the domain's TLD are used. */
  rules: readonly PolicyRule[];
  /** The host's own nameservers; `*.example.net` matches any name under example.net. */
  hostNameservers?: readonly string[];
}

export const TRANSFER_BLOCKER_CODES = [
  'lock_after_registration',
  'lock_after_transfer',
  'lock_after_registrant_change',
  'client_transfer_prohibited',
  'server_transfer_prohibited',
  'pending_transfer',
  'pending_delete',
  'redemption_period',
  'pending_restore',
  'expired',
] as const;
export type TransferBlockerCode = (typeof TRANSFER_BLOCKER_CODES)[number];

export const TRANSFER_WARNING_CODES = [
  'expires_soon',
  'transfer_adds_year',
  'dns_hosted_by_host',
  'registrant_change_lock_opted_out',
  'tld_rules_unknown',
] as const;
export type TransferWarningCode = (typeof TRANSFER_WARNING_CODES)[number];

export interface TransferBlocker {
  code: TransferBlockerCode;
  message: string;
  /** First UTC day (`YYYY-MM-DD`) on which this blocker no longer applies, when that is known. */
  until?: string;
}

export interface TransferWarning {
  code: TransferWarningCode;
  message: string;
}

export interface AppliedRule {
  id: string;
  summary: string;
  source: PolicySource;
}

export interface TransferGuidance {
  domain: string;
  eligible: boolean;
  /**
   * The first day on which the domain can move, assuming the actions the blockers ask for (remove
   * the lock, renew) are taken; null when that cannot be known (a registry lock, a transfer or
   * restore under way, redemption, deletion).
   */
  earliestTransferDate: string | null;
  blockers: TransferBlocker[];
  /** Things to act on that do not stop a move; their messages also open `caveats`. */
  warnings: TransferWarning[];
  steps: string[];
  caveats: string[];
  /** The policy rules this answer rests on, with their sources. */
  rules: AppliedRule[];
}

/** Aster's own advice, as opposed to policy: kept apart so nobody mistakes it for a rule. */
export const ADVICE = {
  // A transfer code can take up to five days to arrive and the transfer up to five more: a domain
  // expiring within two weeks may lapse on the way, so renewing first is the safe choice.
  renewFirstWithinDays: 14,
} as const;

// How each registry fallback (policy table, kind 'registry_fallback') is put to a client. The
// decision (which registry offers what) is in the table; only the wording is here.
const FALLBACK_WORDING: Readonly<Record<RegistryFallbackRoute, (rule: PolicyRuleOf<'registry_fallback'>) => string>> = {
  authinfo2_by_post: (rule) =>
    'If the current provider no longer exists, cannot be reached or does not react, the new provider can ask DENIC for a new AuthInfo (AuthInfo2). ' +
    "DENIC sends it by registered post to the holder's postal address in its database" +
    (rule.params.fee ? ', for a fee (charged even if the letter does not arrive)' : '') +
    ': check first that the address on record is right, because a wrong or old address means no code.',
  emergency_code_form: () =>
    'If the registrar does not give you the code, you can create one yourself in My .eu (https://eurid.eu/en/my-eu/). ' +
    "Only as a last resort, if neither works, ask EURid for an emergency code: look the domain up in EURid's WHOIS, follow the \"request an emergency authorisation code\" link in the result, fill in the form, sign it and e-mail it to EURid, which checks that you are the holder.",
};

// ---------------------------------------------------------------------------------------------

type Ends = 'on_date' | 'after_action' | 'unknown' | 'never';
type Found = TransferBlocker & { ends: Ends };

interface Context {
  domain: GuidanceDomain;
  tld: string;
  at: Date;
  /** Rules in force for this TLD on `at`. */
  rules: PolicyRule[];
  /** The whole table, to see rules that start or end later. */
  allRules: readonly PolicyRule[];
}

/** `15:30 UTC on 2 March 2026`, or `2 March 2026` for a moment at midnight UTC. */
function momentInWords(date: Date): string {
  const t = date.getTime();
  if (t % DAY_MS === 0) return longDate(date);
  return `${date.toISOString().slice(11, 16)} UTC on ${longDate(date)}`;
}

const DAY_MS = 86_400_000;
const DATE_FORMAT = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

function valid(date: Date | null | undefined): Date | null {
  return date instanceof Date && !Number.isNaN(date.getTime()) ? date : null;
}

function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

/** "2 March 2026" */
function longDate(date: Date | string): string {
  return DATE_FORMAT.format(typeof date === 'string' ? new Date(`${date}T00:00:00Z`) : date);
}

/** `clientTransferProhibited`, `client transfer prohibited` (RDAP) and the ICANN link form compare equal. */
function statusKey(status: string): string {
  return status
    .trim()
    .replace(/^https?:\/\/(?:www\.)?icann\.org\/epp#/i, '')
    .replace(/[\s_-]+/g, '')
    .toLowerCase();
}

function hostName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

// ---------------------------------------------------------------------------------------------
// Blockers
// ---------------------------------------------------------------------------------------------

type LockKind = 'lock_after_registration' | 'lock_after_transfer' | 'lock_after_registrant_change';

function startOfUtcDay(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

interface LockEnd {
  /** The moment the lock stops applying. */
  end: Date;
  /** A later rule ends the lock before its own length would. */
  cutShort: boolean;
  /**
   * The rule the lock started under stops applying on this day (YYYY-MM-DD), and the policy that
   * replaces it does not say whether locks already running end then: `end` is the lock's full length.
   */
  transitionUnspecifiedFrom?: string;
}

function existingLocksUnspecified(rule: PolicyRuleOf<LockKind>): boolean {
  return rule.kind === 'lock_after_registrant_change' && rule.params.existingLocksAtRuleEnd === 'unspecified';
}

/**
 * When a lock of `kind` that started at `since` stops applying, counted in the registry's 24-hour
 * days from the exact moment of `since` (a lock from 15:30 on 1 January ends 60 × 24 hours later,
 * at 15:30 on 2 March), looking at `at` and, when the rule in force ends before the lock would, at
 * the rules that follow it (so a revised policy with a shorter lock, or none, takes effect on its
 * date). Undefined when no lock applies at `at`.
 */
function lockEnd(ctx: Context, kind: LockKind, since: Date | null): LockEnd | undefined {
  if (!since || ctx.at < since) return undefined;
  const first = ruleOfKind(rulesInForce(ctx.allRules, ctx.tld, ctx.at), kind);
  if (!first) {
    // No such lock today; but a lock begun under a rule that ended without saying what becomes of
    // running locks still stands, as far as anyone can tell.
    const then = ruleOfKind(rulesInForce(ctx.allRules, ctx.tld, since), kind);
    if (!then || !existingLocksUnspecified(then) || !then.effectiveUntil) return undefined;
    const end = addDays(since, then.params.days);
    return ctx.at < end ? { end, cutShort: false, transitionUnspecifiedFrom: then.effectiveUntil } : undefined;
  }
  let when = ctx.at;
  // Each pass moves `when` to the end of a rule; the table has few successive versions.
  for (let pass = 0; pass < 10; pass += 1) {
    const rule = ruleOfKind(rulesInForce(ctx.allRules, ctx.tld, when), kind);
    const end = rule ? addDays(since, rule.params.days) : undefined;
    if (!rule || !end || when >= end) return pass === 0 ? undefined : { end: when, cutShort: true };
    if (rule.effectiveUntil && startOfUtcDay(rule.effectiveUntil) < end) {
      const next = ruleOfKind(rulesInForce(ctx.allRules, ctx.tld, startOfUtcDay(rule.effectiveUntil)), kind);
      if (!next && existingLocksUnspecified(rule)) return { end, cutShort: false, transitionUnspecifiedFrom: rule.effectiveUntil };
      when = startOfUtcDay(rule.effectiveUntil);
      continue;
    }
    return { end, cutShort: pass > 0 };
  }
  return { end: when, cutShort: true };
}

function lockBlockers(ctx: Context, warnings: TransferWarning[]): Found[] {
  const { domain, rules } = ctx;
  const found: Found[] = [];
  const refusal = (obligation: 'may' | 'must', days: number, event: string): string =>
    obligation === 'must'
      ? `the registrar must refuse a move for ${days} days after ${event}`
      : `the registrar may refuse a move for ${days} days after ${event}, and most registrars do`;
  const from = (lock: LockEnd): string =>
    lock.cutShort ? `${momentInWords(lock.end)}, when new ICANN rules take over` : momentInWords(lock.end);

  const checks: { kind: 'lock_after_registration' | 'lock_after_transfer'; since: Date | null; what: string; event: string }[] = [
    { kind: 'lock_after_registration', since: valid(domain.registeredAt), what: 'The domain was registered on', event: 'registration' },
    { kind: 'lock_after_transfer', since: valid(domain.lastTransferredAt), what: 'The domain last moved between registrars on', event: 'a move' },
  ];
  for (const check of checks) {
    const rule = ruleOfKind(rules, check.kind);
    const lock = lockEnd(ctx, check.kind, check.since);
    if (!rule || !lock || !check.since) continue;
    const early =
      rule.kind === 'lock_after_transfer' && rule.params.earlyRemovalOnRequest
        ? ' The registrar may lift this lock sooner if the registrant asks for it and gives a reasonable basis (for example, the move was a mistake).'
        : '';
    found.push({
      code: check.kind,
      until: utcDay(lock.end),
      ends: 'on_date',
      message: `${check.what} ${longDate(check.since)}. Under ICANN's rules ${refusal(rule.params.obligation, rule.params.days, check.event)}, counted in 24-hour days from that moment, so it can move from ${from(lock)}.${early}`,
    });
  }

  const changedAt = valid(domain.registrantChangedAt);
  const lock = lockEnd(ctx, 'lock_after_registrant_change', changedAt);
  const changeRule =
    ruleOfKind(rules, 'lock_after_registrant_change') ??
    (changedAt && lock?.transitionUnspecifiedFrom ? ruleOfKind(rulesInForce(ctx.allRules, ctx.tld, changedAt), 'lock_after_registrant_change') : undefined);
  if (changeRule && changedAt && lock) {
    const days = changeRule.params.days;
    if (domain.registrantChangeOptOut && changeRule.params.optOutAllowed) {
      warnings.push({
        code: 'registrant_change_lock_opted_out',
        message: `The registrant (owner) details changed on ${longDate(changedAt)}, but the registrant opted out of the ${days}-day lock beforehand, so it does not stop a move. If the registrar still shows a lock, ask us.`,
      });
    } else {
      const transition = lock.transitionUnspecifiedFrom
        ? ` The revised ICANN Transfer Policy, in force from ${longDate(lock.transitionUnspecifiedFrom)}, has no such lock, but it does not say whether locks imposed before that day end on it: ask the registrar, which may let the move go ahead from ${longDate(lock.transitionUnspecifiedFrom)}.`
        : '';
      found.push({
        code: 'lock_after_registrant_change',
        until: utcDay(lock.end),
        ends: 'on_date',
        message:
          `The registrant (owner) details changed on ${longDate(changedAt)}. ICANN requires a ${days}-day lock on moves after such a change ` +
          `(a registrant can opt out only before the change, and no opt-out is recorded), so it can move from ${from(lock)}.${transition}`,
      });
    }
  }
  return found;
}

interface StatusBlocker {
  status: string;
  code: TransferBlockerCode;
  ends: Ends | ((ctx: Context) => Ends);
  message: (ctx: Context) => string;
}

// EPP statuses that stop a transfer (RFC 5731 §2.3, RFC 3915 §3.1; plain meanings from
// https://www.icann.org/resources/pages/epp-status-codes-2014-06-16-en).
const STATUS_BLOCKERS: readonly StatusBlocker[] = [
  {
    status: 'clientTransferProhibited',
    code: 'client_transfer_prohibited',
    ends: 'after_action',
    message: (ctx) => {
      const delivery = ruleOfKind(ctx.rules, 'auth_code_delivery');
      const deadline = delivery ? ` The registrar must remove it within ${delivery.params.maxDays} days of the registrant's request.` : '';
      return `The registrar's transfer lock is on (clientTransferProhibited). It is a normal protection against theft: ask us, your host, to remove it when you are ready to move.${deadline}`;
    },
  },
  {
    status: 'serverTransferProhibited',
    code: 'server_transfer_prohibited',
    ends: 'unknown',
    message: () =>
      'The registry itself has locked the domain against moves (serverTransferProhibited). This usually means a dispute or a court order, or a "registry lock" service someone asked for. Only the registry can lift it: ask us to find out why.',
  },
  {
    status: 'pendingTransfer',
    code: 'pending_transfer',
    ends: 'unknown',
    message: (ctx) => {
      const window = ruleOfKind(ctx.rules, 'transfer_window');
      const wait = window && window.params.days > 0 ? ` (up to ${window.params.days} days)` : '';
      return `A move to another registrar is already under way. If you asked for it, wait for it to finish${wait}. If you did not, tell us at once so that it can be refused.`;
    },
  },
  {
    status: 'redemptionPeriod',
    code: 'redemption_period',
    ends: 'unknown',
    message: (ctx) => {
      const rgp = ruleOfKind(ctx.rules, 'redemption_period');
      const period = rgp ? `its ${rgp.params.days}-day redemption period` : 'its redemption period';
      return `The domain was deleted after it expired and is in ${period}. It cannot be moved now; only the current registrar can restore it, for a restore fee. Ask us to restore it at once, then move it.`;
    },
  },
  {
    status: 'pendingRestore',
    code: 'pending_restore',
    ends: 'unknown',
    message: () => 'A restore from redemption is being processed. Wait until it is finished; the domain can then be renewed and moved.',
  },
  {
    status: 'pendingDelete',
    code: 'pending_delete',
    // Only for gTLDs is pendingDelete after redemption final (RFC 3915); ccTLD registries with a
    // quarantine keep a deleted name recoverable, and for others Aster does not know.
    ends: (ctx) => (isGenericTld(ctx.tld) ? 'never' : 'unknown'),
    message: (ctx) => {
      if (isGenericTld(ctx.tld)) {
        return 'The registry is about to delete the domain (pendingDelete). It can no longer be renewed, restored or moved. Once it is released anyone can register it, so be ready to register it again the moment it is free.';
      }
      const quarantine = ruleOfKind(ctx.rules, 'deleted_name_quarantine');
      if (quarantine) return `The domain has been deleted (pendingDelete). ${quarantineWords(ctx.tld, quarantine)} Ask us today.`;
      return `The domain has been deleted or is being deleted (pendingDelete). Aster has no data on whether the .${ctx.tld} registry keeps deleted names recoverable for a while; some country-code registries do, so ask us today to check with the registrar whether it can still be restored.`;
    },
  },
];

function quarantineWords(tld: string, rule: PolicyRuleOf<'deleted_name_quarantine'>): string {
  const who = rule.params.restoredBy === 'any_registrar' ? 'the current registrar or any other .' + tld + ' registrar' : 'the current registrar';
  return (
    `A deleted .${tld} domain stays in quarantine for ${rule.params.days} days: it does not work, but the last holder can have it reactivated through ${who}` +
    `${rule.params.fee ? ', for a fee' : ''}. After that anyone can register it.`
  );
}

// During the redemption grace period registries show pendingDelete alongside redemptionPeriod or
// pendingRestore (RFC 3915 §3.1); only pendingDelete on its own means it is too late.
const RESTORABLE = new Set(['redemptionperiod', 'pendingrestore']);

function statusBlockers(ctx: Context): Found[] {
  const present = new Set(ctx.domain.statuses.map(statusKey));
  const restorable = [...present].some((s) => RESTORABLE.has(s));
  return STATUS_BLOCKERS.filter((b) => present.has(statusKey(b.status)))
    .filter((b) => !(b.code === 'pending_delete' && restorable))
    .map((b) => ({ code: b.code, message: b.message(ctx), ends: typeof b.ends === 'function' ? b.ends(ctx) : b.ends }));
}

// ---------------------------------------------------------------------------------------------
// Expiry: where an expired domain stands, decided from the expiry date and the periods in the
// policy table (not only from recorded statuses), then put into words.
// ---------------------------------------------------------------------------------------------

/**
 * - `renewable`: a gTLD within the registry's auto-renew grace period: it can be renewed or moved.
 *   `mayBeDeleted`: the ERRP's minimum DNS interruption has passed, so the registrar may already
 *   have deleted it (then it is in redemption).
 * - `past_grace`: past the auto-renew grace period: in redemption (restore with a fee) if the
 *   registrar deleted it, or kept by the registrar.
 * - `past_redemption`: past redemption too: being deleted (pendingDelete), nothing can be done.
 * - `released`: past pendingDelete as well: gone, unless the registrar kept it.
 * - `expired`: a ccTLD, or a gTLD on a date for which the table has no periods: no stage known.
 */
export type ExpiryStage =
  | { stage: 'renewable'; expiresAt: Date; days: number; graceEnds: Date; mayBeDeleted: boolean }
  | { stage: 'past_grace'; expiresAt: Date; days: number; graceEnds: Date; redemptionEndsBy?: Date }
  | { stage: 'past_redemption'; expiresAt: Date; days: number; releasedBy: Date }
  | { stage: 'released'; expiresAt: Date; days: number; releasedBy: Date }
  | { stage: 'expired'; expiresAt: Date; days: number };

// Statuses the registry shows once a name has been deleted; they say more than the dates can.
const DELETED_STATUSES = new Set(['redemptionperiod', 'pendingrestore', 'pendingdelete']);

export function expiryStage(domain: GuidanceDomain, tld: string, at: Date, rules: readonly PolicyRule[]): ExpiryStage | undefined {
  const expiresAt = valid(domain.expiresAt);
  if (!expiresAt || at < expiresAt) return undefined;
  const statuses = new Set(domain.statuses.map(statusKey));
  if ([...statuses].some((s) => DELETED_STATUSES.has(s))) return undefined;
  const days = Math.floor((at.getTime() - expiresAt.getTime()) / DAY_MS);
  const grace = ruleOfKind(rules, 'auto_renew_grace');
  if (!grace) return { stage: 'expired', expiresAt, days };
  const graceEnds = addDays(expiresAt, grace.params.maxDays);
  const interruption = ruleOfKind(rules, 'dns_interruption_before_deletion');
  const deletableFrom = addDays(expiresAt, interruption?.params.minDays ?? 0);
  // autoRenewPeriod on record: the registry still holds the automatic renewal, so not deleted.
  if (statuses.has('autorenewperiod') || at < graceEnds) {
    return { stage: 'renewable', expiresAt, days, graceEnds, mayBeDeleted: !statuses.has('autorenewperiod') && at >= deletableFrom };
  }
  const redemption = ruleOfKind(rules, 'redemption_period');
  if (!redemption) return { stage: 'past_grace', expiresAt, days, graceEnds };
  // Latest case: deleted on the last day of grace.
  const redemptionEndsBy = addDays(graceEnds, redemption.params.days);
  if (at < redemptionEndsBy) return { stage: 'past_grace', expiresAt, days, graceEnds, redemptionEndsBy };
  const pendingDelete = ruleOfKind(rules, 'pending_delete_period');
  const releasedBy = addDays(redemptionEndsBy, pendingDelete?.params.days ?? 0);
  return at < releasedBy
    ? { stage: 'past_redemption', expiresAt, days, releasedBy }
    : { stage: 'released', expiresAt, days, releasedBy };
}

const EXPIRY_BLOCKER: Readonly<Record<ExpiryStage['stage'], { code: TransferBlockerCode; ends: Ends }>> = {
  renewable: { code: 'expired', ends: 'after_action' },
  past_grace: { code: 'redemption_period', ends: 'unknown' },
  past_redemption: { code: 'pending_delete', ends: 'never' },
  released: { code: 'pending_delete', ends: 'never' },
  expired: { code: 'expired', ends: 'after_action' },
};

function expiredOn(stage: ExpiryStage): string {
  const ago = stage.days === 0 ? 'today' : stage.days === 1 ? '1 day ago' : `${stage.days} days ago`;
  return `The registration expired on ${momentInWords(stage.expiresAt)} (${ago}).`;
}

function expiryMessage(ctx: Context, stage: ExpiryStage): string {
  const grace = ruleOfKind(ctx.rules, 'auto_renew_grace');
  const rgp = ruleOfKind(ctx.rules, 'redemption_period');
  const graceDays = grace ? `${grace.params.maxDays} days` : 'a few weeks';
  const rgpDays = rgp ? `${rgp.params.days}-day ` : '';
  const keptByRegistrar = 'Some registrars keep expired names for themselves instead, and sell or auction them.';
  switch (stage.stage) {
    case 'renewable': {
      const deleted = stage.mayBeDeleted
        ? ` By now the registrar may already have deleted it: it would then be in its ${rgpDays}redemption period, where it can only be restored, for a restore fee. Ask us to check its status at the registry first.`
        : '';
      return (
        `${expiredOn(stage)} The registry keeps an expired domain renewable for at most ${graceDays} after expiry (until ${momentInWords(stage.graceEnds)} at the latest; the registrar may delete it sooner). ` +
        'Until then it can be renewed at the current registrar at its renewal price (some charge a late fee), or moved: ICANN does not let a registrar refuse a move only because the domain expired. ' +
        'If you are moving it, do not renew it first: a move completed in this period cancels the automatic renewal year and adds its own year instead, so a renewal paid now would be lost.' +
        deleted +
        ' An expired domain may stop working at any moment.'
      );
    }
    case 'past_grace':
      return (
        `${expiredOn(stage)} That is past the registry's auto-renew grace period (at most ${graceDays}), so it can no longer be renewed at the normal price, nor moved. ` +
        `If the registrar deleted it, it is in its ${rgpDays}redemption period` +
        (stage.redemptionEndsBy ? ` (which ends by ${momentInWords(stage.redemptionEndsBy)} at the latest)` : '') +
        ': only the current registrar can restore it, for a restore fee on top of a renewal, and it can be moved once restored. ' +
        `${keptByRegistrar} Ask us today to check its status and to restore it if that is still possible.`
      );
    case 'past_redemption':
      return (
        `${expiredOn(stage)} That is past the auto-renew grace period (at most ${graceDays}) and the ${rgpDays}redemption period: it can no longer be renewed, restored or moved. ` +
        `If the registrar deleted it, the registry is deleting it now (pendingDelete) and releases it by ${momentInWords(stage.releasedBy)} at the latest; then anyone can register it. ${keptByRegistrar}`
      );
    case 'released':
      return (
        `${expiredOn(stage)} That is past the auto-renew grace period (at most ${graceDays}), the ${rgpDays}redemption period and the deletion that follows: it can no longer be renewed, restored or moved. ` +
        `It has most likely been deleted and released (someone else may have registered it since). ${keptByRegistrar}`
      );
    case 'expired': {
      const quarantine = ruleOfKind(ctx.rules, 'deleted_name_quarantine');
      const icann = isGenericTld(ctx.tld)
        ? ' ICANN does not let a registrar refuse a move just because a domain expired, but an expired domain may stop working at any moment and the registrar may delete it.'
        : ' An expired domain may stop working at any moment and can be deleted.';
      const q = quarantine ? ` If it has been deleted: ${quarantineWords(ctx.tld, quarantine)}` : '';
      return `${expiredOn(stage)}${icann}${q} Ask us to renew it first, then move it.`;
    }
  }
}

function expiryBlocker(ctx: Context, stage: ExpiryStage | undefined): Found | undefined {
  if (!stage) return undefined;
  return { ...EXPIRY_BLOCKER[stage.stage], message: expiryMessage(ctx, stage) };
}

// ---------------------------------------------------------------------------------------------
// Warnings
// ---------------------------------------------------------------------------------------------

function expiryWarning(ctx: Context, blockers: readonly Found[]): TransferWarning | undefined {
  const expiresAt = valid(ctx.domain.expiresAt);
  if (!expiresAt || ctx.at >= expiresAt) return undefined;
  if (blockers.some((b) => b.code === 'redemption_period' || b.code === 'pending_restore' || b.code === 'pending_delete')) return undefined;
  if (ctx.at < addDays(expiresAt, -ADVICE.renewFirstWithinDays)) return undefined;
  const term = ruleOfKind(ctx.rules, 'term_added_on_transfer');
  const grace = ruleOfKind(ctx.rules, 'auto_renew_grace');
  const year = term ? ' (a renewal made before expiry is kept: the move adds its year on top)' : '';
  const cancelled =
    grace?.params.transferCancelsAutoRenewYear
      ? ` Do not count on the automatic renewal at expiry if you are moving: a move completed within the registry's auto-renew grace period (up to ${grace.params.maxDays} days after expiry) cancels that automatic year, so a renewal charged after expiry may be paid for nothing.`
      : '';
  const autoRenew = ctx.domain.autoRenew ? ' Auto-renew is on, but check with us that the renewal will happen in time.' : '';
  return {
    code: 'expires_soon',
    message: `The registration expires on ${longDate(expiresAt)}, in less than ${ADVICE.renewFirstWithinDays} days. Getting the code and completing a move can take more than a week, and a domain that expires on the way may stop working or be lost: renew it now${year}, or start the move at once.${cancelled}${autoRenew}`,
  };
}

function matchingNameservers(domain: GuidanceDomain, hostNameservers: readonly string[]): string[] {
  const patterns = hostNameservers.map(hostName).filter((n) => n !== '');
  return domain.nameservers.map(hostName).filter((ns) =>
    patterns.some((p) => (p.startsWith('*.') ? ns.endsWith(p.slice(1)) : ns === p)),
  );
}

// ---------------------------------------------------------------------------------------------
// Steps and caveats
// ---------------------------------------------------------------------------------------------

function stepsFor(
  ctx: Context,
  blockers: readonly Found[],
  expiring: boolean,
  dnsHosted: readonly string[],
  stage: ExpiryStage | undefined,
): string[] {
  const { domain, rules, tld } = ctx;
  const has = (code: TransferBlockerCode) => blockers.some((b) => b.code === code);

  if (has('pending_delete')) {
    const quarantine = ruleOfKind(rules, 'deleted_name_quarantine');
    if (!isGenericTld(tld)) {
      return quarantine
        ? [
            `Ask us today to have the domain reactivated from quarantine (within ${quarantine.params.days} days of its deletion${quarantine.params.fee ? '; the registry charges a fee' : ''}). ${quarantineWords(tld, quarantine)}`,
            'Once it is active again, move it with the steps for a normal move.',
            'If the quarantine has ended, register the name again straight away, at a registrar of your choice and in your own name.',
          ]
        : [
            `Ask us today to find out from the registrar whether the .${tld} registry still lets it restore the domain, and what that costs.`,
            'If it cannot be restored, watch for the name to be released and register it again straight away, at a registrar of your choice and in your own name.',
          ];
    }
    if (stage?.stage === 'past_redemption' || stage?.stage === 'released') {
      return [
        'It is too late to renew, restore or move this registration.',
        'Ask us to check with the registrar whether it kept the name (some keep expired names and sell or auction them) and, if so, what it asks for it.',
        'Look the name up: if it is free, or once it is released, register it again straight away, at a registrar of your choice and in your own name, at the normal registration price.',
      ];
    }
    return [
      'Nothing can be done for this registration any more: it will be deleted.',
      'Watch for the name to be released and register it again straight away, at a registrar of your choice and in your own name.',
    ];
  }

  const steps: string[] = [];
  for (const lock of blockers.filter((b) => b.ends === 'on_date').sort((a, b) => (a.until ?? '').localeCompare(b.until ?? ''))) {
    const what =
      lock.code === 'lock_after_registration'
        ? 'the lock after registration'
        : lock.code === 'lock_after_transfer'
          ? 'the lock after the last move'
          : 'the lock after the change of registrant';
    steps.push(`Wait until ${longDate(lock.until!)}, when ${what} ends. You can prepare everything else meanwhile.`);
  }
  if (has('pending_transfer')) steps.push('Wait for the move already under way to finish; if you did not ask for it, tell us at once.');
  if (has('server_transfer_prohibited')) steps.push('Ask us to find out from the registry why it locked the domain, and what it takes to lift the lock.');
  if (stage?.stage === 'past_grace') {
    steps.push('Ask us today to check the domain\'s status at the registry: whether the registrar deleted it (redemptionPeriod) or kept it.');
  }
  if (has('redemption_period') || has('pending_restore')) {
    steps.push('Ask us to restore the domain from redemption now (the registrar charges a restore fee); move it once it is active again.');
  }
  if (stage?.stage === 'renewable') {
    if (stage.mayBeDeleted) {
      steps.push('Ask us to check the domain\'s status at the registry today: if it shows redemptionPeriod, it has been deleted and must be restored first, for a restore fee.');
    }
    steps.push(
      `If you are moving the domain, do not renew it first: start the move now with the steps below. Completed by ${longDate(stage.graceEnds)} (the end of the auto-renew grace period at the latest), the move adds its own year and cancels the automatic renewal year, so a renewal paid first would be lost. If the move cannot be finished in time, ask us to renew it instead.`,
    );
    steps.push('If you are keeping the domain where it is, ask us to renew it now, at the registrar\'s renewal price.');
  } else if (has('expired')) {
    steps.push('Ask us to renew the domain at its current registrar now, before anything else.');
  }
  const expiresAt = valid(domain.expiresAt);
  if (expiring && expiresAt) steps.push(`Ask us to renew the domain now: it expires on ${longDate(expiresAt)}, before a move could be finished.`);

  const approval = ruleOfKind(rules, 'transfer_approval');
  steps.push(
    'Check that the registrant (owner) e-mail address on the domain reaches you: your own address, or the Aster address we set up for this domain, which forwards to you.' +
      (approval ? ' The registrant alone approves a move.' : ''),
  );
  steps.push('Choose the new registrar and open an account there in your own name.');
  if (dnsHosted.length > 0) {
    steps.push(
      'Set up DNS at the new registrar or another DNS provider before you switch: copy every record we hold for the domain (website: A, AAAA, CNAME; e-mail: MX and the SPF/DKIM TXT records; any others), then change the nameservers. See "Keeping your website and e-mail working during a move".',
    );
  }

  const method = ruleOfKind(rules, 'transfer_method');
  const notes = domain.registrarNotes?.trim();
  const notesStep = notes ? `Notes for ${domain.registrarName?.trim() || 'the current registrar'}: ${notes}` : undefined;

  if (method?.params.method === 'registrar_tag') {
    steps.push("Ask the new registrar for its registrar tag (also called IPS tag), and whether it has to accept incoming domains before they arrive.");
    if (has('client_transfer_prohibited')) {
      steps.push('Ask us to remove the transfer lock (clientTransferProhibited) before the tag change.');
    }
    if (notesStep) steps.push(notesStep);
    steps.push(`Ask us to change the domain's registrar tag to the new registrar's tag. .${tld} domains move this way: no transfer code is used.`);
    steps.push('Check in the new registrar\'s control panel that the domain has arrived, and accept it there if it asks you to.');
  } else {
    const delivery = ruleOfKind(rules, 'auth_code_delivery');
    if (blockers.some((b) => b.code === 'client_transfer_prohibited')) {
      steps.push(
        'Ask us to remove the transfer lock (clientTransferProhibited).' +
          (delivery ? ` The registrar must do it within ${delivery.params.maxDays} days of the registrant's request.` : ''),
      );
    } else {
      steps.push('Make sure the transfer lock is off (ask us if you are not sure).');
    }
    if (notesStep) steps.push(notesStep);
    const validity = ruleOfKind(rules, 'auth_code_validity');
    const codeName = method?.params.codeName ?? 'transfer code (auth code)';
    steps.push(
      `Ask us for the ${codeName}.` +
        (delivery ? ` The registrar must give it within ${delivery.params.maxDays} days of the registrant's request.` : '') +
        (validity
          ? ` It is valid for ${validity.params.days} days${validity.params.singleUse ? ' and works only once' : ''}, so start the move soon after you get it.`
          : '') +
        ' Keep it private, like a password.',
    );
    const fallback = ruleOfKind(rules, 'registry_fallback');
    if (fallback) steps.push(FALLBACK_WORDING[fallback.params.route](fallback));
    const term = ruleOfKind(rules, 'term_added_on_transfer');
    steps.push(
      'Start the move at the new registrar: enter the domain name and the code, and pay.' +
        (term ? ` The fee usually covers ${term.params.years === 1 ? 'one more year' : `${term.params.years} more years`}, which is added to the registration.` : ''),
    );
    const notice = ruleOfKind(rules, 'confirmation_notice');
    if (notice) {
      steps.push(
        `Within ${notice.params.withinHours} hours the current registrar e-mails the registrant to confirm the move. You do not need to reply for it to go ahead` +
          (notice.params.approveLinkAllowed ? ' (a link in that e-mail may let you approve it sooner)' : '') +
          '. Do not cancel it, unless you did not ask for the move.',
      );
    }
    const window = ruleOfKind(rules, 'transfer_window');
    if (window) {
      steps.push(
        window.params.days === 0
          ? 'The domain moves as soon as the new registrar submits a matching code.'
          : `The move completes within ${window.params.days} days at most: if the current registrar does not answer, it is approved automatically.`,
      );
    }
  }
  const relock = method?.params.method === 'registrar_tag' ? '' : ' turn the transfer lock back on and';
  steps.push(
    `When the move is complete, log in at the new registrar: check that you are the registrant, with an e-mail address you read,${relock} switch on auto-renew. Then tell us, so that we update our records.`,
  );
  return steps;
}

function caveatsFor(ctx: Context, warnings: readonly TransferWarning[]): string[] {
  const caveats = warnings.map((w) => w.message);
  const approval = ruleOfKind(ctx.rules, 'transfer_approval');
  if (approval) {
    const policy = approval.source.policy.replace(/\s*\(.*$/, '');
    const where = approval.source.section ? `${policy}, section ${approval.source.section}` : policy;
    caveats.push(
      `Only the registrant can approve or refuse a move (${where}). Since ${longDate(CURRENT_TRANSFER_POLICY_FROM)} ICANN no longer requires an administrative contact, so mail to the registrant's address must reach you.`,
    );
  }
  const byTag = ruleOfKind(ctx.rules, 'transfer_method')?.params.method === 'registrar_tag';
  caveats.push(
    (byTag
      ? 'Ask for a tag change only to a registrar you chose yourself.'
      : 'Give the transfer code to nobody but the new registrar.') +
      ' ICANN never renews or sells domains itself: an e-mail asking you to renew "with ICANN", or an unexpected invoice from a company you do not know, is a scam. Ask us before you pay anything.',
  );

  // Rules already set to start or end on a later day: say what changes, and from when.
  const day = utcDay(ctx.at);
  const changes = new Map<string, { starting: PolicyRule[]; ending: PolicyRule[] }>();
  const entry = (date: string) => changes.get(date) ?? changes.set(date, { starting: [], ending: [] }).get(date)!;
  for (const rule of ctx.allRules.filter((r) => appliesToTld(r, ctx.tld))) {
    if (rule.effectiveFrom > day) entry(rule.effectiveFrom).starting.push(rule);
    if (rule.effectiveUntil && rule.effectiveUntil > day && rule.effectiveFrom <= day) entry(rule.effectiveUntil).ending.push(rule);
  }
  for (const [date, { starting, ending }] of [...changes].sort(([a], [b]) => a.localeCompare(b))) {
    const parts = [`From ${longDate(date)} the rules for .${ctx.tld} change.`];
    if (starting.length > 0) parts.push(`New: ${starting.map((r) => r.summary).join(' ')}`);
    const gone = ending.filter((r) => !starting.some((s) => s.kind === r.kind));
    if (gone.length > 0) parts.push(`No longer in force: ${gone.map((r) => r.summary).join(' ')}`);
    caveats.push(parts.join(' '));
  }
  const revisedIds = new Set(REVISED_TRANSFER_POLICY_RULES.map((r) => r.id));
  const revisedConfigured = ctx.allRules.some((r) => revisedIds.has(r.id));
  if (isGenericTld(ctx.tld) && !revisedConfigured && day >= REVISED_TRANSFER_POLICY.adoptedOn) {
    caveats.push(
      `ICANN adopted a revised Transfer Policy on ${longDate(REVISED_TRANSFER_POLICY.adoptedOn)}: mandatory 30-day locks after registration and after a move, single-use transfer codes valid for 14 days, and no lock after a change of registrant. It is not in force yet and no start date has been announced; this guidance follows the rules in force today.`,
    );
  }
  return caveats;
}

// ---------------------------------------------------------------------------------------------

/** Transfer guidance for one domain on one day. */
export function transferGuidance(input: TransferGuidanceInput): TransferGuidance {
  const at = valid(input.at);
  if (!at) throw new RangeError('transferGuidance: `at` must be a valid date');
  const name = input.domain.name.trim().toLowerCase().replace(/\.$/, '');
  const tld = topLevelDomain(name);
  const ctx: Context = { domain: input.domain, tld, at, rules: rulesInForce(input.rules, tld, at), allRules: input.rules };

  const warnings: TransferWarning[] = [];
  const locks = lockBlockers(ctx, warnings);
  const statuses = statusBlockers(ctx);
  const stage = expiryStage(input.domain, tld, at, ctx.rules);
  const expired = expiryBlocker(ctx, stage);
  const found: Found[] = [...locks.sort((a, b) => (a.until ?? '').localeCompare(b.until ?? '')), ...statuses, ...(expired ? [expired] : [])];

  const expiring = expiryWarning(ctx, found);
  if (expiring) warnings.unshift(expiring);
  const term = ruleOfKind(ctx.rules, 'term_added_on_transfer');
  if (term) {
    warnings.push({
      code: 'transfer_adds_year',
      message: `A move adds ${term.params.years === 1 ? 'one year' : `${term.params.years} years`} to the registration (up to ${term.params.maxTotalYears} years in total), and the new registrar charges for it, usually about the price of a renewal.`,
    });
  }
  const dnsHosted = matchingNameservers(input.domain, input.hostNameservers ?? []);
  if (dnsHosted.length > 0) {
    warnings.push({
      code: 'dns_hosted_by_host',
      message: `The domain's DNS (the address book that tells the internet where your website and e-mail are) is run by us, your host (${dnsHosted.join(', ')}). Moving the registration does not change that, but if we stop, your website and e-mail stop too. Set up DNS elsewhere and switch the nameservers before or right after the move; never leave the domain without working DNS.`,
    });
  }
  if (!ruleOfKind(ctx.rules, 'transfer_method')) {
    warnings.push({
      code: 'tld_rules_unknown',
      message: `Aster has no transfer rules for .${tld} domains. Most registries use a transfer code as for .com, but waiting periods and fees differ: check with the new registrar before you start.`,
    });
  }

  const blockers: TransferBlocker[] = found.map(({ code, message, until }) => (until ? { code, message, until } : { code, message }));
  const today = utcDay(at);
  let earliestTransferDate: string | null = today;
  if (found.some((b) => b.ends === 'unknown' || b.ends === 'never')) {
    earliestTransferDate = null;
  } else {
    for (const b of found) if (b.until && b.until > earliestTransferDate) earliestTransferDate = b.until;
  }

  return {
    domain: name,
    eligible: found.length === 0,
    earliestTransferDate,
    blockers,
    warnings,
    steps: stepsFor(ctx, found, Boolean(expiring), dnsHosted, stage),
    caveats: caveatsFor(ctx, warnings),
    rules: ctx.rules.map(({ id, summary, source }) => ({ id, summary, source })),
  };
}
