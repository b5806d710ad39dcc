// The CSV form of the domain list: reading an import file into rows (header, quoting, BOM, CRLF
// handled by csv-parse) and writing the export, which has the same columns so it imports back,
// with no cell a spreadsheet would run as a formula.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { InvalidError } from '../common/errors';

/** The columns of an import and of the export, in export order. Only `name` is required. */
export const CSV_COLUMNS = ['name', 'client', 'registrar', 'registeredAt', 'expiresAt', 'statuses'] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

export const MAX_IMPORT_ROWS = 10_000;

export interface CsvRow {
  /** 1-based number of the data row (the header and blank lines are not counted). */
  row: number;
  /** Trimmed cell values; '' for an empty cell, absent for a column the file does not have. */
  values: Partial<Record<CsvColumn, string>>;
  /** Set when the row cannot be read as a whole (more cells than the header has columns). */
  problem?: string;
}

/**
 * CSV injection (OWASP "CSV Injection"): a spreadsheet runs a cell that starts with `=`, `+`, `-`,
 * `@`, a tab or a carriage return as a formula (`=HYPERLINK(...)` in a client's name), and Excel
 * does the same with the full-width `＝＋－＠` in some locales. The export writes such a cell with a
 * `'` in front, which spreadsheets show as text; the import takes it off again, so that an export
 * imports back unchanged. For that to hold for every value, one that itself starts with `'`s and
 * then one of those characters (`'=x`) gets one more `'` too (`''=x`): the export adds a `'` to
 * each value matching FORMULA, the import removes one from each cell matching ESCAPED_FORMULA, and
 * a value of any other form (`'Gandi`) passes both ways untouched. Every column gets the same rule;
 * the export has no numeric column (a negative number would be quoted as text like any other
 * `-` cell, and imported back the same).
 */
const FORMULA = /^'*[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const ESCAPED_FORMULA = /^'+[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** A value as an export cell: a `'` in front of one a spreadsheet would run. */
export function escapeFormula(value: string): string {
  return FORMULA.test(value) ? `'${value}` : value;
}

/** An import cell as the value it stands for: the export's `'` taken off. */
export function unescapeFormula(cell: string): string {
  return ESCAPED_FORMULA.test(cell) ? cell.slice(1) : cell;
}

const BY_LOWER_CASE = new Map<string, CsvColumn>(CSV_COLUMNS.map((c) => [c.toLowerCase(), c]));

/** Reads an import body; a problem with the file as a whole is an InvalidError on `body`. */
export function readDomainCsv(body: unknown): CsvRow[] {
  if (typeof body !== 'string') {
    throw InvalidError.field('body', 'send the CSV as the request body with Content-Type: text/csv');
  }
  if (body.replace(/^\uFEFF/, '').trim() === '') throw InvalidError.field('body', 'the CSV is empty');
  let records: string[][];
  try {
    const parsed: unknown = parse(body, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      relax_column_count: true,
    });
    records = parsed as string[][];
  } catch (e) {
    throw InvalidError.field('body', `the CSV cannot be read: ${(e as Error).message}`);
  }
  const [header, ...data] = records;
  const columns = readHeader(header ?? []);
  if (data.length > MAX_IMPORT_ROWS) {
    throw InvalidError.field('body', `the CSV has ${data.length} rows; import at most ${MAX_IMPORT_ROWS} at a time`);
  }
  return data.map((cells, index) => {
    const row: CsvRow = { row: index + 1, values: {} };
    columns.forEach((column, i) => {
      row.values[column] = unescapeFormula(cells[i] ?? '');
    });
    const extra = cells.slice(columns.length).filter((c) => c !== '');
    if (extra.length > 0) {
      row.problem = `has ${cells.length} cells but the header has ${columns.length} columns (quote values that contain commas)`;
    }
    return row;
  });
}

function readHeader(header: string[]): CsvColumn[] {
  const unknown = header.filter((h) => !BY_LOWER_CASE.has(h.toLowerCase()));
  if (unknown.length > 0) {
    throw InvalidError.field('body', `unknown column(s) ${unknown.map((u) => `'${u}'`).join(', ')} in the header; the columns are ${CSV_COLUMNS.join(',')}`);
  }
  const columns = header.map((h) => BY_LOWER_CASE.get(h.toLowerCase())!);
  const repeated = columns.filter((c, i) => columns.indexOf(c) !== i);
  if (repeated.length > 0) throw InvalidError.field('body', `the header names column '${repeated[0]}' twice`);
  if (!columns.includes('name')) {
    throw InvalidError.field('body', `the header has no 'name' column; expected ${CSV_COLUMNS.join(',')}`);
  }
  return columns;
}

export type CsvRecord = Record<CsvColumn, string>;

/** The export: a header line, then one line per record, no cell a formula. */
export function writeDomainCsv(records: CsvRecord[]): string {
  const cells = records.map((r) => Object.fromEntries(CSV_COLUMNS.map((c) => [c, escapeFormula(r[c])])));
  return stringify(cells, { header: true, columns: [...CSV_COLUMNS] });
}
