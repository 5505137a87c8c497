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

  test('DATABASE_URL names a SQLite file or a PostgreSQL server; another scheme stops start-up', () => {
    expect(() => parseConfig({ DATABASE_URL: 'mysql://commons@db.internal/commons' })).toThrow(
      /DATABASE_URL: a SQLite file .* or a PostgreSQL server/,
    );
    expect(
      parseConfig({ DATABASE_URL: 'postgres://commons:pw@db.internal/commons' }).database,
    ).toBe('postgres://commons:pw@db.internal/commons');
    expect(parseConfig({ DATABASE_URL: 'file:/var/lib/commons/commons.db' }).database).toBe(
      '/var/lib/commons/commons.db',
    );
    expect(parseConfig({ DATABASE_URL: 'data/help.db' }).database).toBe(
      path.resolve('data/help.db'),
    );
    expect(parseConfig({}).DATABASE_POOL_SIZE).toBe(10);
    expect(() => parseConfig({ DATABASE_POOL_SIZE: '0' })).toThrow(/DATABASE_POOL_SIZE/);
  });

  test('bad values name their variable', () => {
    expect(() => parseConfig({ MAX_BODY_BYTES: 'lots' })).toThrow(/MAX_BODY_BYTES/);
    expect(() => parseConfig({ MEILI_MAX_INDEXING_MEMORY: 'plenty' })).toThrow(
      /MEILI_MAX_INDEXING_MEMORY/,
    );
  });

  test('settings that come in groups name what is missing', () => {
    expect(() => parseConfig({ OIDC_ISSUER: 'https://login.example.com' })).toThrow(
      /OIDC_CLIENT_ID: required when OIDC_ISSUER is set\n\s+OIDC_CLIENT_SECRET: required/,
    );
    expect(() => parseConfig({ S3_URL: 'https://s3.example.com', S3_BUCKET: 'uploads' })).toThrow(
      /S3_ACCESS_KEY_ID: required when S3_URL is set/,
    );
    const sso = parseConfig({
      OIDC_ISSUER: 'https://login.example.com',
      OIDC_CLIENT_ID: 'commons',
      OIDC_CLIENT_SECRET: 'secret',
      OIDC_EMAIL_DOMAINS: 'Example.com, example.org',
    });
    expect(sso.OIDC_EMAIL_DOMAINS).toEqual(['example.com', 'example.org']);
    expect(sso.OIDC_LABEL).toBe('Sign in with SSO');
  });
});
