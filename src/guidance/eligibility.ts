// Per-domain transfer guidance: whether a domain can move to another registrar on a given day,
// what blocks it and until when, what to watch out for, and the ordered steps. A pure function of
// the domain's record, the date and the policy table (policy-table.ts): no database, no clock.
import {
  CURRENT_TRANSFER_POLICY_FROM,
  PolicyRule,
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

// What a registry offers when the current registrar does not hand over the transfer code.
const REGISTRY_FALLBACK: Readonly<Record<string, string>> = {
  // DENIC, "The Current Provider Cannot Provide an AuthInfo":
  // https://www.denic.de/en/domains/de-domains/provider-transfer/how-to-generate-and-store-an-authinfo
  de: 'If the current provider no longer exists, cannot be reached or does not react, the new provider can have DENIC create an AuthInfo for you directly.',
  // EURid's My .eu, including its emergency authorisation code (per https://support.zone.eu/kb/eu-domain-authorization-code-and-requesting-it):
  eu: 'If the registrar does not give you the code, you can request one from EURid through My .eu (https://eurid.eu/en/my-eu/).',
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

const DAY_MS = 86_400_000;
const DATE_FORMAT = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

function valid(date: Date | null | undefined): Date | null {
  return date instanceof Date && !Number.isNaN(date.getTime()) ? date : null;
}

function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

/** Midnight UTC at or after `date`: a lock ending during a day is counted as ending with that day. */
function ceilToUtcDay(date: Date): Date {
  const t = date.getTime();
  const floor = Math.floor(t / DAY_MS) * DAY_MS;
  return new Date(floor === t ? t : floor + DAY_MS);
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

/**
 * The moment a lock of `kind` that started at `since` stops applying, looking at `at` and, when the
 * rule in force ends before the lock would, at the rules that follow it (so a revised policy with a
 * shorter lock, or none, takes effect on its date). Undefined when no lock applies at `at`.
 */
function lockUntil(ctx: Context, kind: LockKind, since: Date | null): Date | undefined {
  if (!since || ctx.at < since) return undefined;
  let when = ctx.at;
  // Each pass moves `when` to the end of a rule; the table has few successive versions.
  for (let pass = 0; pass < 10; pass += 1) {
    const rule = ruleOfKind(rulesInForce(ctx.allRules, ctx.tld, when), kind);
    const end = rule ? ceilToUtcDay(addDays(since, rule.params.days)) : undefined;
    if (!end || when >= end) return pass === 0 ? undefined : when;
    if (rule?.effectiveUntil && startOfUtcDay(rule.effectiveUntil) < end) {
      when = startOfUtcDay(rule.effectiveUntil);
      continue;
    }
    return end;
  }
  return when;
}

function lockBlockers(ctx: Context, warnings: TransferWarning[]): Found[] {
  const { domain, rules } = ctx;
  const found: Found[] = [];
  const refusal = (obligation: 'may' | 'must', days: number, event: string): string =>
    obligation === 'must'
      ? `the registrar must refuse a move for ${days} days after ${event}`
      : `the registrar may refuse a move for ${days} days after ${event}, and most registrars do`;
  const from = (until: Date, days: number, since: Date): string =>
    until < ceilToUtcDay(addDays(since, days)) ? `${longDate(until)}, when new ICANN rules take over` : longDate(until);

  const checks: { kind: 'lock_after_registration' | 'lock_after_transfer'; since: Date | null; what: string; event: string }[] = [
    { kind: 'lock_after_registration', since: valid(domain.registeredAt), what: 'The domain was registered on', event: 'registration' },
    { kind: 'lock_after_transfer', since: valid(domain.lastTransferredAt), what: 'The domain last moved between registrars on', event: 'a move' },
  ];
  for (const check of checks) {
    const rule = ruleOfKind(rules, check.kind);
    const until = lockUntil(ctx, check.kind, check.since);
    if (!rule || !until || !check.since) continue;
    found.push({
      code: check.kind,
      until: utcDay(until),
      ends: 'on_date',
      message: `${check.what} ${longDate(check.since)}. Under ICANN's rules ${refusal(rule.params.obligation, rule.params.days, check.event)}, so it can move from ${from(until, rule.params.days, check.since)}.`,
    });
  }

  const changeRule = ruleOfKind(rules, 'lock_after_registrant_change');
  const changedAt = valid(domain.registrantChangedAt);
  const until = lockUntil(ctx, 'lock_after_registrant_change', changedAt);
  if (changeRule && changedAt && until) {
    const days = changeRule.params.days;
    if (domain.registrantChangeOptOut && changeRule.params.optOutAllowed) {
      warnings.push({
        code: 'registrant_change_lock_opted_out',
        message: `The registrant (owner) details changed on ${longDate(changedAt)}, but the registrant opted out of the ${days}-day lock beforehand, so it does not stop a move. If the registrar still shows a lock, ask us.`,
      });
    } else {
      found.push({
        code: 'lock_after_registrant_change',
        until: utcDay(until),
        ends: 'on_date',
        message:
          `The registrant (owner) details changed on ${longDate(changedAt)}. ICANN requires a ${days}-day lock on moves after such a change ` +
          `(a registrant can opt out only before the change, and no opt-out is recorded), so it can move from ${from(until, days, changedAt)}.`,
      });
    }
  }
  return found;
}

interface StatusBlocker {
  status: string;
  code: TransferBlockerCode;
  ends: Ends;
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
    ends: 'never',
    message: () =>
      'The registry is about to delete the domain (pendingDelete). It can no longer be renewed, restored or moved. Once it is released anyone can register it, so be ready to register it again the moment it is free.',
  },
];

// During the redemption grace period registries show pendingDelete alongside redemptionPeriod or
// pendingRestore (RFC 3915 §3.1); only pendingDelete on its own means it is too late.
const RESTORABLE = new Set(['redemptionperiod', 'pendingrestore']);

function statusBlockers(ctx: Context): Found[] {
  const present = new Set(ctx.domain.statuses.map(statusKey));
  const restorable = [...present].some((s) => RESTORABLE.has(s));
  return STATUS_BLOCKERS.filter((b) => present.has(statusKey(b.status)))
    .filter((b) => !(b.code === 'pending_delete' && restorable))
    .map((b) => ({ code: b.code, message: b.message(ctx), ends: b.ends }));
}

function expiryBlocker(ctx: Context, statusFound: readonly Found[]): Found | undefined {
  const expiresAt = valid(ctx.domain.expiresAt);
  if (!expiresAt || ctx.at < expiresAt) return undefined;
  if (statusFound.some((b) => b.code === 'redemption_period' || b.code === 'pending_restore' || b.code === 'pending_delete')) return undefined;
  // ICANN's registrant FAQ: registrars may not deny a transfer only because a domain expired
  // (https://www.icann.org/resources/pages/name-holder-faqs-2017-10-10-en); in practice an expired
  // domain may stop resolving and be deleted at any time (ERRP), so Aster asks for a renewal first.
  const icann = isGenericTld(ctx.tld)
    ? ' ICANN does not let a registrar refuse a move just because a domain expired, but an expired domain may stop working at any moment and the registrar may delete it.'
    : ' An expired domain may stop working at any moment and can be deleted.';
  return {
    code: 'expired',
    ends: 'after_action',
    message: `The registration expired on ${longDate(expiresAt)}.${icann} Ask us to renew it first, then move it.`,
  };
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
  const autoRenew = ctx.domain.autoRenew ? ' Auto-renew is on, but check with us that the renewal will happen in time.' : '';
  const year = term ? ' (the move still adds its year on top)' : '';
  return {
    code: 'expires_soon',
    message: `The registration expires on ${longDate(expiresAt)}, in less than ${ADVICE.renewFirstWithinDays} days. Getting the code and completing a move can take more than a week, and a domain that expires on the way may stop working or be lost: renew it first${year}.${autoRenew}`,
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

function stepsFor(ctx: Context, blockers: readonly Found[], expiring: boolean, dnsHosted: readonly string[]): string[] {
  const { domain, rules, tld } = ctx;
  const has = (code: TransferBlockerCode) => blockers.some((b) => b.code === code);

  if (has('pending_delete')) {
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
  if (has('redemption_period') || has('pending_restore')) {
    steps.push('Ask us to restore the domain from redemption now (the registrar charges a restore fee); move it once it is active again.');
  }
  if (has('expired')) steps.push('Ask us to renew the domain at its current registrar now, before anything else.');
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
    const fallback = REGISTRY_FALLBACK[tld];
    if (fallback) steps.push(fallback);
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
  const expired = expiryBlocker(ctx, statuses);
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
    steps: stepsFor(ctx, found, Boolean(expiring), dnsHosted),
    caveats: caveatsFor(ctx, warnings),
    rules: ctx.rules.map(({ id, summary, source }) => ({ id, summary, source })),
  };
}
