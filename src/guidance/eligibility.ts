// Transfer eligibility, the decision alone: whether a domain can move to another registrar on a
// given day, what blocks it and until when, what to watch out for, and which steps apply. It
// answers in codes, dates and the rules in force, never in sentences (wording.ts puts them into
// English, transfer-guidance.ts assembles the answer). A pure function of the domain's record, the
// date and the policy table (policy-table.ts): no database, no clock.
import {
  PolicyRule,
  PolicyRuleKind,
  PolicyRuleOf,
  PolicySource,
  Obligation,
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

/** Aster's own advice, as opposed to policy: kept apart so nobody mistakes it for a rule. */
export const ADVICE = {
  // A transfer code can take up to five days to arrive and the transfer up to five more: a domain
  // expiring within two weeks may lapse on the way, so renewing first is the safe choice.
  renewFirstWithinDays: 14,
} as const;

// ---------------------------------------------------------------------------------------------
// What the decision returns
// ---------------------------------------------------------------------------------------------

/** The rule in force of each kind (the first listed when several overlap), for the wording to quote. */
export type RulesByKind = { readonly [K in PolicyRuleKind]?: PolicyRuleOf<K> };

/** Where the domain stands: its TLD and the rules in force for it on the day. */
export interface Situation {
  tld: string;
  /** ICANN's gTLD policies cover the TLD. */
  generic: boolean;
  rule: RulesByKind;
}

/**
 * When a blocker stops applying: on a known date; once the registrant acts (removes a lock,
 * renews); nobody can say; or never for this registration.
 */
export type Ends = 'on_date' | 'after_action' | 'unknown' | 'never';

type LockKind = 'lock_after_registration' | 'lock_after_transfer' | 'lock_after_registrant_change';

interface LockFacts {
  source: 'lock';
  ends: 'on_date';
  /** First UTC day (`YYYY-MM-DD`) on which the lock no longer applies. */
  until: string;
  /** The moment the lock started (registration, last move, change of registrant). */
  since: Date;
  /** The moment it stops applying. */
  end: Date;
  /** A later rule ends the lock before its own length would. */
  cutShort: boolean;
  /** The lock's length under the rule in force. */
  days: number;
}

export type LockBlocker =
  | (LockFacts & { code: 'lock_after_registration' | 'lock_after_transfer'; obligation: Obligation; earlyRemovalOnRequest: boolean })
  | (LockFacts & {
      code: 'lock_after_registrant_change';
      /**
       * The rule the lock started under stops applying on this day, and the policy that replaces
       * it does not say whether running locks end then: `end` is the lock's full length.
       */
      transitionUnspecifiedFrom?: string;
    });

export type StatusBlockerCode =
  'client_transfer_prohibited' | 'server_transfer_prohibited' | 'pending_transfer' | 'redemption_period' | 'pending_restore' | 'pending_delete';

export type Blocker =
  | LockBlocker
  /** An EPP status on record stops the move. */
  | { source: 'status'; code: StatusBlockerCode; ends: Ends }
  /** The expiry date, read against the periods in the table, stops the move. */
  | { source: 'expiry'; code: 'expired' | 'redemption_period' | 'pending_delete'; ends: Ends; stage: ExpiryStage };

export type Warning =
  | { code: 'expires_soon'; expiresAt: Date; withinDays: number; autoRenew: boolean }
  | { code: 'transfer_adds_year'; years: number; maxTotalYears: number }
  | { code: 'dns_hosted_by_host'; nameservers: string[] }
  | { code: 'registrant_change_lock_opted_out'; changedAt: Date; days: number }
  | { code: 'tld_rules_unknown'; tld: string };

/** The steps that apply, in order, with what each needs to say. */
export type Step =
  // A deleted ccTLD name the registry keeps in quarantine.
  | { step: 'reactivate_from_quarantine'; quarantine: PolicyRuleOf<'deleted_name_quarantine'> }
  | { step: 'move_once_active' }
  | { step: 'register_again_after_quarantine' }
  // A deleted ccTLD name, and no data on the registry.
  | { step: 'ask_whether_registry_restores' }
  | { step: 'register_again_if_not_restored' }
  // A gTLD name past redemption.
  | { step: 'too_late' }
  | { step: 'ask_whether_registrar_kept_it' }
  | { step: 'register_again_when_free' }
  // A gTLD name in pendingDelete.
  | { step: 'nothing_can_be_done' }
  | { step: 'register_again_when_released' }
  // Clearing the way.
  | { step: 'wait_for_lock'; lock: LockKind; until: string }
  | { step: 'wait_for_move_under_way' }
  | { step: 'ask_why_registry_locked' }
  | { step: 'check_deleted_or_kept' }
  | { step: 'restore_from_redemption' }
  | { step: 'check_not_deleted' }
  | { step: 'move_instead_of_renewing'; graceEnds: Date }
  | { step: 'renew_if_staying' }
  | { step: 'renew_first' }
  | { step: 'renew_before_expiry'; expiresAt: Date }
  // Preparing.
  | { step: 'check_registrant_email' }
  | { step: 'open_account_at_new_registrar' }
  | { step: 'set_up_dns_elsewhere' }
  | { step: 'registrar_notes'; registrar?: string; notes: string }
  // A registrar-tag change (.uk).
  | { step: 'ask_for_registrar_tag' }
  | { step: 'unlock_before_tag_change' }
  | { step: 'change_registrar_tag' }
  | { step: 'accept_at_new_registrar' }
  // A move with a transfer code.
  | { step: 'unlock' }
  | { step: 'check_unlocked' }
  | { step: 'ask_for_code' }
  | { step: 'registry_fallback'; rule: PolicyRuleOf<'registry_fallback'> }
  | { step: 'start_move' }
  | { step: 'expect_confirmation'; notice: PolicyRuleOf<'confirmation_notice'> }
  | { step: 'wait_for_completion'; window: PolicyRuleOf<'transfer_window'> }
  // Afterwards.
  | { step: 'after_the_move'; relock: boolean };
export type StepName = Step['step'];

export type Caveat =
  | { caveat: 'registrant_alone_approves'; source: PolicySource }
  | { caveat: 'beware_of_scams'; byTag: boolean }
  /** Rules already set to start (or end, with nothing of their kind after them) on a later day. */
  | { caveat: 'rules_change'; date: string; starting: PolicyRule[]; ending: PolicyRule[] }
  | { caveat: 'revised_policy_adopted'; adoptedOn: string };

export interface TransferDecision {
  /** ASCII name, lowercase, without a final dot. */
  domain: string;
  situation: Situation;
  eligible: boolean;
  /**
   * The first day on which the domain can move, assuming the actions the blockers ask for (remove
   * the lock, renew) are taken; null when that cannot be known (a registry lock, a transfer or
   * restore under way, redemption, deletion).
   */
  earliestTransferDate: string | null;
  blockers: Blocker[];
  /** Things to act on that do not stop a move. */
  warnings: Warning[];
  steps: Step[];
  caveats: Caveat[];
  /** The policy rules in force that the answer rests on. */
  rules: PolicyRule[];
}

// ---------------------------------------------------------------------------------------------

interface Context {
  domain: GuidanceDomain;
  tld: string;
  at: Date;
  /** Rules in force for this TLD on `at`. */
  rules: PolicyRule[];
  /** The whole table, to see rules that start or end later. */
  allRules: readonly PolicyRule[];
}

const DAY_MS = 86_400_000;

function valid(date: Date | null | undefined): Date | null {
  return date instanceof Date && !Number.isNaN(date.getTime()) ? date : null;
}

function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
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

function rulesByKind(rules: readonly PolicyRule[]): RulesByKind {
  const byKind: Partial<Record<PolicyRuleKind, PolicyRule>> = {};
  for (const rule of rules) byKind[rule.kind] ??= rule;
  return byKind as RulesByKind;
}

// ---------------------------------------------------------------------------------------------
// Blockers
// ---------------------------------------------------------------------------------------------

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

function lockBlockers(ctx: Context, warnings: Warning[]): LockBlocker[] {
  const { domain, rules } = ctx;
  const found: LockBlocker[] = [];

  const checks = [
    { kind: 'lock_after_registration', since: valid(domain.registeredAt) },
    { kind: 'lock_after_transfer', since: valid(domain.lastTransferredAt) },
  ] as const;
  for (const check of checks) {
    const rule = ruleOfKind(rules, check.kind);
    const lock = lockEnd(ctx, check.kind, check.since);
    if (!rule || !lock || !check.since) continue;
    found.push({
      source: 'lock',
      code: check.kind,
      ends: 'on_date',
      until: utcDay(lock.end),
      since: check.since,
      end: lock.end,
      cutShort: lock.cutShort,
      days: rule.params.days,
      obligation: rule.params.obligation,
      earlyRemovalOnRequest: rule.kind === 'lock_after_transfer' && rule.params.earlyRemovalOnRequest === true,
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
      warnings.push({ code: 'registrant_change_lock_opted_out', changedAt, days });
    } else {
      found.push({
        source: 'lock',
        code: 'lock_after_registrant_change',
        ends: 'on_date',
        until: utcDay(lock.end),
        since: changedAt,
        end: lock.end,
        cutShort: lock.cutShort,
        days,
        ...(lock.transitionUnspecifiedFrom ? { transitionUnspecifiedFrom: lock.transitionUnspecifiedFrom } : {}),
      });
    }
  }
  return found;
}

// EPP statuses that stop a transfer (RFC 5731 §2.3, RFC 3915 §3.1; plain meanings from
// https://www.icann.org/resources/pages/epp-status-codes-2014-06-16-en), and when each stops.
const STATUS_BLOCKERS: readonly { status: string; code: StatusBlockerCode; ends: Ends | ((tld: string) => Ends) }[] = [
  { status: 'clientTransferProhibited', code: 'client_transfer_prohibited', ends: 'after_action' },
  { status: 'serverTransferProhibited', code: 'server_transfer_prohibited', ends: 'unknown' },
  { status: 'pendingTransfer', code: 'pending_transfer', ends: 'unknown' },
  { status: 'redemptionPeriod', code: 'redemption_period', ends: 'unknown' },
  { status: 'pendingRestore', code: 'pending_restore', ends: 'unknown' },
  // Only for gTLDs is pendingDelete after redemption final (RFC 3915); ccTLD registries with a
  // quarantine keep a deleted name recoverable, and for others Aster does not know.
  { status: 'pendingDelete', code: 'pending_delete', ends: (tld) => (isGenericTld(tld) ? 'never' : 'unknown') },
];

// During the redemption grace period registries show pendingDelete alongside redemptionPeriod or
// pendingRestore (RFC 3915 §3.1); only pendingDelete on its own means it is too late.
const RESTORABLE = new Set(['redemptionperiod', 'pendingrestore']);

function statusBlockers(ctx: Context): Blocker[] {
  const present = new Set(ctx.domain.statuses.map(statusKey));
  const restorable = [...present].some((s) => RESTORABLE.has(s));
  return STATUS_BLOCKERS.filter((b) => present.has(statusKey(b.status)))
    .filter((b) => !(b.code === 'pending_delete' && restorable))
    .map((b) => ({ source: 'status', code: b.code, ends: typeof b.ends === 'function' ? b.ends(ctx.tld) : b.ends }));
}

// ---------------------------------------------------------------------------------------------
// Expiry: where an expired domain stands, decided from the expiry date and the periods in the
// policy table (not only from recorded statuses).
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
  return at < releasedBy ? { stage: 'past_redemption', expiresAt, days, releasedBy } : { stage: 'released', expiresAt, days, releasedBy };
}

const EXPIRY_BLOCKER: Readonly<Record<ExpiryStage['stage'], { code: 'expired' | 'redemption_period' | 'pending_delete'; ends: Ends }>> = {
  renewable: { code: 'expired', ends: 'after_action' },
  past_grace: { code: 'redemption_period', ends: 'unknown' },
  past_redemption: { code: 'pending_delete', ends: 'never' },
  released: { code: 'pending_delete', ends: 'never' },
  expired: { code: 'expired', ends: 'after_action' },
};

function expiryBlocker(stage: ExpiryStage | undefined): Blocker | undefined {
  return stage ? { source: 'expiry', ...EXPIRY_BLOCKER[stage.stage], stage } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Warnings
// ---------------------------------------------------------------------------------------------

/** The registration expires within ADVICE.renewFirstWithinDays and nothing worse is under way. */
function expiryWarning(ctx: Context, blockers: readonly Blocker[]): Warning | undefined {
  const expiresAt = valid(ctx.domain.expiresAt);
  if (!expiresAt || ctx.at >= expiresAt) return undefined;
  if (blockers.some((b) => b.code === 'redemption_period' || b.code === 'pending_restore' || b.code === 'pending_delete')) return undefined;
  if (ctx.at < addDays(expiresAt, -ADVICE.renewFirstWithinDays)) return undefined;
  return { code: 'expires_soon', expiresAt, withinDays: ADVICE.renewFirstWithinDays, autoRenew: Boolean(ctx.domain.autoRenew) };
}

function matchingNameservers(domain: GuidanceDomain, hostNameservers: readonly string[]): string[] {
  const patterns = hostNameservers.map(hostName).filter((n) => n !== '');
  return domain.nameservers.map(hostName).filter((ns) => patterns.some((p) => (p.startsWith('*.') ? ns.endsWith(p.slice(1)) : ns === p)));
}

// ---------------------------------------------------------------------------------------------
// Steps and caveats
// ---------------------------------------------------------------------------------------------

function stepsFor(ctx: Context, blockers: readonly Blocker[], expiring: boolean, dnsHosted: readonly string[], stage: ExpiryStage | undefined): Step[] {
  const { domain, rules, tld } = ctx;
  const has = (code: TransferBlockerCode) => blockers.some((b) => b.code === code);

  if (has('pending_delete')) {
    if (!isGenericTld(tld)) {
      const quarantine = ruleOfKind(rules, 'deleted_name_quarantine');
      return quarantine
        ? [{ step: 'reactivate_from_quarantine', quarantine }, { step: 'move_once_active' }, { step: 'register_again_after_quarantine' }]
        : [{ step: 'ask_whether_registry_restores' }, { step: 'register_again_if_not_restored' }];
    }
    if (stage?.stage === 'past_redemption' || stage?.stage === 'released') {
      return [{ step: 'too_late' }, { step: 'ask_whether_registrar_kept_it' }, { step: 'register_again_when_free' }];
    }
    return [{ step: 'nothing_can_be_done' }, { step: 'register_again_when_released' }];
  }

  const steps: Step[] = [];
  const locks = blockers.filter((b): b is LockBlocker => b.source === 'lock');
  for (const lock of locks.sort((a, b) => a.until.localeCompare(b.until))) steps.push({ step: 'wait_for_lock', lock: lock.code, until: lock.until });
  if (has('pending_transfer')) steps.push({ step: 'wait_for_move_under_way' });
  if (has('server_transfer_prohibited')) steps.push({ step: 'ask_why_registry_locked' });
  if (stage?.stage === 'past_grace') steps.push({ step: 'check_deleted_or_kept' });
  if (has('redemption_period') || has('pending_restore')) steps.push({ step: 'restore_from_redemption' });
  if (stage?.stage === 'renewable') {
    if (stage.mayBeDeleted) steps.push({ step: 'check_not_deleted' });
    steps.push({ step: 'move_instead_of_renewing', graceEnds: stage.graceEnds }, { step: 'renew_if_staying' });
  } else if (has('expired')) {
    steps.push({ step: 'renew_first' });
  }
  const expiresAt = valid(domain.expiresAt);
  if (expiring && expiresAt) steps.push({ step: 'renew_before_expiry', expiresAt });

  steps.push({ step: 'check_registrant_email' }, { step: 'open_account_at_new_registrar' });
  if (dnsHosted.length > 0) steps.push({ step: 'set_up_dns_elsewhere' });

  const byTag = ruleOfKind(rules, 'transfer_method')?.params.method === 'registrar_tag';
  const notes = domain.registrarNotes?.trim();
  const registrar = domain.registrarName?.trim() || undefined;
  const notesStep: Step[] = notes ? [{ step: 'registrar_notes', ...(registrar ? { registrar } : {}), notes }] : [];
  const unlocked = !has('client_transfer_prohibited');

  if (byTag) {
    steps.push({ step: 'ask_for_registrar_tag' });
    if (!unlocked) steps.push({ step: 'unlock_before_tag_change' });
    steps.push(...notesStep, { step: 'change_registrar_tag' }, { step: 'accept_at_new_registrar' });
  } else {
    steps.push({ step: unlocked ? 'check_unlocked' : 'unlock' }, ...notesStep, { step: 'ask_for_code' });
    const fallback = ruleOfKind(rules, 'registry_fallback');
    if (fallback) steps.push({ step: 'registry_fallback', rule: fallback });
    steps.push({ step: 'start_move' });
    const notice = ruleOfKind(rules, 'confirmation_notice');
    if (notice) steps.push({ step: 'expect_confirmation', notice });
    const window = ruleOfKind(rules, 'transfer_window');
    if (window) steps.push({ step: 'wait_for_completion', window });
  }
  steps.push({ step: 'after_the_move', relock: !byTag });
  return steps;
}

function caveatsFor(ctx: Context): Caveat[] {
  const caveats: Caveat[] = [];
  const approval = ruleOfKind(ctx.rules, 'transfer_approval');
  if (approval) caveats.push({ caveat: 'registrant_alone_approves', source: approval.source });
  caveats.push({ caveat: 'beware_of_scams', byTag: ruleOfKind(ctx.rules, 'transfer_method')?.params.method === 'registrar_tag' });

  // Rules already set to start or end on a later day: what changes, and from when.
  const day = utcDay(ctx.at);
  const changes = new Map<string, { starting: PolicyRule[]; ending: PolicyRule[] }>();
  const entry = (date: string) => changes.get(date) ?? changes.set(date, { starting: [], ending: [] }).get(date)!;
  for (const rule of ctx.allRules.filter((r) => appliesToTld(r, ctx.tld))) {
    if (rule.effectiveFrom > day) entry(rule.effectiveFrom).starting.push(rule);
    if (rule.effectiveUntil && rule.effectiveUntil > day && rule.effectiveFrom <= day) entry(rule.effectiveUntil).ending.push(rule);
  }
  for (const [date, { starting, ending }] of [...changes].sort(([a], [b]) => a.localeCompare(b))) {
    caveats.push({ caveat: 'rules_change', date, starting, ending: ending.filter((r) => !starting.some((s) => s.kind === r.kind)) });
  }

  const revisedIds = new Set(REVISED_TRANSFER_POLICY_RULES.map((r) => r.id));
  const revisedConfigured = ctx.allRules.some((r) => revisedIds.has(r.id));
  if (isGenericTld(ctx.tld) && !revisedConfigured && day >= REVISED_TRANSFER_POLICY.adoptedOn) {
    caveats.push({ caveat: 'revised_policy_adopted', adoptedOn: REVISED_TRANSFER_POLICY.adoptedOn });
  }
  return caveats;
}

// ---------------------------------------------------------------------------------------------

/** The transfer decision for one domain on one day, in codes and dates. */
export function transferDecision(input: TransferGuidanceInput): TransferDecision {
  const at = valid(input.at);
  if (!at) throw new RangeError('transferGuidance: `at` must be a valid date');
  const name = input.domain.name.trim().toLowerCase().replace(/\.$/, '');
  const tld = topLevelDomain(name);
  const ctx: Context = { domain: input.domain, tld, at, rules: rulesInForce(input.rules, tld, at), allRules: input.rules };

  const warnings: Warning[] = [];
  const locks = lockBlockers(ctx, warnings);
  const statuses = statusBlockers(ctx);
  const stage = expiryStage(input.domain, tld, at, ctx.rules);
  const expired = expiryBlocker(stage);
  const blockers: Blocker[] = [...locks.sort((a, b) => a.until.localeCompare(b.until)), ...statuses, ...(expired ? [expired] : [])];

  const expiring = expiryWarning(ctx, blockers);
  if (expiring) warnings.unshift(expiring);
  const term = ruleOfKind(ctx.rules, 'term_added_on_transfer');
  if (term) warnings.push({ code: 'transfer_adds_year', years: term.params.years, maxTotalYears: term.params.maxTotalYears });
  const dnsHosted = matchingNameservers(input.domain, input.hostNameservers ?? []);
  if (dnsHosted.length > 0) warnings.push({ code: 'dns_hosted_by_host', nameservers: dnsHosted });
  if (!ruleOfKind(ctx.rules, 'transfer_method')) warnings.push({ code: 'tld_rules_unknown', tld });

  let earliestTransferDate: string | null = utcDay(at);
  if (blockers.some((b) => b.ends === 'unknown' || b.ends === 'never')) {
    earliestTransferDate = null;
  } else {
    for (const b of blockers) if (b.source === 'lock' && b.until > earliestTransferDate) earliestTransferDate = b.until;
  }

  return {
    domain: name,
    situation: { tld, generic: isGenericTld(tld), rule: rulesByKind(ctx.rules) },
    eligible: blockers.length === 0,
    earliestTransferDate,
    blockers,
    warnings,
    steps: stepsFor(ctx, blockers, Boolean(expiring), dnsHosted, stage),
    caveats: caveatsFor(ctx),
    rules: ctx.rules,
  };
}
