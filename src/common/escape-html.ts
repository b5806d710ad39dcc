// Text as HTML text or attribute value (double- or single-quoted): the one escaper for the letters
// (mail/notices/html.ts builds its safe-by-default template on it), the staff alert and the pages.
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}
