import { AddressLimits, HEADER_LIMITS, HeaderInspector, RecipientErrors } from './smtp-limits';

const LIMITS = { maxBytes: 200, maxFields: 5, maxReceived: 2 };

function inspect(message: string | Buffer, split: 'whole' | 'bytes' | 'pairs' = 'whole', limits = LIMITS): HeaderInspector {
  const bytes = Buffer.isBuffer(message) ? message : Buffer.from(message, 'latin1');
  const inspector = new HeaderInspector(limits);
  const step = split === 'whole' ? bytes.length || 1 : split === 'bytes' ? 1 : 2;
  for (let i = 0; i < bytes.length; i += step) inspector.feed(bytes.subarray(i, i + step));
  return inspector;
}

describe('HeaderInspector', () => {
  // [case, message, problem, fields, received]
  const cases: [string, string, string | undefined, number, number][] = [
    ['a plain header', 'From: a@b.test\r\nSubject: hi\r\n\r\nbody\r\n', undefined, 2, 0],
    ['folded lines are one field', 'Subject: a\r\n  b\r\n\tc\r\nTo: x@y.test\r\n\r\n', undefined, 2, 0],
    ['bare LF line endings', 'From: a@b.test\nSubject: hi\n\nbody\n', undefined, 2, 0],
    ['the body is not read', `Subject: x\r\n\r\n${'Received: x\r\n'.repeat(50)}`, undefined, 1, 0],
    ['no header at all', '\r\n\r\nnot a message\r\n', undefined, 0, 0],
    ['Received in any case, with space before the colon', 'received: a\r\nRECEIVED : b\r\nReceived-SPF: pass\r\n\r\n', undefined, 3, 2],
    ['one Received too many', 'Received: a\r\nReceived: b\r\nReceived: c\r\n\r\n', 'too-many-hops', 3, 3],
    ['one field too many', 'A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\nF: 6\r\n\r\n', 'too-many-fields', 6, 0],
    ['five fields are fine', 'A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n\r\nF: 6\r\n', undefined, 5, 0],
    ['a header over the byte limit', `Subject: ${'x'.repeat(300)}\r\n\r\n`, 'too-large', 0, 0],
    ['a header that never ends', `Subject: ${'x'.repeat(300)}`, 'too-large', 0, 0],
    ['many folded lines over the limit', `Subject: x\r\n${' y\r\n'.repeat(60)}\r\n`, 'too-large', 1, 0],
  ];

  it.each(cases)('%s', (_case, message, problem, fields, received) => {
    for (const split of ['whole', 'bytes', 'pairs'] as const) {
      const inspector = inspect(message, split);
      expect({ split, problem: inspector.problem, fields: inspector.fields, received: inspector.received }).toEqual({ split, problem, fields, received });
    }
  });

  it('stops at the first empty line and counts the header bytes only', () => {
    const inspector = inspect(`Subject: hi\r\n\r\n${'x'.repeat(10_000)}`, 'whole', HEADER_LIMITS);
    expect(inspector.done).toBe(true);
    expect(inspector.problem).toBeUndefined();
    expect(inspector.bytes).toBe('Subject: hi\r\n\r\n'.length);
  });

  it('knows about a problem before the message ends, so the bytes need not be kept', () => {
    const inspector = new HeaderInspector(LIMITS);
    inspector.feed(Buffer.from(`Subject: ${'x'.repeat(250)}`));
    expect(inspector.problem).toBe('too-large');
    expect(inspector.done).toBe(true);
  });

  it('has the limits the listener uses', () => {
    expect(HEADER_LIMITS).toEqual({ maxBytes: 65536, maxFields: 1000, maxReceived: 100 });
  });
});

describe('AddressLimits', () => {
  it('counts open sessions per address and frees them on close, once', () => {
    const limits = new AddressLimits({ maxConnectionsPerAddress: 2, messagesPerMinute: 10 });
    expect(limits.openSession('s1', '192.0.2.1')).toBe(true);
    expect(limits.openSession('s2', '::ffff:192.0.2.1')).toBe(true);
    expect(limits.openSession('s3', '192.0.2.1')).toBe(false);
    expect(limits.openSession('s4', '192.0.2.2')).toBe(true);
    limits.closeSession('s3');
    limits.closeSession('s1');
    limits.closeSession('s1');
    expect(limits.sessionsOpen('192.0.2.1')).toBe(1);
    expect(limits.openSession('s5', '192.0.2.1')).toBe(true);
    expect(limits.openSession('s6', '192.0.2.1')).toBe(false);
  });

  it('counts an IPv6 /64 as one address', () => {
    const limits = new AddressLimits({ maxConnectionsPerAddress: 1, messagesPerMinute: 10 });
    expect(limits.openSession('a', '2001:db8:1:2::1')).toBe(true);
    expect(limits.openSession('b', '2001:db8:1:2:ffff::9')).toBe(false);
    expect(limits.openSession('c', '2001:db8:1:3::1')).toBe(true);
  });

  it('admits so many transactions a minute per address, in a sliding window', () => {
    let now = 1_000_000;
    const limits = new AddressLimits({ maxConnectionsPerAddress: 10, messagesPerMinute: 3 }, () => now);
    expect([1, 2, 3].map(() => limits.startTransaction('192.0.2.1').ok)).toEqual([true, true, true]);
    now += 20_000;
    expect(limits.startTransaction('192.0.2.1')).toEqual({ ok: false, retryAfterSeconds: 40 });
    expect(limits.startTransaction('192.0.2.9').ok).toBe(true);
    now += 40_001;
    expect([1, 2, 3, 4].map(() => limits.startTransaction('192.0.2.1').ok)).toEqual([true, true, true, false]);
  });

  it('forgets quiet addresses', () => {
    let now = 0;
    const limits = new AddressLimits({ maxConnectionsPerAddress: 10, messagesPerMinute: 3 }, () => now);
    for (let i = 0; i < 100; i++) limits.startTransaction(`198.51.100.${i}`);
    expect(limits.trackedAddresses).toBe(100);
    now += 61_000;
    limits.startTransaction('192.0.2.1');
    expect(limits.trackedAddresses).toBe(1);
  });
});

describe('RecipientErrors', () => {
  const LIMITS = { softErrors: 3, hardErrors: 10, errorDelayMs: 100, errorsPerHour: 25 };
  const HOUR = 3_600_000;
  const opened = (limits = LIMITS, now: () => number = Date.now, maxAddresses?: number) => new RecipientErrors(limits, now, maxAddresses);

  it('answers at once up to the soft limit, holds each reply back after it, and stops the session at the hard limit', () => {
    const errors = opened();
    errors.openSession('s1');
    // [refusals so far, admitted to a lookup, delay of the reply that follows the refusal]
    const seen: [number, boolean, number][] = [];
    for (let i = 1; i <= 11; i++) {
      const admitted = errors.admit('s1', '192.0.2.1').ok;
      if (admitted) errors.refused('s1', '192.0.2.1');
      seen.push([errors.sessionErrors('s1'), admitted, admitted ? errors.replyDelayMs('s1') : -1]);
    }
    expect(seen).toEqual([
      [1, true, 0],
      [2, true, 0],
      [3, true, 0],
      [4, true, 100],
      [5, true, 100],
      [6, true, 100],
      [7, true, 100],
      [8, true, 100],
      [9, true, 100],
      [10, true, 100],
      [10, false, -1],
    ]);
    expect(errors.admit('s1', '192.0.2.1')).toEqual({ ok: false, reason: 'session', limit: 10 });
  });

  it('lets legitimate use through untouched: valid recipients and one typo', () => {
    const errors = opened();
    errors.openSession('s1');
    for (let i = 0; i < 5; i++) expect(errors.admit('s1', '192.0.2.1').ok).toBe(true);
    errors.refused('s1', '192.0.2.1');
    expect(errors.replyDelayMs('s1')).toBe(0);
    expect(errors.admit('s1', '192.0.2.1').ok).toBe(true);
    expect(errors.admitAddress('192.0.2.1').ok).toBe(true);
  });

  it('counts every session of an address against the hour, so a new session does not start again', () => {
    let now = 5_000_000;
    const errors = opened({ ...LIMITS, errorsPerHour: 15 }, () => now);
    errors.openSession('s1');
    for (let i = 0; i < 10; i++) errors.refused('s1', '192.0.2.1');
    expect(errors.admit('s1', '192.0.2.1')).toMatchObject({ ok: false, reason: 'session' });
    errors.endSession('s1');
    errors.openSession('s2');
    // A fresh session: no delay of its own yet, but the address has only 5 refusals left in the hour.
    expect(errors.replyDelayMs('s2')).toBe(0);
    for (let i = 0; i < 5; i++) {
      expect(errors.admit('s2', '::ffff:192.0.2.1').ok).toBe(true);
      now += 1000;
      errors.refused('s2', '192.0.2.1');
    }
    expect(errors.admit('s2', '192.0.2.1')).toEqual({ ok: false, reason: 'address', limit: 15, retryAfterSeconds: 3595 });
    expect(errors.admitAddress('192.0.2.1').ok).toBe(false);
    // Another address is not concerned.
    expect(errors.admitAddress('192.0.2.2').ok).toBe(true);
    // A sliding window: once the first ten refusals are an hour old, ten more may come.
    now = 5_000_000 + HOUR - 1;
    expect(errors.admitAddress('192.0.2.1').ok).toBe(false);
    now = 5_000_000 + HOUR + 1;
    expect(errors.admitAddress('192.0.2.1').ok).toBe(true);
  });

  it('counts an IPv6 /64 as one address', () => {
    const errors = opened({ ...LIMITS, errorsPerHour: 2 });
    errors.refused('a', '2001:db8:1:2::1');
    errors.refused('b', '2001:db8:1:2:ffff::9');
    expect(errors.admitAddress('2001:db8:1:2::77').ok).toBe(false);
    expect(errors.admitAddress('2001:db8:1:3::1').ok).toBe(true);
  });

  it('keeps no count for a session once it has ended, even when a lookup ends after it', () => {
    const errors = opened();
    errors.openSession('s1');
    errors.refused('s1', '192.0.2.1');
    errors.endSession('s1');
    errors.refused('s1', '192.0.2.1');
    errors.endSession('s1');
    expect(errors.trackedSessions).toBe(0);
    expect(errors.sessionErrors('s1')).toBe(0);
  });

  it('keeps its memory bounded: quiet addresses are forgotten, at most so many are kept, each with at most the limit of times', () => {
    let now = 0;
    const errors = opened(LIMITS, () => now, 1000);
    for (let i = 0; i < 5000; i++) errors.refused('x', `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    expect(errors.trackedAddresses).toBe(1000);
    // The most recent are the ones kept.
    expect(errors.admitAddress('10.0.19.135').ok).toBe(true);
    for (let i = 0; i < 100; i++) errors.refused('x', '10.0.19.135');
    expect(errors.admitAddress('10.0.19.135').ok).toBe(false);
    expect(errors.trackedAddresses).toBe(1000);
    now += HOUR + 61_000;
    errors.refused('x', '192.0.2.1');
    expect(errors.trackedAddresses).toBe(1);
  });
});
