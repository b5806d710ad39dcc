// Relay without RELAY_URL writes letters to the outbox, a streamed letter as it is read; a letter
// stream handed to nodemailer can be read only once (see readOnce).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { PassThrough, Readable } from 'node:stream';
import type { AsterConfig } from '../../config/config';
import { readOnce, Relay } from './relay';

describe('Relay outbox', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'aster-relay-'));
    dirs.push(dir);
    return dir;
  };
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  it('writes a Buffer and a stream alike', async () => {
    const dataDir = tempDir();
    const relay = new Relay({ dataDir } as AsterConfig);
    const bytes = Buffer.from('Subject: x\r\n\r\n' + 'line\r\n'.repeat(100_000));
    expect(await relay.send('a', { from: 'b@x.test', to: 'c@x.test' }, bytes)).toMatchObject({ outcome: 'sent' });
    expect(await relay.send('b', { from: 'b@x.test', to: 'c@x.test' }, Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]))).toMatchObject({
      outcome: 'sent',
    });
    expect(Buffer.compare(readFileSync(join(dataDir, 'outbox', 'a.eml')), bytes)).toBe(0);
    expect(Buffer.compare(readFileSync(join(dataDir, 'outbox', 'b.eml')), bytes)).toBe(0);
  });

  it('answers temporary when the letter stream fails', async () => {
    const dataDir = tempDir();
    const relay = new Relay({ dataDir } as AsterConfig);
    const failing = new Readable({
      read() {
        this.destroy(new Error('composition failed'));
      },
    });
    expect(await relay.send('a', { from: 'b@x.test', to: 'c@x.test' }, failing)).toMatchObject({
      outcome: 'temporary',
      response: expect.stringContaining('composition failed'),
    });
  });
});

describe('readOnce', () => {
  it('passes the letter through to its first reader and fails a second one', async () => {
    const once = readOnce(Readable.from([Buffer.from('abc'), Buffer.from('def')]));
    const first = new PassThrough();
    once.pipe(first);
    const chunks: Buffer[] = [];
    for await (const chunk of first) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('abcdef');

    const again = readOnce(Readable.from([Buffer.from('abc')]));
    again.pipe(new PassThrough({ highWaterMark: 1 }));
    const failed = new Promise<Error>((resolve) => again.once('error', resolve));
    again.pipe(new PassThrough());
    expect(await failed).toMatchObject({ code: 'ESTREAM' });
  });
});
