import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { runRelevance } from '../../bench/relevance';

const devSet = path.resolve(
  import.meta.dirname,
  '../../../shared/data/relevance/stackfaq-dev.json',
);

describe.skipIf(!fs.existsSync(devSet))('search relevance on the StackFAQ development set', () => {
  test('question-shaped searches find the right thread in the top 10 at least 95% of the time', async () => {
    const result = await runRelevance();
    expect(result).not.toBeNull();
    expect(result!.pipeline.recall10, JSON.stringify(result!.pipeline)).toBeGreaterThanOrEqual(
      0.95,
    );
    // The pipeline must beat Meilisearch's defaults by a wide margin, or the fusion is broken.
    expect(result!.pipeline.mrr10).toBeGreaterThan(result!.meiliDefaults.mrr10 + 0.3);
  }, 600_000);
});
