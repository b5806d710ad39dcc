import { GuidanceDomain, TransferDecision, transferDecision } from './eligibility';
import { TransferGuidance, transferGuidance } from './transfer-guidance';
import { PolicyRule, policyTable } from './policy-table';

const day = (iso: string) => new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);

const HOST_NAMESERVERS = ['ns1.artsites.test', 'ns2.artsites.test'];

/** A healthy .com domain, registered long ago, expiring far in the future, DNS elsewhere. */
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

function guidance(overrides: Partial<GuidanceDomain>, at: string, options: { rules?: PolicyRule[]; hostNameservers?: string[] } = {}): TransferGuidance {
  return transferGuidance({
    domain: domain(overrides),
    at: day(at),
    rules: options.rules ?? policyTable(),
    hostNameservers: options.hostNameservers ?? HOST_NAMESERVERS,
  });
}

const blocker = (g: TransferGuidance, code: string) => g.blockers.find((b) => b.code === code);
const warning = (g: TransferGuidance, code: string) => g.warnings.find((w) => w.code === code);

describe('transferGuidance', () => {
  it('answers in the shape of the Contract', () => {
    const g = guidance({}, '2026-11-25');
    expect(Object.keys(g)).toEqual(expect.arrayContaining(['domain', 'eligible', 'earliestTransferDate', 'blockers', 'steps', 'caveats']));
    expect(g).toMatchObject({ domain: 'lindapence.com', eligible: true, earliestTransferDate: '2026-11-25', blockers: [] });
    expect(g.steps.length).toBeGreaterThan(3);
    expect(g.rules.every((r) => r.source.url.startsWith('http'))).toBe(true);
  });

  // Each dated blocker: the day before it starts, its first day, the day after, the day before it
  // ends, the day it ends and the day after. `until` is the first day the domain is free of it.
  describe.each([
    {
      code: 'lock_after_registration',
      overrides: { registeredAt: day('2026-01-01') },
      start: '2026-01-01',
      until: '2026-03-02', // 60 days
    },
    {
      code: 'lock_after_transfer',
      overrides: { lastTransferredAt: day('2026-05-10') },
      start: '2026-05-10',
      until: '2026-07-09', // 60 days
    },
    {
      code: 'lock_after_registrant_change',
      overrides: { registrantChangedAt: day('2026-09-01') },
      start: '2026-09-01',
      until: '2026-10-31', // 60 days
    },
  ])('$code', ({ code, overrides, start, until }) => {
    const shift = (iso: string, days: number) => new Date(day(iso).getTime() + days * 86_400_000).toISOString().slice(0, 10);

    it.each([
      ['the day before it starts', shift(start, -1), false],
      ['its first day', start, true],
      ['the day after it starts', shift(start, 1), true],
      ['the day before it ends', shift(until, -1), true],
      ['the day it ends', until, false],
      ['the day after it ends', shift(until, 1), false],
    ])('on %s (%s) applies: %s', (_label, at, applies) => {
      const g = guidance(overrides, at);
      if (applies) {
        expect(blocker(g, code)).toEqual({ code, message: expect.any(String), until });
        expect(g.eligible).toBe(false);
        expect(g.earliestTransferDate).toBe(until);
        expect(g.steps[0]).toMatch(/^Wait until /);
      } else {
        expect(blocker(g, code)).toBeUndefined();
        expect(g.eligible).toBe(true);
        expect(g.earliestTransferDate).toBe(at);
      }
    });
  });

  describe('the lock after a change of registrant, opted out', () => {
    it.each([
      ['2026-08-31', false],
      ['2026-09-01', true],
      ['2026-09-02', true],
      ['2026-10-30', true],
      ['2026-10-31', false],
      ['2026-11-01', false],
    ])('on %s does not block, and warns: %s', (at, warns) => {
      const g = guidance({ registrantChangedAt: day('2026-09-01'), registrantChangeOptOut: true }, at);
      expect(blocker(g, 'lock_after_registrant_change')).toBeUndefined();
      expect(g.eligible).toBe(true);
      expect(Boolean(warning(g, 'registrant_change_lock_opted_out'))).toBe(warns);
    });
  });

  // The registry counts 60 × 24 hours from the creation time, not from midnight UTC.
  describe('counts a lock in 24-hour days from the exact moment it started', () => {
    const overrides = { registeredAt: day('2026-01-01T15:30:00Z') };
    it.each([
      ['2026-03-01T15:30:00Z', '2026-03-02'],
      ['2026-03-02', '2026-03-02'],
      ['2026-03-02T15:29:59Z', '2026-03-02'],
      ['2026-03-02T15:30:00Z', undefined],
      ['2026-03-02T20:00:00Z', undefined],
      ['2026-03-03', undefined],
    ])('at %s: until %s', (at, until) => {
      const g = guidance(overrides, at);
      expect(blocker(g, 'lock_after_registration')?.until).toBe(until);
      expect(g.eligible).toBe(until === undefined);
    });

    it('names the hour when the lock does not end at midnight', () => {
      expect(blocker(guidance(overrides, '2026-03-02'), 'lock_after_registration')?.message).toMatch(/can move from 15:30 UTC on 2 March 2026\./);
    });
  });

  it('says "may" for today\'s 60-day locks and names the end date in plain words', () => {
    const g = guidance({ registeredAt: day('2026-11-01') }, '2026-11-25');
    expect(blocker(g, 'lock_after_registration')?.message).toBe(
      "The domain was registered on 1 November 2026. Under ICANN's rules the registrar may refuse a move for 60 days after registration, and most registrars do, counted in 24-hour days from that moment, so it can move from 31 December 2026.",
    );
  });

  describe('EPP statuses', () => {
    it.each([
      ['clientTransferProhibited', 'client_transfer_prohibited', '2026-11-25'],
      ['serverTransferProhibited', 'server_transfer_prohibited', null],
      ['pendingTransfer', 'pending_transfer', null],
      ['pendingDelete', 'pending_delete', null],
      ['redemptionPeriod', 'redemption_period', null],
      ['pendingRestore', 'pending_restore', null],
    ])('%s blocks as %s; earliest date %s', (status, code, earliest) => {
      const g = guidance({ statuses: [status] }, '2026-11-25');
      expect(g.blockers.map((b) => b.code)).toEqual([code]);
      expect(blocker(g, code)?.until).toBeUndefined();
      expect(g.eligible).toBe(false);
      expect(g.earliestTransferDate).toBe(earliest);
    });

    it.each([['ok'], ['clientDeleteProhibited'], ['clientUpdateProhibited'], ['autoRenewPeriod'], ['addPeriod']])('%s does not block a transfer', (status) => {
      expect(guidance({ statuses: [status] }, '2026-11-25').eligible).toBe(true);
    });

    it.each([
      ['client transfer prohibited'],
      ['CLIENTTRANSFERPROHIBITED'],
      ['https://icann.org/epp#clientTransferProhibited'],
      ['  clientTransferProhibited '],
    ])('reads the RDAP, upper-case and link forms: %p', (status) => {
      expect(blocker(guidance({ statuses: [status] }, '2026-11-25'), 'client_transfer_prohibited')).toBeDefined();
    });

    it('asks the host to remove the client lock, and the registrar to do it within five days', () => {
      const g = guidance({ statuses: ['clientTransferProhibited'] }, '2026-11-25');
      expect(blocker(g, 'client_transfer_prohibited')?.message).toMatch(/ask us, your host, to remove it/);
      expect(blocker(g, 'client_transfer_prohibited')?.message).toMatch(/within 5 days/);
      expect(g.steps.some((s) => s.startsWith('Ask us to remove the transfer lock (clientTransferProhibited).'))).toBe(true);
    });

    it('treats pendingDelete during redemption as redemption (restore first), not as too late', () => {
      const g = guidance({ statuses: ['redemptionPeriod', 'pendingDelete'], expiresAt: day('2026-10-01') }, '2026-11-25');
      expect(g.blockers.map((b) => b.code)).toEqual(['redemption_period']);
      expect(blocker(g, 'redemption_period')?.message).toMatch(/30-day redemption period/);
      expect(g.steps.some((s) => s.includes('restore the domain from redemption'))).toBe(true);
    });

    it('says it is too late when pendingDelete stands alone', () => {
      const g = guidance({ statuses: ['pendingDelete'], expiresAt: day('2026-09-01') }, '2026-11-25');
      expect(g.blockers.map((b) => b.code)).toEqual(['pending_delete']);
      expect(g.steps).toHaveLength(2);
      expect(g.steps[1]).toMatch(/register it again/);
    });
  });

  describe('expiry', () => {
    const expiresAt = day('2026-12-31');
    // expires_soon starts 14 days before expiry (17 December) and ends on expiry day, when the
    // domain becomes expired.
    it.each([
      ['2026-12-16', undefined, false],
      ['2026-12-17', 'expires_soon', false],
      ['2026-12-18', 'expires_soon', false],
      ['2026-12-30', 'expires_soon', false],
      ['2026-12-31', undefined, true],
      ['2027-01-01', undefined, true],
    ])('on %s: warning %s, expired %s', (at, warningCode, expired) => {
      const g = guidance({ expiresAt }, at);
      expect(warning(g, 'expires_soon')?.code).toBe(warningCode);
      expect(Boolean(blocker(g, 'expired'))).toBe(expired);
      expect(g.eligible).toBe(!expired);
      if (expired) {
        expect(g.earliestTransferDate).toBe(at); // still within the auto-renew grace period
        expect(g.steps.some((s) => s.startsWith('If you are moving the domain, do not renew it first'))).toBe(true);
        expect(g.steps.some((s) => s.startsWith('If you are keeping the domain where it is, ask us to renew it now'))).toBe(true);
      }
    });

    it('explains that ICANN lets an expired gTLD move, and that renewing first would waste the year', () => {
      const message = blocker(guidance({ expiresAt }, '2027-01-05'), 'expired')?.message;
      expect(message).toMatch(/^The registration expired on 31 December 2026 \(5 days ago\)\./);
      expect(message).toMatch(/ICANN does not let a registrar refuse a move only because the domain expired/);
      expect(message).toMatch(/do not renew it first: a move completed in this period cancels the automatic renewal year/);
      expect(message).not.toMatch(/Ask us to renew it first/);
    });

    it('adds a renewal step while the expiry is near, after the waits and before the preparation', () => {
      const g = guidance({ expiresAt, registeredAt: day('2026-11-01') }, '2026-12-20');
      expect(g.steps[0]).toMatch(/^Wait until 31 December 2026/);
      expect(g.steps[1]).toBe('Ask us to renew the domain now: it expires on 31 December 2026, before a move could be finished.');
      expect(guidance({ expiresAt }, '2026-12-16').steps.some((s) => s.startsWith('Ask us to renew'))).toBe(false);
    });

    it('mentions auto-renew when it is on', () => {
      expect(warning(guidance({ expiresAt, autoRenew: true }, '2026-12-20'), 'expires_soon')?.message).toMatch(/Auto-renew is on/);
      expect(warning(guidance({ expiresAt, autoRenew: false }, '2026-12-20'), 'expires_soon')?.message).not.toMatch(/Auto-renew/);
    });

    it('does not add "expired" to redemption or deletion', () => {
      for (const statuses of [['redemptionPeriod'], ['pendingRestore'], ['pendingDelete']]) {
        const g = guidance({ expiresAt, statuses }, '2027-02-01');
        expect(blocker(g, 'expired')).toBeUndefined();
      }
    });
  });

  // Issue 17: how long ago a gTLD expired decides what is possible. Expired 21 September 2026
  // 00:00 UTC: day 8 may be deleted (ERRP 8-day interruption), day 45 ends the auto-renew grace,
  // day 75 the 30-day redemption at the latest, day 80 the 5-day pendingDelete.
  describe('expiry stages of a .com without statuses on record', () => {
    const expiresAt = day('2026-09-21');
    it.each([
      ['2026-09-20', 'not expired', undefined, '2026-09-20'],
      ['2026-09-21', 'day 0', 'expired', '2026-09-21'],
      ['2026-09-28', 'day 7', 'expired', '2026-09-28'],
      ['2026-09-29', 'day 8', 'expired', '2026-09-29'],
      ['2026-10-31', 'day 40', 'expired', '2026-10-31'],
      ['2026-11-04', 'day 44', 'expired', '2026-11-04'],
      ['2026-11-05', 'day 45', 'redemption_period', null],
      ['2026-11-06', 'day 46', 'redemption_period', null],
      ['2026-12-04', 'day 74', 'redemption_period', null],
      ['2026-12-05', 'day 75', 'pending_delete', null],
      ['2026-12-09', 'day 79', 'pending_delete', null],
      ['2026-12-10', 'day 80', 'pending_delete', null],
      ['2026-12-11', 'day 81', 'pending_delete', null],
    ])('on %s (%s): blocker %s, earliest %s', (at, _label, code, earliest) => {
      const g = guidance({ expiresAt, statuses: [] }, at);
      expect(g.blockers.map((b) => b.code)).toEqual(code ? [code] : []);
      expect(g.earliestTransferDate).toBe(earliest);
      expect(g.eligible).toBe(code === undefined);
    });

    it.each([
      ['2026-09-28', false],
      ['2026-09-29', true],
      ['2026-11-04', true],
    ])('on %s says it may already be in redemption: %s', (at, may) => {
      const g = guidance({ expiresAt, statuses: [] }, at);
      expect(/may already have deleted it/.test(blocker(g, 'expired')!.message)).toBe(may);
      expect(g.steps.some((s) => s.startsWith("Ask us to check the domain's status at the registry today"))).toBe(may);
    });

    it('at 10 days: movable, without renewing first, because the move cancels the auto-renew year', () => {
      const g = guidance({ expiresAt, statuses: [] }, '2026-10-01');
      const message = blocker(g, 'expired')!.message;
      expect(message).toMatch(/\(10 days ago\)/);
      expect(message).toMatch(/at most 45 days after expiry \(until 5 November 2026 at the latest/);
      expect(message).toMatch(/renewed at the current registrar at its renewal price/);
      expect(g.steps.some((s) => s.startsWith('If you are moving the domain, do not renew it first') && s.includes('5 November 2026'))).toBe(true);
      expect(g.steps.some((s) => s === 'Ask us to renew the domain at its current registrar now, before anything else.')).toBe(false);
      expect(g.steps.some((s) => s.startsWith('Ask us for the transfer code'))).toBe(true);
    });

    it('at 35 days: says it may already be in redemption, and to check first', () => {
      const message = blocker(guidance({ expiresAt, statuses: [] }, '2026-10-26'), 'expired')!.message;
      expect(message).toMatch(
        /may already have deleted it: it would then be in its 30-day redemption period, where it can only be restored, for a restore fee/,
      );
    });

    it('at 60 days: no longer renewable; restore with a fee if deleted, or kept by the registrar', () => {
      const g = guidance({ expiresAt, statuses: [] }, '2026-11-20');
      const message = blocker(g, 'redemption_period')!.message;
      expect(message).toMatch(/past the registry's auto-renew grace period \(at most 45 days\), so it can no longer be renewed at the normal price, nor moved/);
      expect(message).toMatch(/only the current registrar can restore it, for a restore fee on top of a renewal/);
      expect(message).toMatch(/ends by 5 December 2026 at the latest/);
      expect(message).toMatch(/Some registrars keep expired names/);
      expect(g.steps.some((s) => s.includes('restore the domain from redemption'))).toBe(true);
      expect(g.steps.some((s) => s.includes('renew it now'))).toBe(false);
    });

    it('at 80 days: cannot be renewed, restored or moved; never "renew first, earliest today"', () => {
      const g = guidance({ expiresAt, statuses: [] }, '2026-12-10');
      const message = blocker(g, 'pending_delete')!.message;
      expect(message).toMatch(/\(80 days ago\)/);
      expect(message).toMatch(/it can no longer be renewed, restored or moved/);
      expect(message).not.toMatch(/renew it first/);
      expect(g.earliestTransferDate).toBeNull();
      expect(g.steps[0]).toBe('It is too late to renew, restore or move this registration.');
      expect(g.steps.some((s) => s.includes('register it again'))).toBe(true);
    });

    it('at 77 days: being deleted, released by 10 December at the latest', () => {
      expect(blocker(guidance({ expiresAt, statuses: [] }, '2026-12-07'), 'pending_delete')!.message).toMatch(/releases it by 10 December 2026 at the latest/);
    });

    it('believes a recorded autoRenewPeriod over the date: still renewable at 50 days', () => {
      const g = guidance({ expiresAt, statuses: ['autoRenewPeriod'] }, '2026-11-10');
      expect(g.blockers.map((b) => b.code)).toEqual(['expired']);
      expect(g.earliestTransferDate).toBe('2026-11-10');
    });

    it('believes recorded deletion statuses over the date', () => {
      const g = guidance({ expiresAt, statuses: ['redemptionPeriod', 'pendingDelete'] }, '2026-10-01');
      expect(g.blockers.map((b) => b.code)).toEqual(['redemption_period']);
    });

    it('reasons the same way before the 2024 policy text, from the ERRP of 31 August 2013', () => {
      const old = (at: string) => guidance({ expiresAt: day('2014-01-01'), statuses: [] }, at);
      expect(old('2014-01-10').blockers.map((b) => b.code)).toEqual(['expired']);
      expect(old('2014-03-01').blockers.map((b) => b.code)).toEqual(['redemption_period']);
      expect(old('2014-03-25').blockers.map((b) => b.code)).toEqual(['pending_delete']);
    });
  });

  describe('expiring soon: renewing before a move', () => {
    it('keeps an explicit renewal before expiry, but warns that a move in the grace period cancels the automatic year', () => {
      const message = warning(guidance({ expiresAt: day('2026-12-31') }, '2026-12-20'), 'expires_soon')!.message;
      expect(message).toMatch(/renew it now \(a renewal made before expiry is kept: the move adds its year on top\), or start the move at once/);
      expect(message).toMatch(/a move completed within the registry's auto-renew grace period \(up to 45 days after expiry\) cancels that automatic year/);
    });
  });

  describe('pendingDelete outside the gTLDs', () => {
    it.each([
      ['linda-maler.eu', /quarantine for 40 days/],
      ['lindapence.nl', /quarantine for 40 days/],
    ])('%s: recoverable from quarantine, not "nothing can be done"', (name, text) => {
      const g = guidance({ name, statuses: ['pendingDelete'] }, '2026-11-25');
      expect(g.blockers.map((b) => b.code)).toEqual(['pending_delete']);
      expect(blocker(g, 'pending_delete')!.message).toMatch(text);
      expect(blocker(g, 'pending_delete')!.message).not.toMatch(/can no longer be renewed, restored or moved/);
      expect(g.earliestTransferDate).toBeNull();
      expect(g.steps[0]).toMatch(/^Ask us today to have the domain reactivated from quarantine/);
      expect(g.steps.join(' ')).not.toMatch(/Nothing can be done/);
    });

    it('a ccTLD without data: says Aster does not know and asks to check', () => {
      const g = guidance({ name: 'studio.io', statuses: ['pendingDelete'] }, '2026-11-25');
      expect(blocker(g, 'pending_delete')!.message).toMatch(/Aster has no data on whether the \.io registry keeps deleted names recoverable/);
      expect(g.steps.join(' ')).not.toMatch(/Nothing can be done/);
    });

    it('an expired .eu mentions the quarantine', () => {
      const g = guidance({ name: 'linda-maler.eu', expiresAt: day('2026-11-01') }, '2026-11-25');
      expect(blocker(g, 'expired')!.message).toMatch(/quarantine for 40 days/);
    });
  });

  // Issue 17 item 2: before 21 August 2025 the older rules still apply.
  describe('rules from their real start dates', () => {
    it('a .com on 1 June 2025, registered 31 days earlier: locked, with ICANN rules', () => {
      const g = guidance({ registeredAt: day('2025-05-01') }, '2025-06-01');
      expect(blocker(g, 'lock_after_registration')?.until).toBe('2025-06-30');
      expect(warning(g, 'tld_rules_unknown')).toBeUndefined();
      expect(g.caveats.some((c) => c.startsWith('Only the registrant can approve'))).toBe(false);
      const change = g.caveats.find((c) => c.startsWith('From 21 August 2025 the rules for .com change.'));
      expect(change).toMatch(/registrant \(Registered Name Holder\) is the only party/);
      expect(change).not.toMatch(/60 days/);
    });

    it.each([
      ['2004-11-11', false],
      ['2004-11-12', true],
      ['2004-11-13', true],
    ])('the 60-day lock after registration on %s: %s', (at, locked) => {
      const shift = (iso: string, days: number) => new Date(day(iso).getTime() - days * 86_400_000);
      expect(Boolean(blocker(guidance({ registeredAt: shift(at, 10) }, at), 'lock_after_registration'))).toBe(locked);
      expect(Boolean(blocker(guidance({ lastTransferredAt: shift(at, 10) }, at), 'lock_after_transfer'))).toBe(locked);
    });

    it.each([
      ['2016-11-30', false],
      ['2016-12-01', true],
      ['2016-12-02', true],
    ])('the lock after a change of registrant on %s: %s', (at, locked) => {
      expect(Boolean(blocker(guidance({ registrantChangedAt: day('2016-11-20') }, at), 'lock_after_registrant_change'))).toBe(locked);
    });

    it.each([
      ['2013-08-30', false],
      ['2013-08-31', true],
      ['2013-09-01', true],
    ])('the ERRP redemption period on %s: %s', (at, applies) => {
      const g = guidance({ statuses: ['redemptionPeriod'] }, at);
      expect(/30-day redemption period/.test(blocker(g, 'redemption_period')!.message)).toBe(applies);
    });
  });

  describe("the revised policy's details", () => {
    const rules = policyTable({ revisedTransferPolicyFrom: '2027-03-01' });
    it("says the lock after a move may be lifted early on the registrant's reasoned request", () => {
      const g = guidance({ lastTransferredAt: day('2027-03-05') }, '2027-03-10', { rules });
      expect(blocker(g, 'lock_after_transfer')!.message).toMatch(/may lift this lock sooner if the registrant asks for it and gives a reasonable basis/);
      const today = guidance({ lastTransferredAt: day('2026-11-05') }, '2026-11-10');
      expect(blocker(today, 'lock_after_transfer')!.message).not.toMatch(/lift this lock sooner/);
    });

    it('says it is not specified whether a running change-of-registrant lock ends on the switchover', () => {
      const message = blocker(guidance({ registrantChangedAt: day('2027-02-20') }, '2027-02-28', { rules }), 'lock_after_registrant_change')!.message;
      expect(message).toMatch(/so it can move from 21 April 2027\./);
      expect(message).toMatch(/does not say whether locks imposed before that day end on it/);
    });
  });

  describe('earliest transfer date', () => {
    it.each([
      ['nothing blocks', {}, '2026-11-25'],
      ['a lock and the client lock', { registeredAt: day('2026-11-01'), statuses: ['clientTransferProhibited'] }, '2026-12-31'],
      ['two locks', { registeredAt: day('2026-11-01'), registrantChangedAt: day('2026-11-20') }, '2027-01-19'],
      ['a lock and a registry lock', { registeredAt: day('2026-11-01'), statuses: ['serverTransferProhibited'] }, null],
      ['an expired domain', { expiresAt: day('2026-11-01') }, '2026-11-25'],
    ])('with %s is %s', (_label, overrides, expected) => {
      expect(guidance(overrides as Partial<GuidanceDomain>, '2026-11-25').earliestTransferDate).toBe(expected);
    });
  });

  describe('warnings', () => {
    it.each([
      ["the host's nameservers, in any case and with a trailing dot", ['NS1.ArtSites.test.', 'ns2.artsites.test'], HOST_NAMESERVERS, true],
      ['a wildcard host pattern', ['ns9.artsites.test'], ['*.artsites.test'], true],
      ["someone else's nameservers", ['ns1.otherdns.example'], HOST_NAMESERVERS, false],
      ['a look-alike', ['ns1.artsites.test.evil.example'], ['*.artsites.test'], false],
      ['no host nameservers configured', ['ns1.artsites.test'], [], false],
    ])('dns_hosted_by_host with %s: %s', (_label, nameservers, hostNameservers, hosted) => {
      const g = guidance({ nameservers }, '2026-11-25', { hostNameservers });
      expect(Boolean(warning(g, 'dns_hosted_by_host'))).toBe(hosted);
      expect(g.steps.some((s) => s.startsWith('Set up DNS at the new registrar'))).toBe(hosted);
      expect(g.eligible).toBe(true);
    });

    it.each([
      ['lindapence.com', true],
      ['studio.art', true],
      ['lindapence.co.uk', false],
      ['lindapence.de', false],
      ['lindapence.eu', false],
    ])('transfer_adds_year for %s: %s', (name, adds) => {
      expect(Boolean(warning(guidance({ name }, '2026-11-25'), 'transfer_adds_year'))).toBe(adds);
    });

    it.each([
      ['2002-06-05', false, true],
      ['2002-06-06', true, true],
      ['2004-11-12', true, false],
      ['2025-08-20', true, false],
      ['2025-08-21', true, false],
    ])('transfer_adds_year from the 2002 grace period rules, transfer rules from the 2004 IRTP: on %s %s (unknown rules: %s)', (at, adds, unknown) => {
      const g = guidance({}, at);
      expect(Boolean(warning(g, 'transfer_adds_year'))).toBe(adds);
      expect(Boolean(warning(g, 'tld_rules_unknown'))).toBe(unknown);
    });

    it('warns that Aster has no rules for an unknown ccTLD, and still gives generic steps', () => {
      const g = guidance({ name: 'studio.io' }, '2026-11-25');
      expect(warning(g, 'tld_rules_unknown')?.message).toMatch(/no transfer rules for \.io domains/);
      expect(g.steps.some((s) => s.startsWith('Ask us for the transfer code'))).toBe(true);
    });

    it('opens the caveats with the warnings', () => {
      const g = guidance({ nameservers: ['ns1.artsites.test'], expiresAt: day('2026-12-01') }, '2026-11-25');
      expect(g.caveats.slice(0, g.warnings.length)).toEqual(g.warnings.map((w) => w.message));
      expect(g.warnings.map((w) => w.code)).toEqual(['expires_soon', 'transfer_adds_year', 'dns_hosted_by_host']);
    });
  });

  describe('ccTLDs', () => {
    it('.uk: no ICANN locks, a registrar-tag change and no transfer code', () => {
      const g = guidance({ name: 'lindapence.co.uk', registeredAt: day('2026-11-20'), registrantChangedAt: day('2026-11-21') }, '2026-11-25');
      expect(g.eligible).toBe(true);
      expect(g.steps.some((s) => s.includes('registrar tag (also called IPS tag)'))).toBe(true);
      expect(g.steps.some((s) => s.includes("change the domain's registrar tag") && s.includes('no transfer code is used'))).toBe(true);
      expect(g.steps.some((s) => s.startsWith('Ask us for the'))).toBe(false);
      expect(g.caveats.some((c) => c.includes('revised Transfer Policy'))).toBe(false);
      expect(g.rules.map((r) => r.id)).toEqual(['nominet-registrar-tag']);
      expect(g.steps[g.steps.length - 1]).not.toMatch(/transfer lock/);
      expect(g.caveats.join(' ')).not.toMatch(/transfer code/);
    });

    it('.de: AuthInfo valid 30 days, immediate move, DENIC as fallback by registered post', () => {
      const g = guidance({ name: 'atelier-linda.de', registeredAt: day('2026-11-20') }, '2026-11-25');
      expect(g.eligible).toBe(true);
      expect(g.steps.some((s) => s.startsWith('Ask us for the AuthInfo (provider transfer password).') && s.includes('valid for 30 days'))).toBe(true);
      const fallback = g.steps.find((s) => s.includes('AuthInfo2'));
      expect(fallback).toMatch(/DENIC sends it by registered post to the holder's postal address in its database, for a fee/);
      expect(fallback).toMatch(/a wrong or old address means no code/);
      expect(fallback).not.toMatch(/directly/);
      expect(g.rules.map((r) => r.id)).toContain('denic-authinfo2');
      expect(g.steps).toContain('The domain moves as soon as the new registrar submits a matching code.');
    });

    it('.eu: code valid 40 days; My .eu, then the emergency code as a last resort', () => {
      const g = guidance({ name: 'linda-maler.eu' }, '2026-11-25');
      expect(g.steps.some((s) => s.startsWith('Ask us for the authorisation code.') && s.includes('valid for 40 days'))).toBe(true);
      const fallback = g.steps.find((s) => s.includes('My .eu'));
      expect(fallback).toMatch(/Only as a last resort, if neither works, ask EURid for an emergency code/);
      expect(fallback).toMatch(/WHOIS/);
      expect(fallback).toMatch(/sign it and e-mail it to EURid/);
      expect(fallback!.indexOf('My .eu')).toBeLessThan(fallback!.indexOf('emergency code'));
    });

    it('.uk: with the client lock on, the steps ask to remove it before the tag change', () => {
      const g = guidance({ name: 'lindapence.co.uk', statuses: ['clientTransferProhibited'] }, '2026-11-25');
      expect(blocker(g, 'client_transfer_prohibited')?.message).toMatch(/ask us, your host, to remove it/);
      const unlock = g.steps.findIndex((s) => s.startsWith('Ask us to remove the transfer lock (clientTransferProhibited)'));
      const tag = g.steps.findIndex((s) => s.startsWith("Ask us to change the domain's registrar tag"));
      expect(unlock).toBeGreaterThan(0);
      expect(tag).toBeGreaterThan(unlock);
      expect(guidance({ name: 'lindapence.co.uk' }, '2026-11-25').steps.some((s) => s.includes('clientTransferProhibited'))).toBe(false);
    });
  });

  describe('steps', () => {
    it("puts the registrar's notes right after unlocking and before asking for the code", () => {
      const registrarNotes = 'Unlock under Domains > Transfer; the code is e-mailed to the account holder.';
      const g = guidance({ registrarNotes, statuses: ['clientTransferProhibited'] }, '2026-11-25');
      const unlock = g.steps.findIndex((s) => s.startsWith('Ask us to remove the transfer lock'));
      const notes = g.steps.indexOf(`Notes for Gandi: ${registrarNotes}`);
      const code = g.steps.findIndex((s) => s.startsWith('Ask us for the transfer code'));
      expect([unlock, notes, code].every((i) => i >= 0)).toBe(true);
      expect(notes).toBe(unlock + 1);
      expect(code).toBe(notes + 1);
    });

    it('adds .uk registrar notes before the tag change', () => {
      const g = guidance({ name: 'lindapence.co.uk', registrarNotes: 'Tag changes by support ticket only.' }, '2026-11-25');
      const notes = g.steps.indexOf('Notes for Gandi: Tag changes by support ticket only.');
      const tag = g.steps.findIndex((s) => s.startsWith("Ask us to change the domain's registrar tag"));
      expect(notes).toBeGreaterThan(0);
      expect(tag).toBe(notes + 1);
    });

    it('orders a gTLD move: prepare, unlock, code, start, confirmation, wait, check', () => {
      const g = guidance({}, '2026-11-25');
      const prefixes = [
        'Check that the registrant (owner) e-mail address on the domain reaches you',
        'Choose the new registrar and open an account there in your own name',
        'Make sure the transfer lock is off',
        'Ask us for the transfer code',
        'Start the move at the new registrar',
        'Within 24 hours the current registrar e-mails the registrant to confirm the move',
        'The move completes within 5 days at most',
        'When the move is complete, log in at the new registrar',
      ];
      expect(g.steps).toHaveLength(prefixes.length);
      prefixes.forEach((prefix, i) => expect(g.steps[i].startsWith(prefix)).toBe(true));
    });
  });

  describe('caveats', () => {
    it('says the registrant alone approves, citing the Transfer Policy section', () => {
      const g = guidance({}, '2026-11-25');
      expect(g.caveats.some((c) => c.startsWith('Only the registrant can approve or refuse a move (ICANN Transfer Policy, section I.A.1.1).'))).toBe(true);
    });

    it('mentions the adopted but not yet effective revised policy for gTLDs', () => {
      const g = guidance({}, '2026-11-25');
      expect(g.caveats.some((c) => c.includes('It is not in force yet and no start date has been announced'))).toBe(true);
    });
  });

  describe('a future rule: the revised Transfer Policy configured from 1 March 2027', () => {
    const rules = policyTable({ revisedTransferPolicyFrom: '2027-03-01' });
    const at = (iso: string, overrides: Partial<GuidanceDomain>) => guidance(overrides, iso, { rules });

    it.each([
      // Registered 15 January 2027: 60 days would end on 16 March, but from 1 March the 30-day
      // lock applies, which ended on 14 February.
      ['2027-02-28', { registeredAt: day('2027-01-15') }, 'lock_after_registration', '2027-03-01'],
      ['2027-03-01', { registeredAt: day('2027-01-15') }, 'lock_after_registration', undefined],
      ['2027-03-02', { registeredAt: day('2027-01-15') }, 'lock_after_registration', undefined],
      // Registered 20 February 2027: still locked under the new rule, until 22 March.
      ['2027-02-28', { registeredAt: day('2027-02-20') }, 'lock_after_registration', '2027-03-22'],
      ['2027-03-01', { registeredAt: day('2027-02-20') }, 'lock_after_registration', '2027-03-22'],
      ['2027-03-21', { registeredAt: day('2027-02-20') }, 'lock_after_registration', '2027-03-22'],
      ['2027-03-22', { registeredAt: day('2027-02-20') }, 'lock_after_registration', undefined],
      // Moved 10 February 2027: the new 30-day lock after a transfer ends on 12 March.
      ['2027-02-28', { lastTransferredAt: day('2027-02-10') }, 'lock_after_transfer', '2027-03-12'],
      ['2027-03-12', { lastTransferredAt: day('2027-02-10') }, 'lock_after_transfer', undefined],
      // Registrant changed 20 February 2027: the revised policy has no such lock, but does not say
      // whether running locks end on its date, so the full 60 days (to 21 April) are kept and the
      // uncertainty is said.
      ['2027-02-28', { registrantChangedAt: day('2027-02-20') }, 'lock_after_registrant_change', '2027-04-21'],
      ['2027-03-01', { registrantChangedAt: day('2027-02-20') }, 'lock_after_registrant_change', '2027-04-21'],
      ['2027-04-20', { registrantChangedAt: day('2027-02-20') }, 'lock_after_registrant_change', '2027-04-21'],
      ['2027-04-21', { registrantChangedAt: day('2027-02-20') }, 'lock_after_registrant_change', undefined],
      // Registrant changed on the day the revised policy starts: no lock at all.
      ['2027-03-01', { registrantChangedAt: day('2027-03-01') }, 'lock_after_registrant_change', undefined],
    ])('on %s with %o: %s until %s', (iso, overrides, code, until) => {
      expect(blocker(at(iso, overrides), code)?.until).toBe(until);
    });

    it('says when the new rules shorten a lock', () => {
      const message = blocker(at('2027-02-28', { registeredAt: day('2027-01-15') }), 'lock_after_registration')?.message;
      expect(message).toMatch(/so it can move from 1 March 2027, when new ICANN rules take over\.$/);
    });

    it('switches the steps to a single-use 14-day code on its date', () => {
      const code = (g: TransferGuidance) => g.steps.find((s) => s.startsWith('Ask us for the transfer code'));
      expect(code(at('2027-02-28', {}))).not.toMatch(/valid for/);
      expect(code(at('2027-03-01', {}))).toMatch(/valid for 14 days and works only once/);
      expect(code(at('2027-03-02', {}))).toMatch(/valid for 14 days and works only once/);
    });

    it('announces the change beforehand, and no longer afterwards', () => {
      const before = at('2027-02-28', {}).caveats.find((c) => c.startsWith('From 1 March 2027 the rules for .com change.'));
      expect(before).toMatch(/Transfer Authorization Code \(TAC\) is valid for 14 days/);
      expect(before).toMatch(/No longer in force: After a change of registrant/);
      expect(at('2027-03-01', {}).caveats.some((c) => c.startsWith('From '))).toBe(false);
      expect(at('2027-02-28', {}).caveats.some((c) => c.includes('no start date has been announced'))).toBe(false);
    });

    it('leaves ccTLDs alone', () => {
      const g = at('2027-03-01', { name: 'atelier-linda.de' });
      expect(g.steps.some((s) => s.includes('valid for 30 days'))).toBe(true);
    });
  });

  it('refuses an invalid date', () => {
    expect(() => transferGuidance({ domain: domain(), at: new Date('nope'), rules: policyTable() })).toThrow(RangeError);
  });

  it('ignores invalid record dates rather than inventing locks', () => {
    const g = guidance({ registeredAt: new Date('nope'), expiresAt: new Date('nope') }, '2026-11-25');
    expect(g.eligible).toBe(true);
  });
});

// The decision alone, in codes: which steps apply and what blocks, with no sentence involved.
describe('transferDecision', () => {
  const decide = (overrides: Partial<GuidanceDomain>, at: string) =>
    transferDecision({ domain: domain(overrides), at: day(at), rules: policyTable(), hostNameservers: HOST_NAMESERVERS });
  const stepNames = (d: TransferDecision) => d.steps.map((s) => s.step);

  it.each([
    [
      'a healthy .com',
      {},
      [
        'check_registrant_email',
        'open_account_at_new_registrar',
        'check_unlocked',
        'ask_for_code',
        'start_move',
        'expect_confirmation',
        'wait_for_completion',
        'after_the_move',
      ],
    ],
    [
      'a new .com with the client lock on and DNS at the host',
      { registeredAt: day('2026-11-01'), statuses: ['clientTransferProhibited'], nameservers: ['ns1.artsites.test'] },
      [
        'wait_for_lock',
        'check_registrant_email',
        'open_account_at_new_registrar',
        'set_up_dns_elsewhere',
        'unlock',
        'ask_for_code',
        'start_move',
        'expect_confirmation',
        'wait_for_completion',
        'after_the_move',
      ],
    ],
    [
      'a .com 35 days past expiry',
      { expiresAt: day('2026-10-21') },
      [
        'check_not_deleted',
        'move_instead_of_renewing',
        'renew_if_staying',
        'check_registrant_email',
        'open_account_at_new_registrar',
        'check_unlocked',
        'ask_for_code',
        'start_move',
        'expect_confirmation',
        'wait_for_completion',
        'after_the_move',
      ],
    ],
    [
      'a .co.uk with the client lock on',
      { name: 'lindapence.co.uk', statuses: ['clientTransferProhibited'] },
      [
        'check_registrant_email',
        'open_account_at_new_registrar',
        'ask_for_registrar_tag',
        'unlock_before_tag_change',
        'change_registrar_tag',
        'accept_at_new_registrar',
        'after_the_move',
      ],
    ],
    [
      'a deleted .eu',
      { name: 'omarhaddad.eu', statuses: ['pendingDelete'] },
      ['reactivate_from_quarantine', 'move_once_active', 'register_again_after_quarantine'],
    ],
    ['a .com being deleted', { statuses: ['pendingDelete'] }, ['nothing_can_be_done', 'register_again_when_released']],
  ])('%s: steps %j', (_name, overrides, steps) => {
    expect(stepNames(decide(overrides, '2026-11-25'))).toEqual(steps);
  });

  it('gives each blocker its code, its source and when it ends', () => {
    const d = decide({ registeredAt: day('2026-11-01'), statuses: ['clientTransferProhibited', 'serverTransferProhibited'] }, '2026-11-25');
    expect(d.blockers.map(({ source, code, ends }) => ({ source, code, ends }))).toEqual([
      { source: 'lock', code: 'lock_after_registration', ends: 'on_date' },
      { source: 'status', code: 'client_transfer_prohibited', ends: 'after_action' },
      { source: 'status', code: 'server_transfer_prohibited', ends: 'unknown' },
    ]);
    expect(d.blockers[0]).toMatchObject({ until: '2026-12-31', days: 60, obligation: 'may', cutShort: false });
    expect(d).toMatchObject({ eligible: false, earliestTransferDate: null, situation: { tld: 'com', generic: true } });
  });

  it('says when the registrant opted out of the change-of-registrant lock, instead of blocking', () => {
    const d = decide({ registrantChangedAt: day('2026-11-01'), registrantChangeOptOut: true }, '2026-11-25');
    expect(d.blockers).toEqual([]);
    expect(d.warnings).toContainEqual({ code: 'registrant_change_lock_opted_out', changedAt: day('2026-11-01'), days: 60 });
  });
});
