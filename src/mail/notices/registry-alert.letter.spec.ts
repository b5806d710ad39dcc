import { simpleParser } from 'mailparser';
import { composeRegistryLetter, type WatchLetterEvent } from './registry-alert.letter';

const settings = {
  noticeFrom: 'Aster <notices@notify.artsites.test>',
  staffEmail: 'staff@artsites.test',
  publicUrl: 'https://domains.artsites.test',
  mailDomain: 'notify.artsites.test',
};
const domain = {
  name: 'lindapence.com',
  unicodeName: 'lindapence.com',
  registrar: 'Gandi SAS',
  registeredAt: null,
  expiresAt: new Date('2027-01-20T10:12:44Z'),
  guidanceUrl: 'https://domains.artsites.test/guide/domain/abc123',
};
const to = { name: 'Linda Pence', email: 'linda@lindapence.test' };
const letterId = '6f1c0d2e-0000-4000-8000-000000000001';

/** Plain text wraps at 72 columns: compare with runs of whitespace as one space. */
const flat = (text: string) => text.replace(/\s+/g, ' ');

async function read(events: WatchLetterEvent[], clientName: string | null = 'Linda Pence Art') {
  return simpleParser(await composeRegistryLetter(settings, { letterId, to, clientName, events }));
}

describe('composeRegistryLetter', () => {
  it('a reminder names the domain in the Subject, the date, who renews it, what to do and the guidance link, in both parts', async () => {
    const mail = await read([
      { kind: 'expiry_reminder', domain, before: null, after: { expiresAt: '2027-01-20T10:12:44.000Z', threshold: 60, daysLeft: 49 }, detail: null },
    ]);
    expect(mail.subject).toBe('[lindapence.com] Expires on 20 January 2027, in 49 days');
    for (const part of [flat(mail.text!), flat(mail.html as string)]) {
      expect(part).toContain('20 January 2027');
      expect(part).toContain('Gandi SAS');
      expect(part).toContain('https://domains.artsites.test/guide/domain/abc123');
      expect(part).toMatch(/tell us before that date/);
    }
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.messageId).toBe(`<${letterId}@notify.artsites.test>`);
  });

  it.each([
    [
      'registrar_changed',
      { registrarName: 'Gandi SAS', registrarIanaId: 81 },
      { registrarName: 'Slam Registrar LLC', registrarIanaId: 9999 },
      /Slam Registrar LLC \(IANA id 9999\)/,
    ],
    ['transfer_lock_removed', { statuses: ['clientTransferProhibited'] }, { statuses: ['ok'] }, /no longer shows a transfer lock/],
    ['pending_transfer', { statuses: [] }, { statuses: ['pendingTransfer'] }, /transfer of lindapence\.com to another registrar under way/],
    ['pending_delete', { statuses: [] }, { statuses: ['redemptionPeriod'] }, /redemptionPeriod/],
    [
      'nameservers_changed',
      { nameservers: ['ns1.gandi.net'] },
      { nameservers: ['ns1.evil.example'] },
      /ns1\.evil\.example; at our last check it was ns1\.gandi\.net/,
    ],
    ['expired', null, { expiresAt: '2026-11-29T00:00:00.000Z' }, /expired on 29 November 2026/],
  ])('an alarm (%s) is urgent, says what changed and what to do', async (kind, before, after, what) => {
    const mail = await read([{ kind, domain, before, after, detail: null }]);
    expect(mail.subject).toMatch(/^\[lindapence\.com\] URGENT: /);
    expect(flat(mail.text!)).toMatch(what);
    expect(mail.text).toContain('What to do');
    expect(mail.text).toContain(domain.guidanceUrl);
  });

  it("staff's digest of several reminders names each domain", async () => {
    const other = { ...domain, name: 'artsfund.org', unicodeName: 'artsfund.org', registrar: null };
    const mail = await read(
      [
        { kind: 'expiry_reminder', domain, before: null, after: { expiresAt: '2027-01-20T10:12:44.000Z', threshold: 60, daysLeft: 49 }, detail: null },
        { kind: 'expiry_reminder', domain: other, before: null, after: { expiresAt: '2026-12-09T00:00:00.000Z', threshold: 7, daysLeft: 7 }, detail: null },
      ],
      null,
    );
    expect(mail.subject).toBe('[Aster] 2 domain names expire soon');
    expect(flat(mail.text!)).toContain('lindapence.com expires on 20 January 2027');
    expect(flat(mail.text!)).toContain('artsfund.org expires on 9 December 2026');
    expect(mail.text).toContain('STAFF_EMAIL');
  });
});
