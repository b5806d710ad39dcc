import { AddressLimits, HEADER_LIMITS, HeaderInspector } from './smtp-limits';

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
