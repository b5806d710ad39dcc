// The dates a registrar's message states (expiry, approval, deadline…), for the privacy digest,
// which cannot attach the original and so lists them instead. Each date comes with a label from a
// fixed vocabulary, never with words of the original: a digest must not carry another client's
// domain name, and a label copied from the registrar's text could.
import { extractCandidates } from '../intake/match';

export interface FoundDate {
  /** One of DATE_LABELS' labels, or 'Date' when the text does not say what the date is. */
  label: string;
  /** ISO yyyy-mm-dd. */
  date: string;
}

/*
 * Formats read, and how ambiguity is settled:
 * - ISO `2026-12-24` (also with a time, `2026-12-24T09:02Z`) and `2026/12/24`.
 * - Month names in English, German and French, full or abbreviated, with or without a dot, day
 *   before or after: `December 24, 2026`, `Dec 24th 2026`, `24 December 2026`, `24th of Dec 2026`,
 *   `24-Dec-2026` (WHOIS style), `24. Dezember 2026`, `24 déc. 2026`, `1er janvier 2027`.
 * - Numbers with dots, `24.12.2026`: always day.month.year (the German and most European use; no
 *   one writes month.day.year with dots).
 * - Numbers with slashes or dashes, `24/12/2026`, `12/24/2026`: day/month when the first number is
 *   above 12, month/day when the second is, and when both are 12 or less (`05/06/2026`) the date is
 *   left out: registrars write both orders, and a wrong date in a notice about a deadline is worse
 *   than none (the forwarded original, or the host's staff, still have it).
 * - Two-digit years and dates without a year are left out; so are impossible dates (31 February).
 */
const MONTH_NAMES: Record<string, number> = {
  // English
  january: 1,
  jan: 1,
  february: 2,
  feb: 2,
  march: 3,
  mar: 3,
  april: 4,
  apr: 4,
  may: 5,
  june: 6,
  jun: 6,
  july: 7,
  jul: 7,
  august: 8,
  aug: 8,
  september: 9,
  sept: 9,
  sep: 9,
  october: 10,
  oct: 10,
  november: 11,
  nov: 11,
  december: 12,
  dec: 12,
  // German
  januar: 1,
  jänner: 1,
  februar: 2,
  märz: 3,
  mär: 3,
  maerz: 3,
  mai: 5,
  juni: 6,
  juli: 7,
  oktober: 10,
  okt: 10,
  dezember: 12,
  dez: 12,
  // French
  janvier: 1,
  janv: 1,
  février: 2,
  fevrier: 2,
  févr: 2,
  fevr: 2,
  mars: 3,
  avril: 4,
  avr: 4,
  juin: 6,
  juillet: 7,
  juil: 7,
  août: 8,
  aout: 8,
  septembre: 9,
  octobre: 10,
  novembre: 11,
  décembre: 12,
  decembre: 12,
  déc: 12,
};

const MONTH = `(${Object.keys(MONTH_NAMES)
  .sort((a, b) => b.length - a.length)
  .join('|')})`;
const DAY = String.raw`(\d{1,2})`;
const YEAR = String.raw`(\d{4})`;
const ORDINAL = String.raw`(?:st|nd|rd|th|er)?`;

type Reader = { pattern: RegExp; read: (m: RegExpExecArray) => [year: number, month: number, day: number] | undefined };

const monthOf = (name: string) => MONTH_NAMES[name.toLowerCase()];

const READERS: Reader[] = [
  {
    // 2026-12-24, 2026/12/24, 2026-12-24T09:02:00Z
    pattern: new RegExp(String.raw`(?<![\d./-])${YEAR}([-/])(\d{2})\2(\d{2})(?![\d/-]|\.\d)`, 'g'),
    read: (m) => [Number(m[1]), Number(m[3]), Number(m[4])],
  },
  {
    // December 24, 2026 · Dec. 24th 2026 · Dezember 24, 2026
    pattern: new RegExp(String.raw`(?<!\p{L})${MONTH}\.?\s+${DAY}${ORDINAL},?\s+${YEAR}(?!\d)`, 'giu'),
    read: (m) => [Number(m[3]), monthOf(m[1]), Number(m[2])],
  },
  {
    // 24 December 2026 · 24th of Dec 2026 · 24. Dezember 2026 · 24 déc. 2026 · 1er janvier 2027 · 24-Dec-2026
    pattern: new RegExp(String.raw`(?<![\d.])${DAY}(?:${ORDINAL}(?:\s+of)?\s+|\.\s*|-)${MONTH}(?!\p{L})\.?(?:,?\s+|-)${YEAR}(?!\d)`, 'giu'),
    read: (m) => [Number(m[3]), monthOf(m[2]), Number(m[1])],
  },
  {
    // 24.12.2026: day.month.year
    pattern: new RegExp(String.raw`(?<![\d.])${DAY}\.(\d{1,2})\.${YEAR}(?!\d|\.\d)`, 'g'),
    read: (m) => [Number(m[3]), Number(m[2]), Number(m[1])],
  },
  {
    // 24/12/2026 or 12/24/2026: only when the order is certain (see above)
    pattern: new RegExp(String.raw`(?<![\d./-])${DAY}([/-])(\d{1,2})\2${YEAR}(?![\d/-])`, 'g'),
    read: (m) => {
      const [a, b, year] = [Number(m[1]), Number(m[3]), Number(m[4])];
      if (a > 12 && b <= 12) return [year, b, a];
      if (b > 12 && a <= 12) return [year, a, b];
      if (a === b) return [year, a, b];
      return undefined;
    },
  },
];

/**
 * What a date is, from the words just before it. The label whose words come closest before the
 * date wins (in "approved on 2026-11-22 unless you reject it before 2026-11-20" the second date is
 * a deadline); on a tie, the earlier row.
 */
export const DATE_LABELS: readonly { label: string; words: RegExp }[] = [
  { label: 'Expiry date', words: /(?<!\p{L})(expir\p{L}*|valid until|paid[- ]till|ablauf\p{L}*|abgelaufen|läuft|gültig bis|échéance|échoit)(?!\p{L})/giu },
  {
    label: 'Registration date',
    words: /(?<!\p{L})(registered|registration|created|creation|registriert|registrierung|erstellt|création|créée?|enregistrée?)(?!\p{L})/giu,
  },
  { label: 'Renewal date', words: /(?<!\p{L})(renewed|renewal|verlängert|verlängerung|renouvelée?|renouvellement)(?!\p{L})/giu },
  { label: 'Request date', words: /(?<!\p{L})(requested|request date|beantragt|demandée?)(?!\p{L})/giu },
  { label: 'Approval date', words: /(?<!\p{L})(approval|approved|genehmigt|approuvée?)(?!\p{L})/giu },
  { label: 'Transfer date', words: /(?<!\p{L})(transfer(red)?|transfert|transférée?|transferiert|providerwechsel)(?!\p{L})/giu },
  { label: 'Suspension date', words: /(?<!\p{L})(suspend(ed)?|suspension|gesperrt|suspendue?)(?!\p{L})/giu },
  {
    label: 'Deadline',
    words: /(?<!\p{L})(before|until|no later than|deadline|within|bis zum|bis spätestens|spätestens|avant( le)?|au plus tard|jusqu['’]au)(?!\p{L})/giu,
  },
];

export const UNLABELLED = 'Date';

interface DateInText extends FoundDate {
  index: number;
  end: number;
  /** The line (0-based) the date is on. */
  line: number;
}

function iso(year: number, month: number, day: number): string | undefined {
  if (year < 1985 || year > 2199 || month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCMonth() !== month - 1) return undefined; // 31 February and the like
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The label words in `context`, each with the column (offset) where it starts and where it ends. */
function labelWords(context: string): { label: string; start: number; end: number }[] {
  const found: { label: string; start: number; end: number }[] = [];
  for (const { label, words } of DATE_LABELS) {
    for (const m of context.matchAll(words)) found.push({ label, start: m.index, end: m.index + m[0].length });
  }
  return found;
}

/**
 * The label of a date: the nearest label words before it on its own line (since the previous
 * date); else words right after it ("am 24.12.2026 abgelaufen"); else, for a date that stands at
 * the start of its line under a label line (`Expiry date:` then the date) or in a column of a
 * table (`Expires on` over rows of domains, cells set apart by runs of spaces), the label words
 * of the nearest line above it in the same paragraph that holds no date, nearest in column.
 */
function labelFor(line: string, column: number, end: number, fromColumn: number, linesAbove: string[]): string {
  const before = labelWords(line.slice(fromColumn, column));
  if (before.length) return before.reduce((a, b) => (b.end >= a.end ? b : a)).label;
  const after = labelWords(line.slice(end, end + 40));
  if (after.length) return after.reduce((a, b) => (b.start < a.start ? b : a)).label;
  const lead = line.slice(0, column);
  if (!/^[\s\p{P}]*$/u.test(lead) && !/\S(\s{2,}|\t)/.test(lead)) return UNLABELLED;
  for (const above of linesAbove) {
    const words = labelWords(above);
    if (words.length) return words.reduce((a, b) => (Math.abs(b.start - column) < Math.abs(a.start - column) ? b : a)).label;
  }
  return UNLABELLED;
}

/** The text's lines (without their line breaks) and the offset at which each starts. */
function splitLines(text: string): { lines: string[]; starts: number[] } {
  const starts = [0];
  for (const m of text.matchAll(/\r\n|\r|\n/g)) starts.push(m.index + m[0].length);
  const lines = starts.map((start, i) => text.slice(start, starts[i + 1] ?? text.length).replace(/(\r\n|\r|\n)$/, ''));
  return { lines, starts };
}

function findDates(text: string): DateInText[] {
  const raw: { index: number; end: number; date: string }[] = [];
  for (const { pattern, read } of READERS) {
    for (const m of text.matchAll(pattern)) {
      const parts = read(m);
      const date = parts && iso(...parts);
      if (date) raw.push({ index: m.index, end: m.index + m[0].length, date });
    }
  }
  // One date per stretch of text: the first reader to claim it wins.
  raw.sort((a, b) => a.index - b.index);
  const dates: typeof raw = [];
  for (const d of raw) if (dates.length === 0 || d.index >= dates[dates.length - 1].end) dates.push(d);

  const { lines, starts } = splitLines(text);
  const lineOf = (index: number) => {
    // The last line that starts at or before index (binary search: a long text has many lines).
    let [lo, hi] = [0, starts.length - 1];
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const located = dates.map((d) => ({ ...d, line: lineOf(d.index) }));
  const dateLines = new Set(located.map((d) => d.line));
  /** Up to six lines above `n` in its paragraph, nearest first, leaving out other rows with dates. */
  const linesAbove = (n: number) => {
    const out: string[] = [];
    for (let k = n - 1; k >= Math.max(0, n - 6) && lines[k].trim() !== ''; k--) if (!dateLines.has(k)) out.push(lines[k]);
    return out;
  };
  return located.map((d, i) => {
    const previous = located[i - 1];
    const next = located[i + 1];
    const start = starts[d.line];
    // Words before an earlier date on the same line belong to that date.
    const from = previous && previous.line === d.line ? previous.end - start : 0;
    const until = next && next.line === d.line ? next.index - start : lines[d.line].length;
    const line = lines[d.line].slice(0, until);
    const label = labelFor(line, d.index - start, d.end - start, from, linesAbove(d.line));
    return { ...d, label };
  });
}

function unique(dates: DateInText[]): FoundDate[] {
  const seen = new Set<string>();
  const out: FoundDate[] = [];
  for (const { label, date } of dates) {
    const key = `${label}\u0000${date}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ label, date });
  }
  return out;
}

/** Every date the text states, labelled, in order of appearance; a repeated (label, date) pair once. */
export function extractDates(text: string): FoundDate[] {
  return unique(findDates(text));
}

/** The line without its links and e-mail addresses, which name the registrar's hosts, not the domains the line is about. */
function withoutLinks(line: string): string {
  return line
    .split(/\s+/)
    .filter((word) => !word.includes('@') && !word.includes('://') && !/^[(<"']?www\.[^/]*\//i.test(word))
    .join(' ');
}

/**
 * The dates of `text` that may concern `ownDomains` (ASCII names): a date on a line that names one
 * of them is kept; a date on a line that names other domains and none of them is left out (the
 * usual registrar table, one domain per row); a date on a line that names no domain is kept, as
 * it concerns the whole message ("the transfer completes on …"). Domain names are recognised as
 * the match stage does (the Public Suffix List), in the text outside links and e-mail addresses.
 * A record laid out over several lines (`Domain: x` above `Expires: …`) is not attributed: its
 * dates are kept, erring towards telling a client a date that may not be theirs rather than
 * hiding one that is (the digest says so). Only dates and fixed labels come out, never names.
 */
export function datesNearDomains(text: string, ownDomains: readonly string[]): FoundDate[] {
  const own = new Set(ownDomains.map((d) => d.toLowerCase()));
  const { lines } = splitLines(text);
  const kept = findDates(text).filter((d) => {
    const named = extractCandidates({ subject: '', text: withoutLinks(lines[d.line]), html: '', addresses: [] });
    return named.length === 0 || named.some((n) => own.has(n));
  });
  return unique(kept);
}

const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `24 December 2026`: day first and the month in words, so no reader can take it the wrong way round. */
export function formatDate(date: Date | string): string {
  const d = typeof date === 'string' ? new Date(`${date}T00:00:00Z`) : date;
  return `${d.getUTCDate()} ${MONTHS_EN[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** `17 November 2026, 09:14 UTC` */
export function formatDateTime(date: Date): string {
  const hh = String(date.getUTCHours()).padStart(2, '0');
  const mm = String(date.getUTCMinutes()).padStart(2, '0');
  return `${formatDate(date)}, ${hh}:${mm} UTC`;
}
