import {
  PolicyRule,
  REVISED_TRANSFER_POLICY,
  REVISED_TRANSFER_POLICY_RULES,
  isGenericTld,
  policyTable,
  ruleOfKind,
  rulesInForce,
  topLevelDomain,
} from './policy-table';

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

describe('policy table', () => {
  const tables: [string, PolicyRule[]][] = [
    ['default', policyTable()],
    ['with the revised policy configured', policyTable({ revisedTransferPolicyFrom: '2027-09-01' })],
  ];

  describe.each(tables)('%s', (_name, rules) => {
    it('gives every rule a source (and a dating source, if any) with a policy name and an https URL', () => {
      for (const rule of rules) {
        for (const source of [rule.source, ...(rule.datedBy ? [rule.datedBy] : [])]) {
          expect(source.policy.trim()).not.toBe('');
          expect({ id: rule.id, url: source.url }).toEqual({ id: rule.id, url: expect.stringMatching(/^https:\/\/[^\s]+$/) });
        }
        expect(rule.summary.trim()).not.toBe('');
      }
    });

    it('cites no dead legacy Nominet address', () => {
      expect(JSON.stringify(rules)).not.toContain('nominet.org.uk');
    });

    it('has unique ids, ISO dates and an end after the start', () => {
      expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
      for (const rule of rules) {
        expect(rule.effectiveFrom).toMatch(ISO_DATE);
        if (rule.effectiveUntil !== undefined) {
          expect(rule.effectiveUntil).toMatch(ISO_DATE);
          expect(rule.effectiveUntil > rule.effectiveFrom).toBe(true);
        }
      }
    });

    it('never has two rules of one kind in force for one TLD on the same day', () => {
      for (const tld of ['com', 'art', 'uk', 'de', 'eu']) {
        for (const at of ['2004-11-12', '2013-08-31', '2016-12-01', '2025-08-21', '2026-11-25', '2027-08-31', '2027-09-01', '2030-01-01']) {
          const inForce = rulesInForce(rules, tld, day(at));
          const kinds = inForce.map((r) => r.kind);
          expect({ tld, at, kinds }).toEqual({ tld, at, kinds: [...new Set(kinds)] });
        }
      }
    });
  });

  it("states today's ICANN rules as in force on 2026-11-25", () => {
    const rules = rulesInForce(policyTable(), 'com', day('2026-11-25'));
    expect(ruleOfKind(rules, 'transfer_method')?.params.method).toBe('auth_code');
    expect(ruleOfKind(rules, 'transfer_approval')?.params.approvedBy).toBe('registrant');
    expect(ruleOfKind(rules, 'transfer_window')?.params.days).toBe(5);
    expect(ruleOfKind(rules, 'lock_after_registration')?.params).toEqual({ days: 60, obligation: 'may' });
    expect(ruleOfKind(rules, 'lock_after_transfer')?.params).toEqual({ days: 60, obligation: 'may' });
    expect(ruleOfKind(rules, 'lock_after_registrant_change')?.params).toMatchObject({ days: 60, obligation: 'must', optOutAllowed: true });
    expect(ruleOfKind(rules, 'auth_code_validity')).toBeUndefined(); // no validity limit in today's policy
    expect(ruleOfKind(rules, 'term_added_on_transfer')?.params).toEqual({ years: 1, maxTotalYears: 10 });
    expect(ruleOfKind(rules, 'redemption_period')?.params.days).toBe(30);
  });

  // Each ICANN rule from the day its substance first applied, not from the 2024 wording's date.
  describe.each([
    ['icann-lock-after-registration', '2004-11-12'],
    ['icann-lock-after-transfer', '2004-11-12'],
    ['icann-transfer-method', '2004-11-12'],
    ['icann-transfer-window', '2004-11-12'],
    ['icann-lock-after-registrant-change', '2016-12-01'],
    ['icann-redemption-period', '2013-08-31'],
    ['icann-expiry-notices', '2013-08-31'],
    ['icann-dns-interruption-before-deletion', '2013-08-31'],
    ['icann-registrant-approves', '2025-08-21'],
  ])('%s', (id, from) => {
    const shift = (iso: string, days: number) => new Date(day(iso).getTime() + days * 86_400_000);
    it.each([
      ['the day before', -1, false],
      ['its first day', 0, true],
      ['the day after', 1, true],
    ])(`is in force on %s ${from}: %s`, (_label, offset, inForce) => {
      const ids = rulesInForce(policyTable(), 'com', shift(from, offset)).map((r) => r.id);
      expect(ids.includes(id)).toBe(inForce);
    });

    it('names a primary source for its start date, or is dated by its own text', () => {
      const rule = policyTable().find((r) => r.id === id)!;
      expect(rule.effectiveFrom).toBe(from);
      if (from !== '2025-08-21') expect(rule.datedBy?.url).toMatch(/^https:\/\//);
    });
  });

  it('applies the 60-day locks, but not the registrant-only approval, before 21 August 2025', () => {
    const rules = rulesInForce(policyTable(), 'com', day('2025-06-01'));
    expect(ruleOfKind(rules, 'lock_after_registration')?.params.days).toBe(60);
    expect(ruleOfKind(rules, 'lock_after_registrant_change')?.params.days).toBe(60);
    expect(ruleOfKind(rules, 'redemption_period')?.params.days).toBe(30);
    expect(ruleOfKind(rules, 'transfer_approval')).toBeUndefined();
  });

  it('keeps the expiry periods as data: 45-day auto-renew grace, 8-day DNS interruption, 30-day redemption, 5-day pendingDelete', () => {
    const rules = rulesInForce(policyTable(), 'com', day('2026-12-10'));
    expect(ruleOfKind(rules, 'auto_renew_grace')?.params).toEqual({ maxDays: 45, transferCancelsAutoRenewYear: true });
    expect(ruleOfKind(rules, 'dns_interruption_before_deletion')?.params.minDays).toBe(8);
    expect(ruleOfKind(rules, 'redemption_period')?.params.days).toBe(30);
    expect(ruleOfKind(rules, 'pending_delete_period')?.params.days).toBe(5);
  });

  it.each([
    ['eu', 40],
    ['nl', 40],
    ['de', undefined],
    ['uk', undefined],
  ])('.%s keeps deleted names in quarantine for %s days', (tld, days) => {
    expect(ruleOfKind(rulesInForce(policyTable(), tld, day('2026-12-10')), 'deleted_name_quarantine')?.params.days).toBe(days);
  });

  it.each([
    ['de', 'authinfo2_by_post'],
    ['eu', 'emergency_code_form'],
    ['uk', undefined],
    ['com', undefined],
  ])('.%s registry fallback when the registrar gives no code: %s', (tld, route) => {
    expect(ruleOfKind(rulesInForce(policyTable(), tld, day('2026-12-10')), 'registry_fallback')?.params.route).toBe(route);
  });

  it('lets the registrar lift the revised 30-day lock after a transfer early, and leaves running registrant-change locks unspecified', () => {
    const rules = policyTable({ revisedTransferPolicyFrom: '2027-09-01' });
    expect(ruleOfKind(rulesInForce(rules, 'com', day('2027-09-01')), 'lock_after_transfer')?.params.earlyRemovalOnRequest).toBe(true);
    expect(ruleOfKind(rulesInForce(rules, 'com', day('2027-08-31')), 'lock_after_registrant_change')?.params.existingLocksAtRuleEnd).toBe('unspecified');
  });

  it.each([
    ['uk', 'registrar_tag', undefined],
    ['de', 'auth_code', 30],
    ['eu', 'auth_code', 40],
  ])('covers .%s: %s, code valid %s days, and no ICANN rule', (tld, method, validity) => {
    const rules = rulesInForce(policyTable(), tld, day('2026-11-25'));
    expect(ruleOfKind(rules, 'transfer_method')?.params.method).toBe(method);
    expect(ruleOfKind(rules, 'auth_code_validity')?.params.days).toBe(validity);
    expect(rules.filter((r) => r.tlds === 'gtld')).toEqual([]);
    expect(ruleOfKind(rules, 'lock_after_registration')).toBeUndefined();
  });

  it('leaves the revised Transfer Policy out of the table until its date is configured', () => {
    const ids = new Set(policyTable().map((r) => r.id));
    for (const rule of REVISED_TRANSFER_POLICY_RULES) expect(ids.has(rule.id)).toBe(false);
    expect(REVISED_TRANSFER_POLICY.effectiveDateAnnounced).toBe(false);
    const in2035 = rulesInForce(policyTable(), 'com', day('2035-01-01'));
    expect(ruleOfKind(in2035, 'lock_after_registration')?.params.days).toBe(60);
  });

  describe('with the revised Transfer Policy from 2027-09-01', () => {
    const rules = policyTable({ revisedTransferPolicyFrom: '2027-09-01' });

    it.each([
      ['2027-08-31', 60, 60, undefined],
      ['2027-09-01', 30, undefined, 14],
      ['2027-09-02', 30, undefined, 14],
    ])('on %s: lock after registration %s days, after a registrant change %s, code valid %s', (at, regLock, corLock, tac) => {
      const inForce = rulesInForce(rules, 'com', day(at));
      expect(ruleOfKind(inForce, 'lock_after_registration')?.params.days).toBe(regLock);
      expect(ruleOfKind(inForce, 'lock_after_transfer')?.params.days).toBe(regLock);
      expect(ruleOfKind(inForce, 'lock_after_registrant_change')?.params.days).toBe(corLock);
      expect(ruleOfKind(inForce, 'auth_code_validity')?.params.days).toBe(tac);
    });

    it('makes the revised locks mandatory and the code single-use', () => {
      const inForce = rulesInForce(rules, 'com', day('2027-09-01'));
      expect(ruleOfKind(inForce, 'lock_after_registration')?.params.obligation).toBe('must');
      expect(ruleOfKind(inForce, 'auth_code_validity')?.params.singleUse).toBe(true);
      expect(ruleOfKind(inForce, 'confirmation_notice')?.params.approveLinkAllowed).toBe(false);
    });

    it('does not touch ccTLD rules', () => {
      expect(rulesInForce(rules, 'de', day('2027-09-01'))).toEqual(rulesInForce(policyTable(), 'de', day('2027-09-01')));
    });
  });

  it.each(['2027-9-1', 'soon', '2027-02-30', ''])('refuses the malformed date %p', (from) => {
    expect(() => policyTable({ revisedTransferPolicyFrom: from })).toThrow(RangeError);
  });

  it('refuses a date before the Board adopted the revised policy', () => {
    expect(() => policyTable({ revisedTransferPolicyFrom: '2026-06-06' })).toThrow(/before the ICANN Board adopted/);
    expect(() => policyTable({ revisedTransferPolicyFrom: '2026-06-07' })).not.toThrow();
  });

  it.each([
    ['lindapence.com', 'com', true],
    ['studio.art', 'art', true],
    ['LindaPence.CO.UK.', 'uk', false],
    ['atelier.de', 'de', false],
    ['maler.eu', 'eu', false],
    ['xn--80ak6aa92e.xn--p1ai', 'xn--p1ai', false],
  ])('reads the TLD of %s as %s (generic: %s)', (name, tld, generic) => {
    expect(topLevelDomain(name)).toBe(tld);
    expect(isGenericTld(tld)).toBe(generic);
  });
});
