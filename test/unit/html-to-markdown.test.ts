import { describe, expect, test } from 'vitest';
import { renderMarkdown } from '~/utils/markdown.server';
import { htmlToMarkdown } from '../../import/stackexchange/html-to-markdown';

const shown = (html: string) => renderMarkdown(htmlToMarkdown(html)).html;

describe('an imported post converted to Markdown', () => {
  test('keeps tags it talks about as text instead of losing them', () => {
    const html = shown('<p>Wrap it in a &lt;div&gt; element, not &lt;span class="x"&gt;.</p>');
    expect(html).toContain('Wrap it in a &lt;div&gt; element, not &lt;span class="x"&gt;.');
  });

  test('keeps an escaped entity as it was written', () => {
    expect(shown('<p>Write &amp;lt; for a less-than sign.</p>')).toContain(
      'Write &amp;lt; for a less-than sign.',
    );
  });

  test('shows a script it quotes as text, and runs none', () => {
    const html = shown('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script');
  });

  test('leaves code as it is, and still writes strikethrough', () => {
    expect(htmlToMarkdown('<pre><code>&lt;div&gt;a &amp; b&lt;/div&gt;</code></pre>')).toBe(
      '```\n<div>a & b</div>\n```',
    );
    expect(htmlToMarkdown('<p><strike>old</strike> new</p>')).toBe('~~old~~ new');
  });
});
