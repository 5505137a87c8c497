import type { AppLoadContext } from '@remix-run/node';
import type { SentOnce } from './document-html';

/**
 * The map a document request's loaders hand their HTML to, or undefined when the answer is data
 * (`.data` single fetch, `?_data`): then the loader data must carry everything.
 */
export function documentHtmlFor(url: URL): Map<string, string> | undefined {
  if (url.pathname.endsWith('.data') || url.searchParams.has('_data')) return undefined;
  return new Map();
}

/**
 * In a loader: `html` itself for a data request, or a reference to it for a document request,
 * whose render puts it in the page. `key` names it within the page (unique per page).
 */
export function sendOnce(context: AppLoadContext, key: string, html: string): SentOnce {
  if (!context.documentHtml) return html;
  context.documentHtml.set(key, html);
  return { inDocument: key };
}
