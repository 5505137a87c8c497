import type { Database } from '#db/client';
import type { SearchAudience } from '#search/audience';
import { searchContent, typeAheadMode } from '#search/engine';
import { searchParamsFrom } from '~/utils/search-params.server';
import { matchingPublicProblems } from './problems/problems.server';

/**
 * Results as a person types (header box, the ask form): a handful of titles, among what they may
 * see (`audience`: viewerKeys, or 'all' for staff).
 */
export async function searchSuggestions(db: Database, url: URL, audience: SearchAudience) {
  const { params } = searchParamsFrom(url, 6);
  if (params.q.length < 2) return { query: params.q, hits: [], problems: [] };
  // The contact form (known=1) also suggests public known issues that match.
  const [results, problems] = await Promise.all([
    searchContent(db, { ...params, audience, facets: false }, typeAheadMode(params.q)),
    url.searchParams.get('known') === '1' ? matchingPublicProblems(db, params.q) : [],
  ]);
  return {
    problems,
    query: params.q,
    hits: results.hits.map((hit) => ({
      key: hit.key,
      type: hit.type,
      title: hit.title,
      answered: hit.answered,
    })),
  };
}

export type SearchSuggestions = Awaited<ReturnType<typeof searchSuggestions>>;
