import { checkClaims, disagreements, type ClaimInput, type RegistrySnapshot } from './claims';

const view = (over: Partial<RegistrySnapshot> = {}): RegistrySnapshot => ({
  registrarIanaId: 81,
  registrarName: 'Gandi SAS',
  expiresAt: '2027-01-15T10:00:00.000Z',
  statuses: ['clientTransferProhibited'],
  lastTransferredAt: null,
  ...over,
});
const input = (over: Partial<ClaimInput>): ClaimInput => ({
  kind: 'expiry_reminder',
  text: 'Your domain lindapence.com expires on 15 January 2027.',
  domains: ['lindapence.com'],
  sender: null,
  registry: new Map([['lindapence.com', view()]]),
  ...over,
});

describe('checkClaims', () => {
  it.each<[string, Partial<ClaimInput>, { claim: string; notice: string; registry: string | null; verdict: string }[]]>([
    ['an expiry date the registry agrees with', {}, [{ claim: 'expiresAt', notice: '2027-01-15', registry: '2027-01-15', verdict: 'agrees' }]],
    [
      'a day apart (time zones) still agrees',
      { text: 'lindapence.com expires on 2027-01-14.' },
      [{ claim: 'expiresAt', notice: '2027-01-14', registry: '2027-01-15', verdict: 'agrees' }],
    ],
    [
      'an expiry date the registry contradicts',
      { text: 'Your domain lindapence.com expires on 30 June 2027.' },
      [{ claim: 'expiresAt', notice: '2027-06-30', registry: '2027-01-15', verdict: 'disagrees' }],
    ],
    [
      'no fresh registry view',
      { registry: new Map([['lindapence.com', undefined]]) },
      [{ claim: 'expiresAt', notice: '2027-01-15', registry: null, verdict: 'unknown' }],
    ],
    [
      'the registrar of record sends it',
      { sender: { name: 'Gandi SAS', ianaId: 81 } },
      [
        { claim: 'expiresAt', notice: '2027-01-15', registry: '2027-01-15', verdict: 'agrees' },
        { claim: 'registrar', notice: 'Gandi SAS', registry: 'Gandi SAS', verdict: 'agrees' },
      ],
    ],
    [
      'another registrar sends it',
      { sender: { name: 'Namecheap', ianaId: 1068 } },
      [
        { claim: 'expiresAt', notice: '2027-01-15', registry: '2027-01-15', verdict: 'agrees' },
        { claim: 'registrar', notice: 'Namecheap', registry: 'Gandi SAS', verdict: 'disagrees' },
      ],
    ],
    [
      'a transfer request for a locked domain',
      { kind: 'transfer_request', text: 'Transfer of lindapence.com requested.' },
      [{ claim: 'transfer', notice: 'transfer requested', registry: 'transfer lock on', verdict: 'disagrees' }],
    ],
    [
      'a transfer request the registry shows pending',
      { kind: 'transfer_request', text: 'x', registry: new Map([['lindapence.com', view({ statuses: ['pendingTransfer'] })]]) },
      [{ claim: 'transfer', notice: 'transfer requested', registry: 'pendingTransfer', verdict: 'agrees' }],
    ],
    [
      'a transfer request, unlocked, none pending yet',
      { kind: 'transfer_request', text: 'x', registry: new Map([['lindapence.com', view({ statuses: ['ok'] })]]) },
      [{ claim: 'transfer', notice: 'transfer requested', registry: 'unlocked, no transfer pending', verdict: 'unknown' }],
    ],
    [
      'an auth code for an unlocked domain',
      { kind: 'auth_code', text: 'x', registry: new Map([['lindapence.com', view({ statuses: ['ok'] })]]) },
      [{ claim: 'transfer', notice: 'auth code issued', registry: 'unlocked, no transfer pending', verdict: 'agrees' }],
    ],
  ])('%s', (_case, over, expected) => {
    expect(checkClaims(input(over)).map(({ domain: _d, ...rest }) => rest)).toEqual(expected);
  });

  it('confirms a registrar by name but does not contradict one by name alone', () => {
    const byName = (name: string) => checkClaims(input({ sender: { name, ianaId: null } })).find((c) => c.claim === 'registrar')?.verdict;
    expect(byName('GANDI')).toBe('agrees');
    expect(byName('Hover')).toBe('unknown');
  });

  it("says plainly what the registry says, for the reader's own domains only", () => {
    const checks = checkClaims(
      input({
        text: 'lindapence.com expires on 30 June 2027; harborlane.org on 1 May 2027.',
        domains: ['lindapence.com', 'harborlane.org'],
        registry: new Map([
          ['lindapence.com', view()],
          ['harborlane.org', view()],
        ]),
      }),
    );
    expect(disagreements(checks, ['lindapence.com'])).toEqual([
      'The registry says lindapence.com expires on 15 January 2027, not 30 June 2027 as this message says.',
    ]);
  });
});
