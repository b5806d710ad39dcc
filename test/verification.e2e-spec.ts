// Stage 4 end to end: registrar mail over SMTP, checked against a real DNS server on loopback that
// serves the registrars' SPF, DKIM and DMARC records. Genuine registrar mail passes; forged From
// headers, broken and stale signatures and look-alike domains do not, and what happens to them
// follows SENDER_VERIFICATION (flag: forwarded with the warning banner; enforce: held; off: unchecked).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { promises as dns } from 'node:dns';
import { authenticate, dkimSign } from 'mailauth';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { DataSource } from 'typeorm';
import { SmtpReceiver } from '../src/mail/intake/receive';
import type { AuthResults } from '../src/mail/intake/verify';
import { UNVERIFIED_WARNING } from '../src/mail/notices/sections';
import { DnsServer } from './support/dns-server';
import { seedClient } from './support/fixtures';
import { Sink } from './support/sink';
import { waitFor } from './support/smtp';
import { startTestApp, type TestApp } from './support/test-app';

const MAIL_DOMAIN = 'notify.artsites.test';
const SHARED = `domains@${MAIL_DOMAIN}`;
const CONTACT = 'linda@pence-mail.test';
/** Gandi's outgoing mail servers, as its SPF record says. */
const GANDI_HOST = '127.0.0.1';
/** Any other host: an attacker's, or a mailing-list relay's. */
const OTHER_HOST = '127.0.0.2';
const RELAY_HOST = '127.0.0.3';

interface DkimKey {
  privateKey: string;
  record: string;
}

function dkimKey(): DkimKey {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    record: `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`,
  };
}

const keys = { gandi: dkimKey(), lookalike: dkimKey(), bulk: dkimKey(), relay: dkimKey(), attacker: dkimKey() };

/** The zone: Gandi, a look-alike and a rented bulk mailer each with complete, valid authentication. */
function publish(server: DnsServer): DnsServer {
  return server
    .txt('gandi.net', 'v=spf1 ip4:127.0.0.1 -all')
    .txt('s2026._domainkey.gandi.net', keys.gandi.record)
    .txt('_dmarc.gandi.net', 'v=DMARC1; p=reject; rua=mailto:dmarc@gandi.net')
    .txt('gandi-support.net', 'v=spf1 ip4:127.0.0.1 -all')
    .txt('mail._domainkey.gandi-support.net', keys.lookalike.record)
    .txt('_dmarc.gandi-support.net', 'v=DMARC1; p=reject')
    .txt('bulk-mailer.net', 'v=spf1 ip4:127.0.0.1 -all')
    .txt('k1._domainkey.bulk-mailer.net', keys.bulk.record)
    .txt('_dmarc.bulk-mailer.net', 'v=DMARC1; p=none')
    .txt('relay-lists.net', 'v=spf1 ip4:127.0.0.3 -all')
    .txt('arc._domainkey.relay-lists.net', keys.relay.record)
    .txt('_dmarc.relay-lists.net', 'v=DMARC1; p=none');
}

function notice(id: string, opts: { from?: string; subject?: string; body?: string } = {}): string {
  return [
    `From: ${opts.from ?? 'Gandi <noreply@gandi.net>'}`,
    `To: ${SHARED}`,
    `Subject: ${opts.subject ?? 'Transfer request for lindapence.com'}`,
    'Date: Tue, 24 Nov 2026 09:12:00 +0000',
    `Message-ID: <${id}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    opts.body ??
      'A transfer of lindapence.com to another registrar was requested.\r\nIf you did not ask for it, reject it in your Gandi account: https://account.gandi.net/',
    '',
  ].join('\r\n');
}

async function sign(raw: string, signingDomain: string, selector: string, key: DkimKey): Promise<string> {
  // mailauth signs with the entries of signatureData (its typings also ask for the fields at the top).
  const entry = { signingDomain, selector, privateKey: key.privateKey };
  const { signatures, errors } = await dkimSign(raw, { ...entry, signatureData: [entry] });
  if (errors.length) throw errors[0] instanceof Error ? errors[0] : new Error(JSON.stringify(errors[0]));
  return signatures + raw;
}

/** One message as it arrives: envelope sender, the host it comes from, and its bytes. */
interface Arrival {
  envelopeFrom: string;
  host: string;
  helo: string;
  raw: string;
}

const unique = (tag: string) => `${tag}-${randomBytes(4).toString('hex')}@gandi.net`;

/** Genuine Gandi mail: signed by gandi.net, sent from Gandi's host. */
async function genuine(id: string): Promise<Arrival> {
  return { envelopeFrom: 'bounce@gandi.net', host: GANDI_HOST, helo: 'mta1.gandi.net', raw: await sign(notice(id), 'gandi.net', 's2026', keys.gandi) };
}

/** What SPF, DKIM (each signature) and DMARC said; DMARC null when it could not apply. */
interface Mechanisms {
  spf: string;
  dkim: string[];
  dmarc: string | null;
}

/** Each way of passing mail off as Gandi's, the reason Aster must give for not trusting it, and what the checks found. */
const ATTACKS: [string, (id: string) => Promise<Arrival>, RegExp, Mechanisms][] = [
  [
    "a forged From, signed by and sent through the attacker's own domain",
    async (id) => ({
      envelopeFrom: 'bounce@bulk-mailer.net',
      host: GANDI_HOST,
      helo: 'mx.bulk-mailer.net',
      raw: await sign(notice(id), 'bulk-mailer.net', 'k1', keys.bulk),
    }),
    /DMARC fails for gandi\.net/,
    { spf: 'pass', dkim: ['pass'], dmarc: 'fail' },
  ],
  [
    "a forged From and envelope sender, unsigned, from a host Gandi's SPF does not name",
    async (id) => ({ envelopeFrom: 'noreply@gandi.net', host: OTHER_HOST, helo: 'mta1.gandi.net', raw: notice(id) }),
    /DMARC fails for gandi\.net/,
    { spf: 'fail', dkim: [], dmarc: 'fail' },
  ],
  [
    'a broken signature',
    async (id) => {
      const arrival = await genuine(id);
      // Change one character of the signature value (b=), not of the body hash (bh=).
      const raw = arrival.raw.replace(/([\s;]b=)([A-Za-z0-9+/])/, (_m, tag: string, c: string) => tag + (c === 'A' ? 'B' : 'A'));
      return { ...arrival, host: OTHER_HOST, raw };
    },
    /DMARC fails for gandi\.net/,
    { spf: 'fail', dkim: ['fail'], dmarc: 'fail' },
  ],
  [
    'a body changed after signing (the link replaced)',
    async (id) => {
      const arrival = await genuine(id);
      return { ...arrival, host: OTHER_HOST, raw: arrival.raw.replace('https://account.gandi.net/', 'https://gandi-transfer-approve.example/login') };
    },
    /DMARC fails for gandi\.net/,
    { spf: 'fail', dkim: ['neutral'], dmarc: 'fail' },
  ],
  [
    'a signed header changed after signing (the subject)',
    async (id) => {
      const arrival = await genuine(id);
      return { ...arrival, host: OTHER_HOST, raw: arrival.raw.replace('Subject: Transfer request', 'Subject: Payment overdue, renew now: transfer request') };
    },
    /DMARC fails for gandi\.net/,
    { spf: 'fail', dkim: ['fail'], dmarc: 'fail' },
  ],
  [
    "a signature for gandi.net made with a key that is not Gandi's",
    async (id) => ({
      envelopeFrom: 'bounce@gandi.net',
      host: OTHER_HOST,
      helo: 'mta1.gandi.net',
      raw: await sign(notice(id), 'gandi.net', 's2026', keys.attacker),
    }),
    /DMARC fails for gandi\.net/,
    { spf: 'fail', dkim: ['fail'], dmarc: 'fail' },
  ],
  [
    'a look-alike registrar domain with valid SPF, DKIM and DMARC of its own',
    async (id) => ({
      envelopeFrom: 'bounce@gandi-support.net',
      host: GANDI_HOST,
      helo: 'mx.gandi-support.net',
      raw: await sign(notice(id, { from: 'Gandi <noreply@gandi-support.net>' }), 'gandi-support.net', 'mail', keys.lookalike),
    }),
    /DMARC passes for gandi-support\.net .*not a sender domain of any known registrar/,
    { spf: 'pass', dkim: ['pass'], dmarc: 'pass' },
  ],
  [
    "the registrar's address as the display name of another address",
    async (id) => ({
      envelopeFrom: 'bounce@bulk-mailer.net',
      host: GANDI_HOST,
      helo: 'mx.bulk-mailer.net',
      raw: await sign(notice(id, { from: '"noreply@gandi.net" <alerts@bulk-mailer.net>' }), 'bulk-mailer.net', 'k1', keys.bulk),
    }),
    /bulk-mailer\.net is not a sender domain/,
    { spf: 'pass', dkim: ['pass'], dmarc: 'pass' },
  ],
  [
    'a second From header added above a genuine signed message',
    async (id) => {
      const arrival = await genuine(id);
      return { ...arrival, raw: `From: Gandi Billing <billing@bulk-mailer.net>\r\n${arrival.raw}` };
    },
    /exactly one From address/,
    { spf: 'pass', dkim: ['pass'], dmarc: null },
  ],
];

async function send(port: number, arrival: Arrival): Promise<string> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, name: arrival.helo, localAddress: arrival.host });
  try {
    const info = await transport.sendMail({ envelope: { from: arrival.envelopeFrom, to: [SHARED] }, raw: arrival.raw });
    const id = /queued as (\S+)/.exec(info.response)?.[1];
    if (!id) throw new Error(`unexpected answer: ${info.response}`);
    return id;
  } finally {
    transport.close();
  }
}

interface MessageView {
  id: string;
  stage: string;
  status: string;
  holdReason: string | null;
  authResults: AuthResults | null;
  deliveries: { status: string }[];
}

const sink = new Sink();
const flat = (s: string) => s.replace(/\s+/g, ' ');

/** The notice Aster sent about the message with this Message-ID (it carries it in References). */
async function letterAbout(messageId: string) {
  const sent = await waitFor(async () => sink.messages.find((m) => m.raw.toString('latin1').includes(messageId)), `the notice about ${messageId}`, 20_000);
  return simpleParser(sent.raw);
}

async function hasBanner(messageId: string): Promise<boolean> {
  const letter = await letterAbout(messageId);
  const inText = flat(letter.text ?? '').includes(UNVERIFIED_WARNING);
  const inHtml = flat(typeof letter.html === 'string' ? letter.html : '').includes(UNVERIFIED_WARNING);
  expect(inHtml).toBe(inText);
  return inText;
}

/** An app with Gandi (sender domain gandi.net) as a registrar and Linda's domain to route to. */
async function startApp(
  env: Record<string, string>,
): Promise<{ t: TestApp; port: number; message(id: string): Promise<MessageView>; decided(id: string, timeoutMs?: number): Promise<MessageView> }> {
  const t = await startTestApp({ RELAY_URL: sink.url, ...env });
  const registrar = await t
    .http()
    .post('/api/registrars')
    .set('Authorization', t.adminAuth)
    .send({ name: 'Gandi SAS', ianaId: 81, senderDomains: ['gandi.net'] });
  if (registrar.status !== 201) throw new Error(`registrar: ${registrar.status} ${JSON.stringify(registrar.body)}`);
  await seedClient(t, { name: 'Linda Pence Studio', contacts: [{ name: 'Linda Pence', email: CONTACT }], domains: ['lindapence.com'] });
  const message = async (id: string): Promise<MessageView> => (await t.http().get(`/api/messages/${id}`).set('Authorization', t.adminAuth).expect(200)).body;
  const decided = (id: string, timeoutMs = 15_000) =>
    waitFor(
      async () => {
        const m = await message(id);
        return m.stage === 'decided' ? m : undefined;
      },
      `message ${id} to be decided`,
      timeoutMs,
    );
  return { t, port: t.app.get(SmtpReceiver).address()!.port, message, decided };
}

describe('sender verification', () => {
  const zone = new DnsServer();

  beforeAll(async () => {
    await sink.start();
    publish(await zone.start());
  });
  afterAll(async () => {
    await zone.stop();
    await sink.stop();
  });

  describe('SENDER_VERIFICATION=flag', () => {
    let app: Awaited<ReturnType<typeof startApp>>;
    beforeAll(async () => {
      app = await startApp({ SENDER_VERIFICATION: 'flag', DNS_SERVERS: zone.address });
    });
    afterAll(() => app.t.close());

    it("verifies a DKIM-signed message from a registrar's sender domain and forwards it without the banner", async () => {
      const messageId = unique('genuine-flag');
      const before = zone.queries.length;
      const id = await send(app.port, await genuine(messageId));
      const m = await app.decided(id);
      expect(m).toMatchObject({ status: 'forwarded', holdReason: null });
      expect(m.authResults).toEqual({
        mode: 'flag',
        verified: true,
        temporary: false,
        reason: 'Verified: DMARC passes for gandi.net (aligned DKIM and SPF), a sender domain of a known registrar.',
        fromDomain: 'gandi.net',
        senderDomain: 'gandi.net',
        registrarSenderDomain: true,
        spf: { result: 'pass', domain: 'gandi.net', ip: GANDI_HOST, helo: 'mta1.gandi.net' },
        dkim: [{ result: 'pass', domain: 'gandi.net', selector: 's2026', aligned: true, comment: null }],
        dmarc: { result: 'pass', domain: 'gandi.net', policy: 'reject', alignedBy: ['dkim', 'spf'] },
        arc: { result: 'none', instance: 0 },
        header: expect.stringMatching(/^notify\.artsites\.test; dkim=pass .*; spf=pass .*; dmarc=pass /),
      });
      // The look-ups went to DNS_SERVERS.
      expect(zone.queries.slice(before).map((q) => q.name)).toEqual(expect.arrayContaining(['s2026._domainkey.gandi.net', 'gandi.net', '_dmarc.gandi.net']));
      expect(await hasBanner(messageId)).toBe(false);
    });

    it('verifies genuine mail relayed by another host on its aligned DKIM signature alone (SPF fails)', async () => {
      const messageId = unique('relayed-flag');
      const id = await send(app.port, { ...(await genuine(messageId)), host: OTHER_HOST });
      const m = await app.decided(id);
      expect(m.authResults).toMatchObject({ verified: true, spf: { result: 'fail' }, dmarc: { result: 'pass', alignedBy: ['dkim'] } });
      expect(await hasBanner(messageId)).toBe(false);
    });

    it.each(ATTACKS)('does not verify %s: forwarded with the warning banner', async (name, build, reason, mechanisms) => {
      const messageId = unique(`attack-flag-${name.replace(/\W+/g, '-').slice(0, 20)}`);
      const id = await send(app.port, await build(messageId));
      const m = await app.decided(id);
      expect(m).toMatchObject({ status: 'forwarded', holdReason: null });
      expect(m.authResults).toMatchObject({ mode: 'flag', verified: false, temporary: false, reason: expect.stringMatching(reason) });
      const found = m.authResults!;
      expect({ spf: found.spf?.result, dkim: found.dkim.map((d) => d.result), dmarc: found.dmarc?.result ?? null }).toEqual(mechanisms);
      expect(await hasBanner(messageId)).toBe(true);
    });

    it('records the ARC chain of a mailing-list relay that changed the message, but does not let it override DMARC', async () => {
      const messageId = unique('arc-flag');
      const original = await genuine(messageId);
      // The relay verifies nothing that matters here; it tags the subject and seals what it sends on.
      const changed = original.raw.replace('Subject: Transfer request', 'Subject: [domains-list] Transfer request');
      const resolver = new dns.Resolver({ timeout: 2000, tries: 1 });
      resolver.setServers([zone.address]);
      const sealed = await authenticate(changed, {
        ip: GANDI_HOST,
        helo: 'mta1.gandi.net',
        sender: 'bounce@gandi.net',
        mta: 'mx.relay-lists.net',
        resolver: (name, rrtype) => resolver.resolve(name, rrtype) as Promise<string[][]>,
        disableBimi: true,
        seal: { signingDomain: 'relay-lists.net', selector: 'arc', privateKey: keys.relay.privateKey },
      });
      expect(sealed.headers).toMatch(/^ARC-Seal: /m);
      const id = await send(app.port, {
        envelopeFrom: 'list-bounces@relay-lists.net',
        host: RELAY_HOST,
        helo: 'mx.relay-lists.net',
        raw: sealed.headers + changed,
      });
      const m = await app.decided(id);
      expect(m.authResults).toMatchObject({
        verified: false,
        arc: { result: 'pass', instance: 1 },
        spf: { result: 'pass', domain: 'relay-lists.net' },
        dmarc: { result: 'fail', domain: 'gandi.net' },
        reason: expect.stringMatching(/DMARC fails for gandi\.net/),
      });
      expect(await hasBanner(messageId)).toBe(true);
    });

    it('shows the results on the message to staff (GET /api/messages/:id)', async () => {
      const id = await send(app.port, await genuine(unique('shown')));
      await app.decided(id);
      const shown = await app.t.http().get(`/api/messages/${id}`).set('Authorization', app.t.adminAuth).expect(200);
      expect(shown.body.authResults).toMatchObject({
        verified: true,
        dmarc: { result: 'pass' },
        spf: { result: 'pass' },
        dkim: [{ result: 'pass' }],
        arc: { result: 'none' },
      });
    });
  });

  describe('SENDER_VERIFICATION=enforce', () => {
    let app: Awaited<ReturnType<typeof startApp>>;
    beforeAll(async () => {
      app = await startApp({ SENDER_VERIFICATION: 'enforce', DNS_SERVERS: zone.address });
    });
    afterAll(() => app.t.close());

    it('forwards verified registrar mail', async () => {
      const messageId = unique('genuine-enforce');
      const id = await send(app.port, await genuine(messageId));
      const m = await app.decided(id);
      expect(m).toMatchObject({ status: 'forwarded', authResults: { mode: 'enforce', verified: true } });
      expect(await hasBanner(messageId)).toBe(false);
    });

    it.each(ATTACKS)('holds %s as unverified_sender', async (_name, build, reason) => {
      const id = await send(app.port, await build(unique('attack-enforce')));
      const m = await app.decided(id);
      expect(m).toMatchObject({ status: 'held', holdReason: 'unverified_sender', deliveries: [] });
      expect(m.authResults).toMatchObject({ mode: 'enforce', verified: false, reason: expect.stringMatching(reason) });
    });
  });

  describe('SENDER_VERIFICATION=off', () => {
    const quiet = new DnsServer();
    let app: Awaited<ReturnType<typeof startApp>>;
    beforeAll(async () => {
      publish(await quiet.start());
      app = await startApp({ SENDER_VERIFICATION: 'off', DNS_SERVERS: quiet.address });
    });
    afterAll(async () => {
      await app.t.close();
      await quiet.stop();
    });

    it('checks nothing, stores null and forwards forgeries and genuine mail alike without the banner', async () => {
      const forgedId = unique('forged-off');
      const forged = await send(app.port, await ATTACKS[1][1](forgedId));
      const genuineId = await send(app.port, await genuine(unique('genuine-off')));
      for (const id of [forged, genuineId]) expect(await app.decided(id)).toMatchObject({ status: 'forwarded', authResults: null });
      expect(await hasBanner(forgedId)).toBe(false);
      expect(quiet.queries).toEqual([]);
    });
  });

  describe('a DNS server that does not answer', () => {
    it('does not stall intake under flag: the message is decided soon after the timeout, unverified, with the banner', async () => {
      const dead = await new DnsServer().start();
      dead.silent = true;
      const app = await startApp({ SENDER_VERIFICATION: 'flag', DNS_SERVERS: dead.address, DNS_TIMEOUT_MS: '300' });
      try {
        const messageId = unique('dead-flag');
        const started = Date.now();
        const id = await send(app.port, await genuine(messageId));
        const m = await app.decided(id, 10_000);
        // Loose on purpose: 300 ms of DNS plus routing, far from a stall.
        expect(Date.now() - started).toBeLessThan(8_000);
        expect(m).toMatchObject({ status: 'forwarded', authResults: { verified: false, temporary: true, reason: expect.stringMatching(/temperror/) } });
        expect(dead.queries.length).toBeGreaterThan(0);
        expect(await hasBanner(messageId)).toBe(true);
      } finally {
        await app.t.close();
        await dead.stop();
      }
    });

    it('puts the message off under enforce instead of holding it, and verifies it once DNS answers again', async () => {
      const outage = publish(await new DnsServer().start());
      outage.silent = true;
      const app = await startApp({ SENDER_VERIFICATION: 'enforce', DNS_SERVERS: outage.address, DNS_TIMEOUT_MS: '300' });
      try {
        const db = app.t.app.get(DataSource);
        // Put off: still stored, claimed again once routeAfter has come, with one verification attempt counted.
        const putOff = async (id: string): Promise<{ due: boolean } | undefined> => {
          const [row] = await db.query<{ due: boolean }[]>(
            `SELECT "routeAfter" <= now() AS due FROM inbound_message WHERE id = $1 AND stage = 'stored' AND "verifyAttempts" = 1`,
            [id],
          );
          return row;
        };
        const messageId = unique('outage-enforce');
        const id = await send(app.port, await genuine(messageId));
        // Staff discard a second one while it waits: it must stay discarded when its next attempt comes.
        const discardedId = await send(app.port, await genuine(unique('outage-discarded')));
        // The first attempt found no DNS and scheduled the next one (VERIFY_RETRY_SECONDS[0] later).
        for (const waiting of [id, discardedId]) await waitFor(() => putOff(waiting), 'the routing to be put off');
        expect(await app.message(id)).toMatchObject({ stage: 'stored', status: 'received', authResults: null });
        await app.t.http().post(`/api/messages/${discardedId}/discard`).set('Authorization', app.t.adminAuth).expect(200);
        outage.silent = false;
        const m = await app.decided(id, 20_000);
        expect(m).toMatchObject({ status: 'forwarded', authResults: { mode: 'enforce', verified: true } });
        expect(await hasBanner(messageId)).toBe(false);
        await waitFor(async () => ((await putOff(discardedId))?.due ? true : undefined), "the discarded message's next attempt");
        // Past its time: a routing pass would have claimed it by now, were it not discarded.
        await new Promise((r) => setTimeout(r, 1500));
        expect(await app.message(discardedId)).toMatchObject({ status: 'discarded', stage: 'stored', deliveries: [] });
      } finally {
        await app.t.close();
        await outage.stop();
      }
    });
  });
});
