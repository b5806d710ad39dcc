// HTML for the letters, safe by default: the `html` template escapes every value it is given
// unless that value is itself `html` (a fragment built the same way), so markup can only come
// from the templates in this folder, never from a client name, a subject or a registrar's text.
import { escapeHtml } from '../../common/escape-html';

/** A fragment of HTML that was built by `html` (and is therefore safe to insert as is). */
export class SafeHtml {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

export { escapeHtml };

type Value = SafeHtml | string | number | null | undefined | false | readonly Value[];

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/**
 * Tagged template: `html\`<p>${name}</p>\`` escapes `name`; nested `html` fragments and arrays of
 * them are inserted as they are; null, undefined and false insert nothing.
 */
export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  let out = strings[0];
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1];
  });
  return new SafeHtml(out);
}

/**
 * A link whose text is the address itself, so a reader sees where it goes before following it
 * (the advice in every notice is to be wary of links). Anything but http(s) is shown as text.
 */
export function link(url: string): SafeHtml {
  if (!/^https?:\/\//i.test(url)) return html`${url}`;
  return html`<a href="${url}" style="color:#1d4ed8;text-decoration:underline;overflow-wrap:anywhere;word-break:break-word;">${url}</a>`;
}
