import type { Meilisearch, Settings } from 'meilisearch';
import type { SearchEntity } from '#db/schema';
import { embedderName, embeddingDimensions, meaningIsOn } from './embeddings';

// Words that carry no meaning in a question; leaving them out lets "how do I …" match by topic.
export const englishStopWords = [
  'a',
  'an',
  'and',
  'are',
  'as',
  'at',
  'be',
  'but',
  'by',
  'can',
  'could',
  'do',
  'does',
  'for',
  'from',
  'get',
  'has',
  'have',
  'how',
  'i',
  'if',
  'in',
  'is',
  'it',
  'its',
  'me',
  'my',
  'of',
  'on',
  'or',
  'our',
  'so',
  'that',
  'the',
  'their',
  'there',
  'this',
  'to',
  'was',
  'we',
  'what',
  'when',
  'where',
  'which',
  'who',
  'why',
  'will',
  'with',
  'would',
  'you',
  'your',
];

export const indexSettings: Settings = {
  searchableAttributes: ['title', 'tags', 'body', 'answers'],
  // id: the ranking asks how near in meaning the pages FTS5 found are (engine.ts). audience and
  // category_audience: who may see a document (search/audience.ts); every search filters by them.
  filterableAttributes: [
    'id',
    'audience',
    'category_audience',
    'type',
    'category_slug',
    'tags',
    'status',
    'journey_stage',
    'answered',
  ],
  sortableAttributes: ['created_at', 'score'],
  stopWords: englishStopWords,
  typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 4, twoTypos: 8 } },
  pagination: { maxTotalHits: 1000 },
  faceting: { maxValuesPerFacet: 50 },
};

export function indexName(prefix: string, type: SearchEntity): string {
  return `${prefix}${type === 'thread' ? 'threads' : 'articles'}`;
}

/** Synonyms as the admin types them: one group per line, words separated by commas. */
export function parseSynonyms(text: string): Record<string, string[]> {
  const synonyms: Record<string, string[]> = {};
  for (const line of text.split('\n')) {
    const words = [
      ...new Set(
        line
          .split(',')
          .map((word) => word.trim().toLowerCase())
          .filter(Boolean),
      ),
    ];
    if (words.length < 2) continue;
    for (const word of words) {
      synonyms[word] = [
        ...new Set([...(synonyms[word] ?? []), ...words.filter((other) => other !== word)]),
      ];
    }
  }
  return synonyms;
}

/** Title vectors come with the documents (search/embeddings.ts); Meilisearch finds the nearest. */
export const embedderSettings: Settings = {
  embedders: { [embedderName]: { source: 'userProvided', dimensions: embeddingDimensions } },
};

/**
 * Creates both indexes when missing and applies the settings (and synonyms) to them. Returns
 * whether both rank by meaning: false when that is off, or when an index holds documents from
 * before title vectors, which cannot take the embedder until all are sent again (reindexAll).
 */
export async function ensureIndexes(
  client: Meilisearch,
  prefix: string,
  synonyms: Record<string, string[]>,
): Promise<boolean> {
  let vectorsReady = true;
  for (const type of ['thread', 'article'] as const) {
    const uid = indexName(prefix, type);
    const exists = await client.getIndex(uid).then(
      () => true,
      () => false,
    );
    if (!exists) await client.createIndex(uid, { primaryKey: 'id' }).waitTask();
    await client
      .index(uid)
      .updateSettings({ ...indexSettings, synonyms })
      .waitTask();
    if (!meaningIsOn()) {
      // Documents then come without vectors, which an index with the embedder would refuse.
      await client.index(uid).resetEmbedders().waitTask();
      vectorsReady = false;
      continue;
    }
    const embedder = await client.index(uid).updateSettings(embedderSettings).waitTask();
    if (embedder.status !== 'succeeded') vectorsReady = false;
  }
  return vectorsReady;
}
