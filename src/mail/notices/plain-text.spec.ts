import { fields, heading, list, wrap } from './plain-text';

describe('wrap', () => {
  it('wraps at 72 columns, at spaces', () => {
    const text = 'word '.repeat(40).trim();
    const lines = wrap(text).split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(72);
    expect(lines.join(' ')).toBe(text);
  });

  it('never breaks a long link: it stands on a line of its own', () => {
    const url = `https://domains.artsites.test/guide/domain/${'a'.repeat(80)}`;
    expect(wrap(`See ${url} for more.`)).toBe(`See\n${url}\nfor more.`);
  });

  it('indents continuation lines', () => {
    expect(wrap('one two three four', 10, '   ', '1. ')).toBe('1. one two\n   three\n   four');
  });
});

describe('list, heading, fields', () => {
  it('numbers items with hanging indents', () => {
    const long = 'If you did not ask for this transfer, do not approve it, and reply to this e-mail today.';
    expect(list(['Short.', long], 'numbered')).toBe(
      '  1. Short.\n  2. If you did not ask for this transfer, do not approve it, and reply\n     to this e-mail today.',
    );
  });

  it('bullets items', () => {
    expect(list(['a', 'b'], 'bulleted')).toBe('  - a\n  - b');
  });

  it('underlines headings', () => {
    expect(heading('Your domain')).toBe('Your domain\n-----------');
    expect(heading('Title', 1)).toBe('Title\n=====');
  });

  it('aligns label: value lines', () => {
    expect(
      fields([
        ['Registrar', 'Gandi SAS'],
        ['Expires', '3 March 2027'],
      ]),
    ).toBe('  Registrar: Gandi SAS\n  Expires:   3 March 2027');
    expect(fields([])).toBe('');
  });
});
