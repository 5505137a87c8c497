import { markdownConverter } from '#lib/html-to-markdown';

const turndown = markdownConverter();

// Stack Exchange marks a block's language on the <pre> ("lang-haskell prettyprint-override"),
// not on the <code> inside it as turndown expects.
turndown.addRule('stackExchangeCodeBlock', {
  filter: (node) => node.nodeName === 'PRE' && node.firstChild?.nodeName === 'CODE',
  replacement: (_content, node) => {
    const element = node as HTMLElement;
    const language =
      /(?:^|\s)lang-([\w+#-]+)/.exec(element.getAttribute('class') ?? '')?.[1] ??
      /language-(\S+)/.exec((element.firstChild as HTMLElement).getAttribute('class') ?? '')?.[1] ??
      '';
    const code = element.firstChild?.textContent ?? '';
    let fence = '```';
    while (code.includes(fence)) fence += '`';
    return `\n\n${fence}${language === 'none' || language === 'default' ? '' : language}\n${code.replace(/\n$/, '')}\n${fence}\n\n`;
  },
});

// <kbd>, <sup> and <sub> have no Markdown: keep their text.
turndown.addRule('plainInline', {
  filter: ['kbd', 'sup', 'sub', 'span'],
  replacement: (content) => content,
});

// Never part of a post's text.
turndown.remove(['script', 'style', 'noscript']);

/** A Stack Exchange post body (HTML) as Markdown, for our editor and renderer. */
export function htmlToMarkdown(html: string): string {
  return turndown.turndown(html).trim();
}
