import { Migrator, type Kysely } from 'kysely';
import { migrations } from './migrations/index';

/** Applies every pending migration in db/migrations; throws on the first failure. */
export async function migrateToLatest(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run on an untyped schema
  db: Kysely<any>,
  log: (message: string) => void = () => {},
): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  for (const result of results ?? []) {
    log(`migration ${result.migrationName}: ${result.status}`);
  }
  if (error) {
    throw error instanceof Error ? error : new Error(String(error));
  }
}
