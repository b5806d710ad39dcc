// Reads a stored message's bytes (raw_message.raw) back without node-postgres ever holding the
// whole bytea in one protocol message: read whole, a 25 MB value costs the process ~237 MB of peak
// RSS (the hex text, its decoding and the protocol buffer), read in 1 MB slices into one
// preallocated Buffer ~60 MB (docs/benchmarks.md, "Memory: the 25 MB message", item 13).
import type { DataSource, EntityManager } from 'typeorm';

/** The slice size; a message up to this size is read in the same query as its length. */
export const RAW_SLICE_BYTES = 1024 * 1024;

/**
 * The raw bytes of message `messageId`, or null when there are none (no such message, or it was
 * deleted while being read). Through `runner`'s `query`: pass the EntityManager of a transaction
 * to read inside it. TypeORM hands node-postgres' rows back as they are, and node-postgres
 * turns a bytea into a Buffer.
 */
export async function readRaw(runner: DataSource | EntityManager, messageId: string): Promise<Buffer | null> {
  // octet_length of a bytea reads the TOAST header only; the value itself comes along only when small.
  const [head] = await runner.query<{ size: number; raw: Buffer | null }[]>(
    `SELECT octet_length(raw) AS size, CASE WHEN octet_length(raw) <= ${RAW_SLICE_BYTES} THEN raw END AS raw
       FROM raw_message WHERE "messageId" = $1`,
    [messageId],
  );
  if (!head) return null;
  return head.raw ?? readRawSlices(runner, messageId, Number(head.size));
}

/**
 * The raw bytes of a message whose size is known (octet_length(raw)), read slice by slice into one
 * Buffer; null when the message was deleted meanwhile. For a caller that read the size itself.
 */
export async function readRawSlices(runner: DataSource | EntityManager, messageId: string, size: number): Promise<Buffer | null> {
  const out = Buffer.allocUnsafe(size);
  for (let at = 0; at < size; at += RAW_SLICE_BYTES) {
    const [slice] = await runner.query<{ part: Buffer }[]>(
      `SELECT substring(raw FROM $2 FOR ${RAW_SLICE_BYTES}) AS part FROM raw_message WHERE "messageId" = $1`,
      [messageId, at + 1],
    );
    if (!slice) return null; // deleted meanwhile
    const expected = Math.min(RAW_SLICE_BYTES, size - at);
    if (slice.part.length !== expected) {
      throw new Error(`raw_message ${messageId} changed while being read (${slice.part.length} bytes at ${at}, expected ${expected})`);
    }
    slice.part.copy(out, at);
  }
  return out;
}
