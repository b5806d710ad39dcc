// readRaw against PostgreSQL: the bytes stored in raw_message come back identical whatever their
// size relative to the 1 MB slice, in one query when they fit in a slice and slice by slice when not.
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { RAW_SLICE_BYTES, readRaw, readRawSlices } from '../src/mail/intake/raw-reader';
import { createTestDatabase } from './support/test-app';

const MB = 1024 * 1024;

describe('readRaw', () => {
  let database: { url: string; drop(): Promise<void> };
  let db: DataSource;

  /** Stores `raw` as a decided message (no app runs here, so nothing routes it). */
  async function store(raw: Buffer): Promise<string> {
    const [{ id }] = await db.query<{ id: string }[]>(
      `INSERT INTO inbound_message ("envelopeFrom", "envelopeTo", size, stage, status) VALUES ('', '{domains@x.test}', $1, 'decided', 'held') RETURNING id`,
      [raw.length],
    );
    await db.query('INSERT INTO raw_message ("messageId", raw) VALUES ($1, $2)', [id, raw]);
    return id;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new DataSource(dataSourceOptions(database.url));
    await db.initialize();
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('slices 1 MB', () => expect(RAW_SLICE_BYTES).toBe(MB));

  it.each([
    ['0 bytes', 0, 1],
    ['1 byte', 1, 1],
    ['1 MB − 1', MB - 1, 1],
    ['1 MB', MB, 1],
    ['1 MB + 1', MB + 1, 3],
    ['3.5 MB', 3.5 * MB, 5],
  ])('returns the same bytes for %s, in the expected number of queries', async (_case, size, queries) => {
    // Every byte value, NUL and 0xff included, and no repetition a slice could hide behind.
    const raw = randomBytes(size);
    const id = await store(raw);
    const query = jest.spyOn(db, 'query');
    try {
      const read = await readRaw(db, id);
      expect(read).not.toBeNull();
      expect(read!.length).toBe(size);
      expect(Buffer.compare(read!, raw)).toBe(0);
      expect(query).toHaveBeenCalledTimes(queries);
    } finally {
      query.mockRestore();
    }
  });

  it('reads inside a transaction through its EntityManager', async () => {
    const raw = randomBytes(2 * MB + 123);
    const id = await store(raw);
    const read = await db.transaction((manager) => readRaw(manager, id));
    expect(Buffer.compare(read!, raw)).toBe(0);
  });

  it('returns null for a message that is not there', async () => {
    expect(await readRaw(db, '00000000-0000-4000-8000-000000000000')).toBeNull();
    expect(await readRawSlices(db, '00000000-0000-4000-8000-000000000000', 3 * MB)).toBeNull();
  });

  it('keeps a text message as it was, CRLF and 8-bit bytes included', async () => {
    const raw = Buffer.from(`Subject: Verl\xe4ngerung\r\n\r\n${'Zeile\r\n'.repeat(200_000)}.\r\n`, 'latin1');
    const id = await store(raw);
    expect(Buffer.compare((await readRaw(db, id))!, raw)).toBe(0);
  });
});
