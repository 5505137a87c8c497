import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { runRelevance } from '../../bench/relevance';

const devSet = path.resolve(
  import.meta.dirname,
  '../../../shared/data/relevance/stackfaq-dev.json',
);

describe.skipIf(!fs.existsSync(devSet))('search relevance on the development sets', () => {
  test('/search finds the right page in the top 10 and ranks it far above Meilisearch defaults', async () => {
    const result = await runRelevance();
    expect(result).not.toBeNull();
    const row = (name: string) => {
      const found = result!.rows.find((candidate) => candidate.name === name);
      expect(found, name).toBeDefined();
      return found!.scores;
    };
    expect(result!.pages).toBeGreaterThanOrEqual(2_500);
    const stackFaq = row('Commons /search: StackFAQ, all');
    expect(stackFaq.recall10, JSON.stringify(stackFaq)).toBeGreaterThanOrEqual(0.97);
    expect(stackFaq.mrr10).toBeGreaterThan(row('Meilisearch defaults: StackFAQ, all').mrr10 + 0.3);
    const covidFaq = row('Commons /search: CovidFAQ, all');
    // Meaning, not only words: real customer queries beat plain bm25 by a clear margin.
    expect(covidFaq.recall10, JSON.stringify(covidFaq)).toBeGreaterThan(
      row('plain bm25 (FTS5): CovidFAQ, all').recall10 + 0.1,
    );
  }, 900_000);
});
