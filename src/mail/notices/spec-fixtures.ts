// Shared fixtures of the notices specs: settings, domains, registrar originals, and helpers that
// read a composed message the way a receiving system does (mailparser) and the way an attacker
// would look at it (the raw header block).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import type { NoticeDomain, NoticeSettings, OriginalMessage } from './compose';

export const SETTINGS: NoticeSettings = {
  noticeFrom: 'ArtSites notices <notices@notify.artsites.test>',
  staffEmail: 'support@artsites.test',
  publicUrl: 'https://domains.artsites.test',
  mailDomain: 'notify.artsites.test',
};

export const NO_STAFF: NoticeSettings = { ...SETTINGS, staffEmail: undefined };

export const LINDAPENCE: NoticeDomain = {
  name: 'lindapence.com',
  unicodeName: 'lindapence.com',
  registrar: 'Gandi SAS',
  registeredAt: new Date('2016-03-03T00:00:00Z'),
  expiresAt: new Date('2027-03-03T00:00:00Z'),
  guidanceUrl: 'https://domains.artsites.test/guide/domain/7f3a9c01',
};

export const LINDAPENCE_DE: NoticeDomain = {
  name: 'xn--lindapenc-j4a.de',
  unicodeName: 'lindapencé.de',
  registrar: null,
  registeredAt: null,
  expiresAt: null,
  guidanceUrl: 'https://domains.artsites.test/guide/domain/2b8e44d0',
};

/** A registrar message in ISO-8859-1 with 8-bit bytes, a lone `.` line, a line of 1,200 octets and a bare LF. */
export function latin1Original(): Buffer {
  const head = [
    'Return-Path: <bounce@ovh.test>',
    'From: OVHcloud <noreply@ovh.test>',
    'To: domains@notify.artsites.test',
    'Subject: =?ISO-8859-1?Q?Transfert_sortant_du_domaine_lindapence.com?=',
    'Date: Tue, 17 Nov 2026 10:14:01 +0100',
    'Message-ID: <transfert-4471@ovh.test>',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=ISO-8859-1',
    'Content-Transfer-Encoding: 8bit',
    '',
    '',
  ].join('\r\n');
  return Buffer.concat([
    Buffer.from(head, 'ascii'),
    Buffer.from('Bonjour,\r\n\r\nUne demande de transfert a \xe9t\xe9 re\xe7ue pour lindapence.com.\r\n', 'latin1'),
    Buffer.from('.\r\n', 'ascii'),
    Buffer.from(`${'x'.repeat(1200)}\r\n`, 'ascii'),
    Buffer.from('Ligne termin\xe9e par LF seul\n', 'latin1'),
    Buffer.from('Cordialement,\r\nOVHcloud \xa9 2026\r\n', 'latin1'),
  ]);
}

export function latin1OriginalMessage(): OriginalMessage {
  return {
    raw: latin1Original(),
    subject: 'Transfert sortant du domaine lindapence.com',
    from: 'OVHcloud <noreply@ovh.test>',
    messageId: '<transfert-4471@ovh.test>',
    date: new Date('2026-11-17T09:14:01Z'),
    text:
      'Bonjour,\n\nUne demande de transfert a été reçue pour lindapence.com.\n.\n' +
      'x'.repeat(1200) +
      '\nLigne terminée par LF seul\nCordialement,\nOVHcloud © 2026\n',
  };
}

/** The Gandi transfer request of the intake corpus: plain 7-bit, CRLF. */
export async function gandiOriginalMessage(): Promise<OriginalMessage> {
  const raw = readFileSync(join(__dirname, '../../../test/fixtures/mail/01-gandi-transfer-request.eml'));
  const parsed = await simpleParser(raw);
  return {
    raw,
    subject: parsed.subject ?? '',
    from: parsed.from?.text ?? null,
    messageId: parsed.messageId ?? null,
    date: parsed.date ?? null,
    text: parsed.text ?? '',
  };
}

export const parse = (message: Buffer): Promise<ParsedMail> => simpleParser(message);

/** The top-level header block as raw lines (folded continuations joined), exactly as sent. */
export function headerLines(message: Buffer): string[] {
  const text = message.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  return text
    .slice(0, end)
    .split('\r\n')
    .reduce<string[]>((lines, line) => {
      if (/^[ \t]/.test(line) && lines.length) lines[lines.length - 1] += line;
      else lines.push(line);
      return lines;
    }, []);
}

export function headerNames(message: Buffer): string[] {
  return headerLines(message).map((line) => line.slice(0, line.indexOf(':')).toLowerCase());
}

export function addresses(field: AddressObject | AddressObject[] | undefined): { name: string; address: string }[] {
  return [field ?? []].flat().flatMap((a) => a.value.map((v) => ({ name: v.name, address: v.address ?? '' })));
}

/** Whitespace collapsed: wrapped plain text compared with the sentence it wraps. */
export const flat = (text: string | false | undefined): string => (text || '').replace(/\s+/g, ' ');

export const htmlOf = (mail: ParsedMail): string => (typeof mail.html === 'string' ? mail.html : '');

/** The visible text of an HTML part (tags dropped, entities kept), whitespace collapsed. */
export const visible = (html: string): string => flat(html.replace(/<[^>]*>/g, ''));

/**
 * `expect(presence(haystack, needle)).toEqual({ needle, present: true })` (or false): a failure
 * names the sentence, rather than printing a whole letter.
 */
export const presence = (haystack: string, needle: string): { needle: string; present: boolean } => ({
  needle,
  present: haystack.includes(needle),
});
