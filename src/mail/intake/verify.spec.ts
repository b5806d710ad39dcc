import { generateKeyPairSync } from 'node:crypto';
import { authenticate, dkimSign } from 'mailauth';
import { judge, retryDelay, summarise, unanswered, VERIFY_RETRY_SECONDS, type AuthSummary, type VerifyOutcome } from './verify';

const MTA = 'notify.artsites.test';

function keyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    dkimRecord: `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`,
  };
}

const gandiKey = keyPair();

/** An in-memory zone answering as node:dns does (ENOTFOUND for a name without records). */
const zone: Record<string, string[]> = {
  'gandi.net': ['v=spf1 ip4:192.0.2.10 -all'],
  's2026._domainkey.gandi.net': [gandiKey.dkimRecord],
  '_dmarc.gandi.net': ['v=DMARC1; p=reject'],
};
const resolver = async (name: string, rrtype: string) => {
  const records = rrtype === 'TXT' ? zone[name.toLowerCase()] : undefined;
  if (!records) throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  return records.map((r) => [r]);
};

const MESSAGE = [
  'From: Gandi <noreply@gandi.net>',
  'To: domains@notify.artsites.test',
  'Subject: Transfer request for lindapence.com',
  'Date: Tue, 24 Nov 2026 09:12:00 +0000',
  'Message-ID: <tr-unit@gandi.net>',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'A transfer of lindapence.com to another registrar was requested.',
  '',
].join('\r\n');

async function signed(raw: string): Promise<string> {
  // mailauth 4.13.3 signs with the entries of signatureData (its typings also ask for the fields at the top).
  const key = { signingDomain: 'gandi.net', selector: 's2026', privateKey: gandiKey.privateKey };
  const { signatures } = await dkimSign(raw, { ...key, signatureData: [key] });
  return signatures + raw;
}

const check = (raw: string, ip: string) => authenticate(raw, { ip, helo: 'mta1.gandi.net', sender: 'bounce@gandi.net', mta: MTA, resolver, disableBimi: true });

describe('summarise (what mailauth found, in the fields staff read)', () => {
  it('summarises a signed message from an authorised address: everything passes and aligns', async () => {
    const summary = summarise(await check(await signed(MESSAGE), '192.0.2.10'), MTA);
    expect(summary).toEqual({
      fromDomain: 'gandi.net',
      spf: { result: 'pass', domain: 'gandi.net', ip: '192.0.2.10', helo: 'mta1.gandi.net' },
      dkim: [{ result: 'pass', domain: 'gandi.net', selector: 's2026', aligned: true, comment: null }],
      dmarc: { result: 'pass', domain: 'gandi.net', policy: 'reject', alignedBy: ['dkim', 'spf'] },
      arc: { result: 'none', instance: 0 },
      header: expect.stringMatching(
        /^notify\.artsites\.test; dkim=pass header\.i=@gandi\.net header\.s=s2026 .*; spf=pass .*; dmarc=pass .*header\.from=gandi\.net/,
      ),
    });
    expect(summary.header).not.toMatch(/[\r\n]/);
  });

  it('keeps DMARC passing on aligned DKIM when SPF fails (mail relayed by another host)', async () => {
    const summary = summarise(await check(await signed(MESSAGE), '198.51.100.7'), MTA);
    expect(summary.spf?.result).toBe('fail');
    expect(summary.dmarc).toMatchObject({ result: 'pass', alignedBy: ['dkim'] });
  });

  it('records a body changed after signing as a DKIM failure, and DMARC then fails', async () => {
    const tampered = (await signed(MESSAGE)).replace('another registrar', 'https://gandi-transfer.example/approve');
    const summary = summarise(await check(tampered, '198.51.100.7'), MTA);
    expect(summary.dkim).toEqual([expect.objectContaining({ domain: 'gandi.net', aligned: true, comment: 'body hash did not verify' })]);
    expect(summary.dkim[0].result).not.toBe('pass');
    expect(summary.dmarc).toMatchObject({ result: 'fail', policy: 'reject', alignedBy: [] });
  });

  it('has no From domain when the message has two From addresses (DMARC cannot apply)', async () => {
    const twoFroms = await signed(MESSAGE.replace('From: Gandi <noreply@gandi.net>', 'From: Gandi <noreply@gandi.net>, Help <help@gandi-support.net>'));
    const summary = summarise(await check(twoFroms, '192.0.2.10'), MTA);
    expect(summary.fromDomain).toBeNull();
    expect(summary.dmarc).toBeNull();
  });

  it('lowercases the From domain and gives IDNs in punycode', async () => {
    const idn = MESSAGE.replace('noreply@gandi.net', 'noreply@Bücher.DE');
    expect(summarise(await check(idn, '192.0.2.10'), MTA).fromDomain).toBe('xn--bcher-kva.de');
  });

  it('describes a check that could not finish', () => {
    expect(unanswered(MTA, 'DNS gave no answer within 2000 ms', true)).toEqual({
      fromDomain: null,
      spf: null,
      dkim: [],
      dmarc: null,
      arc: null,
      header: 'notify.artsites.test; none (DNS gave no answer within 2000 ms)',
      error: { message: 'DNS gave no answer within 2000 ms', temporary: true },
    });
  });
});

describe('judge (the verified-registrar-mail rule)', () => {
  const base: AuthSummary = {
    fromDomain: 'gandi.net',
    spf: { result: 'pass', domain: 'gandi.net', ip: '192.0.2.10', helo: 'mta1.gandi.net' },
    dkim: [{ result: 'pass', domain: 'gandi.net', selector: 's2026', aligned: true, comment: null }],
    dmarc: { result: 'pass', domain: 'gandi.net', policy: 'reject', alignedBy: ['dkim', 'spf'] },
    arc: { result: 'none', instance: 0 },
    header: `${MTA}; dkim=pass`,
  };
  const dmarc = (result: string, alignedBy: ('dkim' | 'spf')[] = []) => ({ ...base.dmarc!, result, alignedBy });

  it.each<[string, AuthSummary, boolean, { verified: boolean; temporary: boolean; reason: RegExp }]>([
    [
      'DMARC passes for a registrar sender domain',
      base,
      true,
      { verified: true, temporary: false, reason: /^Verified: DMARC passes for gandi\.net \(aligned DKIM and SPF\)/ },
    ],
    [
      'a subdomain of a registrar sender domain',
      { ...base, fromDomain: 'mail.gandi.net' },
      true,
      { verified: true, temporary: false, reason: /mail\.gandi\.net/ },
    ],
    [
      "DMARC passes but the domain is no registrar's (look-alike)",
      { ...base, fromDomain: 'gandi-support.net' },
      false,
      { verified: false, temporary: false, reason: /gandi-support\.net is not a sender domain of any known registrar/ },
    ],
    [
      'a look-alike subdomain is judged by its registrable domain',
      { ...base, fromDomain: 'gandi.net.bulk-mailer.net' },
      false,
      { verified: false, temporary: false, reason: /bulk-mailer\.net is not a sender domain/ },
    ],
    ['DMARC fails (forged From)', { ...base, dmarc: dmarc('fail') }, true, { verified: false, temporary: false, reason: /DMARC fails for gandi\.net/ }],
    ['no DMARC record', { ...base, dmarc: dmarc('none') }, true, { verified: false, temporary: false, reason: /publishes no DMARC record/ }],
    ['DMARC permerror', { ...base, dmarc: dmarc('permerror') }, true, { verified: false, temporary: false, reason: /permerror/ }],
    ['DMARC temperror', { ...base, dmarc: dmarc('temperror') }, true, { verified: false, temporary: true, reason: /temperror/ }],
    [
      'DMARC temperror for a domain no registrar sends from (asking again cannot help)',
      { ...base, fromDomain: 'gandi-support.net', dmarc: dmarc('temperror') },
      false,
      { verified: false, temporary: false, reason: /temperror/ },
    ],
    [
      'DMARC fails while the DKIM key look-up failed',
      { ...base, dkim: [{ ...base.dkim[0], result: 'temperror' }], dmarc: dmarc('fail') },
      true,
      { verified: false, temporary: true, reason: /DMARC fails/ },
    ],
    [
      'DMARC fails while the SPF look-up failed',
      { ...base, spf: { ...base.spf!, result: 'temperror' }, dmarc: dmarc('fail') },
      true,
      { verified: false, temporary: true, reason: /DMARC fails/ },
    ],
    [
      'not exactly one From address',
      { ...base, fromDomain: null, dmarc: null },
      true,
      { verified: false, temporary: false, reason: /exactly one From address/ },
    ],
    [
      'DNS gave no answer in time',
      unanswered(MTA, 'DNS gave no answer within 2000 ms', true),
      false,
      { verified: false, temporary: true, reason: /within 2000 ms \(temperror\)/ },
    ],
    [
      'mailauth could not read the message',
      unanswered(MTA, 'mailauth could not check the message (boom)', false),
      false,
      { verified: false, temporary: false, reason: /could not check/ },
    ],
  ])('%s', (_name, summary, registrarSenderDomain, expected) => {
    const verdict = judge(summary, registrarSenderDomain);
    expect(verdict).toEqual({ verified: expected.verified, temporary: expected.temporary, reason: expect.stringMatching(expected.reason) });
  });

  it('never verifies without the registrar sender domain, whatever passes', () => {
    expect(judge(base, false).verified).toBe(false);
  });
});

describe('retryDelay (enforce mode waits for DNS instead of holding at once)', () => {
  const open: VerifyOutcome = { mode: 'enforce', verified: false, temporary: true, results: null };
  it.each<[string, VerifyOutcome, number, number | undefined]>([
    ['enforce, DNS failed, first attempt', open, 0, VERIFY_RETRY_SECONDS[0]],
    ['enforce, DNS failed, later attempt', open, 3, VERIFY_RETRY_SECONDS[3]],
    ['enforce, DNS failed, schedule used up: decide (hold)', open, VERIFY_RETRY_SECONDS.length, undefined],
    ['enforce, a definite failure', { ...open, temporary: false }, 0, undefined],
    ['enforce, verified', { ...open, verified: true, temporary: false }, 0, undefined],
    ['flag never waits', { ...open, mode: 'flag' }, 0, undefined],
    ['off never waits', { mode: 'off', results: null }, 0, undefined],
  ])('%s', (_name, outcome, attempt, expected) => {
    expect(retryDelay(outcome, attempt)).toBe(expected);
  });

  it('gives up within a few hours', () => {
    expect(VERIFY_RETRY_SECONDS.reduce((a, b) => a + b, 0)).toBeLessThan(3 * 3600);
  });
});
