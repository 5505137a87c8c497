import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { firstImageSrc } from '#lib/markdown';
import {
  clipText,
  extractMentions,
  headingsOf,
  markdownToText,
  renderMarkdown,
} from '~/utils/markdown.server';

// Scoped to tags: escaped text may legitimately read "onclick=" or "javascript:".
const DANGER = [/<script/i, /<iframe/i, /<[^>]*\son\w+\s*=/i, /<[^>]*javascript:/i];

function expectSafe(html: string) {
  for (const pattern of DANGER) expect(html).not.toMatch(pattern);
}

describe('renderMarkdown', () => {
  test('renders hostile HTML and links without scripts, handlers or javascript: links', () => {
    const { html } = renderMarkdown(
      [
        'Look <img src=x onerror=alert(1)> here',
        '',
        '<script>alert(1)</script>',
        '',
        '[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) [z](vbscript:msgbox(1))',
        '',
        '<a href="javascript:alert(1)" onclick="alert(1)">raw</a> <iframe src="https://e.vil">',
      ].join('\n'),
    );
    expect(html).not.toMatch(/<script|onerror|onclick|javascript:|vbscript:|<iframe/i);
    expectSafe(html);
    // The link text stays, only the link goes.
    expect(html).toContain('x y z');
  });

  test('reduces raw HTML to its text so authors cannot forge mentions or attributes', () => {
    const { html, mentions } = renderMarkdown(
      'A <b style="color:red">bold</b> <a class="mention" href="/users/admin">@admin</a> claim',
      { mentionable: new Set(['admin']) },
    );
    expect(html).toBe('<p>A bold @admin claim</p>\n');
    expect(mentions).toEqual([]);
  });

  test('links @mentions of existing users only, keeping the case as typed', () => {
    const { html, mentions } = renderMarkdown('Hi @Ada and @bob, cc @ADA.', {
      mentionable: new Set(['ada']),
    });
    expect(html).toBe(
      '<p>Hi <a href="/users/Ada" class="mention">@Ada</a> and @bob, ' +
        'cc <a href="/users/ADA" class="mention">@ADA</a>.</p>\n',
    );
    expect(mentions).toEqual(['ada']);
  });

  test('does not link mentions in code or inside other links', () => {
    const mentionable = new Set(['ada']);
    const { html, mentions } = renderMarkdown(
      '`@ada` and [ask @ada](https://example.com)\n\n```\n@ada\n```',
      { mentionable },
    );
    expect(html).not.toContain('class="mention"');
    expect(mentions).toEqual([]);
  });

  test('highlights fenced code with a known language on the server', () => {
    const { html } = renderMarkdown('```js\nconst a = "<b>";\n```');
    expect(html).toBe(
      '<pre><code class="hljs language-js"><span class="hljs-keyword">const</span> a = ' +
        '<span class="hljs-string">"&lt;b&gt;"</span>;</code></pre>\n',
    );
  });

  test('leaves code with an unknown or missing language as escaped plain text', () => {
    for (const fence of ['```', '```no-such-language', '```constructor']) {
      expect(renderMarkdown(`${fence}\nif (a < b) {}\n\`\`\``).html).toBe(
        '<pre><code>if (a &lt; b) {}</code></pre>\n',
      );
    }
  });

  test('marks external links nofollow ugc noopener and leaves site links alone', () => {
    const { html } = renderMarkdown(
      '[a](https://example.com "Ex") [b](/questions/1) [c](#answers) ' +
        '[d](mailto:x@example.com) https://auto.example [e](//evil.example) [f](/\\evil.example)',
    );
    expect(html).toContain(
      '<a href="https://example.com" title="Ex" rel="nofollow ugc noopener">a</a>',
    );
    expect(html).toContain('<a href="/questions/1">b</a>');
    expect(html).toContain('<a href="#answers">c</a>');
    expect(html).toContain('<a href="mailto:x@example.com" rel="nofollow ugc noopener">d</a>');
    expect(html).toContain(
      '<a href="https://auto.example" rel="nofollow ugc noopener">https://auto.example</a>',
    );
    // "//host" leaves the site: the link is dropped, its text kept. "/\\host" would too, were
    // the backslash not percent-encoded into a harmless local path.
    expect(html).toContain(' e <a href="/%5Cevil.example">f</a></p>');
  });

  test('removes data: and relative images and lazy-loads web images', () => {
    const { html } = renderMarkdown(
      '![a](data:image/png;base64,AAAA) ![b](/local.png) ![c](https://img.example/c.png "C")',
    );
    expect(html).not.toMatch(/data:|local\.png/);
    expect(html).toContain(
      '<img src="https://img.example/c.png" alt="c" title="C" loading="lazy" />',
    );
  });

  test('shifts h1 to h2, keeps h2 to h4 and caps deeper headings at h4', () => {
    const { html } = renderMarkdown('# One\n\n## Two\n\n### Three\n\n#### Four\n\n##### Five');
    expect(html.match(/<h\d/g)).toEqual(['<h2', '<h2', '<h3', '<h4', '<h4']);
    expect(html).not.toMatch(/<h1|<h5|<h6/);
  });

  test('keeps GFM tables, strikethrough, task lists and ordered list starts', () => {
    const { html } = renderMarkdown(
      '| a | b |\n|:-:|--:|\n| 1 | ~~2~~ |\n\n- [x] done\n- [ ] todo\n\n3. three',
    );
    expect(html).toContain('<th align="center">a</th>');
    expect(html).toContain('<td align="right"><del>2</del></td>');
    expect(html).toContain('<li><input type="checkbox" disabled checked /> done</li>');
    expect(html).toContain('<ol start="3">');
  });
});

describe('headingsOf', () => {
  test('reads back the unique slug ids renderMarkdown gives h2 and h3 headings', () => {
    const { html } = renderMarkdown(
      [
        '# Setup & Install',
        '## Setup & install',
        '### Crème brûlée',
        '## 日本語',
        '#### Not listed',
      ].join('\n\n'),
    );
    expect(html).toContain('<h2 id="setup-install">Setup &amp; Install</h2>');
    expect(headingsOf(html)).toEqual([
      { id: 'setup-install', text: 'Setup & Install', level: 2 },
      { id: 'setup-install-2', text: 'Setup & install', level: 2 },
      { id: 'creme-brulee', text: 'Crème brûlée', level: 3 },
      { id: 'section', text: '日本語', level: 2 },
    ]);
  });
});

describe('extractMentions', () => {
  test('finds @names in prose, lowercased, unique and in order', () => {
    expect(extractMentions('thanks @ada. and @Bob-, then @ADA again (@grace_h)')).toEqual([
      'ada',
      'bob',
      'grace_h',
    ]);
  });

  test('ignores code, emails, URLs and names of the wrong length', () => {
    const source = [
      'Inline `@ada` and mail a@b.com or ada@example.com, see https://x.example/@ada',
      '@ab is too short, @' + 'a'.repeat(31) + ' too long, @.dot does not start a name',
      '```',
      '@grace',
      '```',
      '    @indented',
    ].join('\n');
    expect(extractMentions(source)).toEqual([]);
  });
});

describe('markdownToText', () => {
  test('strips markup and collapses whitespace', () => {
    expect(markdownToText('# Title\n\nSome **bold** `code` & [a link](https://x.example).')).toBe(
      'Title Some bold code & a link.',
    );
  });

  test('cuts at a word boundary with an ellipsis within maxLength', () => {
    const text = markdownToText('The quick brown fox jumps over the lazy dog', 20);
    expect(text).toBe('The quick brown fox…');
    expect(text.length).toBeLessThanOrEqual(20);
    expect(markdownToText('Short, sweet', 20)).toBe('Short, sweet');
    expect(markdownToText('one, two, three', 10)).toBe('one, two…');
    expect(markdownToText('a'.repeat(30), 10)).toBe(`${'a'.repeat(9)}…`);
  });
});

describe('clipText', () => {
  test('keeps plain text as it is (no tags stripped) and cuts it like an excerpt', () => {
    expect(clipText('  Fees <b>and</b>\n\n refunds  ', 40)).toBe('Fees <b>and</b> refunds');
    expect(clipText('The quick brown fox jumps over the lazy dog', 20)).toBe(
      'The quick brown fox…',
    );
  });
});

describe('firstImageSrc', () => {
  test('finds the first image of rendered content, its address decoded', () => {
    const { html } = renderMarkdown(
      'Text first.\n\n![One](https://img.example/a.png?w=1&h=2) and ![Two](https://img.example/b.png)',
    );
    expect(firstImageSrc(html)).toBe('https://img.example/a.png?w=1&h=2');
    expect(firstImageSrc(renderMarkdown('![Shot](/uploads/AAAAAAAAAAAAAAAA/shot.png)').html)).toBe(
      '/uploads/AAAAAAAAAAAAAAAA/shot.png',
    );
  });

  test('finds none in text, in code or where the sanitizer dropped the image', () => {
    expect(firstImageSrc(renderMarkdown('No pictures here.').html)).toBeNull();
    expect(firstImageSrc(renderMarkdown('`<img src="https://x.example/a.png">`').html)).toBeNull();
    expect(firstImageSrc(renderMarkdown('![bad](javascript:alert(1))').html)).toBeNull();
  });
});

const blnsPath = path.resolve(import.meta.dirname, '../../../shared/data/naughty/blns.json');

describe.skipIf(!fs.existsSync(blnsPath))('naughty strings', () => {
  test('never throw and never produce executable HTML', () => {
    const strings: unknown = JSON.parse(fs.readFileSync(blnsPath, 'utf8'));
    expect(Array.isArray(strings)).toBe(true);
    const sources = (Array.isArray(strings) ? strings : []).filter(
      (item): item is string => typeof item === 'string',
    );
    expect(sources.length).toBeGreaterThan(100);
    const mentionable = new Set(['ada']);
    for (const source of sources) {
      const { html } = renderMarkdown(`${source} @ada\n\n# ${source}`, { mentionable });
      expectSafe(html);
      expectSafe(renderMarkdown(source).html);
      expect(markdownToText(source, 40).length).toBeLessThanOrEqual(40);
      expect(Array.isArray(extractMentions(source))).toBe(true);
      expect(Array.isArray(headingsOf(source))).toBe(true);
      expect(Array.isArray(headingsOf(html))).toBe(true);
    }
  });
});

describe('uploaded images', () => {
  const id = 'Ab3_-xYz0123456q';
  const url = `/uploads/${id}/error-dialog.png`;
  const uploads = new Map([[id, { width: 1200, height: 675, display: true }]]);

  test('show the display version at its size and link to the original', () => {
    const { html } = renderMarkdown(`![error dialog.png](${url})`, { uploads });
    expect(html).toBe(
      `<p><a href="${url}"><img src="${url}?size=display" alt="error dialog.png" width="1200" height="675" loading="lazy" /></a></p>\n`,
    );
  });

  test('an upload the renderer was not told about is shown without a size', () => {
    const { html } = renderMarkdown(`![shot](${url})`);
    expect(html).toBe(
      `<p><a href="${url}"><img src="${url}" alt="shot" loading="lazy" /></a></p>\n`,
    );
  });

  test('inside a link, an uploaded image gets no second link', () => {
    const { html } = renderMarkdown(`[![shot](${url})](https://example.com/help)`, { uploads });
    expect(html).toBe(
      `<p><a href="https://example.com/help" rel="nofollow ugc noopener"><img src="${url}?size=display" alt="shot" width="1200" height="675" loading="lazy" /></a></p>\n`,
    );
  });

  test('only upload addresses become local images, and an author cannot size or forge one', () => {
    for (const source of [
      '![x](/admin/users.png)',
      '![x](/uploads/short/x.png)',
      `![x](/uploads/${id}/../../admin)`,
      `![x](//evil.example/uploads/${id}/x.png)`,
      '![x](javascript:alert(1))',
    ])
      expect(renderMarkdown(source, { uploads }).html).not.toContain('<img');
    const forged = renderMarkdown(`<img src="${url}" width="5000" onerror="alert(1)">`, {
      uploads,
    });
    expect(forged.html).not.toContain('<img');
    expectSafe(forged.html);
    const titled = renderMarkdown(`![a"b](${url} "say \\"hi\\" <script>")`, { uploads }).html;
    expectSafe(titled);
    expect(titled).toContain('width="1200"');
  });
});
