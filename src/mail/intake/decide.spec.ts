import { decide, type DecideInput } from './decide';

const base: DecideInput = { loop: undefined, domains: [], senderAccepted: true };
const linda = { name: 'lindapence.com', clientId: 'c-linda' };
const lindaUk = { name: 'lindapence.co.uk', clientId: 'c-linda' };
const omar = { name: 'omarstudio.eu', clientId: 'c-omar' };
const four = ['a', 'b', 'c', 'd'].map((c) => ({ name: `${c}-studio.com`, clientId: `c-${c}` }));
const unverified = { ...base, senderVerified: false, unverifiedClientLimit: 3 };

describe('decide', () => {
  it.each<[string, DecideInput, string, string | undefined]>([
    ['no tracked domain', base, 'hold', 'unmatched'],
    ['one domain of one client', { ...base, domains: [linda] }, 'forward', undefined],
    ['two domains of one client', { ...base, domains: [linda, lindaUk] }, 'forward', undefined],
    ['domains of two clients', { ...base, domains: [linda, omar] }, 'digest', undefined],
    ['a loop wins over a match', { ...base, loop: 'own-notice', domains: [linda] }, 'hold', 'loop'],
    ['too many hops', { ...base, loop: 'too-many-hops', domains: [linda] }, 'hold', 'loop'],
    ['an unverified sender under enforce', { ...base, senderAccepted: false, domains: [linda] }, 'hold', 'unverified_sender'],
    ['an unverified sender naming 4 clients (limit 3)', { ...unverified, domains: four }, 'hold', 'unverified_sender'],
    ['an unverified sender naming 3 clients (limit 3)', { ...unverified, domains: four.slice(0, 3) }, 'digest', undefined],
    ['a verified sender naming 4 clients', { ...unverified, senderVerified: true, domains: four }, 'digest', undefined],
    ['no verification ran (off), 4 clients', { ...unverified, senderVerified: undefined, domains: four }, 'digest', undefined],
  ])('%s', (_name, input, decision, holdReason) => {
    const outcome = decide(input);
    expect(outcome.decision).toBe(decision);
    expect(outcome.decision === 'hold' ? outcome.holdReason : undefined).toBe(holdReason);
    expect(outcome.reason.length).toBeGreaterThan(10);
  });

  it('gives each client of a digest only its own domains, sorted and without repeats', () => {
    const outcome = decide({ ...base, domains: [omar, linda, lindaUk, linda] });
    expect(outcome).toMatchObject({
      decision: 'digest',
      shares: [
        { clientId: 'c-omar', domains: ['omarstudio.eu'] },
        { clientId: 'c-linda', domains: ['lindapence.co.uk', 'lindapence.com'] },
      ],
    });
  });

  it('forwards with every domain of the one client', () => {
    expect(decide({ ...base, domains: [lindaUk, linda] })).toMatchObject({
      decision: 'forward',
      share: { clientId: 'c-linda', domains: ['lindapence.co.uk', 'lindapence.com'] },
    });
  });
});
