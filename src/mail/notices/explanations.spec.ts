import { NOTICE_KINDS } from '../intake/classify';
import { EXPLANATIONS } from './explanations';

describe('EXPLANATIONS', () => {
  it.each(NOTICE_KINDS)('explains %s completely', (kind) => {
    const e = EXPLANATIONS[kind];
    for (const text of [e.headline, e.whatItIs, e.shouldYouAct]) expect(text.trim().length).toBeGreaterThan(10);
    expect(e.lead).toContain('{domains}');
    expect(e.whatToDo.length).toBeGreaterThan(0);
    expect(e.neverDo.length).toBeGreaterThan(0);
    for (const text of [...e.whatToDo, ...e.neverDo]) expect(text).toMatch(/^[A-Z].*[.!?]$/);
  });

  it('has one explanation per kind and no other', () => {
    expect(Object.keys(EXPLANATIONS).sort()).toEqual([...NOTICE_KINDS].sort());
  });

  // The claims a client acts on, checked against the policies they come from.
  it.each([
    ['transfer_request', 'shouldYouAct', /If you did not ask for this transfer, do not approve it, and tell us/],
    ['transfer_request', 'neverDo', /Never approve a transfer you did not ask for/],
    ['auth_code', 'neverDo', /Never share the code with anyone except the new registrar you chose/],
    ['expiry_reminder', 'shouldYouAct', /your web host renews your domains for you\. Check with us/],
    ['expiry_reminder', 'whatItIs', /about a month and again about a week before the expiry date/], // ICANN ERRP
    ['expiry_reminder', 'neverDo', /Fake domain invoices are a common scam/],
    ['whois_data_reminder', 'shouldYouAct', /No payment is ever asked/], // ICANN WDRP
    ['whois_data_reminder', 'whatToDo', /Check that the owner's name and contact details/],
    ['registrant_verification', 'whatItIs', /not confirmed within 15 days, the domain is suspended/], // RAA WHOIS Accuracy Program
    ['registrant_verification', 'shouldYouAct', /within 15 days/],
    ['expired', 'shouldYouAct', /act today/],
    ['renewal_confirmation', 'neverDo', /"pay here"/],
    ['registrant_change', 'shouldYouAct', /If you did not ask for this change, do not approve it/],
  ] as const)('%s: %s says %s', (kind, field, claim) => {
    const value = EXPLANATIONS[kind][field];
    expect(Array.isArray(value) ? value.join(' ') : value).toMatch(claim);
  });
});
