// Prints one closing line for the whole suite ("N passed, N failed") from the JSON reports
// that vitest and Playwright write into reports/.
import fs from 'node:fs';
import { z } from 'zod';

const count = z.number().int().default(0);
const vitestReport = z.object({
  numPassedTests: count,
  numFailedTests: count,
  numPendingTests: count,
});
const playwrightReport = z.object({
  stats: z.object({ expected: count, unexpected: count, flaky: count, skipped: count }),
});

function readReport<T>(file: string, schema: z.ZodType<T>): T | null {
  if (!fs.existsSync(file)) return null;
  return schema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}

const unit = readReport('reports/vitest.json', vitestReport);
// Absent where the machine has no PostgreSQL (scripts/test-postgres.ts says so).
const onPostgres = readReport('reports/vitest-postgres.json', vitestReport);
const e2e = readReport('reports/playwright.json', playwrightReport);
const vitestRuns = [unit, onPostgres].filter((report) => report !== null);
const sum = (count: (report: z.infer<typeof vitestReport>) => number) =>
  vitestRuns.reduce((total, report) => total + count(report), 0);
const passed = sum((r) => r.numPassedTests) + (e2e ? e2e.stats.expected + e2e.stats.flaky : 0);
const failed = sum((r) => r.numFailedTests) + (e2e?.stats.unexpected ?? 0);
const skipped = sum((r) => r.numPendingTests) + (e2e?.stats.skipped ?? 0);
const ran = (report: unknown) => (report ? 'ran' : 'no report');
console.log(
  `vitest on SQLite: ${ran(unit)}; vitest on PostgreSQL: ${ran(onPostgres)}; playwright: ${ran(e2e)}`,
);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
const postgresMissing = Boolean(process.env.COMMONS_TEST_REQUIRE_POSTGRES) && !onPostgres;
process.exit(failed > 0 || !unit || !e2e || postgresMissing ? 1 : 0);
