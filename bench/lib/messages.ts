// Registrar-like test messages of a chosen size: the headers a registrar's mail carries after two
// hops (Received, DKIM-Signature, Message-ID …), a text and an HTML part naming one tracked domain,
// and — for the larger sizes — an attachment (an invoice PDF, a portfolio export), like real
// registrar mail. The bench token sits in the Subject, which Aster's notice keeps as
// `[domain] <original subject>` and Postfix forwards unchanged.
import { randomBytes } from 'node:crypto';

export type MessageSize = '4k' | '50k' | '25m';

export const SIZE_BYTES: Record<MessageSize, number> = { '4k': 4 * 1024, '50k': 50 * 1024, '25m': 25_000_000 };

/** Terms-of-service style filler: plain words, no domain names (they would be matched), no leading dots. */
const FILLER = [
  'Renewal fees are charged to the payment method on file for the account at the time of renewal.',
  'If the payment fails we will try again during the grace period and notify the account contact.',
  'After the grace period the registration enters the redemption period, where restore fees apply.',
  'You can turn automatic renewal on or off at any time in the control panel under Domain settings.',
  'Registration data is kept in line with the registry agreement and the applicable privacy laws.',
  'Our support team is available around the clock by chat and by telephone for account holders.',
  'Please keep your contact details current: notices about the registration are sent to them.',
  'This message was sent to you because you hold an account with us; it is not an advertisement.',
];

function fold(text: string, width = 76): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** `n` bytes (roughly, whole lines) of paragraphs; `wrap` turns a line into HTML or leaves it. */
function filler(bytes: number, wrap: (line: string) => string): string {
  const out: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    for (const line of fold(`${i + 1}. ${FILLER[i % FILLER.length]}`)) {
      const l = `${wrap(line)}\r\n`;
      out.push(l);
      size += l.length;
    }
  }
  return out.join('');
}

const base64Cache = new Map<number, string>();

/** `bytes` of base64 (random content), in 76-character lines; cached per size. */
function base64Block(bytes: number): string {
  let block = base64Cache.get(bytes);
  if (!block) {
    // 57 bytes make one 76-character line, 78 with its CRLF.
    const raw = randomBytes(Math.floor(bytes / 78) * 57).toString('base64');
    block = raw.replace(/.{1,76}/g, '$&\r\n');
    base64Cache.set(bytes, block);
  }
  return block;
}

function dkim(): string {
  const b = randomBytes(256).toString('base64');
  return [
    'DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=mail.gandi-bench.test;',
    '\ts=mta1; t=1795615212; h=from:to:subject:date:message-id:mime-version:content-type;',
    '\tbh=DEkCVi29Ec0I0mEUvkdolxmZpDLYOwLHCAsJbNDF9Q=;',
    ...b.match(/.{1,72}/g)!.map((l, i) => `\t${i === 0 ? 'b=' : ''}${l}`),
  ].join('\r\n');
}

const DKIM = dkim();

export interface MessageInput {
  size: MessageSize;
  token: string;
  /** The tracked domain the message is about. */
  domain: string;
  /** Where it is sent (To header): Aster's shared mailbox. */
  to: string;
}

/** The message bytes, within about 1% of SIZE_BYTES[size]. */
export function registrarMessage(input: MessageInput): Buffer {
  const { domain, token } = input;
  const target = SIZE_BYTES[input.size];
  const date = new Date().toUTCString().replace('GMT', '+0000');
  const outer = `=_mixed_${token}`;
  const alt = `=_alt_${token}`;
  const headers = [
    `Return-Path: <bounce-${token}@mail.gandi-bench.test>`,
    `Received: from mail-out-3.gandi-bench.test (mail-out-3.gandi-bench.test [192.0.2.33])`,
    `\tby mx.notify.localhost with ESMTPS id ${token}`,
    `\tfor <${input.to}>; ${date}`,
    `Received: from app-7.internal.gandi-bench.test (app-7 [10.20.3.7])`,
    `\tby mail-out-3.gandi-bench.test (Postfix) with ESMTP id 4Xb2${token.replace(/\W/g, '')}`,
    `\tfor <${input.to}>; ${date}`,
    DKIM,
    `From: Gandi <noreply@gandi-bench.test>`,
    `To: ${input.to}`,
    `Reply-To: Gandi Support <support@gandi-bench.test>`,
    `Subject: Your domain ${domain} expires in 30 days (ref ${token})`,
    `Date: ${date}`,
    `Message-ID: <${token}.${randomBytes(6).toString('hex')}@mail.gandi-bench.test>`,
    `MIME-Version: 1.0`,
  ];
  const text = [
    `Hello,`,
    ``,
    `Your domain ${domain} will expire in 30 days. Automatic renewal is turned off`,
    `for this domain, so it will not renew on its own.`,
    ``,
    `Renew it now to keep the website and e-mail working:`,
    `https://admin.gandi-bench.test/domain/${domain}/renew`,
    ``,
    `If you no longer need ${domain}, you do not need to do anything.`,
    ``,
    `Kind regards,`,
    `The Gandi team`,
    ``,
  ].join('\r\n');
  const html = [
    `<html><body style="font-family:Arial,sans-serif;color:#2c2c2c">`,
    `<p>Hello,</p>`,
    `<p>Your domain <strong>${domain}</strong> will expire in 30 days. Automatic`,
    `renewal is turned off for this domain, so it will not renew on its own.</p>`,
    `<p><a href="https://admin.gandi-bench.test/domain/${domain}/renew">Renew now</a></p>`,
    `<p>Kind regards,<br>The Gandi team</p>`,
    ``,
  ].join('\r\n');
  const attachment =
    input.size === '4k'
      ? null
      : input.size === '50k'
        ? { type: 'application/pdf', name: `invoice-${token}.pdf`, bytes: 30 * 1024 }
        : { type: 'application/zip', name: 'portfolio-export.zip', bytes: target - 8 * 1024 };
  const build = (pad: number): string => {
    const parts = [
      `--${alt}\r\nContent-Type: text/plain; charset="utf-8"\r\nContent-Transfer-Encoding: 7bit\r\n\r\n${text}\r\n`,
      `--${alt}\r\nContent-Type: text/html; charset="utf-8"\r\nContent-Transfer-Encoding: 7bit\r\n\r\n${html}${filler(pad, (l) => `<p style="font-size:11px;color:#777">${l}</p>`)}</body></html>\r\n`,
      `--${alt}--\r\n`,
    ].join('');
    if (!attachment) {
      return `${headers.join('\r\n')}\r\nContent-Type: multipart/alternative; boundary="${alt}"\r\n\r\n${parts}`;
    }
    return [
      `${headers.join('\r\n')}\r\nContent-Type: multipart/mixed; boundary="${outer}"\r\n\r\n`,
      `--${outer}\r\nContent-Type: multipart/alternative; boundary="${alt}"\r\n\r\n${parts}`,
      `--${outer}\r\nContent-Type: ${attachment.type}; name="${attachment.name}"\r\nContent-Disposition: attachment; filename="${attachment.name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n`,
      base64Block(attachment.bytes),
      `--${outer}--\r\n`,
    ].join('');
  };
  const bare = build(0).length;
  return Buffer.from(build(Math.max(0, target - bare - 200)), 'latin1');
}
