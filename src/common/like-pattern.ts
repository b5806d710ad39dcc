/** A "contains" pattern for LIKE/ILIKE built from user input: `%`, `_` and `\` match themselves. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}
