// How much memory each step of a 25 MB message's life costs on its own, and what the alternatives
// cost: reading the bytea back through node-postgres whole or in slices, parsing with simpleParser
// or a streaming MailParser, composing the letter to a Buffer or a stream. Each step runs in a fresh
// process (peak RSS = VmHWM after a reset); docs/benchmarks.md quotes the output. The `aster-*`
// steps run Aster's own code: readRaw (raw-reader.ts), parse (parse.ts), composeForwardStream
// (forward.ts), and the whole notice path of a forward (read, parse, compose, drained).
// Run: DATABASE_URL=postgres://root@127.0.0.1:5432/postgres npx ts-node --transpile-only bench/experiments/memory-steps.ts [step…]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, MailParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { Client } from 'pg';
import type { ForwardInput } from '../../src/mail/notices/compose';
import { databaseUrl, withAdmin } from '../lib/aster';
import { registrarMessage } from '../lib/messages';

const STEPS = [
  'pg-insert',
  'pg-select-whole',
  'pg-select-binary',
  'pg-select-slices',
  'simpleParser',
  'mailparser-stream',
  'compose-build',
  'compose-stream',
  'aster-readRaw',
  'aster-parse',
  'aster-composeForward',
  'aster-composeForwardStream',
  'aster-notice',
] as const;
type Step = (typeof STEPS)[number];

const mb = (kb: number) => (kb / 1024).toFixed(0);
function status(field: string): number {
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'))![1]);
}
function resetPeak(): number {
  (global as { gc?: () => void }).gc?.();
  writeFileSync('/proc/self/clear_refs', '5');
  return status('VmRSS');
}

/** The stored message's id in the database main() prepares (raw_message, as Aster's schema has it). */
const MESSAGE_ID = '00000000-0000-4000-8000-000000000025';

const SETTINGS = { noticeFrom: 'Notices <notices@notify.localhost>', publicUrl: 'https://x.test', mailDomain: 'notify.localhost' };

function forwardInput(
  raw: Buffer,
  original: { subject: string; from: string | null; messageId: string | null; date: Date | null; text: string },
): ForwardInput {
  return {
    deliveryId: '5b0c7a52-3f0e-4d8e-9d1a-2f6f1f0c9e11',
    to: { name: 'Contact', email: 'contact@client-bench.test' },
    clientName: 'Client',
    kind: 'expiry_reminder',
    domains: [
      {
        name: 'artsite-0.com',
        unicodeName: 'artsite-0.com',
        registrar: 'Gandi',
        registeredAt: null,
        expiresAt: null,
        guidanceUrl: 'https://x.test/guide/domain/t',
      },
    ],
    original: { ...original, raw },
    unverifiedSender: false,
  };
}

async function drain(stream: NodeJS.ReadableStream): Promise<number> {
  let n = 0;
  for await (const chunk of stream) n += (chunk as Buffer).length;
  return n;
}

async function step(name: Step, url: string, file: string): Promise<string> {
  // Read from a file the parent wrote: building the message here would leave heap pages behind
  // that the step could reuse without its RSS growing.
  const raw = readFileSync(file);
  // Aster's modules (and TypeORM) are loaded only by the steps that use them, before the reset.
  const aster = name.startsWith('aster-')
    ? {
        ...(require('typeorm') as typeof import('typeorm')),
        ...(require('../../src/mail/intake/parse') as typeof import('../../src/mail/intake/parse')),
        ...(require('../../src/mail/intake/raw-reader') as typeof import('../../src/mail/intake/raw-reader')),
        ...(require('../../src/mail/notices/compose') as typeof import('../../src/mail/notices/compose')),
      }
    : undefined;
  let before = resetPeak();
  if (aster && (name === 'aster-readRaw' || name === 'aster-notice')) {
    const { DataSource, readRaw, readMessage, composeForwardStream } = aster;
    const db = new DataSource({ type: 'postgres', url, extra: { max: 2 } });
    await db.initialize();
    await db.query('SELECT 1');
    before = resetPeak();
    const read = await readRaw(db, MESSAGE_ID);
    if (!read || Buffer.compare(read, raw) !== 0) throw new Error('readRaw: not the stored bytes');
    if (name === 'aster-notice') {
      // Letters.notice for a forward: parse once (streaming), compose as a stream, drained as the relay would.
      const m = await readMessage(read);
      const n = await drain(composeForwardStream(SETTINGS, forwardInput(read, { ...m, messageId: m.messageId && `<${m.messageId}>` })));
      if (n < read.length) throw new Error('the letter is shorter than the original');
    }
    await db.destroy();
  } else if (aster && name === 'aster-parse') {
    const outcome = await aster.parse(raw);
    if (!outcome.ok) throw new Error(outcome.reason);
  } else if (aster) {
    const { composeForward, composeForwardStream } = aster;
    const original = { subject: 'Your domain expires', from: 'Gandi <noreply@gandi-bench.test>', messageId: '<x@y>', date: new Date(), text: 'Explanation …' };
    if (name === 'aster-composeForward') await composeForward(SETTINGS, forwardInput(raw, original));
    else await drain(composeForwardStream(SETTINGS, forwardInput(raw, original)));
  } else if (name.startsWith('pg-')) {
    const pg = new Client({ connectionString: url });
    await pg.connect();
    await pg.query('CREATE TEMP TABLE t (raw bytea)');
    if (name !== 'pg-insert') await pg.query('INSERT INTO t VALUES ($1)', [raw]);
    before = resetPeak();
    if (name === 'pg-insert') await pg.query('INSERT INTO t VALUES ($1)', [raw]);
    if (name === 'pg-select-whole') await pg.query('SELECT raw FROM t');
    // `binary` is a node-postgres query option its type definitions leave out.
    if (name === 'pg-select-binary') await pg.query({ text: 'SELECT raw FROM t', binary: true } as { text: string });
    if (name === 'pg-select-slices') {
      const { rows } = await pg.query('SELECT length(raw) AS n FROM t');
      const out = Buffer.allocUnsafe(Number(rows[0].n));
      for (let at = 0; at < out.length; at += 1 << 20) {
        const r = await pg.query('SELECT substring(raw FROM $1 FOR 1048576) AS part FROM t', [at + 1]);
        (r.rows[0].part as Buffer).copy(out, at);
      }
    }
    await pg.end();
  } else if (name === 'simpleParser') {
    await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  } else if (name === 'mailparser-stream') {
    // Only the text parts and the headers are read; attachments are drained as they go by.
    await new Promise<void>((resolve, reject) => {
      const parser = new MailParser({ skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
      parser.on('data', (d: { type: string; content?: NodeJS.ReadableStream; release?: () => void }) => {
        if (d.type === 'attachment') {
          d.content!.on('data', () => undefined);
          d.content!.on('end', () => d.release!());
        }
      });
      parser.on('end', () => resolve());
      parser.on('error', reject);
      void (async () => {
        for (let at = 0; at < raw.length; at += 65536) {
          if (!parser.write(raw.subarray(at, at + 65536))) await new Promise((r) => parser.once('drain', r));
        }
        parser.end();
      })();
    });
  } else {
    const composer = new MailComposer({
      from: 'notices@notify.localhost',
      to: 'contact@client-bench.test',
      subject: '[artsite-0.com] Your domain expires',
      text: 'Explanation …',
      html: '<p>Explanation …</p>',
      attachments: [{ filename: 'original.eml', content: raw, contentType: 'message/rfc822', contentTransferEncoding: '7bit' }],
    });
    if (name === 'compose-build') await composer.compile().build();
    else
      await new Promise<void>((resolve) => {
        const s = composer.compile().createReadStream();
        s.on('data', () => undefined);
        s.on('end', () => resolve());
      });
  }
  const peak = status('VmHWM');
  return `${name.padEnd(18)} RSS before ${mb(before)} MB, peak ${mb(peak)} MB: +${mb(peak - before)} MB`;
}

async function main(): Promise<void> {
  const base = process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
  if (process.argv[3]?.includes('://')) {
    console.log(await step(process.argv[2] as Step, process.argv[3], process.argv[4]));
    return;
  }
  const only = process.argv.slice(2) as Step[];
  const db = `aster_memsteps_${process.pid}`;
  const dir = mkdtempSync(join(tmpdir(), 'aster-memsteps-'));
  const file = join(dir, 'message.eml');
  writeFileSync(file, registrarMessage({ size: '25m', token: 'bm900-000001', domain: 'artsite-0.com', to: 'domains@notify.localhost' }));
  await withAdmin(base, (c) => c.query(`CREATE DATABASE ${db}`));
  try {
    const pg = new Client({ connectionString: databaseUrl(base, db) });
    await pg.connect();
    await pg.query('CREATE TABLE raw_message ("messageId" uuid PRIMARY KEY, raw bytea NOT NULL)');
    await pg.query('INSERT INTO raw_message VALUES ($1, $2)', [MESSAGE_ID, readFileSync(file)]);
    await pg.end();
    for (const s of only.length ? only : STEPS) {
      process.stdout.write(
        execFileSync(process.execPath, ['--expose-gc', '-r', 'ts-node/register/transpile-only', __filename, s, databaseUrl(base, db), file], {
          encoding: 'utf8',
        }),
      );
    }
  } finally {
    await withAdmin(base, (c) => c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`));
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
