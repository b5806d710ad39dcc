// Every corpus message over a real SMTP connection to the running app: the stored decision must
// find every expected domain and no other, the right clients and decision, and the right kind for
// at least 90% of messages.
import { SmtpReceiver } from '../src/mail/intake/receive';
import { corpusBytes, loadCorpus, seedPortfolio, type CorpusMessage } from './support/corpus';
import type { SeededClient } from './support/fixtures';
import { sendRaw, waitFor } from './support/smtp';
import { startTestApp, type TestApp } from './support/test-app';

interface Outcome {
  message: CorpusMessage;
  stored: {
    status: string;
    holdReason: string | null;
    kind: string;
    decision: string;
    domains: string[];
    clientIds: string[];
    deliveries: { email: string; form: string }[];
  };
}

describe('registrar-mail corpus', () => {
  const corpus = loadCorpus();
  let t: TestApp;
  let clients: Map<string, SeededClient>;
  const outcomes: Outcome[] = [];

  beforeAll(async () => {
    t = await startTestApp({ MAIL_DOMAIN: corpus.mailDomain });
    clients = await seedPortfolio(t, corpus);
    const port = t.app.get(SmtpReceiver).address()!.port;
    const ids: string[] = [];
    for (const message of corpus.messages) {
      const result = await sendRaw(port, message.envelope, corpusBytes(message));
      if (result.responseCode !== 250) throw new Error(`${message.file}: ${result.response}`);
      ids.push(/queued as (\S+)/.exec(result.response)![1]);
    }
    for (const [i, id] of ids.entries()) {
      const stored = await waitFor(async () => {
        const res = await t.http().get(`/api/messages/${id}`).set('Authorization', t.adminAuth);
        return res.body.stage === 'decided' ? res.body : undefined;
      }, `${corpus.messages[i].file} to be decided`);
      outcomes.push({ message: corpus.messages[i], stored });
    }
  }, 120_000);
  afterAll(() => t.close());

  it('has at least 30 messages', () => {
    expect(corpus.messages.length).toBeGreaterThanOrEqual(30);
  });

  it('finds every expected domain and no other (precision and recall 100%)', () => {
    const wrong = outcomes
      .filter((o) => JSON.stringify([...o.stored.domains].sort()) !== JSON.stringify([...o.message.expected.domains].sort()))
      .map((o) => `${o.message.file}: got ${o.stored.domains.join(',') || '-'}, expected ${o.message.expected.domains.join(',') || '-'}`);
    expect(wrong).toEqual([]);
  });

  it('attributes each message to the expected clients', () => {
    const wrong = outcomes
      .filter((o) => {
        const expected = o.message.expected.clients.map((k) => clients.get(k)!.id).sort();
        return JSON.stringify([...o.stored.clientIds].sort()) !== JSON.stringify(expected);
      })
      .map((o) => o.message.file);
    expect(wrong).toEqual([]);
  });

  it('takes the expected decision, with its hold reason', () => {
    const wrong = outcomes
      .filter((o) => {
        const e = o.message.expected;
        if (e.decision === 'held') return o.stored.status !== 'held' || o.stored.holdReason !== e.holdReason;
        return o.stored.decision !== e.decision || o.stored.status !== 'forwarded';
      })
      .map((o) => `${o.message.file}: ${o.stored.decision}/${o.stored.status}/${o.stored.holdReason}`);
    expect(wrong).toEqual([]);
  });

  it('classifies at least 90% of the messages right', () => {
    const right = outcomes.filter((o) => o.stored.kind === o.message.expected.kind).length;
    expect(right / outcomes.length).toBeGreaterThanOrEqual(0.9);
  });

  it('queues one delivery per notice-receiving contact of each client concerned, in the right form', () => {
    for (const o of outcomes) {
      const e = o.message.expected;
      const contacts =
        e.decision === 'held' ? [] : e.clients.flatMap((k) => corpus.portfolio.find((p) => p.key === k)!.contacts.filter((c) => c.receivesNotices !== false));
      expect({ file: o.message.file, emails: o.stored.deliveries.map((d) => d.email).sort() }).toEqual({
        file: o.message.file,
        emails: contacts.map((c) => c.email.toLowerCase()).sort(),
      });
      if (e.decision !== 'held') expect(o.stored.deliveries.every((d) => d.form === e.decision)).toBe(true);
    }
  });
});
