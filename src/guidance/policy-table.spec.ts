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
    it('gives every rule a source with a policy name and an http(s) URL', () => {
      for (const rule of rules) {
        expect(rule.source.policy.trim()).not.toBe('');
        expect(rule.source.url).toMatch(/^https?:\/\/[^\s]+$/);
        expect(rule.summary.trim()).not.toBe('');
      }
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
        for (const at of ['2025-08-21', '2026-11-25', '2027-08-31', '2027-09-01', '2030-01-01']) {
          const inForce = rulesInForce(rules, tld, day(at));
          const kinds = inForce.map((r) => r.kind);
          expect({ tld, at, kinds }).toEqual({ tld, at, kinds: [...new Set(kinds)] });
        }
      }
    });
  });

  it('states today\'s ICANN rules as in force on 2026-11-25', () => {
    const rules = rulesInForce(policyTable(), 'com', day('2026-11-25'));
    expect(ruleOfKind(rules, 'transfer_method')?.params.method).toBe('auth_code');
    expect(ruleOfKind(rules, 'transfer_approval')?.params.approvedBy).toBe('registrant');
    expect(ruleOfKind(rules, 'transfer_window')?.params.days).toBe(5);
    expect(ruleOfKind(rules, 'lock_after_registration')?.params).toEqual({ days: 60, obligation: 'may' });
    expect(ruleOfKind(rules, 'lock_after_transfer')?.params).toEqual({ days: 60, obligation: 'may' });
    expect(ruleOfKind(rules, 'lock_after_registrant_change')?.params).toEqual({ days: 60, obligation: 'must', optOutAllowed: true });
    expect(ruleOfKind(rules, 'auth_code_validity')).toBeUndefined(); // no validity limit in today's policy
    expect(ruleOfKind(rules, 'term_added_on_transfer')?.params).toEqual({ years: 1, maxTotalYears: 10 });
    expect(ruleOfKind(rules, 'redemption_period')?.params.days).toBe(30);
  });

  it('has no gTLD rule before the updated Transfer Policy became mandatory', () => {
    expect(rulesInForce(policyTable(), 'com', day('2025-08-20'))).toEqual([]);
    expect(rulesInForce(policyTable(), 'com', day('2025-08-21')).length).toBeGreaterThan(0);
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
