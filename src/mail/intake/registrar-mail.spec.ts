// The registrar-mail corpus (test/fixtures/registrar-mail: 180 messages in en, de, fr, es, nl, it,
// cs, collected from public sources, a fifth held out) through parse, match and classifyNotice:
// the domains each message concerns, its kind, and whether it is a scam — the targets of issue 12.
import {
  classifyAll,
  figures,
  loadCorpus,
  portfolio,
  trackedDomains,
  type CorpusMessage,
  type Figures,
  type RegistrarKnowledge,
} from '../../../test/fixtures/registrar-mail/corpus';
import { classifyNotice, KIND_CONFIDENCE_THRESHOLD, NOTICE_KINDS } from './classify';

const sorted = (values: Iterable<string>) => [...values].sort();
const pct = (value: number) => `${(value * 100).toFixed(1)}%`;

function table(title: string, f: Figures): string {
  const kinds = f.perKind
    .filter((row) => row.n > 0)
    .map((row) => `  ${row.kind.padEnd(24)} n=${String(row.n).padStart(3)}  P ${pct(row.precision).padStart(6)}  R ${pct(row.recall).padStart(6)}`);
  const languages = f.perLanguage.map((row) => `  ${row.language}  n=${String(row.n).padStart(3)}  accuracy ${pct(row.accuracy)}`);
  return [
    `${title}: ${f.n} messages, kind accuracy ${pct(f.accuracy)}, scams flagged ${f.scamsFlagged}/${f.scams}, genuine flagged ${f.genuineFlagged}/${f.genuine}, ${f.msPerMessage.toFixed(2)} ms/message`,
    ...kinds,
    ...languages,
  ].join('\n');
}

describe('registrar-mail corpus through parse, match and classifyNotice', () => {
  let messages: CorpusMessage[];
  const owner = portfolio();

  beforeAll(async () => {
    messages = await loadCorpus();
  });

  it('has held-out messages in every language and scams among them', () => {
    const heldout = messages.filter((m) => m.entry.split === 'heldout');
    expect(new Set(heldout.map((m) => m.entry.language)).size).toBe(new Set(messages.map((m) => m.entry.language)).size);
    expect(heldout.some((m) => m.entry.scam)).toBe(true);
    for (const m of messages) expect(NOTICE_KINDS).toContain(m.entry.kind);
  });

  describe('match: candidates ∩ portfolio give exactly the manifest domains', () => {
    it('per message', () => {
      const wrong = messages
        .map((m) => ({ file: m.entry.file, found: sorted(trackedDomains(m, owner)), expected: sorted(m.entry.domains) }))
        .filter((row) => JSON.stringify(row.found) !== JSON.stringify(row.expected));
      expect(wrong).toEqual([]);
    });

    it('attributes each message to the manifest clients', () => {
      for (const m of messages) expect(sorted(new Set(trackedDomains(m, owner).map((d) => owner.get(d)!)))).toEqual(sorted(m.entry.clients));
    });

    it('has precision and recall 1.0 over the whole corpus', () => {
      let found = 0;
      let right = 0;
      let expectedTotal = 0;
      for (const m of messages) {
        const domains = trackedDomains(m, owner);
        found += domains.length;
        right += domains.filter((d) => m.entry.domains.includes(d)).length;
        expectedTotal += m.entry.domains.length;
      }
      expect({ precision: right / found, recall: right / expectedTotal }).toEqual({ precision: 1, recall: 1 });
    });
  });

  describe.each<[RegistrarKnowledge]>([['none'], ['on-file']])('classifyNotice, registrars known: %s', (knowledge) => {
    let all: ReturnType<typeof classifyAll>;
    beforeAll(() => {
      all = classifyAll(messages, knowledge);
      const heldout = figures(
        all.filter((o) => o.message.entry.split === 'heldout'),
        KIND_CONFIDENCE_THRESHOLD,
      );
      const whole = figures(all, KIND_CONFIDENCE_THRESHOLD);
      const wrong = all.filter((o) => o.result.kind !== o.message.entry.kind || (o.result.suspicious !== null) !== o.message.entry.scam);
      console.info(
        `${table(`held-out (${knowledge})`, heldout)}\n${table(`whole corpus (${knowledge})`, whole)}` +
          wrong
            .map(
              (o) =>
                `\n  wrong: ${o.message.entry.file}: ${o.result.kind}${o.result.suspicious ? ' (suspicious)' : ''}, expected ${o.message.entry.kind}${o.message.entry.scam ? ' (scam)' : ''}`,
            )
            .join(''),
      );
    });

    it('has kind accuracy ≥ 95% on the held-out split', () => {
      expect(
        figures(
          all.filter((o) => o.message.entry.split === 'heldout'),
          KIND_CONFIDENCE_THRESHOLD,
        ).accuracy,
      ).toBeGreaterThanOrEqual(0.95);
    });

    it('flags every scam as suspicious, kind other, with reasons', () => {
      const missed = all.filter((o) => o.message.entry.scam && (o.result.suspicious === null || o.result.kind !== 'other'));
      expect(missed.map((o) => o.message.entry.file)).toEqual([]);
      for (const o of all.filter((x) => x.message.entry.scam)) expect(o.result.suspicious!.reasons.length).toBeGreaterThan(0);
    });

    it('flags at most 1% of the genuine messages', () => {
      const genuine = all.filter((o) => !o.message.entry.scam);
      const flagged = genuine.filter((o) => o.result.suspicious !== null);
      expect(flagged.length / genuine.length).toBeLessThanOrEqual(0.01);
    });

    it('explains every decision: evidence for a kind, a confidence in 0–1', () => {
      for (const { result } of all) {
        expect(result.confidence).toBeGreaterThanOrEqual(0);
        expect(result.confidence).toBeLessThanOrEqual(1);
        if (result.kind !== 'other' || result.suspicious) expect(result.evidence.length).toBeGreaterThan(0);
      }
    });
  });
});

describe('classifyNotice', () => {
  const slamming = {
    subject: 'DOMAIN NAME EXPIRATION NOTICE - LINDAPENCE.COM',
    text: 'Your domain is due to expire. When you switch today to Domain Registry you save 40%. This notice is not a bill.',
    from: 'Domain Registry <notices@droa-renewals.com>',
  };

  it('names the registrar of record in the reasons of a suspicious message', () => {
    const result = classifyNotice({ ...slamming, registrarOfRecord: [{ name: 'Gandi SAS', senderDomains: ['gandi.net'] }] });
    expect(result.kind).toBe('other');
    expect(result.suspicious!.reasons).toContain('This is an offer from a company that is not your registrar; you do not need to pay it.');
    expect(result.suspicious!.reasons).toContain("Your domain's registrar is Gandi SAS.");
  });

  it('never flags a verified notice from the registrar of record', () => {
    const result = classifyNotice({
      subject: '[Gandi] Transfer request for lindapence.com',
      text: 'We received a request to transfer lindapence.com. Please reply within 24 hours with your approval; see https://gandi-help.example.com/x.',
      from: 'Gandi <noreply@gandi.net>',
      registrarOfRecord: [{ name: 'Gandi SAS', senderDomains: ['gandi.net'] }],
      senderVerified: true,
    });
    expect(result).toMatchObject({ kind: 'transfer_request', suspicious: null });
  });

  it('flags a threat of suspension that does not come from the registrar of record', () => {
    const result = classifyNotice({
      subject: 'Your domain lindapence.com will be suspended',
      text: 'Your domain will be suspended because of an abuse complaint. Update your details now.',
      from: 'Domain Compliance <compliance@domain-services.example>',
      registrarOfRecord: [{ name: 'Gandi SAS', senderDomains: ['gandi.net'] }],
      knownRegistrarDomains: ['gandi.net'],
    });
    expect(result.suspicious!.reasons).toContain("It threatens to suspend the domain but comes from an address that is not your registrar's.");
  });

  it('names a look-alike link host', () => {
    const result = classifyNotice({
      subject: 'Renewal failed',
      text: 'Pay here: https://namecheap-billing.com/pay',
      from: 'Namecheap <billing@namecheap-billing.com>',
    });
    expect(result.suspicious!.reasons.join(' ')).toMatch(/namecheap-billing\.com, which is not Namecheap's/);
  });

  it('gives the evidence that decided, and a confidence below the threshold when nothing did', () => {
    const code = classifyNotice({ subject: 'Zaslání autorizační informace', text: 'Heslo je: Xk7p-Q2mV-91aa', from: 'CZ.NIC <podpora@nic.cz>' });
    expect(code.kind).toBe('auth_code');
    expect(code.evidence[0]).toBe('subject: "autorizační informace"');
    expect(code.evidence).toContain('structure: code-like token after "Heslo"');
    expect(code.confidence).toBeGreaterThanOrEqual(KIND_CONFIDENCE_THRESHOLD);
    const nothing = classifyNotice({ subject: 'Hello', text: 'Our office is closed on Friday.', from: null });
    expect(nothing).toMatchObject({ kind: 'other', rule: 'none', suspicious: null });
    expect(nothing.confidence).toBeLessThan(KIND_CONFIDENCE_THRESHOLD);
  });

  it('reads the kind in other languages', () => {
    const cases: [string, string, string][] = [
      ['Domena lindapence.com wygasa za 30 dni', '', 'expiry_reminder'],
      ['Il dominio lindapence.com è scaduto', '', 'expired'],
      ['Houderwijziging lindapence.com', '', 'registrant_change'],
      ['Su dominio lindapence.com ha sido suspendido', '', 'suspension'],
      ['Código EPP del dominio lindapence.com', '', 'auth_code'],
      ['Verhuisverzoek lindapence.com', '', 'transfer_request'],
      ['Hinweis', 'Der Providerwechsel der Domain lindapence.com wurde erfolgreich durchgeführt.', 'transfer_completed'],
    ];
    for (const [subject, text, kind] of cases) expect([subject, classifyNotice({ subject, text, from: null }).kind]).toEqual([subject, kind]);
  });
});
