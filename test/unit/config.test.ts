import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { configSchema, parseConfig } from '~/utils/config.server';

const readme = fs.readFileSync(
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../README.md'),
  'utf8',
);

/** The variable names in the first column of the README's configuration table. */
function documentedVariables(): string[] {
  const section = readme.split('## Configuration')[1]?.split('\n## ')[0] ?? '';
  return [...section.matchAll(/^\| `([A-Z0-9_]+)`/gm)].map((match) => match[1] ?? '');
}

describe('configuration', () => {
  test("the README's table lists exactly the variables the server reads", () => {
    expect(documentedVariables().sort()).toEqual(Object.keys(configSchema.shape).sort());
  });

  test('a DATABASE_URL the server cannot use stops start-up with a message naming it', () => {
    expect(() => parseConfig({ DATABASE_URL: 'postgres://commons@db.internal/commons' })).toThrow(
      /DATABASE_URL: only SQLite is supported/,
    );
    expect(parseConfig({ DATABASE_URL: 'file:/var/lib/commons/commons.db' }).databaseFile).toBe(
      '/var/lib/commons/commons.db',
    );
    expect(parseConfig({ DATABASE_URL: 'data/help.db' }).databaseFile).toBe(
      path.resolve('data/help.db'),
    );
  });

  test('bad values name their variable', () => {
    expect(() => parseConfig({ MAX_BODY_BYTES: 'lots' })).toThrow(/MAX_BODY_BYTES/);
    expect(() => parseConfig({ MEILI_MAX_INDEXING_MEMORY: 'plenty' })).toThrow(
      /MEILI_MAX_INDEXING_MEMORY/,
    );
  });
});
