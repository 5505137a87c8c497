// HTML from elsewhere (an imported post, a mail) as the Markdown our editor writes and our
// renderer reads. It imports nothing of ours, like markdown.ts beside it.
import TurndownService from 'turndown';

/**
 * A turndown converter in the editor's Markdown style, to which a caller adds its own rules.
 * Text that decoded from "&lt;div&gt;" stays text: "\<" is Markdown for a literal "<" (turndown
 * leaves it bare, and the renderer's sanitizer then deleted it as a tag), and "\&" keeps
 * "&amp;lt;" from turning into "<" when the Markdown is rendered.
 */
export function markdownConverter(): TurndownService {
  const turndown = new TurndownService({
    headingStyle: 'atx',
    codeBlockStyle: 'fenced',
    fence: '```',
    bulletListMarker: '-',
    emDelimiter: '*',
    strongDelimiter: '**',
    hr: '---',
  });
  const escapeMarkdown = turndown.escape.bind(turndown);
  turndown.escape = (text) =>
    escapeMarkdown(text)
      .replace(/</g, '\\<')
      .replace(/&(?=#?\w+;)/g, '\\&');
  // <strike>, <s> and <del>: Markdown (GFM) writes all three as ~~.
  turndown.addRule('strikethrough', {
    filter: (node) => ['DEL', 'S', 'STRIKE'].includes(node.nodeName),
    replacement: (content) => `~~${content}~~`,
  });
  return turndown;
}
