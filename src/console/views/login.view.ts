// The sign-in page: one field, the API token; a wrong token comes back here with the error.
import { html } from '../../mail/notices/html';
import { csrfField, errorNotice, page } from './layout';

export function loginPage(csrf: string, error?: string): string {
  return page(
    { title: 'Sign in' },
    html`<div class="login">
  <h1>Sign in to the Aster console</h1>
  ${errorNotice(error)}
  <form method="post" action="/console/login">
    ${csrfField(csrf)}
    <div class="field">
      <label for="token">API token</label>
      <input id="token" name="token" type="password" autocomplete="current-password" required aria-describedby="token-hint"${error ? html` aria-invalid="true"` : ''}>
      <p class="hint" id="token-hint">The token an administrator made for you (POST /api/tokens). It is checked once and never stored in the browser; the session ends after 30 minutes without use.</p>
    </div>
    <button type="submit">Sign in</button>
  </form>
</div>`,
  );
}
