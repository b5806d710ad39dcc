import { noticeMessageId, oneLine, originalTransferEncoding } from './letter';

describe('noticeMessageId', () => {
  it('is <id@mailDomain>, the same every time', () => {
    expect(noticeMessageId('5b0c7a52-3f0e-4d8e-9d1a-2f6f1f0c9e11', 'notify.artsites.test')).toBe('<5b0c7a52-3f0e-4d8e-9d1a-2f6f1f0c9e11@notify.artsites.test>');
    expect(noticeMessageId('a', 'b.test')).toBe(noticeMessageId('a', 'b.test'));
  });
});

describe('originalTransferEncoding', () => {
  it.each([
    ['ASCII with CRLF lines', Buffer.from('Subject: x\r\n\r\nHello\r\n.\r\n'), '7bit'],
    ['ASCII without a final line break', Buffer.from('Subject: x\r\n\r\nHello'), '7bit'],
    ['a line of exactly 998 octets', Buffer.from(`Subject: x\r\n\r\n${'a'.repeat(998)}\r\n`), '7bit'],
    ['a line of 999 octets', Buffer.from(`Subject: x\r\n\r\n${'a'.repeat(999)}\r\n`), 'base64'],
    ['an 8-bit byte (Latin-1 é)', Buffer.from('Subject: x\r\n\r\nd\xe9c.\r\n', 'latin1'), 'base64'],
    ['a bare LF', Buffer.from('Subject: x\n\nHello\n'), 'base64'],
    ['a bare CR', Buffer.from('Subject: x\r\n\r\nHel\rlo\r\n'), 'base64'],
    ['a NUL byte', Buffer.from('Subject: x\r\n\r\nHel\x00lo\r\n'), 'base64'],
  ])('%s → %s', (_case, raw, expected) => {
    expect(originalTransferEncoding(raw)).toBe(expected);
  });
});

describe('oneLine', () => {
  it('makes any run of whitespace, CR and LF included, one space', () => {
    expect(oneLine('  Evil\r\nBcc: victim@x.test\t\n ')).toBe('Evil Bcc: victim@x.test');
  });
});
