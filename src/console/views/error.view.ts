// An error as a page (the API answers JSON; a person in a browser gets words and a way on).
import { html } from '../../mail/notices/html';
import { page, type Chrome } from './layout';

const TITLES: Record<number, string> = { 400: 'That did not work', 403: 'Not allowed', 404: 'Not found', 409: 'Not possible now', 429: 'Too many attempts' };

export function errorPage(chrome: Omit<Chrome, 'title'>, status: number, message: string): string {
  const title = TITLES[status] ?? 'Something went wrong';
  return page(
    { ...chrome, title },
    html`<h1>${title}</h1>
<div class="notice error" role="alert"><p>${message}</p></div>
<p><a href="/console">Back to the overview</a></p>`,
  );
}
