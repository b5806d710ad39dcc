// Issue 12 end to end: real registrar mail (test/fixtures/registrar-mail) in over SMTP; the API shows
// how its kind was read (kindConfidence, kindEvidence) and flags scams (`suspicious`, filter
// `?suspicious=true`); the copy a client gets of a scam leads with a warning and explains no notice.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SmtpReceiver } from '../src/mail/intake/receive';
import { SUSPICIOUS_SUBJECT_PREFIX } from '../src/mail/notices/forward';
import { decidedMessage, seedClient } from './support/fixtures';
import { Sink } from './support/sink';
import { sendRaw, waitFor } from './support/smtp';
import { startTestApp, type TestApp } from './support/test-app';

const DIR = join(__dirname, 'fixtures', 'registrar-mail');
const CONTACT = 'chidi@okafor-mail.test';

describe('registrar mail: kind evidence and scams (issue 12)', () => {
  const sink = new Sink();
  let t: TestApp;
  let port: number;

  const send = async (file: string, from: string) => {
    const result = await sendRaw(port, { from, to: ['domains@notify.artsites.test'] }, readFileSync(join(DIR, file)));
    expect(result.responseCode).toBe(250);
    return /queued as (\S+)/.exec(result.response)![1];
  };
  const decided = (id: string) => decidedMessage(t, id);

  beforeAll(async () => {
    await sink.start();
    t = await startTestApp({ RELAY_URL: sink.url });
    port = t.app.get(SmtpReceiver).address()!.port;
    const tucows = await t
      .http()
      .post('/api/registrars')
      .set('Authorization', t.adminAuth)
      .send({ name: 'Tucows', ianaId: 69, senderDomains: ['tucows.com'] })
      .expect(201);
    await seedClient(t, { name: 'Okafor Photography Ltd', contacts: [{ name: 'Chidi Okafor', email: CONTACT }], domains: ['chidiokafor.com'] });
    await t.http().patch('/api/domains/chidiokafor.com').set('Authorization', t.adminAuth).send({ registrar: tucows.body.id }).expect(200);
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  it('reads a genuine transfer request with its evidence and flags nothing', async () => {
    const m = await decided(await send('en/001-icann-foa-transfer_request.eml', 'bounce-foa-71823@tucows.com'));
    expect(m.kind).toBe('transfer_request');
    expect(m.suspicious).toBeNull();
    expect(m.kindConfidence).toBeGreaterThanOrEqual(0.5);
    expect(m.kindConfidence).toBeLessThanOrEqual(1);
    expect(m.kindEvidence.length).toBeGreaterThan(0);
  });

  it('flags a fake renewal invoice, lists it under ?suspicious=true, and warns the client first', async () => {
    const id = await send('en/014-droa-effective-other-scam.eml', 'mailer@droa-renewals.com');
    const m = await decided(id);
    expect(m.kind).toBe('other');
    expect(m.suspicious.reasons.length).toBeGreaterThan(0);
    const listed = await t.http().get('/api/messages?suspicious=true').set('Authorization', t.adminAuth).expect(200);
    expect(listed.body.items.map((x: { id: string }) => x.id)).toEqual([id]);
    const clean = await t.http().get('/api/messages?suspicious=false').set('Authorization', t.adminAuth).expect(200);
    expect(clean.body.items.map((x: { id: string }) => x.id)).not.toContain(id);

    const letter = await waitFor(async () => sink.to(CONTACT).find((s) => s.raw.toString('latin1').includes(m.deliveries[0].id)), 'the copy', 20_000);
    const parsed = await simpleParser(letter.raw);
    expect(parsed.subject).toContain(SUSPICIOUS_SUBJECT_PREFIX);
    const text = (parsed.text ?? '').replace(/\s+/g, ' ');
    // The warning leads: before anything else of the letter's own text.
    expect(text.indexOf('WARNING')).toBeGreaterThanOrEqual(0);
    expect(text.indexOf('WARNING')).toBeLessThan(text.indexOf("The registrar's message"));
    expect(text).toContain(m.suspicious.reasons[0].replace(/\s+/g, ' '));
    expect(text).toContain('Tucows');
  });

  it('refuses a suspicious filter that is not true or false', async () => {
    const res = await t.http().get('/api/messages?suspicious=maybe').set('Authorization', t.adminAuth).expect(400);
    expect(JSON.stringify(res.body)).toContain('suspicious');
  });
});
