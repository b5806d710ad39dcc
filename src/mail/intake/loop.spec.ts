import { DEFAULT_LOOP_POLICY, loopReason, type HeaderField, type LoopReason } from './loop';

const received = (n: number): HeaderField[] =>
  Array.from({ length: n }, (_, i) => ({
    key: 'received',
    value: `from hop${i}.example.test by hop${i + 1}.example.test; Tue, 17 Nov 2026 09:14:0${i % 10} +0000`,
  }));

const notice = { key: 'x-aster-notice', value: '5b2e9d10-3c4f-4a8e-9b21-77f0c1d2e3a4; kind=transfer_request' };

describe('loopReason', () => {
  it.each<[string, HeaderField[], LoopReason | undefined]>([
    ['our notice, auto-forwarded', [{ key: 'auto-submitted', value: 'auto-forwarded' }, notice], 'own-notice'],
    [
      'our notice, header names in any case',
      [
        { key: 'Auto-Submitted', value: 'Auto-Forwarded' },
        { key: 'X-Aster-Notice', value: 'abc' },
      ],
      'own-notice',
    ],
    ['our notice, auto-generated', [{ key: 'auto-submitted', value: 'auto-generated' }, notice], 'own-notice'],
    [
      'our notice, keyword with parameters and a comment',
      [{ key: 'auto-submitted', value: 'auto-replied (vacation); owner-email="x@example.test"' }, notice],
      'own-notice',
    ],
    ['Auto-Submitted: no is a person', [{ key: 'auto-submitted', value: 'no' }, notice], undefined],
    ['the notice header without Auto-Submitted (a person replied)', [notice], undefined],
    ['a registrar’s own automatic message', [{ key: 'auto-submitted', value: 'auto-generated' }, ...received(3)], undefined],
    ['30 Received headers', received(30), undefined],
    ['31 Received headers', received(31), 'too-many-hops'],
    ['Received headers in any case', received(31).map((h) => ({ ...h, key: 'Received' })), 'too-many-hops'],
    ['our notice and many hops', [...received(40), { key: 'auto-submitted', value: 'auto-forwarded' }, notice], 'own-notice'],
    ['no headers', [], undefined],
  ])('%s', (_case, headers, expected) => {
    expect(loopReason(headers)).toBe(expected);
  });

  it('defaults to the x-aster-notice header and 30 hops', () => {
    expect(DEFAULT_LOOP_POLICY).toEqual({ noticeHeader: 'x-aster-notice', maxReceived: 30 });
  });

  it('follows the policy it is given', () => {
    const policy = { noticeHeader: 'X-Other-Notice', maxReceived: 5 };
    expect(loopReason(received(6), policy)).toBe('too-many-hops');
    expect(loopReason(received(5), policy)).toBeUndefined();
    expect(
      loopReason(
        [
          { key: 'auto-submitted', value: 'auto-forwarded' },
          { key: 'x-other-notice', value: '1' },
        ],
        policy,
      ),
    ).toBe('own-notice');
    expect(loopReason([{ key: 'auto-submitted', value: 'auto-forwarded' }, notice], policy)).toBeUndefined();
  });
});
