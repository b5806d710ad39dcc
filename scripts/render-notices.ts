// Writes a realistic forwarded notice, privacy digest and welcome letter (the .eml and its HTML part)
// to a directory, to look at them in a browser or screenshot them for docs/screenshots/:
//
//   npx ts-node --transpile-only scripts/render-notices.ts [out-dir]      (default /tmp/aster-notices)
//   chromium --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir=$(mktemp -d) \
//     --window-size=800,1400 --screenshot=docs/screenshots/forward.png file:///tmp/aster-notices/forward.html
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { simpleParser } from 'mailparser';
import { composeDigest, composeForward, composeWelcome, type NoticeDomain, type NoticeSettings } from '../src/mail/notices/compose';

const out = resolve(process.argv[2] ?? '/tmp/aster-notices');
const fixtures = resolve(__dirname, '../test/fixtures/mail');

const settings: NoticeSettings = {
  noticeFrom: 'ArtSites notices <notices@notify.artsites.test>',
  staffEmail: 'support@artsites.test',
  publicUrl: 'https://domains.artsites.test',
  mailDomain: 'notify.artsites.test',
};

const guide = (name: string) => `${settings.publicUrl}/guide/domain/${Buffer.from(name).toString('hex').slice(0, 16)}`;

const lindapence: NoticeDomain = {
  name: 'lindapence.com',
  unicodeName: 'lindapence.com',
  registrar: 'Gandi SAS',
  registeredAt: new Date('2016-03-03T00:00:00Z'),
  expiresAt: new Date('2027-03-03T00:00:00Z'),
  guidanceUrl: guide('lindapence.com'),
};
const moreau: NoticeDomain = {
  name: 'moreau.studio',
  unicodeName: 'moreau.studio',
  registrar: 'Namecheap, Inc.',
  registeredAt: new Date('2021-12-08T00:00:00Z'),
  expiresAt: new Date('2026-12-08T00:00:00Z'),
  guidanceUrl: guide('moreau.studio'),
};

async function write(name: string, eml: Buffer): Promise<void> {
  const parsed = await simpleParser(eml);
  writeFileSync(join(out, `${name}.eml`), eml);
  writeFileSync(join(out, `${name}.html`), typeof parsed.html === 'string' ? parsed.html : '');
  writeFileSync(join(out, `${name}.txt`), parsed.text ?? '');
  console.log(`${name}: ${join(out, `${name}.html`)}`);
}

async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });

  const transferRaw = readFileSync(join(fixtures, '01-gandi-transfer-request.eml'));
  const transfer = await simpleParser(transferRaw);
  await write(
    'forward',
    await composeForward(settings, {
      deliveryId: '5b0c7a52-3f0e-4d8e-9d1a-2f6f1f0c9e11',
      to: { name: 'Linda Pence', email: 'linda@pence-mail.test' },
      clientName: 'Linda Pence Studio',
      kind: 'transfer_request',
      domains: [lindapence],
      original: {
        raw: transferRaw,
        subject: transfer.subject ?? '',
        from: transfer.from?.text ?? null,
        messageId: transfer.messageId ?? null,
        date: transfer.date ?? null,
        text: transfer.text ?? '',
      },
      unverifiedSender: false,
    }),
  );

  const bulk = await simpleParser(readFileSync(join(fixtures, '10-namecheap-bulk-expiry-digest.eml')));
  await write(
    'digest',
    await composeDigest(settings, {
      deliveryId: '0e5de2a4-7c61-4a0a-8f57-6b2b8f4a9c02',
      to: { name: 'Claire Moreau', email: 'claire@moreau.test' },
      clientName: 'Atelier Moreau',
      kind: 'expiry_reminder',
      domains: [moreau],
      original: { messageId: bulk.messageId ?? null, date: bulk.date ?? null, from: bulk.from?.text ?? null, text: bulk.text ?? '' },
      unverifiedSender: true,
    }),
  );

  await write(
    'welcome',
    await composeWelcome(settings, {
      letterId: '9f3e1d7c-0b5a-4c9e-8a62-d4b0c3e2f1a7',
      to: { name: 'Linda Pence', email: 'linda@pence-mail.test' },
      clientName: 'Linda Pence Studio',
      hostName: 'ArtSites Hosting',
      domains: [
        { ...lindapence, noticeAddress: `lindapence.com@${settings.mailDomain}` },
        {
          name: 'xn--lindapenc-j4a.de',
          unicodeName: 'lindapencé.de',
          registrar: 'IONOS SE',
          registeredAt: new Date('2022-05-17T00:00:00Z'),
          expiresAt: new Date('2027-05-17T00:00:00Z'),
          guidanceUrl: guide('xn--lindapenc-j4a.de'),
          noticeAddress: `xn--lindapenc-j4a.de@${settings.mailDomain}`,
        },
      ],
      guidanceIndexUrl: `${settings.publicUrl}/guide`,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
