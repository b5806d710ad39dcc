// The registrar-mail corpus (test/fixtures/mail) through the pure intake core: candidate extraction
// must find exactly the tracked domains each message concerns, and classification its kind.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { parseDomainName } from '../../domains/domain-name';
import { classify, NOTICE_KINDS, type NoticeKind } from './classify';
import { loopReason, type HeaderField } from './loop';
import { aliasDomains, extractCandidates, type MatchSource } from './match';

interface CorpusMessage {
  file: string;
  envelope: { from: string; to: string[] };
  expected: {
    domains: string[];
    clients: string[];
    kind: NoticeKind;
    decision: 'forward' | 'digest' | 'held';
    holdReason?: 'unmatched' | 'loop';
  };
}

interface Corpus {
  mailDomain: string;
  portfolio: { key: string; name: string; contacts: { name: string; email: string }[]; domains: string[] }[];
  messages: CorpusMessage[];
}

const DIR = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'mail');
const corpus = JSON.parse(readFileSync(join(DIR, 'corpus.json'), 'utf8')) as Corpus;

/** Tracked domain (ASCII) → client key. */
const owner = new Map<string, string>();
for (const client of corpus.portfolio) {
  for (const name of client.domains) {
    const checked = parseDomainName(name);
    if (!checked.ok) throw new Error(`corpus.json: ${name}: ${checked.reason}`);
    owner.set(checked.name.ascii, client.key);
  }
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const out: string[] = [];
  const walk = (entries: AddressObject['value']) => {
    for (const entry of entries) {
      if (entry.address) out.push(entry.address);
      if (entry.group) walk(entry.group);
    }
  };
  for (const object of field === undefined ? [] : Array.isArray(field) ? field : [field]) walk(object.value);
  return out;
}

function matchSource(mail: ParsedMail): MatchSource {
  return {
    subject: mail.subject ?? '',
    text: mail.text ?? '',
    html: mail.html || '',
    addresses: [
      ...addresses(mail.from),
      ...addresses(mail.to),
      ...addresses(mail.cc),
      ...addresses(mail.replyTo),
      ...addresses(mail.headers.get('sender') as AddressObject | undefined),
    ],
  };
}

function headerFields(mail: ParsedMail): HeaderField[] {
  return mail.headerLines.map(({ key, line }) => ({ key, value: line.slice(line.indexOf(':') + 1).trim() }));
}

interface Outcome {
  message: CorpusMessage;
  raw: Buffer;
  mail: ParsedMail;
  domains: string[];
  clients: string[];
  kind: NoticeKind;
}

const sorted = (values: Iterable<string>) => [...values].sort();

describe('registrar-mail corpus through match and classify', () => {
  const outcomes = new Map<string, Outcome>();

  beforeAll(async () => {
    for (const message of corpus.messages) {
      const raw = readFileSync(join(DIR, message.file));
      const mail = await simpleParser(raw);
      const candidates = new Set([...aliasDomains(message.envelope.to, corpus.mailDomain), ...extractCandidates(matchSource(mail))]);
      const domains = [...candidates].filter((name) => owner.has(name));
      const clients = new Set(domains.map((name) => owner.get(name)!));
      const { kind } = classify(mail.subject ?? '', mail.text ?? '');
      outcomes.set(message.file, { message, raw, mail, domains, clients: [...clients], kind });
    }
  }, 120_000); // parsing 44 messages takes ~9 s on a loaded 2-core machine; the default 30 s is too close

  const files = corpus.messages.map((m) => [m.file] as const);

  describe('the corpus itself', () => {
    it('has at least 34 messages, each file with CRLF line endings only', () => {
      expect(corpus.messages.length).toBeGreaterThanOrEqual(34);
      for (const { raw } of outcomes.values()) {
        const text = raw.toString('latin1');
        expect(text).toContain('\r\n');
        expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
      }
    });

    it('has every notice kind at least twice, from at least two different senders', () => {
      const thin = NOTICE_KINDS.filter((kind) => {
        const ofKind = corpus.messages.filter((m) => m.expected.kind === kind);
        const senders = new Set(ofKind.map((m) => m.envelope.from.split('@').pop()));
        return ofKind.length < 2 || senders.size < 2;
      });
      expect(thin).toEqual([]);
    });

    it('has every decision, and both hold reasons', () => {
      const decisions = new Set(corpus.messages.map((m) => `${m.expected.decision}${m.expected.holdReason ? `/${m.expected.holdReason}` : ''}`));
      expect(sorted(decisions)).toEqual(['digest', 'forward', 'held/loop', 'held/unmatched']);
    });

    it.each(files)('%s: its expectations are consistent with the portfolio', (file) => {
      const { expected } = outcomes.get(file)!.message;
      for (const domain of expected.domains) expect(owner.has(domain)).toBe(true);
      expect(sorted(expected.clients)).toEqual(sorted(new Set(expected.domains.map((d) => owner.get(d)!))));
      if (expected.holdReason === 'loop') expect(expected.decision).toBe('held');
      else if (expected.domains.length === 0) expect(expected).toMatchObject({ decision: 'held', holdReason: 'unmatched' });
      else expect(expected.decision).toBe(expected.clients.length > 1 ? 'digest' : 'forward');
    });
  });

  describe('match: candidates ∩ portfolio', () => {
    it.each(files)('%s: finds exactly the expected tracked domains', (file) => {
      const { domains, message } = outcomes.get(file)!;
      expect(sorted(domains)).toEqual(sorted(message.expected.domains));
    });

    it.each(files)('%s: attributes it to exactly the expected clients', (file) => {
      const { clients, message } = outcomes.get(file)!;
      expect(sorted(clients)).toEqual(sorted(message.expected.clients));
    });

    it('has 100% precision and recall over the whole corpus', () => {
      let found = 0;
      let right = 0;
      let expectedTotal = 0;
      for (const { domains, message } of outcomes.values()) {
        found += domains.length;
        right += domains.filter((d) => message.expected.domains.includes(d)).length;
        expectedTotal += message.expected.domains.length;
      }
      expect({ precision: right / found, recall: right / expectedTotal }).toEqual({ precision: 1, recall: 1 });
    });
  });

  describe('classify', () => {
    it.each(files)('%s: has the expected kind', (file) => {
      const { kind, message } = outcomes.get(file)!;
      expect(kind).toBe(message.expected.kind);
    });

    it('is right for at least 90% of the corpus (accuracy is reported)', () => {
      const all = [...outcomes.values()];
      const wrong = all.filter((o) => o.kind !== o.message.expected.kind);
      const accuracy = (all.length - wrong.length) / all.length;
      console.info(
        `corpus classification accuracy: ${(accuracy * 100).toFixed(1)}% (${all.length - wrong.length}/${all.length})` +
          wrong.map((o) => `\n  ${o.message.file}: ${o.kind}, expected ${o.message.expected.kind}`).join(''),
      );
      expect(accuracy).toBeGreaterThanOrEqual(0.9);
    });
  });

  describe('loop detection on the raw headers', () => {
    it.each(files)('%s: is a loop exactly when held for a loop', (file) => {
      const { mail, message } = outcomes.get(file)!;
      expect(loopReason(headerFields(mail)) !== undefined).toBe(message.expected.holdReason === 'loop');
    });

    it('tells the two loops apart', () => {
      expect(loopReason(headerFields(outcomes.get('32-loop-own-notice.eml')!.mail))).toBe('own-notice');
      expect(loopReason(headerFields(outcomes.get('33-loop-too-many-received.eml')!.mail))).toBe('too-many-hops');
    });
  });
});
