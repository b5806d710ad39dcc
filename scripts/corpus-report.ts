// Writes docs/classification.md: how classifyNotice does on the registrar-mail corpus
// (test/fixtures/registrar-mail), per kind and per language, on the held-out split and on the
// whole corpus, with scam flag rate, genuine false-flag rate and time per message; and how a small
// linear model (multinomial naive Bayes over words and character 4-grams, trained on the train
// split only) compares with the rules. Run: npx ts-node --transpile-only scripts/corpus-report.ts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KIND_CONFIDENCE_THRESHOLD, normaliseSubject, normaliseText, type NoticeKind } from '../src/mail/intake/classify';
import {
  classifyAll,
  figures,
  loadCorpus,
  type CorpusMessage,
  type Figures,
  type Outcome,
  type RegistrarKnowledge,
} from '../test/fixtures/registrar-mail/corpus';

const pct = (value: number) => `${(value * 100).toFixed(1)} %`;

function kindTable(f: Figures): string {
  const rows = f.perKind.filter((row) => row.n > 0).map((row) => `| ${row.kind} | ${row.n} | ${pct(row.precision)} | ${pct(row.recall)} |`);
  return ['| kind | messages | precision | recall |', '| --- | ---: | ---: | ---: |', ...rows].join('\n');
}

function languageTable(outcomes: Outcome[]): string {
  const languages = [...new Set(outcomes.map((o) => o.message.entry.language))].sort();
  const rows = languages.map((language) => {
    const f = figures(
      outcomes.filter((o) => o.message.entry.language === language),
      KIND_CONFIDENCE_THRESHOLD,
    );
    const scam = f.scams ? `${f.scamsFlagged}/${f.scams}` : '–';
    return `| ${language} | ${f.n} | ${pct(f.accuracy)} | ${scam} | ${f.genuineFlagged}/${f.genuine} |`;
  });
  return ['| language | messages | kind accuracy | scams flagged | genuine flagged |', '| --- | ---: | ---: | ---: | ---: |', ...rows].join('\n');
}

function summary(f: Figures): string {
  return `${f.n} messages: kind accuracy **${pct(f.accuracy)}**, scams flagged **${f.scamsFlagged}/${f.scams}**, genuine flagged **${f.genuineFlagged}/${f.genuine}** (${pct(f.genuineFlagged / f.genuine)}), below the confidence threshold ${f.belowThreshold}, ${f.msPerMessage.toFixed(2)} ms per message`;
}

// ---- a small linear model, for comparison ------------------------------------------------------

type Label = NoticeKind | 'scam';
const labelOf = (m: CorpusMessage): Label => (m.entry.scam ? 'scam' : m.entry.kind);

function features(m: CorpusMessage): string[] {
  const subject = normaliseSubject(m.parsed.subject).toLowerCase();
  const text = normaliseText(m.parsed.text).toLowerCase().slice(0, 3000);
  const words = (value: string) => value.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 1 && !/^\d+$/.test(w));
  const out: string[] = [];
  for (const w of words(subject)) out.push(`s:${w}`, `s:${w}`, `s:${w}`);
  for (const w of words(text)) out.push(`w:${w}`);
  const squeezed = ` ${words(`${subject} ${text}`).join(' ')} `;
  for (let i = 0; i + 4 <= squeezed.length; i++) out.push(`c:${squeezed.slice(i, i + 4)}`);
  return out;
}

function trainNaiveBayes(train: CorpusMessage[]) {
  const counts = new Map<Label, Map<string, number>>();
  const totals = new Map<Label, number>();
  const docs = new Map<Label, number>();
  const vocabulary = new Set<string>();
  for (const m of train) {
    const label = labelOf(m);
    const table = counts.get(label) ?? new Map<string, number>();
    counts.set(label, table);
    docs.set(label, (docs.get(label) ?? 0) + 1);
    for (const f of features(m)) {
      table.set(f, (table.get(f) ?? 0) + 1);
      totals.set(label, (totals.get(label) ?? 0) + 1);
      vocabulary.add(f);
    }
  }
  const v = vocabulary.size;
  return (m: CorpusMessage): Label => {
    let best: Label = 'other';
    let bestScore = -Infinity;
    const fs = features(m).filter((f) => vocabulary.has(f));
    for (const [label, table] of counts) {
      let score = Math.log(docs.get(label)! / train.length);
      const total = totals.get(label)!;
      for (const f of fs) score += Math.log(((table.get(f) ?? 0) + 1) / (total + v));
      if (score > bestScore) {
        bestScore = score;
        best = label;
      }
    }
    return best;
  };
}

function asOutcome(o: Outcome, label: Label): Outcome {
  const kind: NoticeKind = label === 'scam' ? 'other' : label;
  return { ...o, result: { ...o.result, kind, suspicious: label === 'scam' ? { reasons: ['model'] } : null } };
}

(async () => {
  const messages = await loadCorpus();
  const heldout = (outcomes: Outcome[]) => outcomes.filter((o) => o.message.entry.split === 'heldout');
  const sections: string[] = [];
  const settings: [RegistrarKnowledge, string][] = [
    ['none', 'no registrars on file (content alone decides)'],
    ['on-file', "the genuine senders' domains on file as registrars (knownRegistrarDomains), no registrar of record per domain"],
  ];
  const rules: Record<string, Outcome[]> = {};
  for (const [knowledge, label] of settings) {
    // Warm up once so the timing is the steady state, then classify.
    classifyAll(messages, knowledge);
    const outcomes = classifyAll(messages, knowledge);
    rules[knowledge] = outcomes;
    const h = figures(heldout(outcomes), KIND_CONFIDENCE_THRESHOLD);
    const w = figures(outcomes, KIND_CONFIDENCE_THRESHOLD);
    sections.push(
      `## Rules, ${label}\n\n### Held-out split\n\n${summary(h)}.\n\n${kindTable(h)}\n\n${languageTable(heldout(outcomes))}\n\n` +
        `### Whole corpus\n\n${summary(w)}.\n\n${kindTable(w)}\n\n${languageTable(outcomes)}\n`,
    );
  }

  const model = trainNaiveBayes(messages.filter((m) => m.entry.split === 'train'));
  const base = rules.none;
  const byModel = base.map((o) => asOutcome(o, model(o.message)));
  // Combination: the model only where the rules found nothing (kind other, not suspicious, rule none).
  const combined = base.map((o) => (o.result.rule === 'none' ? asOutcome(o, model(o.message)) : o));
  const row = (name: string, outcomes: Outcome[]) => {
    const f = figures(heldout(outcomes), KIND_CONFIDENCE_THRESHOLD);
    return `| ${name} | ${pct(f.accuracy)} | ${f.scamsFlagged}/${f.scams} | ${f.genuineFlagged}/${f.genuine} |`;
  };
  sections.push(
    '## Rules against a small model (held-out split, no registrars on file)\n\n' +
      'The model: multinomial naive Bayes over subject words (counted thrice), body words and character 4-grams, ' +
      'trained at report time on the train split only, 13 labels (the 12 kinds, and "scam").\n\n' +
      '| classifier | kind accuracy | scams flagged | genuine flagged |\n| --- | ---: | ---: | ---: |\n' +
      [row('rules (classifyNotice)', base), row('model', byModel), row('rules, model where the rules found nothing', combined)].join('\n') +
      '\n\nThe rules are kept: they win on the held-out split, every decision quotes the phrase or signal that made it, ' +
      'and they do not depend on which registrars wrote the training messages. The model is not shipped.\n',
  );

  const doc = [
    '# Classification: figures on the registrar-mail corpus',
    '',
    'Generated by `npx ts-node --transpile-only scripts/corpus-report.ts`; do not edit by hand.',
    '',
    'Corpus: `test/fixtures/registrar-mail` (manifest-en.json, manifest-intl.json): ' +
      `${messages.length} messages in ${[...new Set(messages.map((m) => m.entry.language))].sort().join(', ')}, ` +
      `${messages.filter((m) => m.entry.scam).length} of them scams or phishing, ` +
      `${messages.filter((m) => m.entry.split === 'heldout').length} held out. Each message is parsed as the intake parses it ` +
      '(`parse`), and classified by `classifyNotice` with the Date header as "today". ' +
      `Confidence threshold for "could not tell": ${KIND_CONFIDENCE_THRESHOLD}.`,
    '',
    '## How it decides',
    '',
    '- **Kind**: the rule table of `src/mail/intake/classify.ts`, extended with the phrases per kind and language of ' +
      '`notice-vocabulary.ts`, read first on the subject, then on the body; an expiry subject whose body says the domain has expired is `expired`. ' +
      'Structure adds evidence and decides when no phrase does: FOA, ERRP (dates all before today: expired), WDRP, a DSN subject (a bounce: other), ' +
      'a code-like token after "code/password/AuthInfo/heslo/token".',
    '- **Confidence**: subject and body (or structure) agree 0.95; subject alone 0.85; subject against body 0.7; body alone 0.75 (0.6 when the body names several kinds); ' +
      'structure alone 0.6; nothing 0.3 (below the threshold: "could not tell").',
    '- **Suspicious**: the signals of `scam-signals.ts` are weighed; 3 or more is suspicious (kind `other`, the reasons in plain language, the registrar of record named when known). ' +
      'Strong (3): solicitation disclaimers ("this notice is not a bill", "keine Rechnung, sondern ein Angebot"), switch offers, search-engine "expiration" offers, ' +
      'brand/keyword registration letters, resale and drop-catch offers, requests for a login or a transfer code, complaints as downloads, ' +
      "look-alike hosts (a registrar's brand on another registrable domain), a sender name claiming a registrar from another domain, free mail asking for money or threatening, " +
      'a threat from a sender that is not the registrar of record. Weak (1–2): payment pressure, an attached invoice, a payment demand, an abused TLD, an official-sounding sender name, ' +
      'a sender that is no registrar on file, a payment demand from a sender that is not the registrar of record. A verified message from the registrar of record is never suspicious.',
    '',
    '**Caveat.** The vocabulary and the scam signals were written while reading the whole corpus, held-out messages included, ' +
      'so the held-out figures here overstate what to expect on mail nobody here has read. The Bar corpus is the real test.',
    '',
    '**Outside the corpus.** 39 messages written afterwards by someone who had not read the vocabulary (9 languages, 11 kinds, ' +
      '7 scams): 36 right at first — a Danish transfer request, a Czech "expirovala dne" and a resale offer without the usual ' +
      'words were missed — and 39 after those fixes. Thirteen of them stay in `src/mail/intake/classify.spec.ts` ' +
      '("classifyNotice on phrasings outside the corpus").',
    '',
    ...sections,
  ].join('\n');
  const path = join(__dirname, '..', 'docs', 'classification.md');
  writeFileSync(path, `${doc}\n`);
  console.log(`wrote ${path}`);
})();
