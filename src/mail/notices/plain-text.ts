// The plain-text part of the letters: paragraphs wrapped at 72 columns (RFC 3676's advice for
// mail read in a terminal or a phone), lists with hanging indents, links written out whole.

export const TEXT_WIDTH = 72;

/**
 * Wraps one paragraph at `width` columns, at spaces only: a word longer than the line (a long
 * link) stands on a line of its own rather than being broken, so it stays clickable.
 * `indent` starts every line, `firstIndent` (default `indent`) the first one.
 */
export function wrap(paragraph: string, width = TEXT_WIDTH, indent = '', firstIndent = indent): string {
  const words = paragraph.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = firstIndent;
  let empty = true;
  for (const word of words) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else {
      line += (empty ? '' : ' ') + word;
    }
    empty = false;
  }
  lines.push(line);
  return lines.map((l) => l.trimEnd()).join('\n');
}

/** A numbered (`1.`) or bulleted (`-`) list, each item wrapped with a hanging indent. */
export function list(items: readonly string[], style: 'numbered' | 'bulleted'): string {
  return items
    .map((item, i) => {
      const marker = style === 'numbered' ? `${i + 1}. ` : '- ';
      return wrap(item, TEXT_WIDTH, ' '.repeat(2 + marker.length), `  ${marker}`);
    })
    .join('\n');
}

/** A heading underlined with `-` (or `=` for the title), as plain-text mail has always done. */
export function heading(text: string, level: 1 | 2 = 2): string {
  const underline = (level === 1 ? '=' : '-').repeat(Math.min(text.length, TEXT_WIDTH));
  return `${text}\n${underline}`;
}

/** `label: value` lines with the values aligned, each value wrapped under itself. */
export function fields(rows: readonly [string, string][], indent = '  '): string {
  if (rows.length === 0) return '';
  const labelWidth = Math.max(...rows.map(([label]) => label.length)) + 2;
  return rows
    .map(([label, value]) => {
      const head = `${indent}${`${label}:`.padEnd(labelWidth)}`;
      return wrap(value, TEXT_WIDTH, ' '.repeat(head.length), head);
    })
    .join('\n');
}
