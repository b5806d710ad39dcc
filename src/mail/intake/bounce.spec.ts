import { bounceDeliveryId, readBounce } from './bounce';

const ID = '3f2b8c1e-0d4a-4b6e-9a7c-5e1f2d3c4b5a';

describe('bounceDeliveryId', () => {
  it.each([
    [`bounces+${ID}@notify.artsites.test`, ID],
    [`Bounces+${ID.toUpperCase()}@notify.artsites.test`, ID],
    [`bounces+${ID}@evil.test`, undefined],
    ['bounces+not-a-uuid@notify.artsites.test', undefined],
    ['domains@notify.artsites.test', undefined],
  ])('%s → %s', (address, expected) => {
    expect(bounceDeliveryId(address, 'notify.artsites.test')).toBe(expected);
  });
});

describe('readBounce', () => {
  const dsn = (fields: string) =>
    Buffer.from(
      [
        'From: MAILER-DAEMON@mx.pence-mail.test',
        'Subject: Undelivered Mail Returned to Sender',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
        '',
        '--b',
        'Content-Type: text/plain',
        '',
        'This is the mail system at host mx.pence-mail.test.',
        '--b',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.pence-mail.test',
        '',
        'Final-Recipient: rfc822; linda@pence-mail.test',
        fields,
        '--b--',
        '',
      ].join('\r\n'),
    );

  it.each([
    ['Action: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 <linda@pence-mail.test>:\r\n Recipient address rejected', true, /^5\.1\.1 action failed \(smtp; 550 5\.1\.1 .*rejected\)$/],
    ['Action: delayed\r\nStatus: 4.4.1', false, /^4\.4\.1 action delayed$/],
    ['Action: delivered\r\nStatus: 2.0.0', false, /^2\.0\.0 action delivered$/],
    ['Status: 5.2.2', true, /^5\.2\.2$/],
  ])('%j → failed %s', (fields, failed, status) => {
    const report = readBounce(dsn(fields));
    expect(report.failed).toBe(failed);
    expect(report.status).toMatch(status);
  });
});
