import { meaningfulWords } from './fts';
import type { RankedDocument } from './fts';

/** Pages by title similarity to the query: key → cosine (−1 to 1) and the page's title. */
export type Similarities = Map<string, { similarity: number; title: string }>;

/** How much each signal weighs; words against meaning tuned on half of each dev set (README). */
export const rankingWeights = {
  words: 0.8,
  meaning: 1,
  titleCoverage: 0.5,
  article: 0.03,
  sameTitle: 1,
};

/** A title this similar to the query is a result even when none of the query's words is found. */
const confidentSimilarity = 0.5;

/** Meaningful words with a plural "s" dropped, to compare a query with a title. */
function wordStems(text: string): Set<string> {
  return new Set(meaningfulWords(text).map((word) => word.replace(/(?<=\p{L}{3})s$/u, '')));
}

/** How much of the query a title holds: 1 when every meaningful word of the query is in it. */
function titleCoverage(query: Set<string>, title: Set<string>): number {
  if (query.size === 0) return 0;
  return [...query].filter((word) => title.has(word)).length / query.size;
}

/**
 * The pages found by words (bm25 order) and by meaning, best first. Each scores its words (bm25
 * relative to the best), its title's meaning (cosine) and how much of the query its title holds;
 * an article leads an equally good thread, and a query that is a page's title (give or take stop
 * words, order and plural "s") puts that page first. When no word of the query was found
 * anywhere, only titles close in meaning are results, and closer to the query than nonsense is.
 */
export function rankByWordsAndMeaning(
  q: string,
  lexical: RankedDocument[],
  near: Similarities,
  options: { wordsFound: boolean; nonsenseSimilarity?: number },
): string[] {
  const byWords = new Map(lexical.map((document) => [document.key, document]));
  const best = lexical[0]?.relevance ?? 0;
  const query = wordStems(q);
  // Found by meaning alone, a title must also be nearer the query than nonsense is: a query of
  // made-up words is near nonsense, and so near every title that holds a made-up word.
  const admitted = (key: string) => {
    const similarity = near.get(key)?.similarity ?? 0;
    return (
      options.wordsFound ||
      (similarity >= confidentSimilarity && similarity > (options.nonsenseSimilarity ?? -1))
    );
  };
  const scores = new Map<string, number>();
  for (const key of new Set([...byWords.keys(), ...[...near.keys()].filter(admitted)])) {
    const words = byWords.get(key)?.relevance ?? 0;
    const title = wordStems(byWords.get(key)?.title ?? near.get(key)?.title ?? '');
    const coverage = titleCoverage(query, title);
    scores.set(
      key,
      rankingWeights.words * (best > 0 ? words / best : 0) +
        rankingWeights.meaning * (near.get(key)?.similarity ?? 0) +
        rankingWeights.titleCoverage * coverage +
        (key.startsWith('article-') ? rankingWeights.article : 0) +
        (coverage === 1 && title.size === query.size ? rankingWeights.sameTitle : 0),
    );
  }
  return [...scores.entries()].sort((a, b) => b[1] - a[1]).map(([key]) => key);
}
