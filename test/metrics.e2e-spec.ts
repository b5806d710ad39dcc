// GET /metrics in Prometheus format: messages by status and kind, deliveries by status, queue
// depth and oldest job age, accept and delivery latency histograms, SMTP connections.
import { SmtpReceiver } from '../src/mail/intake/receive';
import { seedClient } from './support/fixtures';
import { RawSmtp, sendRaw, waitFor } from './support/smtp';
import { startTestApp, type TestApp } from './support/test-app';

describe('metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const scrape = async () => (await t.http().get('/metrics').expect(200)).text;

  it('serves every required series without a token, and counts what happens', async () => {
    await seedClient(t, { name: 'Linda', contacts: [{ name: 'Linda', email: 'linda@pence-mail.test' }], domains: ['lindapence.com'] });
    const port = t.app.get(SmtpReceiver).address()!.port;
    const raw = [
      'From: Gandi <noreply@gandi.net>',
      'To: domains@notify.artsites.test',
      'Subject: Transfer request for lindapence.com',
      'Message-ID: <m1@gandi.net>',
      '',
      'lindapence.com',
      '',
    ].join('\r\n');
    expect((await sendRaw(port, { from: 'noreply@gandi.net', to: ['domains@notify.artsites.test'] }, raw)).responseCode).toBe(250);
    const text = await waitFor(async () => {
      const body = await scrape();
      return /aster_deliveries\{status="sent",form="forward"\} 1/.test(body) ? body : undefined;
    }, 'the delivery to show up as sent');
    expect(text).toMatch(/aster_messages\{status="forwarded",kind="transfer_request"\} 1/);
    expect(text).toMatch(/aster_accept_seconds_count 1/);
    expect(text).toMatch(/aster_delivery_seconds_count 1/);
    expect(text).toMatch(/# TYPE aster_queue_depth gauge/);
    expect(text).toMatch(/# TYPE aster_queue_oldest_job_age_seconds gauge/);
    expect(text).toMatch(/aster_process_resident_memory_bytes \d+/);

    const { smtp: dialogue } = await RawSmtp.open(port);
    try {
      const open = await waitFor(async () => {
        const body = await scrape();
        const n = Number(/aster_smtp_connections (\d+)/.exec(body)?.[1] ?? -1);
        return n >= 1 ? n : undefined;
      }, 'an open SMTP session to be counted');
      expect(open).toBeGreaterThanOrEqual(1);
    } finally {
      dialogue.close();
    }
  });
});
