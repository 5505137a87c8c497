import { slugify } from '~/utils/slug';
import {
  htmlToText,
  renderSafeHtml,
  type RenderedMarkdown,
  type RenderOptions,
} from '#lib/markdown';

export { clipText, extractMentions, markdownToText, type RenderedMarkdown } from '#lib/markdown';
export type Heading = { id: string; text: string; level: 2 | 3 };

function addHeadingIds(html: string): string {
  const used = new Set<string>();
  // Sanitized headings carry no attributes, so "<h2>" is exact.
  return html.replace(/<h([2-4])>([\s\S]*?)<\/h\1>/g, (_, level: string, inner: string) => {
    const base = slugify(htmlToText(inner)) || 'section';
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    return `<h${level} id="${id}">${inner}</h${level}>`;
  });
}

/**
 * Markdown -> sanitized HTML with heading ids for links into the page; only @mentions of
 * `mentionable` (lowercased) names become links.
 */
export function renderMarkdown(source: string, options: RenderOptions = {}): RenderedMarkdown {
  const { html, mentions } = renderSafeHtml(source, options);
  return { html: addHeadingIds(html), mentions };
}

/** The h2/h3 headings of html from renderMarkdown, for a table of contents. */
export function headingsOf(html: string): Heading[] {
  return Array.from(
    html.matchAll(/<h([23]) id="([^"]*)">([\s\S]*?)<\/h\1>/g),
    ([, level, id = '', inner = '']) => ({
      id,
      text: htmlToText(inner),
      level: level === '2' ? 2 : 3,
    }),
  );
}
