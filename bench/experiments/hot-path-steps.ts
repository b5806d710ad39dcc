// The CPU each step of the hot path costs for the bench's 4 KB registrar message, alone, in this
// process: parse, match's extraction, classify, compose the forward. For deciding where to cut
// (issue 15); the figures are not the benchmark. Then composing alone, the ways it was weighed
// ("compose from pre-rendered parts"): MailComposer as composeLetter used it, MailComposer fed
// parts encoded beforehand, and letter-mime.ts (composeLetter now), for the same letters.
//   npx ts-node --transpile-only bench/experiments/hot-path-steps.ts [rounds]
import type { Readable } from 'node:stream';
import MailComposer from 'nodemailer/lib/mail-composer';
import * as base64 from 'nodemailer/lib/base64';
import * as qp from 'nodemailer/lib/qp';
import { parse } from '../../src/mail/intake/parse';
import { extractCandidates } from '../../src/mail/intake/match';
import { classifyNotice } from '../../src/mail/intake/classify';
import { composeForward, type ForwardInput } from '../../src/mail/notices/compose';
import { composeLetter, composeLetterStream, originalTransferEncoding, type Letter } from '../../src/mail/notices/letter';
import { explanation, footer, letterBody, WHY_COPIED } from '../../src/mail/notices/sections';
import { registrarMessage } from '../lib/messages';

const read = async (stream: Readable): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

/**
 * MailComposer given each part whole, headers and encoded body (its `raw` option), so it does not
 * scan or encode anything: what is left is its tree of stream nodes. Only for this comparison.
 */
function preEncodedMailComposer(settings: { noticeFrom: string; mailDomain: string }, letter: Letter): Promise<Buffer> {
  const crlf = (t: string): string => t.replace(/\r\n|\r|\n/g, '\r\n');
  const textPart = (type: string, text: string): string =>
    `Content-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${qp.wrap(qp.encode(crlf(text)), 76)}`;
  const raw = letter.original!;
  const encoding = originalTransferEncoding(raw);
  const originalPart = Buffer.concat([
    Buffer.from(
      `Content-Type: message/rfc822; name=original.eml\r\nContent-Transfer-Encoding: ${encoding}\r\nContent-Disposition: attachment; filename=original.eml\r\n\r\n`,
    ),
    encoding === 'base64' ? Buffer.from(base64.wrap(base64.encode(raw), 76)) : raw,
  ]);
  return new MailComposer({
    from: settings.noticeFrom,
    to: letter.to.email,
    subject: letter.subject,
    messageId: `<${letter.id}@${settings.mailDomain}>`,
    inReplyTo: letter.inReplyTo ?? undefined,
    references: letter.inReplyTo ?? undefined,
    headers: { 'Auto-Submitted': letter.autoSubmitted, 'X-Aster-Notice': letter.id },
    text: { raw: textPart('text/plain', letter.text) },
    html: { raw: textPart('text/html', letter.html) },
    attachments: [{ raw: originalPart }],
    disableFileAccess: true,
    disableUrlAccess: true,
  })
    .compile()
    .build();
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 2000);
  const raws = Array.from({ length: rounds }, (_, i) =>
    registrarMessage({ size: '4k', token: `steps-${i}`, domain: `artsite-${i % 100}.com`, to: 'domains@notify.localhost' }),
  );
  const cpu: Record<string, number> = { parse: 0, extract: 0, classify: 0, compose: 0 };
  const time = async <T>(step: string, f: () => T | Promise<T>): Promise<T> => {
    const before = process.cpuUsage();
    const out = await f();
    const used = process.cpuUsage(before);
    cpu[step] += (used.user + used.system) / 1000;
    return out;
  };
  const settings = { noticeFrom: 'Aster <notices@notify.localhost>', publicUrl: 'http://127.0.0.1:3000', mailDomain: 'notify.localhost' };
  // The same message for a second contact of the client: what each further copy costs.
  let again = 0;
  for (let pass = 0; pass < 2; pass++) {
    for (const k of Object.keys(cpu)) cpu[k] = 0;
    again = 0;
    for (const [i, raw] of raws.entries()) {
      const parsed = await time('parse', () => parse(raw));
      if (!parsed.ok) throw new Error(parsed.reason);
      const mail = parsed.message;
      await time('extract', () => extractCandidates(mail));
      const reading = await time('classify', () =>
        classifyNotice({
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          from: mail.from,
          fromAddress: mail.fromAddress ?? null,
          registrarOfRecord: [],
          knownRegistrarDomains: [],
          senderVerified: undefined,
        }),
      );
      const forward: ForwardInput = {
        deliveryId: `00000000-0000-5000-8000-${String(i).padStart(12, '0')}`,
        to: { name: 'Linda', email: 'linda@example.test' },
        clientName: 'Linda Pence Studio',
        kind: reading.kind,
        reading: { suspicious: null, uncertain: false, registrySays: [] },
        domains: [
          {
            name: `artsite-${i % 100}.com`,
            unicodeName: `artsite-${i % 100}.com`,
            registrar: 'Gandi',
            registeredAt: new Date('2020-01-01'),
            expiresAt: new Date('2027-01-01'),
            guidanceUrl: 'http://127.0.0.1:3000/guide/x',
          },
        ],
        original: { raw, subject: mail.subject, from: mail.from, messageId: mail.messageId ? `<${mail.messageId}>` : null, date: mail.date, text: mail.text },
        unverifiedSender: false,
      };
      await time('compose', () => composeForward(settings, forward));
      const before = process.cpuUsage();
      await composeForward(settings, { ...forward, deliveryId: `${forward.deliveryId.slice(0, -1)}f`, to: { name: 'Omar', email: 'omar@example.test' } });
      const used = process.cpuUsage(before);
      again += (used.user + used.system) / 1000;
    }
  }
  const total = Object.values(cpu).reduce((a, b) => a + b, 0);
  console.log(`${rounds} messages of 4 KB, second pass (warm), CPU ms per message:`);
  for (const [k, v] of Object.entries(cpu)) console.log(`  ${k.padEnd(9)} ${(v / rounds).toFixed(3)}`);
  console.log(`  ${'total'.padEnd(9)} ${(total / rounds).toFixed(3)}`);
  console.log(`  the same message composed again for a second contact: ${(again / rounds).toFixed(3)}`);
  await composeVariants(raws, settings);
}

/** Composing alone: the same letters (a kind's explanation, the page, the original) three ways. */
async function composeVariants(raws: Buffer[], settings: { noticeFrom: string; publicUrl: string; mailDomain: string }): Promise<void> {
  const letters: Letter[] = raws.map((raw, i) => ({
    to: { name: 'Linda', email: 'linda@example.test' },
    subject: `[artsite-${i % 100}.com] Transfer request`,
    id: `00000000-0000-5000-8000-${String(i).padStart(12, '0')}`,
    autoSubmitted: 'auto-forwarded',
    inReplyTo: `<steps-${i}@registrar.test>`,
    ...letterBody(
      `[artsite-${i % 100}.com] Transfer request`,
      'Copy of a registrar message, for Linda Pence Studio',
      [
        explanation('transfer_request', [
          {
            name: `artsite-${i % 100}.com`,
            unicodeName: `artsite-${i % 100}.com`,
            registrar: 'Gandi',
            registeredAt: null,
            expiresAt: null,
            guidanceUrl: 'http://127.0.0.1:3000/guide/x',
          },
        ]),
      ],
      footer(undefined, WHY_COPIED),
    ),
    original: raw,
  }));
  const variants: [string, (letter: Letter) => Promise<Buffer>][] = [
    ['MailComposer (composeLetter before)', (letter) => read(composeLetterStream(settings, letter))],
    ['MailComposer, parts pre-encoded', (letter) => preEncodedMailComposer(settings, letter)],
    ['letter-mime.ts (composeLetter now)', (letter) => composeLetter(settings, letter)],
  ];
  console.log(
    `composing alone, ${letters.length} letters of ~${Math.round((await composeLetter(settings, letters[0])).length / 1024)} KB, second pass, CPU ms per letter:`,
  );
  for (const [name, compose] of variants) {
    let ms = 0;
    for (let pass = 0; pass < 2; pass++) {
      ms = 0;
      for (const letter of letters) {
        const before = process.cpuUsage();
        await compose(letter);
        const used = process.cpuUsage(before);
        ms += (used.user + used.system) / 1000;
      }
    }
    console.log(`  ${name.padEnd(38)} ${(ms / letters.length).toFixed(3)}`);
  }
}

void main();
