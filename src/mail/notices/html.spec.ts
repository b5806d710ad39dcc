import { escapeHtml, html, link, SafeHtml } from './html';

describe('escapeHtml', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['"quoted" & \'single\'', '&quot;quoted&quot; &amp; &#39;single&#39;'],
    ['&amp; stays text', '&amp;amp; stays text'],
    ['plain text', 'plain text'],
  ])('%j → %j', (text, expected) => {
    expect(escapeHtml(text)).toBe(expected);
  });
});

describe('html`…`', () => {
  it('escapes every value by default, in text and in attributes', () => {
    const name = '<img src=x onerror=alert(1)>';
    const url = '" onclick="alert(1)';
    expect(html`<p title="${url}">${name}</p>`.value).toBe('<p title="&quot; onclick=&quot;alert(1)">&lt;img src=x onerror=alert(1)&gt;</p>');
  });

  it('inserts fragments built by html as they are, arrays joined, and nothing for null, undefined and false', () => {
    const items = ['a<b', 'c'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}</ul>${null}${undefined}${false}${0}`.value).toBe('<ul><li>a&lt;b</li><li>c</li></ul>0');
  });

  it('does not take a look-alike object for a fragment', () => {
    const fake = { value: '<script>', toString: () => '<script>' } as unknown as SafeHtml;
    expect(html`${fake}`.value).toBe('&lt;script&gt;');
  });
});

describe('link', () => {
  it('writes an http(s) link out as its own text', () => {
    expect(link('https://domains.artsites.test/guide?a=1&b=2').value).toMatch(
      /^<a href="https:\/\/domains\.artsites\.test\/guide\?a=1&amp;b=2" [^>]*>https:\/\/domains\.artsites\.test\/guide\?a=1&amp;b=2<\/a>$/,
    );
  });

  it.each(['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', '//evil.test'])('shows %j as text, not a link', (url) => {
    const out = link(url).value;
    expect(out).not.toContain('<a');
    expect(out).toBe(escapeHtml(url));
  });
});
