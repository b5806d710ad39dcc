// Shared by the console tests: a portfolio of two clients with domains and held mail, seeded
// through the API and SMTP as staff and registrars would, and signing in through /console/login.
import request from 'supertest';
import { SmtpReceiver } from '../../src/mail/intake/receive';
import { seedClient, tokenFor, type SeededClient } from '../support/fixtures';
import { registrarMail as mail } from '../support/mail';
import { sendRaw, waitFor } from '../support/smtp';
import type { TestApp } from '../support/test-app';

export const MAIL_DOMAIN = 'notify.artsites.test';
export const SHARED = `domains@${MAIL_DOMAIN}`;

export interface Portfolio {
  linda: SeededClient;
  omar: SeededClient;
  staffToken: string;
  clientToken: string;
  /** Held: names no tracked domain. */
  unmatchedId: string;
  /** Held: another unmatched message, to discard. */
  spamId: string;
  /** Forwarded to Omar alone. */
  omarMessageId: string;
}

export const registrarMail = (subject: string, body: string, id = `${Math.random().toString(36).slice(2)}@registrar.test`): string =>
  mail({ from: 'Registrar <noreply@registrar.test>', to: SHARED, subject, body, messageId: id });

async function deliver(t: TestApp, raw: string): Promise<string> {
  const port = t.app.get(SmtpReceiver).address()!.port;
  const result = await sendRaw(port, { from: 'noreply@registrar.test', to: [SHARED] }, raw);
  if (result.responseCode !== 250) throw new Error(`SMTP: ${result.response}`);
  const id = /queued as (\S+)/.exec(result.response)![1];
  await waitFor(async () => {
    const m = await t.http().get(`/api/messages/${id}`).set('Authorization', t.adminAuth);
    return m.body.stage === 'decided' ? true : undefined;
  }, `routing of ${id}`);
  return id;
}

export async function seedPortfolio(t: TestApp): Promise<Portfolio> {
  const linda = await seedClient(t, {
    name: 'Linda Pence Studio',
    contacts: [{ name: 'Linda Pence', email: 'linda@pence-mail.test' }],
    domains: ['lindapence.com', 'bücher-linda.de'],
  });
  const omar = await seedClient(t, {
    name: 'Omar Haddad Ceramics',
    contacts: [{ name: 'Omar Haddad', email: 'omar@haddad.test' }],
    domains: ['omarhaddad.eu'],
  });
  const soon = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
  await t.http().patch('/api/domains/lindapence.com').set('Authorization', t.adminAuth).send({ expiresAt: soon, registrar: 'Gandi SAS' }).expect(200);
  await t.http().patch('/api/domains/omarhaddad.eu').set('Authorization', t.adminAuth).send({ expiresAt: '2027-03-01' }).expect(200);
  const staffToken = (await tokenFor(t, 'staff')).slice('Bearer '.length);
  const clientToken = (await tokenFor(t, 'client', linda.id)).slice('Bearer '.length);
  const unmatchedId = await deliver(t, registrarMail('Your invoice <b>#4411</b>', 'Dear customer, your account statement is ready. <script>alert(1)</script>'));
  const spamId = await deliver(t, registrarMail('Act now: verify your account', 'Click http://phish.example.net/login to keep your domains.'));
  const omarMessageId = await deliver(t, registrarMail('Renewal confirmation for omarhaddad.eu', 'omarhaddad.eu was renewed until 2028-03-01.'));
  return { linda, omar, staffToken, clientToken, unmatchedId, spamId, omarMessageId };
}

/** A supertest agent (it keeps cookies) signed in with `token`; its session's CSRF token. */
export async function signIn(t: TestApp, token: string): Promise<{ agent: ReturnType<typeof request.agent>; csrf: string }> {
  const agent = request.agent(t.app.getHttpServer());
  const form = await agent.get('/console/login').expect(200);
  const loginCsrf = csrfOf(form.text);
  await agent.post('/console/login').type('form').send({ token, _csrf: loginCsrf }).expect(303).expect('Location', '/console');
  const overview = await agent.get('/console').expect(200);
  return { agent, csrf: csrfOf(overview.text) };
}

export function csrfOf(page: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(page);
  if (!m) throw new Error('no _csrf field on the page');
  return m[1];
}
