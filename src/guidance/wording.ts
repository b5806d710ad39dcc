// Transfer guidance in English: the sentences for each blocker, warning, step and caveat that
// eligibility.ts decides on. Nothing here decides whether a sentence applies; it only says it,
// quoting the dates of the decision and the numbers of the rules in force (policy-table.ts).
import type { Blocker, Caveat, ExpiryStage, LockBlocker, Situation, Step, StepName, Warning } from './eligibility';
import { CURRENT_TRANSFER_POLICY_FROM, type PolicyRuleOf, type RegistryFallbackRoute } from './policy-table';

const DAY_MS = 86_400_000;
const DATE_FORMAT = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** "2 March 2026" */
function longDate(date: Date | string): string {
  return DATE_FORMAT.format(typeof date === 'string' ? new Date(`${date}T00:00:00Z`) : date);
}

/** `15:30 UTC on 2 March 2026`, or `2 March 2026` for a moment at midnight UTC. */
function momentInWords(date: Date): string {
  const t = date.getTime();
  if (t % DAY_MS === 0) return longDate(date);
  return `${date.toISOString().slice(11, 16)} UTC on ${longDate(date)}`;
}

function quarantineWords(tld: string, rule: PolicyRuleOf<'deleted_name_quarantine'>): string {
  const who = rule.params.restoredBy === 'any_registrar' ? 'the current registrar or any other .' + tld + ' registrar' : 'the current registrar';
  return (
    `A deleted .${tld} domain stays in quarantine for ${rule.params.days} days: it does not work, but the last holder can have it reactivated through ${who}` +
    `${rule.params.fee ? ', for a fee' : ''}. After that anyone can register it.`
  );
}

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
    'Only as a last resort, if neither works, ask EURid for an emergency code: look the domain up in EURid\'s WHOIS, follow the "request an emergency authorisation code" link in the result, fill in the form, sign it and e-mail it to EURid, which checks that you are the holder.',
};

// ---------------------------------------------------------------------------------------------
// Blockers
// ---------------------------------------------------------------------------------------------

const LOCK_EVENT: Readonly<Record<LockBlocker['code'], { what: string; event: string; waitFor: string }>> = {
  lock_after_registration: { what: 'The domain was registered on', event: 'registration', waitFor: 'the lock after registration' },
  lock_after_transfer: { what: 'The domain last moved between registrars on', event: 'a move', waitFor: 'the lock after the last move' },
  lock_after_registrant_change: {
    what: 'The registrant (owner) details changed on',
    event: 'a change of registrant',
    waitFor: 'the lock after the change of registrant',
  },
};

function lockMessage(lock: LockBlocker): string {
  const from = lock.cutShort ? `${momentInWords(lock.end)}, when new ICANN rules take over` : momentInWords(lock.end);
  if (lock.code === 'lock_after_registrant_change') {
    const transition = lock.transitionUnspecifiedFrom
      ? ` The revised ICANN Transfer Policy, in force from ${longDate(lock.transitionUnspecifiedFrom)}, has no such lock, but it does not say whether locks imposed before that day end on it: ask the registrar, which may let the move go ahead from ${longDate(lock.transitionUnspecifiedFrom)}.`
      : '';
    return (
      `${LOCK_EVENT[lock.code].what} ${longDate(lock.since)}. ICANN requires a ${lock.days}-day lock on moves after such a change ` +
      `(a registrant can opt out only before the change, and no opt-out is recorded), so it can move from ${from}.${transition}`
    );
  }
  const { what, event } = LOCK_EVENT[lock.code];
  const refusal =
    lock.obligation === 'must'
      ? `the registrar must refuse a move for ${lock.days} days after ${event}`
      : `the registrar may refuse a move for ${lock.days} days after ${event}, and most registrars do`;
  const early = lock.earlyRemovalOnRequest
    ? ' The registrar may lift this lock sooner if the registrant asks for it and gives a reasonable basis (for example, the move was a mistake).'
    : '';
  return `${what} ${longDate(lock.since)}. Under ICANN's rules ${refusal}, counted in 24-hour days from that moment, so it can move from ${from}.${early}`;
}

const STATUS_WORDING: Readonly<Record<Extract<Blocker, { source: 'status' }>['code'], (s: Situation) => string>> = {
  client_transfer_prohibited: (s) => {
    const delivery = s.rule.auth_code_delivery;
    const deadline = delivery ? ` The registrar must remove it within ${delivery.params.maxDays} days of the registrant's request.` : '';
    return `The registrar's transfer lock is on (clientTransferProhibited). It is a normal protection against theft: ask us, your host, to remove it when you are ready to move.${deadline}`;
  },
  server_transfer_prohibited: () =>
    'The registry itself has locked the domain against moves (serverTransferProhibited). This usually means a dispute or a court order, or a "registry lock" service someone asked for. Only the registry can lift it: ask us to find out why.',
  pending_transfer: (s) => {
    const window = s.rule.transfer_window;
    const wait = window && window.params.days > 0 ? ` (up to ${window.params.days} days)` : '';
    return `A move to another registrar is already under way. If you asked for it, wait for it to finish${wait}. If you did not, tell us at once so that it can be refused.`;
  },
  redemption_period: (s) => {
    const rgp = s.rule.redemption_period;
    const period = rgp ? `its ${rgp.params.days}-day redemption period` : 'its redemption period';
    return `The domain was deleted after it expired and is in ${period}. It cannot be moved now; only the current registrar can restore it, for a restore fee. Ask us to restore it at once, then move it.`;
  },
  pending_restore: () => 'A restore from redemption is being processed. Wait until it is finished; the domain can then be renewed and moved.',
  pending_delete: (s) => {
    if (s.generic) {
      return 'The registry is about to delete the domain (pendingDelete). It can no longer be renewed, restored or moved. Once it is released anyone can register it, so be ready to register it again the moment it is free.';
    }
    const quarantine = s.rule.deleted_name_quarantine;
    if (quarantine) return `The domain has been deleted (pendingDelete). ${quarantineWords(s.tld, quarantine)} Ask us today.`;
    return `The domain has been deleted or is being deleted (pendingDelete). Aster has no data on whether the .${s.tld} registry keeps deleted names recoverable for a while; some country-code registries do, so ask us today to check with the registrar whether it can still be restored.`;
  },
};

function expiredOn(stage: ExpiryStage): string {
  const ago = stage.days === 0 ? 'today' : stage.days === 1 ? '1 day ago' : `${stage.days} days ago`;
  return `The registration expired on ${momentInWords(stage.expiresAt)} (${ago}).`;
}

function expiryMessage(stage: ExpiryStage, s: Situation): string {
  const grace = s.rule.auto_renew_grace;
  const rgp = s.rule.redemption_period;
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
      const quarantine = s.rule.deleted_name_quarantine;
      const icann = s.generic
        ? ' ICANN does not let a registrar refuse a move just because a domain expired, but an expired domain may stop working at any moment and the registrar may delete it.'
        : ' An expired domain may stop working at any moment and can be deleted.';
      const q = quarantine ? ` If it has been deleted: ${quarantineWords(s.tld, quarantine)}` : '';
      return `${expiredOn(stage)}${icann}${q} Ask us to renew it first, then move it.`;
    }
  }
}

/** What stands in the way, in a client's words. */
export function blockerMessage(blocker: Blocker, s: Situation): string {
  switch (blocker.source) {
    case 'lock':
      return lockMessage(blocker);
    case 'status':
      return STATUS_WORDING[blocker.code](s);
    case 'expiry':
      return expiryMessage(blocker.stage, s);
  }
}

// ---------------------------------------------------------------------------------------------
// Warnings
// ---------------------------------------------------------------------------------------------

type WarningWording = { readonly [C in Warning['code']]: (warning: Extract<Warning, { code: C }>, s: Situation) => string };

const WARNING_WORDING: WarningWording = {
  expires_soon: (w, s) => {
    const year = s.rule.term_added_on_transfer ? ' (a renewal made before expiry is kept: the move adds its year on top)' : '';
    const grace = s.rule.auto_renew_grace;
    const cancelled = grace?.params.transferCancelsAutoRenewYear
      ? ` Do not count on the automatic renewal at expiry if you are moving: a move completed within the registry's auto-renew grace period (up to ${grace.params.maxDays} days after expiry) cancels that automatic year, so a renewal charged after expiry may be paid for nothing.`
      : '';
    const autoRenew = w.autoRenew ? ' Auto-renew is on, but check with us that the renewal will happen in time.' : '';
    return `The registration expires on ${longDate(w.expiresAt)}, in less than ${w.withinDays} days. Getting the code and completing a move can take more than a week, and a domain that expires on the way may stop working or be lost: renew it now${year}, or start the move at once.${cancelled}${autoRenew}`;
  },
  transfer_adds_year: (w) =>
    `A move adds ${w.years === 1 ? 'one year' : `${w.years} years`} to the registration (up to ${w.maxTotalYears} years in total), and the new registrar charges for it, usually about the price of a renewal.`,
  dns_hosted_by_host: (w) =>
    `The domain's DNS (the address book that tells the internet where your website and e-mail are) is run by us, your host (${w.nameservers.join(', ')}). Moving the registration does not change that, but if we stop, your website and e-mail stop too. Set up DNS elsewhere and switch the nameservers before or right after the move; never leave the domain without working DNS.`,
  registrant_change_lock_opted_out: (w) =>
    `The registrant (owner) details changed on ${longDate(w.changedAt)}, but the registrant opted out of the ${w.days}-day lock beforehand, so it does not stop a move. If the registrar still shows a lock, ask us.`,
  tld_rules_unknown: (w) =>
    `Aster has no transfer rules for .${w.tld} domains. Most registries use a transfer code as for .com, but waiting periods and fees differ: check with the new registrar before you start.`,
};

/** Something to act on that does not stop a move, in a client's words. */
export function warningMessage(warning: Warning, s: Situation): string {
  return (WARNING_WORDING[warning.code] as (w: Warning, s: Situation) => string)(warning, s);
}

// ---------------------------------------------------------------------------------------------
// Steps
// ---------------------------------------------------------------------------------------------

type StepWording = { readonly [N in StepName]: (step: Extract<Step, { step: N }>, s: Situation) => string };

const REGISTER_AGAIN = 'register it again straight away, at a registrar of your choice and in your own name';

const STEP_WORDING: StepWording = {
  reactivate_from_quarantine: ({ quarantine }, s) =>
    `Ask us today to have the domain reactivated from quarantine (within ${quarantine.params.days} days of its deletion${quarantine.params.fee ? '; the registry charges a fee' : ''}). ${quarantineWords(s.tld, quarantine)}`,
  move_once_active: () => 'Once it is active again, move it with the steps for a normal move.',
  register_again_after_quarantine: () =>
    'If the quarantine has ended, register the name again straight away, at a registrar of your choice and in your own name.',
  ask_whether_registry_restores: (_, s) =>
    `Ask us today to find out from the registrar whether the .${s.tld} registry still lets it restore the domain, and what that costs.`,
  register_again_if_not_restored: () => `If it cannot be restored, watch for the name to be released and ${REGISTER_AGAIN}.`,
  too_late: () => 'It is too late to renew, restore or move this registration.',
  ask_whether_registrar_kept_it: () =>
    'Ask us to check with the registrar whether it kept the name (some keep expired names and sell or auction them) and, if so, what it asks for it.',
  register_again_when_free: () => `Look the name up: if it is free, or once it is released, ${REGISTER_AGAIN}, at the normal registration price.`,
  nothing_can_be_done: () => 'Nothing can be done for this registration any more: it will be deleted.',
  register_again_when_released: () => `Watch for the name to be released and ${REGISTER_AGAIN}.`,

  wait_for_lock: (step) => `Wait until ${longDate(step.until)}, when ${LOCK_EVENT[step.lock].waitFor} ends. You can prepare everything else meanwhile.`,
  wait_for_move_under_way: () => 'Wait for the move already under way to finish; if you did not ask for it, tell us at once.',
  ask_why_registry_locked: () => 'Ask us to find out from the registry why it locked the domain, and what it takes to lift the lock.',
  check_deleted_or_kept: () => "Ask us today to check the domain's status at the registry: whether the registrar deleted it (redemptionPeriod) or kept it.",
  restore_from_redemption: () => 'Ask us to restore the domain from redemption now (the registrar charges a restore fee); move it once it is active again.',
  check_not_deleted: () =>
    "Ask us to check the domain's status at the registry today: if it shows redemptionPeriod, it has been deleted and must be restored first, for a restore fee.",
  move_instead_of_renewing: (step) =>
    `If you are moving the domain, do not renew it first: start the move now with the steps below. Completed by ${longDate(step.graceEnds)} (the end of the auto-renew grace period at the latest), the move adds its own year and cancels the automatic renewal year, so a renewal paid first would be lost. If the move cannot be finished in time, ask us to renew it instead.`,
  renew_if_staying: () => "If you are keeping the domain where it is, ask us to renew it now, at the registrar's renewal price.",
  renew_first: () => 'Ask us to renew the domain at its current registrar now, before anything else.',
  renew_before_expiry: (step) => `Ask us to renew the domain now: it expires on ${longDate(step.expiresAt)}, before a move could be finished.`,

  check_registrant_email: (_, s) =>
    'Check that the registrant (owner) e-mail address on the domain reaches you: your own address, or the Aster address we set up for this domain, which forwards to you.' +
    (s.rule.transfer_approval ? ' The registrant alone approves a move.' : ''),
  open_account_at_new_registrar: () => 'Choose the new registrar and open an account there in your own name.',
  set_up_dns_elsewhere: () =>
    'Set up DNS at the new registrar or another DNS provider before you switch: copy every record we hold for the domain (website: A, AAAA, CNAME; e-mail: MX and the SPF/DKIM TXT records; any others), then change the nameservers. See "Keeping your website and e-mail working during a move".',
  registrar_notes: (step) => `Notes for ${step.registrar ?? 'the current registrar'}: ${step.notes}`,

  ask_for_registrar_tag: () =>
    'Ask the new registrar for its registrar tag (also called IPS tag), and whether it has to accept incoming domains before they arrive.',
  unlock_before_tag_change: () => 'Ask us to remove the transfer lock (clientTransferProhibited) before the tag change.',
  change_registrar_tag: (_, s) =>
    `Ask us to change the domain's registrar tag to the new registrar's tag. .${s.tld} domains move this way: no transfer code is used.`,
  accept_at_new_registrar: () => "Check in the new registrar's control panel that the domain has arrived, and accept it there if it asks you to.",

  unlock: (_, s) => {
    const delivery = s.rule.auth_code_delivery;
    return (
      'Ask us to remove the transfer lock (clientTransferProhibited).' +
      (delivery ? ` The registrar must do it within ${delivery.params.maxDays} days of the registrant's request.` : '')
    );
  },
  check_unlocked: () => 'Make sure the transfer lock is off (ask us if you are not sure).',
  ask_for_code: (_, s) => {
    const delivery = s.rule.auth_code_delivery;
    const validity = s.rule.auth_code_validity;
    const codeName = s.rule.transfer_method?.params.codeName ?? 'transfer code (auth code)';
    return (
      `Ask us for the ${codeName}.` +
      (delivery ? ` The registrar must give it within ${delivery.params.maxDays} days of the registrant's request.` : '') +
      (validity
        ? ` It is valid for ${validity.params.days} days${validity.params.singleUse ? ' and works only once' : ''}, so start the move soon after you get it.`
        : '') +
      ' Keep it private, like a password.'
    );
  },
  registry_fallback: (step) => FALLBACK_WORDING[step.rule.params.route](step.rule),
  start_move: (_, s) => {
    const term = s.rule.term_added_on_transfer;
    return (
      'Start the move at the new registrar: enter the domain name and the code, and pay.' +
      (term
        ? ` The fee usually covers ${term.params.years === 1 ? 'one more year' : `${term.params.years} more years`}, which is added to the registration.`
        : '')
    );
  },
  expect_confirmation: ({ notice }) => {
    return (
      `Within ${notice.params.withinHours} hours the current registrar e-mails the registrant to confirm the move. You do not need to reply for it to go ahead` +
      (notice.params.approveLinkAllowed ? ' (a link in that e-mail may let you approve it sooner)' : '') +
      '. Do not cancel it, unless you did not ask for the move.'
    );
  },
  wait_for_completion: ({ window }) =>
    window.params.days === 0
      ? 'The domain moves as soon as the new registrar submits a matching code.'
      : `The move completes within ${window.params.days} days at most: if the current registrar does not answer, it is approved automatically.`,

  after_the_move: (step) =>
    `When the move is complete, log in at the new registrar: check that you are the registrant, with an e-mail address you read,${step.relock ? ' turn the transfer lock back on and' : ''} switch on auto-renew. Then tell us, so that we update our records.`,
};

/** One step, as an instruction to the client. */
export function stepText(step: Step, s: Situation): string {
  return (STEP_WORDING[step.step] as (step: Step, s: Situation) => string)(step, s);
}

// ---------------------------------------------------------------------------------------------
// Caveats
// ---------------------------------------------------------------------------------------------

type CaveatWording = { readonly [C in Caveat['caveat']]: (caveat: Extract<Caveat, { caveat: C }>, s: Situation) => string };

const CAVEAT_WORDING: CaveatWording = {
  registrant_alone_approves: (c) => {
    const policy = c.source.policy.replace(/\s*\(.*$/, '');
    const where = c.source.section ? `${policy}, section ${c.source.section}` : policy;
    return `Only the registrant can approve or refuse a move (${where}). Since ${longDate(CURRENT_TRANSFER_POLICY_FROM)} ICANN no longer requires an administrative contact, so mail to the registrant's address must reach you.`;
  },
  beware_of_scams: (c) =>
    (c.byTag ? 'Ask for a tag change only to a registrar you chose yourself.' : 'Give the transfer code to nobody but the new registrar.') +
    ' ICANN never renews or sells domains itself: an e-mail asking you to renew "with ICANN", or an unexpected invoice from a company you do not know, is a scam. Ask us before you pay anything.',
  rules_change: (c, s) => {
    const parts = [`From ${longDate(c.date)} the rules for .${s.tld} change.`];
    if (c.starting.length > 0) parts.push(`New: ${c.starting.map((r) => r.summary).join(' ')}`);
    if (c.ending.length > 0) parts.push(`No longer in force: ${c.ending.map((r) => r.summary).join(' ')}`);
    return parts.join(' ');
  },
  revised_policy_adopted: (c) =>
    `ICANN adopted a revised Transfer Policy on ${longDate(c.adoptedOn)}: mandatory 30-day locks after registration and after a move, single-use transfer codes valid for 14 days, and no lock after a change of registrant. It is not in force yet and no start date has been announced; this guidance follows the rules in force today.`,
};

/** One caveat, in a client's words. */
export function caveatText(caveat: Caveat, s: Situation): string {
  return (CAVEAT_WORDING[caveat.caveat] as (c: Caveat, s: Situation) => string)(caveat, s);
}
