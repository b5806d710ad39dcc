// Issue 13, items 6–7 end to end: every notice's claims checked against the registry (an RDAP server
// of the test's own on loopback). The message shows `checks`; the copy says plainly where the
// registry disagrees; a notice from another registrar than the registry's is suspicious.
import { simpleParser } from 'mailparser';
import { DataSource } from 'typeorm';
import { SmtpReceiver } from '../src/mail/intake/receive';
import { decidedMessage, seedClient } from './support/fixtures';
import { registrarMail } from './support/mail';
import { RdapServer } from './support/rdap-server';
import { Sink } from './support/sink';
import { sendRaw, waitFor } from './support/smtp';
import { startTestApp, type TestApp } from './support/test-app';

const CONTACT = 'linda@pence-mail.test';

const notice = (from: string, subject: string, body: string) => registrarMail({ from, subject, body });

describe('notices checked against the registry (issue 13)', () => {
  const sink = new Sink();
  let rdap: RdapServer;
  let t: TestApp;
  let port: number;

  const send = async (raw: string, from: string) => {
    const result = await sendRaw(port, { from, to: ['domains@notify.artsites.test'] }, raw);
    expect(result.responseCode).toBe(250);
    return /queued as (\S+)/.exec(result.response)![1];
  };
  const decided = (id: string) => decidedMessage(t, id);
  const letterFor = async (m: { deliveries: { id: string }[] }) => {
    const sunk = await waitFor(async () => sink.to(CONTACT).find((s) => s.raw.toString('latin1').includes(m.deliveries[0].id)), 'the copy', 20_000);
    return simpleParser(sunk.raw);
  };

  beforeAll(async () => {
    await sink.start();
    rdap = await new RdapServer().start();
    t = await startTestApp({ RELAY_URL: sink.url, RDAP_SERVERS: `com=${rdap.base}com/v1/`, RDAP_SYNC_INTERVAL: 'off', RDAP_RATE_PER_SECOND: '50' });
    port = t.app.get(SmtpReceiver).address()!.port;
    for (const [name, ianaId, domain] of [
      ['Gandi SAS', 81, 'gandi.net'],
      ['NameCheap, Inc.', 1068, 'namecheap.com'],
    ] as const) {
      await t
        .http()
        .post('/api/registrars')
        .set('Authorization', t.adminAuth)
        .send({ name, ianaId, senderDomains: [domain] })
        .expect(201);
    }
    await seedClient(t, { name: 'Linda Pence Studio', contacts: [{ name: 'Linda Pence', email: CONTACT }], domains: ['lindapence.com'] });
    // The registry: Gandi is the registrar, the domain expires on 15 January 2027 and is locked.
    const record = rdap.fixture('verisign-domain.json');
    record.events = record.events.map((e) => (e.eventAction === 'expiration' ? { ...e, eventDate: '2027-01-15T10:12:44Z' } : e));
    record.links = (record.links ?? []).filter((l) => l.rel !== 'related');
    rdap.answer('/com/v1/domain/lindapence.com', { body: record });
    const checked = await t.http().post('/api/domains/lindapence.com/check').set('Authorization', t.adminAuth).expect(200);
    expect(checked.body.registry).toMatchObject({ registrarIanaId: 81, error: null });
  });
  afterAll(async () => {
    await t.close();
    await rdap.stop();
    await sink.stop();
  });

  it("agrees with a notice from the registrar of record that states the registry's expiry date", async () => {
    const m = await decided(
      await send(
        notice('Gandi <noreply@gandi.net>', 'Expiry reminder', 'Your domain lindapence.com expires on 15 January 2027. Renew it in your account.'),
        'noreply@gandi.net',
      ),
    );
    expect(m.checks).toEqual(
      expect.arrayContaining([
        { domain: 'lindapence.com', claim: 'expiresAt', notice: '2027-01-15', registry: '2027-01-15', verdict: 'agrees' },
        { domain: 'lindapence.com', claim: 'registrar', notice: 'Gandi SAS', registry: expect.any(String), verdict: 'agrees' },
      ]),
    );
    expect(m.suspicious).toBeNull();
  });

  it("says plainly when the registry disagrees about the expiry date, and flags another registrar's notice", async () => {
    const m = await decided(
      await send(
        notice('Namecheap <expiry@namecheap.com>', 'Domain expiration notice', 'Your domain lindapence.com expires on 30 June 2027. Renew now to keep it.'),
        'expiry@namecheap.com',
      ),
    );
    expect(m.checks).toEqual(
      expect.arrayContaining([
        { domain: 'lindapence.com', claim: 'expiresAt', notice: '2027-06-30', registry: '2027-01-15', verdict: 'disagrees' },
        { domain: 'lindapence.com', claim: 'registrar', notice: 'NameCheap, Inc.', registry: expect.any(String), verdict: 'disagrees' },
      ]),
    );
    expect(m.suspicious.reasons.join(' ')).toMatch(/registry says/);
    const letter = await letterFor(m);
    const text = (letter.text ?? '').replace(/\s+/g, ' ');
    expect(text).toContain('The registry says lindapence.com expires on 15 January 2027, not 30 June 2027');
  });

  it("checks a transfer request against the registry's lock", async () => {
    const m = await decided(
      await send(
        notice(
          'Gandi <noreply@gandi.net>',
          'Transfer request for lindapence.com',
          'A request to transfer lindapence.com to another registrar was received. Approve or reject it.',
        ),
        'noreply@gandi.net',
      ),
    );
    expect(m.checks).toEqual(
      expect.arrayContaining([
        { domain: 'lindapence.com', claim: 'transfer', notice: 'transfer requested', registry: 'transfer lock on', verdict: 'disagrees' },
      ]),
    );
  });

  it('checks a domain whose registry view is stale now, before it routes the notice', async () => {
    // The last check is two days old (older than RDAP_SYNC_INTERVAL's 24 h); the registry has renewed the domain since.
    await t.app.get(DataSource).query(`UPDATE domain SET "registryOkAt" = now() - interval '2 days' WHERE name = 'lindapence.com'`);
    const record = rdap.fixture('verisign-domain.json');
    record.events = record.events.map((e) => (e.eventAction === 'expiration' ? { ...e, eventDate: '2028-01-15T10:12:44Z' } : e));
    record.links = (record.links ?? []).filter((l) => l.rel !== 'related');
    rdap.answer('/com/v1/domain/lindapence.com', { body: record });
    const before = rdap.requests.length;
    const m = await decided(
      await send(
        notice('Gandi <noreply@gandi.net>', 'Renewal confirmation', 'lindapence.com has been renewed. It now expires on 15 January 2028.'),
        'noreply@gandi.net',
      ),
    );
    expect(rdap.requests.length).toBeGreaterThan(before);
    expect(m.checks).toEqual(
      expect.arrayContaining([{ domain: 'lindapence.com', claim: 'expiresAt', notice: '2028-01-15', registry: '2028-01-15', verdict: 'agrees' }]),
    );
  });
});
