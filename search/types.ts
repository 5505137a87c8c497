import type { SearchEntity } from '#db/schema';
import type { SearchAudience } from './audience';
import { englishStopWords } from './settings';

// Highlight markers that cannot occur in text; the page turns them into <mark> elements, so
// nothing in a document is ever rendered as HTML.
export const highlightStart = '\u0001';
export const highlightEnd = '\u0002';

const stopWords = new Set(englishStopWords);
const marked = new RegExp(`${highlightStart}([^${highlightEnd}]*)${highlightEnd}`, 'g');

/**
 * Removes the highlight from words like "how" and "it": they are not what a customer searched
 * for. NOTE: Meilisearch marks stop words it matched anyway (and its list is case-sensitive).
 */
export function unmarkStopWords(text: string): string {
  return text.replace(marked, (match, word: string) =>
    stopWords.has(word.toLowerCase()) ? word : match,
  );
}

export type SearchParams = {
  q: string;
  /**
   * Who is asking: the keys they hold (viewerKeys), or 'all' for staff. Documents they may not see
   * are left out of everything a search returns: hits, totals, facet counts and highlights.
   */
  audience: SearchAudience;
  type?: SearchEntity;
  category?: string;
  tag?: string;
  journeyStage?: string;
  answered?: boolean;
  /** More words for the FTS5 query: the spellings Meilisearch matched for mistyped ones. */
  extraTerms?: string[];
  /** Facet counts are computed unless false (suggestions as you type do not show them). */
  facets?: boolean;
  limit: number;
  offset: number;
};

export type SearchHit = {
  key: string;
  type: SearchEntity;
  id: number;
  title: string;
  snippet: string;
  url: string;
  category: string | null;
  answered: boolean;
  /** The document's words that matched the query (Meilisearch hits only). */
  matched?: string[];
};

export type FacetCounts = Record<string, Record<string, number>>;

export type SearchResults = {
  hits: SearchHit[];
  total: number;
  facets: FacetCounts;
  engine: 'meilisearch' | 'fts';
};
