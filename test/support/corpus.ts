// The registrar-mail corpus (test/fixtures/mail): the portfolio it assumes and what each message
// must come to.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedClient, type SeededClient } from './fixtures';
import type { TestApp } from './test-app';

export interface CorpusMessage {
  file: string;
  envelope: { from: string; to: string[] };
  expected: { domains: string[]; clients: string[]; kind: string; decision: 'forward' | 'digest' | 'held'; holdReason?: string };
}

export interface Corpus {
  mailDomain: string;
  portfolio: { key: string; name: string; contacts: { name: string; email: string; receivesNotices?: boolean }[]; domains: string[] }[];
  messages: CorpusMessage[];
}

export const CORPUS_DIR = join(__dirname, '..', 'fixtures', 'mail');

export function loadCorpus(): Corpus {
  return JSON.parse(readFileSync(join(CORPUS_DIR, 'corpus.json'), 'utf8')) as Corpus;
}

export function corpusBytes(message: CorpusMessage): Buffer {
  return readFileSync(join(CORPUS_DIR, message.file));
}

/** Creates the corpus portfolio through the API; returns the seeded clients by corpus key. */
export async function seedPortfolio(t: TestApp, corpus: Corpus): Promise<Map<string, SeededClient>> {
  const clients = new Map<string, SeededClient>();
  for (const c of corpus.portfolio) clients.set(c.key, await seedClient(t, { name: c.name, contacts: c.contacts, domains: c.domains }));
  return clients;
}
