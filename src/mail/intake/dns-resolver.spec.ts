import { DnsServer } from '../../../test/support/dns-server';
import { openDnsSession } from './dns-resolver';

describe('openDnsSession (the look-ups mailauth makes)', () => {
  const zone = new DnsServer();
  const dead = new DnsServer();
  const longRecord = `v=DKIM1; k=rsa; p=${'A'.repeat(392)}`;

  beforeAll(async () => {
    await zone.start();
    zone.txt('gandi.net', 'v=spf1 ip4:127.0.0.1 -all').txt('s2026._domainkey.gandi.net', longRecord).a('mta1.gandi.net', '127.0.0.1');
    await dead.start();
    dead.silent = true;
  });
  afterAll(async () => {
    await zone.stop();
    await dead.stop();
  });

  it('asks DNS_SERVERS and gives TXT records as node does (one array of strings per record)', async () => {
    const dns = openDnsSession([zone.address], 1000);
    expect(await dns.lookup('gandi.net', 'TXT')).toEqual([['v=spf1 ip4:127.0.0.1 -all']]);
    // A key longer than one 255-byte string arrives in pieces; joined, it is the record.
    const [key] = (await dns.lookup('s2026._domainkey.gandi.net', 'TXT')) as string[][];
    expect(key.join('')).toBe(longRecord);
    expect(await dns.lookup('mta1.gandi.net', 'A')).toEqual(['127.0.0.1']);
  });

  it('takes an answer too large for UDP over TCP, as DNS does (RFC 7766)', async () => {
    const records = Array.from({ length: 6 }, (_, i) => `verification-token-${i}=${'x'.repeat(300)}`);
    for (const r of records) zone.txt('large.gandi.net', r);
    const answer = (await openDnsSession([zone.address], 1000).lookup('large.gandi.net', 'TXT')) as string[][];
    expect(answer.map((r) => r.join('')).sort()).toEqual(records);
    expect(zone.queries.filter((q) => q.name === 'large.gandi.net').map((q) => q.transport)).toEqual(['udp', 'tcp']);
  });

  it.each([
    ['a name that does not exist', 'nothing-here.gandi.net', 'ENOTFOUND'],
    ['a name without records of the type', 'mta1.gandi.net', 'ENODATA'],
  ])('fails with the code mailauth reads as "no record" for %s', async (_what, name, code) => {
    await expect(openDnsSession([zone.address], 1000).lookup(name, 'TXT')).rejects.toMatchObject({ code });
  });

  it('gives up on a server that does not answer after the timeout (a temporary error)', async () => {
    const started = Date.now();
    await expect(openDnsSession([dead.address], 200).lookup('gandi.net', 'TXT')).rejects.toMatchObject({ code: 'ETIMEOUT' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('once cancelled, fails the look-ups still waiting and refuses new ones', async () => {
    const dns = openDnsSession([dead.address], 5_000);
    const waiting = dns.lookup('gandi.net', 'TXT');
    dns.cancel();
    await expect(waiting).rejects.toMatchObject({ code: 'ECANCELLED' });
    const asked = dead.queries.length;
    await expect(dns.lookup('gandi.net', 'TXT')).rejects.toMatchObject({ code: 'ECANCELLED' });
    expect(dead.queries.length).toBe(asked);
  });
});
