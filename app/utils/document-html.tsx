import { createContext, useContext } from 'react';

/**
 * HTML that a page renders into a document is left out of that document's loader data, so it is
 * not sent twice: once in the page and once more in the data the browser hydrates from (see
 * docs/decisions/017-html-is-sent-once.md). The loader data carries a reference in its place;
 * the server's render finds the HTML in this request's `documentHtml`, and the browser, while
 * hydrating, reads it back from the element the server rendered it into. Client navigations and
 * revalidations after an action ask for `.data`, which is not a document: their loader data
 * carries the HTML itself.
 */
export type InDocument = { inDocument: string };

/** HTML as loader data carries it: the HTML, or where the document already holds it. */
export type SentOnce = string | InDocument;

const DocumentHtmlContext = createContext<ReadonlyMap<string, string> | null>(null);

/** Given the request's `documentHtml` while the server renders a document. */
export const DocumentHtmlProvider = DocumentHtmlContext.Provider;

// NOTE: read once and kept: a reference only ever comes from the first document's loader data,
// and React may render an element again after replacing the server's DOM (a hydration mismatch
// elsewhere makes it render the whole page afresh), when there is nothing left to read.
const readFromPage = new Map<string, string>();

function selectorFor(key: string) {
  return `[data-document-html="${key.replace(/["\\]/g, '\\$&')}"]`;
}

/**
 * The HTML to render for a SentOnce, and the attribute that marks where it is, for the element
 * that gets it as `dangerouslySetInnerHTML`.
 */
export function useSentOnce(html: SentOnce): {
  html: string;
  marker: { 'data-document-html'?: string };
} {
  const rendering = useContext(DocumentHtmlContext);
  if (typeof html === 'string') return { html, marker: {} };
  const key = html.inDocument;
  const marker = { 'data-document-html': key };
  if (rendering) return { html: rendering.get(key) ?? '', marker };
  let kept = readFromPage.get(key);
  if (kept === undefined && typeof document !== 'undefined') {
    kept = document.querySelector(selectorFor(key))?.innerHTML;
    if (kept !== undefined) readFromPage.set(key, kept);
  }
  return { html: kept ?? '', marker };
}
