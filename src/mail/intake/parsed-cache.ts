// What routing read of a message, kept in this process for the letters that follow it: the worker
// that routes a message usually composes its notices a moment later, and parsing the original a
// second time was ~5% of that process's CPU (docs/benchmarks.md). A miss (another process, a
// restart, an evicted entry) simply parses again; nothing here is needed for correctness.
import type { ParsedMessage } from './parse';

/** Entries kept at most (a few batches' worth), and the largest text kept. */
const MAX_ENTRIES = 256;
const MAX_TEXT_CHARS = 256 * 1024;

export type ParsedOriginal = Pick<ParsedMessage, 'subject' | 'from' | 'messageId' | 'date' | 'text'>;

export class ParsedCache {
  private readonly entries = new Map<string, ParsedOriginal>();

  constructor(private readonly maxEntries = MAX_ENTRIES) {}

  set(messageId: string, parsed: ParsedMessage): void {
    if (parsed.text.length > MAX_TEXT_CHARS) return;
    this.entries.delete(messageId);
    this.entries.set(messageId, { subject: parsed.subject, from: parsed.from, messageId: parsed.messageId, date: parsed.date, text: parsed.text });
    // A Map iterates in insertion order: the first key is the oldest.
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  get(messageId: string): ParsedOriginal | undefined {
    return this.entries.get(messageId);
  }
}

/** The one cache of this process (routing writes it, Letters reads it). */
export const parsedOriginals = new ParsedCache();
