// `npm run test:unit:postgres`: the vitest suite again, every test file on a PostgreSQL database
// of its own (test/support/setup-database.ts), where the machine has PostgreSQL to start. CI
// sets COMMONS_TEST_REQUIRE_POSTGRES, and then a missing PostgreSQL fails the run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { postgresBinaries } from '../test/support/postgres';

const report = 'reports/vitest-postgres.json';
fs.rmSync(report, { force: true });
if (!postgresBinaries()) {
  if (process.env.COMMONS_TEST_REQUIRE_POSTGRES) {
    console.error('COMMONS_TEST_REQUIRE_POSTGRES is set but this machine has no PostgreSQL.');
    process.exit(1);
  }
  console.log('No PostgreSQL on this machine (Debian: apt-get install postgresql): SQLite only.');
  process.exit(0);
}
const run = spawnSync('npx', ['vitest', 'run'], {
  stdio: 'inherit',
  env: { ...process.env, COMMONS_TEST_DATABASE: 'postgres', COMMONS_VITEST_REPORT: report },
});
process.exit(run.status ?? 1);
