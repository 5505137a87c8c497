import { markdownConverter } from '#lib/html-to-markdown';

// The mail's HTML comes from anyone. Turndown only ever writes Markdown syntax for the elements
// it knows and the text of the rest; the converter escapes text that reads as markup again.
const turndown = markdownConverter();

// Never part of what a person wrote: code, styling, the document's head, embedded content, forms.
const removed = new Set(
  // prettier-ignore
  [
    'script', 'style', 'noscript', 'template', 'head', 'title', 'meta', 'link', 'base', 'iframe',
    'frame', 'object', 'embed', 'applet', 'svg', 'math', 'audio', 'video', 'canvas', 'form',
    'input', 'button', 'select', 'textarea',
  ],
);
turndown.remove((node) => removed.has(node.nodeName.toLowerCase()));

// Images in mail are logos, tracking pixels, or inline pictures that also arrive as attachments
// (their cid: or data: addresses mean nothing on a page): only what the image says is kept.
turndown.addRule('imageAsText', {
  filter: 'img',
  replacement: (_content, node) => {
    const alt = (node as HTMLElement).getAttribute('alt')?.replace(/\s+/g, ' ').trim() ?? '';
    return alt ? turndown.escape(alt) : '';
  },
});

// A link keeps its address only when a page could follow it; javascript:, data:, cid: and
// relative links leave just their text.
turndown.addRule('webLinksOnly', {
  filter: (node) => node.nodeName === 'A' && !/^(?:https?:|mailto:)/i.test(href(node)),
  replacement: (content) => content,
});

function href(node: HTMLElement): string {
  return node.getAttribute('href')?.trim() ?? '';
}

// Converting takes about a second per megabyte of HTML, and a person's message is far shorter.
const longestHtml = 1_000_000;

/** A mail's HTML body as Markdown with no HTML left in it (text that looks like HTML is escaped). */
export function mailHtmlToMarkdown(html: string): string {
  // Pasted pictures arrive as data: URIs of any size; images are dropped anyway (see above).
  const source = html.replace(/\bdata:[^"'\s>]{200,}/gi, 'data:').slice(0, longestHtml);
  return (
    turndown
      .turndown(source)
      // Mail HTML spaces paragraphs with <div><br></div>: lines of nothing but a line break.
      .replace(/^[ \t]+$/gm, '')
      // A line break before a blank line or the end breaks nothing.
      .replace(/ {2}\n(?=\n|$)/g, '\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim()
  );
}
