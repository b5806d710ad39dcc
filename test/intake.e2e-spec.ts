// Stages 1–2 and the staff message API, driven over real SMTP and HTTP.
import { DataSource } from 'typeorm';
import { SmtpReceiver } from '../src/mail/intake/receive';
import { fetchRaw, seedClient, tokenFor, type SeededClient } from './support/fixtures';
import { registrarMail as gandiMail } from './support/mail';
import { RawSmtp, sendRaw, waitFor } from './support/smtp';
import { startTestApp, type TestApp } from './support/test-app';

const MAIL_DOMAIN = 'notify.artsites.test';
const SHARED = `domains@${MAIL_DOMAIN}`;

function registrarMail(opts: { subject: string; body: string; messageId?: string; headers?: string }): string {
  return gandiMail({
    ...opts,
    to: SHARED,
    leading: ['Received: from mta1.gandi.net (mta1.gandi.net [217.70.178.1]) by mx.example; Tue, 24 Nov 2026 09:12:01 +0000'],
    trailing: opts.headers ? [opts.headers] : [],
  });
}

describe('registrar-mail intake', () => {
  let t: TestApp;
  let port: number;
  let linda: SeededClient;
  let omar: SeededClient;

  const getMessage = async (id: string) => (await t.http().get(`/api/messages/${id}`).set('Authorization', t.adminAuth)).body;
  const decided = (id: string) =>
    waitFor(async () => {
      const m = await getMessage(id);
      return m.stage === 'decided' ? m : undefined;
    }, `message ${id} to be decided`);
  const queuedId = (response: string) => /queued as ([0-9a-f-]{36})/.exec(response)?.[1] ?? '';

  beforeAll(async () => {
    t = await startTestApp();
    port = t.app.get(SmtpReceiver).address()!.port;
    linda = await seedClient(t, {
      name: 'Linda Pence Studio',
      contacts: [
        { name: 'Linda Pence', email: 'linda@pence-mail.test' },
        { name: 'Studio Assistant', email: 'assist@pence-mail.test' },
        { name: 'Accountant', email: 'books@pence-mail.test', receivesNotices: false },
      ],
      domains: ['lindapence.com', 'lindapence.co.uk'],
    });
    omar = await seedClient(t, {
      name: 'Omar Haddad Ceramics',
      contacts: [{ name: 'Omar Haddad', email: 'omar@haddad.test' }],
      domains: ['omarhaddad.eu', 'bücher-atelier.de'],
    });
  });
  afterAll(() => t.close());

  describe('receive: answers by code', () => {
    let smtp: RawSmtp;
    beforeEach(async () => {
      const opened = await RawSmtp.open(port);
      smtp = opened.smtp;
      expect(opened.greeting).toMatch(/^220 /);
    });
    afterEach(() => smtp.close());

    it('advertises SIZE and enhanced status codes, and neither AUTH nor STARTTLS', async () => {
      const ehlo = await smtp.command('EHLO mx.registrar.test');
      expect(ehlo).toMatch(/^250-/);
      expect(ehlo).toContain('SIZE 26214400');
      expect(ehlo).toContain('ENHANCEDSTATUSCODES');
      expect(ehlo).not.toMatch(/AUTH/);
      expect(ehlo).not.toMatch(/STARTTLS/);
      expect(await smtp.command('AUTH PLAIN AGFhYQBiYg==')).toMatch(/^5\d\d /);
    });

    it.each([
      ['the shared mailbox', SHARED, /^250 2\.1\.5 /],
      ['a tracked domain alias', `lindapence.com@${MAIL_DOMAIN}`, /^250 2\.1\.5 /],
      ['an alias in other case', `LindaPence.COM@Notify.ArtSites.test`, /^250 2\.1\.5 /],
      ['an IDN alias in punycode', `xn--bcher-atelier-wob.de@${MAIL_DOMAIN}`, /^250 2\.1\.5 /],
      ['an untracked domain alias', `someone-else.com@${MAIL_DOMAIN}`, /^550 5\.1\.1 .*no such mailbox/],
      ['an unknown local part', `postmaster2@${MAIL_DOMAIN}`, /^550 5\.1\.1 .*no such mailbox/],
      ['a relay attempt to another domain', 'victim@example.org', /^550 5\.1\.1 .*relaying denied/],
      ['a relay attempt through a subdomain', `domains@evil.${MAIL_DOMAIN}`, /^550 5\.1\.1 .*relaying denied/],
    ])('RCPT TO %s', async (_what, address, expected) => {
      await smtp.command('EHLO mx.registrar.test');
      expect(await smtp.command('MAIL FROM:<noreply@gandi.net>')).toMatch(/^250 /);
      expect(await smtp.command(`RCPT TO:<${address}>`)).toMatch(expected);
    });

    it('refuses a declared size over the limit at MAIL FROM', async () => {
      await smtp.command('EHLO mx.registrar.test');
      expect(await smtp.command('MAIL FROM:<noreply@gandi.net> SIZE=999999999')).toMatch(/^552 5\.3\.4 /);
    });
  });

  it('refuses an oversized message with 552 5.3.4 and stores nothing', async () => {
    const small = await startTestApp({ MAX_MESSAGE_BYTES: '2000' });
    try {
      const smallPort = small.app.get(SmtpReceiver).address()!.port;
      const result = await sendRaw(
        smallPort,
        { from: 'noreply@gandi.net', to: [`domains@${MAIL_DOMAIN}`] },
        registrarMail({ subject: 'Big', body: 'x'.repeat(5000) }),
      );
      expect(result.responseCode).toBe(552);
      expect(result.response).toMatch(/^552 5\.3\.4 /);
      const list = await small.http().get('/api/messages').set('Authorization', small.adminAuth).expect(200);
      expect(list.body.total).toBe(0);
    } finally {
      await small.close();
    }
  });

  it('answers 250 only with the message stored, and routes it to its client', async () => {
    const raw = registrarMail({ subject: 'Transfer request for lindapence.com', body: 'A transfer of lindapence.com to another registrar was requested.' });
    const result = await sendRaw(port, { from: 'noreply@gandi.net', to: [SHARED] }, raw);
    expect(result.response).toMatch(/^250 2\.6\.0 Ok: queued as [0-9a-f-]{36}$/);
    const id = queuedId(result.response);
    const stored = await fetchRaw(t, id);
    expect(stored.status).toBe(200);
    expect(stored.headers['content-type']).toContain('message/rfc822');
    expect(stored.body.toString('utf8')).toBe(raw);
    const message = await decided(id);
    expect(message).toMatchObject({
      status: 'forwarded',
      kind: 'transfer_request',
      decision: 'forward',
      domains: ['lindapence.com'],
      clientIds: [linda.id],
      envelope: { from: 'noreply@gandi.net', to: [SHARED] },
    });
    expect(message.deliveries.map((d: { email: string }) => d.email).sort()).toEqual(['assist@pence-mail.test', 'linda@pence-mail.test']);
    // Queued by the decision; the delivery worker (writing to the outbox here) may already have sent them.
    expect(message.deliveries.every((d: { status: string; form: string }) => ['queued', 'sent'].includes(d.status) && d.form === 'forward')).toBe(true);
  });

  it('stores the same Message-ID from the same sender once and still answers 250', async () => {
    const raw = registrarMail({ subject: 'Renewal confirmation omarhaddad.eu', body: 'omarhaddad.eu was renewed.', messageId: 'dup-1@gandi.net' });
    const first = await sendRaw(port, { from: 'noreply@gandi.net', to: [SHARED] }, raw);
    const second = await sendRaw(port, { from: 'noreply@gandi.net', to: [SHARED] }, raw);
    const other = await sendRaw(port, { from: 'other@gandi.net', to: [SHARED] }, raw);
    expect([first.responseCode, second.responseCode, other.responseCode]).toEqual([250, 250, 250]);
    expect(queuedId(second.response)).toBe(queuedId(first.response));
    expect(queuedId(other.response)).not.toBe(queuedId(first.response));
    const db = t.app.get(DataSource);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM inbound_message WHERE "messageId" = 'dup-1@gandi.net'`);
    expect(n).toBe(2);
    expect((await decided(queuedId(first.response))).deliveries).toHaveLength(1);
  });

  it('matches through the alias alone, and sets lastNoticeAt', async () => {
    const before = await t.http().get('/api/domains?noticeSeen=false').set('Authorization', t.adminAuth).expect(200);
    expect(before.body.items.map((d: { name: string }) => d.name)).toContain('lindapence.co.uk');
    const result = await sendRaw(
      port,
      { from: 'bounce@nominet.uk', to: [`lindapence.co.uk@${MAIL_DOMAIN}`] },
      registrarMail({ subject: 'Your domain name data', body: 'Please check the contact data we hold for your domain.' }),
    );
    const message = await decided(queuedId(result.response));
    expect(message).toMatchObject({ decision: 'forward', domains: ['lindapence.co.uk'], clientIds: [linda.id] });
    const domain = await t.http().get('/api/domains/lindapence.co.uk').set('Authorization', t.adminAuth).expect(200);
    expect(domain.body.lastNoticeAt).not.toBeNull();
    const after = await t.http().get('/api/domains?noticeSeen=false').set('Authorization', t.adminAuth).expect(200);
    expect(after.body.items.map((d: { name: string }) => d.name)).not.toContain('lindapence.co.uk');
  });

  it('makes a privacy digest decision for domains of two clients', async () => {
    const result = await sendRaw(
      port,
      { from: 'noreply@gandi.net', to: [SHARED] },
      registrarMail({ subject: 'Domains expiring soon', body: 'These domains expire on 2026-12-20:\r\n- lindapence.com\r\n- omarhaddad.eu\r\n' }),
    );
    const message = await decided(queuedId(result.response));
    expect(message.decision).toBe('digest');
    expect(message.kind).toBe('expiry_reminder');
    expect(message.clientIds.sort()).toEqual([linda.id, omar.id].sort());
    const byEmail = Object.fromEntries(message.deliveries.map((d: { email: string; domains: string[]; form: string }) => [d.email, d]));
    expect(byEmail['omar@haddad.test']).toMatchObject({ form: 'digest', domains: ['omarhaddad.eu'] });
    expect(byEmail['linda@pence-mail.test']).toMatchObject({ form: 'digest', domains: ['lindapence.com'] });
  });

  it('holds what it cannot route: unmatched, loop, unparseable — and staff can release or discard', async () => {
    const unmatched = queuedId(
      (
        await sendRaw(
          port,
          { from: 'noreply@gandi.net', to: [SHARED] },
          registrarMail({ subject: 'Expiry of lindapence.co', body: 'smart-lindapence.com and lindapence.co expire soon.' }),
        )
      ).response,
    );
    const loop = queuedId(
      (
        await sendRaw(
          port,
          { from: '', to: [SHARED] },
          registrarMail({
            subject: '[lindapence.com] Transfer request',
            body: 'lindapence.com',
            headers: 'Auto-Submitted: auto-forwarded\r\nX-Aster-Notice: 1',
          }),
        )
      ).response,
    );
    const garbage = Buffer.from('\r\n\r\nthis is not a message\r\n');
    const unparseable = queuedId((await sendRaw(port, { from: 'noreply@gandi.net', to: [SHARED] }, garbage)).response);

    expect(await decided(unmatched)).toMatchObject({ status: 'held', holdReason: 'unmatched', domains: [], deliveries: [] });
    expect(await decided(loop)).toMatchObject({ status: 'held', holdReason: 'loop', deliveries: [] });
    expect(await decided(unparseable)).toMatchObject({ status: 'held', holdReason: 'unparseable' });
    const raw = await t.http().get(`/api/messages/${unparseable}/raw`).set('Authorization', t.adminAuth).expect(200);
    expect(raw.headers['content-length']).toBe(String(garbage.length));

    const held = await t.http().get('/api/messages?status=held&holdReason=unmatched').set('Authorization', t.adminAuth).expect(200);
    expect(held.body.items.map((m: { id: string }) => m.id)).toContain(unmatched);

    const staff = await tokenFor(t, 'staff');
    const released = await t
      .http()
      .post(`/api/messages/${unmatched}/release`)
      .set('Authorization', staff)
      .send({ clientIds: [omar.id] })
      .expect(200);
    expect(released.body).toMatchObject({ status: 'released', clientIds: [omar.id] });
    expect(released.body.deliveries).toEqual([
      expect.objectContaining({ email: 'omar@haddad.test', status: expect.stringMatching(/^(queued|sent)$/), form: 'forward' }),
    ]);
    await t.http().post(`/api/messages/${unmatched}/release`).set('Authorization', staff).send({}).expect(409);

    const discarded = await t.http().post(`/api/messages/${loop}/discard`).set('Authorization', staff).expect(200);
    expect(discarded.body.status).toBe('discarded');

    const audit = await t.http().get('/api/audit?entityType=message').set('Authorization', t.adminAuth).expect(200);
    expect(audit.body.items.map((e: { action: string; entityId: string }) => `${e.action}:${e.entityId}`)).toEqual(
      expect.arrayContaining([`release:${unmatched}`, `discard:${loop}`]),
    );
  });

  it('validates release and message filters', async () => {
    const staff = await tokenFor(t, 'staff');
    const held = queuedId(
      (await sendRaw(port, { from: 'x@registrar.test', to: [SHARED] }, registrarMail({ subject: 'Hello', body: 'no domain here' }))).response,
    );
    await decided(held);
    const bad = await t
      .http()
      .post(`/api/messages/${held}/release`)
      .set('Authorization', staff)
      .send({ clientIds: ['not-a-uuid'] })
      .expect(400);
    expect(bad.body.errors[0].field).toBe('clientIds');
    await t.http().post(`/api/messages/${held}/release`).set('Authorization', staff).send({}).expect(400);
    await t
      .http()
      .post(`/api/messages/${held}/release`)
      .set('Authorization', staff)
      .send({ clientIds: ['7d9f0e1c-1111-4222-8333-944455556666'] })
      .expect(400);
    await t.http().get('/api/messages?status=lost').set('Authorization', staff).expect(400);
    await t.http().get('/api/messages/00000000-0000-4000-8000-000000000000').set('Authorization', staff).expect(404);
    await t.http().get('/api/messages/nope').set('Authorization', staff).expect(404);
  });

  it('shows a client token only the mail about its own domains', async () => {
    const result = await sendRaw(
      port,
      { from: 'noreply@gandi.net', to: [SHARED] },
      registrarMail({ subject: 'Auth code for omarhaddad.eu', body: 'Your EURid transfer code for omarhaddad.eu is 4X7-PQ2.' }),
    );
    const id = queuedId(result.response);
    await decided(id);
    const omarToken = await tokenFor(t, 'client', omar.id);
    const lindaToken = await tokenFor(t, 'client', linda.id);
    await t.http().get(`/api/messages/${id}`).set('Authorization', omarToken).expect(200);
    await t.http().get(`/api/messages/${id}`).set('Authorization', lindaToken).expect(404);
    await t.http().get(`/api/messages/${id}/raw`).set('Authorization', lindaToken).expect(404);
    const list = await t.http().get('/api/messages').set('Authorization', lindaToken).expect(200);
    expect(list.body.items.every((m: { clientIds: string[] }) => m.clientIds.length === 1 && m.clientIds[0] === linda.id)).toBe(true);
    await t.http().post(`/api/messages/${id}/discard`).set('Authorization', omarToken).expect(403);
    await t.http().get('/api/messages').expect(401);
  });

  it('answers 451 4.3.0 while the database is unreachable, stores nothing, and recovers without a restart', async () => {
    const db = t.app.get(DataSource);
    const name = new URL(t.database.url).pathname.slice(1);
    const admin = new DataSource({ type: 'postgres', url: t.database.url.replace(`/${name}`, '/postgres') });
    await admin.initialize();
    const count = async () => (await db.query('SELECT count(*)::int AS n FROM inbound_message'))[0].n as number;
    const before = await count();
    try {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
      const result = await sendRaw(
        port,
        { from: 'noreply@gandi.net', to: [SHARED] },
        registrarMail({ subject: 'Expiry notice', body: 'lindapence.com expires soon' }),
      );
      expect(result.response).toMatch(/^451 4\.3\.0 /);
    } finally {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      await admin.destroy();
    }
    const again = await waitFor(async () => {
      const r = await sendRaw(
        port,
        { from: 'noreply@gandi.net', to: [SHARED] },
        registrarMail({ subject: 'Expiry notice', body: 'lindapence.com expires soon' }),
      );
      return r.responseCode === 250 ? r : undefined;
    }, 'SMTP to accept again');
    expect(again.response).toMatch(/^250 /);
    expect(await count()).toBe(before + 1);
  });
});
