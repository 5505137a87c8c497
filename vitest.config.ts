import tsconfigPaths from 'vite-tsconfig-paths';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/setup-database.ts'],
    pool: 'forks',
    // scripts/test-postgres.ts names its own report, so the run on SQLite keeps this one.
    reporters: [
      'default',
      ['json', { outputFile: process.env.COMMONS_VITEST_REPORT ?? 'reports/vitest.json' }],
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
