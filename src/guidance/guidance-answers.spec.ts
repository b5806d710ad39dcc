// Whole answers, word for word: a table of domains and dates run through transferGuidance (and the
// page that shows it), compared with the stored snapshot. The other specs check meanings; this one
// guards the exact text while the decision and its wording are rearranged. A change in wording
// shows here as a snapshot diff to review, then to accept with `jest -u`.
import { GuidanceDomain } from './eligibility';
import { transferGuidance } from './transfer-guidance';
import { domainGuidancePage } from './pages';
import { PolicyRule, policyTable } from './policy-table';

const day = (iso: string) => new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);

const HOST_NAMESERVERS = ['ns1.artsites.test', '*.dns.artsites.test'];

function domain(overrides: Partial<GuidanceDomain> = {}): GuidanceDomain {
  return {
    name: 'lindapence.com',
    registeredAt: day('2019-03-10'),
    expiresAt: day('2028-03-10'),
    lastTransferredAt: null,
    registrantChangedAt: null,
    statuses: ['ok'],
    nameservers: ['ns1.otherdns.example', 'ns2.otherdns.example'],
    autoRenew: true,
    registrarName: 'Gandi',
    registrarNotes: null,
    ...overrides,
  };
}

/** The table with some rules changed, to reach wording that today's rules never produce. */
function editedTable(edit: (rule: PolicyRule) => PolicyRule | undefined, base: PolicyRule[] = policyTable()): PolicyRule[] {
  return base.map(edit).filter((rule): rule is PolicyRule => rule !== undefined);
}

const REVISED_2027 = policyTable({ revisedTransferPolicyFrom: '2027-03-01' });

const WITHOUT = (...kinds: PolicyRule['kind'][]) => editedTable((rule) => (kinds.includes(rule.kind) ? undefined : rule));

const UNUSUAL_PARAMS = editedTable((rule) => {
  switch (rule.kind) {
    case 'term_added_on_transfer':
      return { ...rule, params: { ...rule.params, years: 2 } };
    case 'registry_fallback':
      return { ...rule, params: { ...rule.params, fee: false } };
    case 'deleted_name_quarantine':
      return { ...rule, params: { ...rule.params, restoredBy: 'sponsoring_registrar', fee: false } };
    case 'lock_after_transfer':
      return { ...rule, params: { ...rule.params, obligation: 'must', earlyRemovalOnRequest: true } };
    case 'confirmation_notice':
      return { ...rule, params: { ...rule.params, approveLinkAllowed: true } };
    case 'auth_code_validity':
      return { ...rule, params: { ...rule.params, singleUse: true } };
    default:
      return rule;
  }
});

interface Scenario {
  domain: Partial<GuidanceDomain>;
  at: string;
  rules?: PolicyRule[];
  page?: boolean;
}

const SCENARIOS: Record<string, Scenario> = {
  'healthy .com': { domain: {}, at: '2026-11-25', page: true },
  'healthy .com, no registrar name, notes': { domain: { registrarName: null, registrarNotes: '  Unlock in the panel under Security.  ' }, at: '2026-11-25' },
  '.com registered 10 days ago': { domain: { registeredAt: day('2026-11-15') }, at: '2026-11-25', page: true },
  '.com registered at 15:30': { domain: { registeredAt: day('2026-11-15T15:30:00Z') }, at: '2026-11-25' },
  '.com moved and changed owner recently, client lock on': {
    domain: { lastTransferredAt: day('2026-10-01'), registrantChangedAt: day('2026-11-01'), statuses: ['clientTransferProhibited'] },
    at: '2026-11-25',
  },
  '.com registrant change opted out': { domain: { registrantChangedAt: day('2026-11-01'), registrantChangeOptOut: true }, at: '2026-11-25' },
  '.com every status that blocks': {
    domain: { statuses: ['clientTransferProhibited', 'server transfer prohibited', 'https://icann.org/epp#pendingTransfer'] },
    at: '2026-11-25',
    page: true,
  },
  '.com in redemption with pendingDelete': { domain: { statuses: ['redemptionPeriod', 'pendingDelete'], expiresAt: day('2026-09-01') }, at: '2026-11-25' },
  '.com pendingRestore': { domain: { statuses: ['pendingRestore'] }, at: '2026-11-25' },
  '.com pendingDelete alone': { domain: { statuses: ['pendingDelete'], expiresAt: day('2026-08-01') }, at: '2026-11-25' },
  '.com expiring in 10 days, auto-renew on, DNS by the host': {
    domain: { expiresAt: day('2026-12-05'), nameservers: ['ns1.artsites.test.', 'b.dns.artsites.test', 'ns.elsewhere.example'] },
    at: '2026-11-25',
    page: true,
  },
  '.com expiring in 10 days, auto-renew off': { domain: { expiresAt: day('2026-12-05'), autoRenew: false }, at: '2026-11-25' },
  '.com expired today at 09:00': { domain: { expiresAt: day('2026-11-25T09:00:00Z') }, at: '2026-11-25T12:00:00Z' },
  '.com expired 1 day ago': { domain: { expiresAt: day('2026-11-24') }, at: '2026-11-25' },
  '.com expired 35 days ago': { domain: { expiresAt: day('2026-10-21') }, at: '2026-11-25', page: true },
  '.com expired 50 days ago, autoRenewPeriod': { domain: { expiresAt: day('2026-10-06'), statuses: ['autoRenewPeriod'] }, at: '2026-11-25' },
  '.com expired 60 days ago': { domain: { expiresAt: day('2026-09-26') }, at: '2026-11-25' },
  '.com expired 77 days ago': { domain: { expiresAt: day('2026-09-09') }, at: '2026-11-25' },
  '.com expired 90 days ago': { domain: { expiresAt: day('2026-08-27') }, at: '2026-11-25' },
  '.com expired, table without grace': { domain: { expiresAt: day('2026-11-01') }, at: '2026-11-25', rules: WITHOUT('auto_renew_grace') },
  '.com 60 days expired, table without redemption': { domain: { expiresAt: day('2026-09-26') }, at: '2026-11-25', rules: WITHOUT('redemption_period') },
  '.com 80 days expired, without pendingDelete period': { domain: { expiresAt: day('2026-09-06') }, at: '2026-11-25', rules: WITHOUT('pending_delete_period') },
  '.com with a minimal table': {
    domain: { registeredAt: day('2026-11-01'), statuses: ['clientTransferProhibited', 'pendingTransfer'] },
    at: '2026-11-25',
    rules: WITHOUT('transfer_approval', 'auth_code_delivery', 'term_added_on_transfer', 'confirmation_notice', 'transfer_window', 'auth_code_validity'),
  },
  '.com in 2025 under the old policy': { domain: { registeredAt: day('2025-05-01') }, at: '2025-06-01' },
  '.com in 2010, redemption': { domain: { statuses: ['redemptionPeriod'], expiresAt: day('2010-01-01') }, at: '2010-02-20' },
  '.com revised policy ahead': {
    domain: { registeredAt: day('2027-01-15'), registrantChangedAt: day('2027-02-01') },
    at: '2027-02-10',
    rules: REVISED_2027,
  },
  '.com revised policy in force': {
    domain: { lastTransferredAt: day('2027-03-10'), registrantChangedAt: day('2027-01-20') },
    at: '2027-03-20',
    rules: REVISED_2027,
    page: true,
  },
  '.com unusual parameters': {
    domain: { lastTransferredAt: day('2026-11-01'), expiresAt: day('2026-12-01'), autoRenew: null },
    at: '2026-11-25',
    rules: UNUSUAL_PARAMS,
  },
  '.uk healthy': { domain: { name: 'lindapence.co.uk', registrarNotes: 'Tag changes by ticket.' }, at: '2026-11-25' },
  '.uk client lock, expired': { domain: { name: 'lindapence.co.uk', statuses: ['clientTransferProhibited'], expiresAt: day('2026-11-01') }, at: '2026-11-25' },
  '.de healthy': { domain: { name: 'lindapence.de' }, at: '2026-11-25', page: true },
  '.de pendingTransfer, fallback without fee': { domain: { name: 'lindapence.de', statuses: ['pendingTransfer'] }, at: '2026-11-25', rules: UNUSUAL_PARAMS },
  '.eu client lock': { domain: { name: 'omarhaddad.eu', statuses: ['clientTransferProhibited'] }, at: '2026-11-25' },
  '.eu expired': { domain: { name: 'omarhaddad.eu', expiresAt: day('2026-11-10') }, at: '2026-11-25' },
  '.eu pendingDelete': { domain: { name: 'omarhaddad.eu', statuses: ['pendingDelete'] }, at: '2026-11-25', page: true },
  '.nl pendingDelete, quarantine by the last registrar without fee': {
    domain: { name: 'lindapence.nl', statuses: ['pendingDelete'] },
    at: '2026-11-25',
    rules: UNUSUAL_PARAMS,
  },
  '.io pendingDelete (no data)': { domain: { name: 'lindapence.io.', statuses: ['pendingDelete'] }, at: '2026-11-25' },
  '.io expired, locks recorded': { domain: { name: 'LindaPence.IO', registeredAt: day('2026-11-01'), expiresAt: day('2026-11-20') }, at: '2026-11-25' },
  'IDN TLD': { domain: { name: 'xn--bcher-kva.xn--p1ai' }, at: '2026-11-25' },
  'invalid record dates': { domain: { registeredAt: new Date('nope'), expiresAt: new Date(Number.NaN) }, at: '2026-11-25' },
};

describe('transfer guidance, word for word', () => {
  it.each(Object.entries(SCENARIOS))('%s', (_name, scenario) => {
    const at = day(scenario.at);
    const answer = transferGuidance({
      domain: domain(scenario.domain),
      at,
      rules: scenario.rules ?? policyTable(),
      hostNameservers: HOST_NAMESERVERS,
    });
    expect(JSON.stringify(answer, null, 2)).toMatchSnapshot('answer');
    if (scenario.page) {
      const page = domainGuidancePage({ ...answer, unicodeName: answer.domain, registrar: 'Gandi' }, at, [
        { slug: 'moving-a-domain', title: 'Moving a domain' },
      ]);
      expect(page).toMatchSnapshot('page');
    }
  });
});
