import type { DataSource } from 'typeorm';
import { parseConfig } from '../../config/config';
import { BounceAddresses } from '../delivery/bounce-addresses';
import { bounceDeliveryId, bounceTag, describeReport, readBounce, readBounceAddress, reportsFailure, signedBounceAddress, type BounceReport } from './bounce';

const ID = '3f2b8c1e-0d4a-4b6e-9a7c-5e1f2d3c4b5a';
const OTHER = '00000000-0000-4000-8000-000000000000';
const DOMAIN = 'notify.artsites.test';
const KEY = Buffer.alloc(32, 7);
const TAG = bounceTag(ID, KEY);
/** The Message-ID Aster gave the letter of delivery ID (notices/letter.ts noticeMessageId). */
const LETTER_ID = `<${ID}@${DOMAIN}>`;
/** The attacker's words: they must never reach a status, a reason or a staff alert. */
const LURE = 'Call +1-555-0100 to reactivate betagallery.com';

describe('bounce addresses', () => {
  const flipped = (TAG[0] === 'a' ? 'b' : 'a') + TAG.slice(1);
  it.each([
    ['signed', `bounces+${ID}.${TAG}@${DOMAIN}`, ID],
    ['signed, in capitals', `Bounces+${ID.toUpperCase()}.${TAG.toUpperCase()}@${DOMAIN.toUpperCase()}`, ID],
    ['missing tag (the old unsigned form)', `bounces+${ID}@${DOMAIN}`, undefined],
    ['empty tag', `bounces+${ID}.@${DOMAIN}`, undefined],
    ['wrong tag', `bounces+${ID}.${flipped}@${DOMAIN}`, undefined],
    ['truncated tag', `bounces+${ID}.${TAG.slice(0, 8)}@${DOMAIN}`, undefined],
    ['tag longer than ours', `bounces+${ID}.${TAG}00@${DOMAIN}`, undefined],
    ["another delivery's tag", `bounces+${ID}.${bounceTag(OTHER, KEY)}@${DOMAIN}`, undefined],
    ['a tag made with another key', `bounces+${ID}.${bounceTag(ID, Buffer.alloc(32, 8))}@${DOMAIN}`, undefined],
    ['signed, for another domain', `bounces+${ID}.${TAG}@evil.test`, undefined],
    ['not a uuid', `bounces+not-a-uuid.${TAG}@${DOMAIN}`, undefined],
    ['the shared mailbox', `domains@${DOMAIN}`, undefined],
  ])('%s: %s → %s', (_name, address, expected) => {
    expect(bounceDeliveryId(address, DOMAIN, KEY)).toBe(expected);
  });

  it('signs every delivery differently, and the signed address is what letters carry', () => {
    expect(signedBounceAddress(ID, DOMAIN, KEY)).toBe(`bounces+${ID}.${TAG}@${DOMAIN}`);
    expect(TAG).toMatch(/^[0-9a-f]{16}$/);
    expect(bounceTag(OTHER, KEY)).not.toBe(TAG);
    // The local part stays within RFC 5321's 64 octets.
    expect(signedBounceAddress(ID, DOMAIN, KEY).split('@')[0].length).toBeLessThanOrEqual(64);
  });

  it('still recognises an unsigned bounce address, as unsigned, so that routing can hold what came to it', () => {
    expect(readBounceAddress(`bounces+${ID}@${DOMAIN}`, DOMAIN, KEY)).toEqual({ deliveryId: ID, signed: false });
    expect(readBounceAddress(`domains@${DOMAIN}`, DOMAIN, KEY)).toBeUndefined();
  });
});

/** A DSN as Postfix writes it, with the parts and fields a case changes. */
function dsn(options: { contentType?: string; fields?: string; returned?: string[] | null; returnedType?: string } = {}): Buffer {
  const returned =
    options.returned === undefined
      ? ['From: Aster <notices@notify.artsites.test>', `Message-ID: ${LETTER_ID}`, 'Subject: [lindapence.com] Expiry reminder', '', 'Your domain expires soon.']
      : options.returned;
  return Buffer.from(
    [
      'From: MAILER-DAEMON@mx.pence-mail.test (Mail Delivery System)',
      `To: bounces+${ID}.${TAG}@${DOMAIN}`,
      'Subject: Undelivered Mail Returned to Sender',
      'MIME-Version: 1.0',
      `Content-Type: ${options.contentType ?? 'multipart/report; report-type=delivery-status;\r\n\tboundary="b1"'}`,
      '',
      '--b1',
      'Content-Description: Notification',
      'Content-Type: text/plain; charset=us-ascii',
      '',
      `This is the mail system at host mx.pence-mail.test. ${LURE}.`,
      '',
      '--b1',
      'Content-Description: Delivery report',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.pence-mail.test',
      'Arrival-Date: Tue, 24 Nov 2026 09:12:03 +0000',
      '',
      'Final-Recipient: rfc822; linda@pence-mail.test',
      'Original-Recipient: rfc822;linda@pence-mail.test',
      options.fields ?? `Action: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 <linda@pence-mail.test>:\r\n ${LURE}`,
      '',
      ...(returned === null
        ? []
        : ['--b1', 'Content-Description: Undelivered Message', `Content-Type: ${options.returnedType ?? 'message/rfc822'}`, '', ...returned, '']),
      '--b1--',
      '',
    ].join('\r\n'),
  );
}

describe('readBounce', () => {
  const plain = Buffer.from(
    [
      'From: postmaster@pence-mail.test',
      'Subject: your mail bounced',
      'Content-Type: text/plain',
      '',
      `Your message ${LETTER_ID} bounced.`,
      'Action: failed',
      'Status: 5.1.1',
      LURE,
      '',
    ].join('\r\n'),
  );
  const cases: [string, Buffer, BounceReport, boolean][] = [
    ['a real DSN returning the letter', dsn(), { dsn: true, action: 'failed', status: '5.1.1' }, true],
    [
      'a real DSN returning only the letter’s header (text/rfc822-headers)',
      dsn({ returnedType: 'text/rfc822-headers', returned: ['From: notices@notify.artsites.test', `Message-ID:\r\n ${LETTER_ID}`] }),
      { dsn: true, action: 'failed', status: '5.1.1' },
      true,
    ],
    [
      'a DSN given up after retries (Action failed, Status 4.4.7)',
      dsn({ fields: 'Action: failed\r\nStatus: 4.4.7' }),
      { dsn: true, action: 'failed', status: '4.4.7' },
      true,
    ],
    [
      'a DSN whose Status carries a comment',
      dsn({ fields: 'Action: Failed\r\nStatus: 5.2.2 (mailbox full)' }),
      { dsn: true, action: 'failed', status: '5.2.2' },
      true,
    ],
    [
      'a delayed DSN',
      dsn({ fields: 'Action: delayed\r\nStatus: 4.4.1\r\nWill-Retry-Until: Fri, 27 Nov 2026 09:12:03 +0000' }),
      { dsn: true, action: 'delayed', status: '4.4.1' },
      false,
    ],
    ['a DSN reporting delivery', dsn({ fields: 'Action: delivered\r\nStatus: 2.0.0' }), { dsn: true, action: 'delivered', status: '2.0.0' }, false],
    [
      'a DSN that does not quote the letter’s Message-ID',
      dsn({ returned: ['From: someone@elsewhere.test', `Message-ID: <${OTHER}@${DOMAIN}>`, '', `Quoting ${LETTER_ID} in the body proves nothing.`] }),
      { dsn: false, problem: 'other_message' },
      false,
    ],
    [
      'a DSN returning a message without a Message-ID',
      dsn({ returned: ['Subject: hello', '', `Message-ID: ${LETTER_ID}`] }),
      { dsn: false, problem: 'other_message' },
      false,
    ],
    ['a DSN without the returned message', dsn({ returned: null }), { dsn: false, problem: 'no_returned_message' }, false],
    ['a DSN without Action', dsn({ fields: 'Status: 5.1.1' }), { dsn: false, problem: 'no_recipient_status' }, false],
    ['a DSN with a made-up Action', dsn({ fields: 'Action: reactivate\r\nStatus: 5.1.1' }), { dsn: false, problem: 'no_recipient_status' }, false],
    ['a DSN with a malformed Status', dsn({ fields: 'Action: failed\r\nStatus: call us' }), { dsn: false, problem: 'no_recipient_status' }, false],
    ['plain text "your mail bounced"', plain, { dsn: false, problem: 'not_a_report' }, false],
    ['the same parts under multipart/mixed', dsn({ contentType: 'multipart/mixed; boundary="b1"' }), { dsn: false, problem: 'not_a_report' }, false],
    [
      'a read receipt (report-type=disposition-notification)',
      dsn({ contentType: 'multipart/report; report-type=disposition-notification; boundary="b1"' }),
      { dsn: false, problem: 'not_a_report' },
      false,
    ],
    [
      'a report whose delivery-status part is only inside the returned message',
      dsn({
        fields: '',
        returned: [
          `Message-ID: ${LETTER_ID}`,
          'Content-Type: multipart/mixed; boundary="in"',
          '',
          '--in',
          'Content-Type: message/delivery-status',
          '',
          'Final-Recipient: rfc822; x@y.test',
          'Action: failed',
          'Status: 5.1.1',
          '--in--',
        ],
      }),
      { dsn: false, problem: 'no_recipient_status' },
      false,
    ],
  ];

  it.each(cases)('%s', async (_name, raw, expected, fails) => {
    const report = await readBounce(raw, LETTER_ID);
    expect(report).toEqual(expected);
    expect(reportsFailure(report)).toBe(fails);
    // Only machine-readable fields are ever described: never the report's text.
    expect(describeReport(report)).not.toMatch(/555|reactivate|betagallery|mail system/i);
  });

  it('describes a failure by its Status code and Action alone', async () => {
    expect(describeReport(await readBounce(dsn(), LETTER_ID))).toBe('5.1.1 (Action: failed)');
  });
});

describe('a message to a bounce address (BounceAddresses: address check, then report)', () => {
  const config = parseConfig({ MAIL_DOMAIN: DOMAIN });
  const db = { query: async () => [{ value: KEY }] } as unknown as DataSource;
  const bounces = new BounceAddresses(db, config);
  const flipped = TAG.slice(0, -1) + (TAG.endsWith('0') ? '1' : '0');

  it.each([
    ['a real DSN to the signed address', `bounces+${ID}.${TAG}@${DOMAIN}`, dsn(), true, undefined],
    ['a DSN not quoting the Message-ID', `bounces+${ID}.${TAG}@${DOMAIN}`, dsn({ returned: [`Message-ID: <forged@${DOMAIN}>`, ''] }), false, 'other_message'],
    ['plain text "your mail bounced"', `bounces+${ID}.${TAG}@${DOMAIN}`, Buffer.from(`Subject: your mail bounced\r\n\r\n${LURE}\r\n`), false, 'not_a_report'],
    ['a delayed DSN', `bounces+${ID}.${TAG}@${DOMAIN}`, dsn({ fields: 'Action: delayed\r\nStatus: 4.4.1' }), false, undefined],
    ['a real DSN to a wrongly signed address', `bounces+${ID}.${flipped}@${DOMAIN}`, dsn(), false, 'unsigned_address'],
    ['a real DSN to the address without a tag', `bounces+${ID}@${DOMAIN}`, dsn(), false, 'unsigned_address'],
  ])('%s', async (_name, address, raw, fails, problem) => {
    const recipient = await bounces.find([`domains@${DOMAIN}`, address]);
    expect(recipient?.deliveryId).toBe(ID);
    const report = await bounces.report(recipient!, raw);
    expect(reportsFailure(report)).toBe(fails);
    expect(report.dsn ? undefined : report.problem).toBe(problem);
  });

  it('signs the envelope sender of a letter with the key from the database', async () => {
    expect(await bounces.address(ID)).toBe(`bounces+${ID}.${TAG}@${DOMAIN}`);
    expect(await bounces.find([`domains@${DOMAIN}`])).toBeUndefined();
  });
});
