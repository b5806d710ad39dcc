// What routing read of a message, kept in this process for the letters that follow it: the worker
// that routes a message usually composes its notices a moment later, and parsing the original a
// second time was ~5% of that process's CPU (docs/benchmarks.md). A miss (another process, a
// restart, an evicted entry) simply parses again; nothing here is needed for correctness.
import type { ParsedMessage } from './parse';

/** How much text the cache holds at most, in characters (about 16 MB), and the largest one text. */
const MAX_TOTAL_CHARS = 8 * 1024 * 1024;
const MAX_TEXT_CHARS = 256 * 1024;

export type ParsedOriginal = Pick<ParsedMessage, 'subject' | 'from' | 'messageId' | 'date' | 'text'>;

export class ParsedCache {
  private readonly entries = new Map<string, ParsedOriginal>();
  private chars = 0;

  constructor(private readonly maxChars = MAX_TOTAL_CHARS) {}

  set(messageId: string, parsed: ParsedMessage): void {
    if (parsed.text.length > MAX_TEXT_CHARS) return;
    this.drop(messageId);
    this.entries.set(messageId, { subject: parsed.subject, from: parsed.from, messageId: parsed.messageId, date: parsed.date, text: parsed.text });
    this.chars += parsed.text.length;
    // A Map iterates in insertion order: the first key is the oldest.
    while (this.chars > this.maxChars) this.drop(this.entries.keys().next().value!);
  }

  get(messageId: string): ParsedOriginal | undefined {
    return this.entries.get(messageId);
  }

  private drop(messageId: string): void {
    const entry = this.entries.get(messageId);
    if (!entry) return;
    this.chars -= entry.text.length;
    this.entries.delete(messageId);
  }
}

/** The one cache of this process (routing writes it, Letters reads it). */
export const parsedOriginals = new ParsedCache();
