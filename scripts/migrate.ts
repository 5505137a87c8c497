// `npm run db:migrate`: applies pending migrations to the configured database.
import { isPostgresUrl } from '#db/client';
import { migrateToLatest } from '#db/migrate';
import { getConfig } from '~/utils/config.server';
import { closeDb, getDb } from '~/utils/db.server';

try {
  const { database } = getConfig();
  // A PostgreSQL URL is named without its password.
  console.log(
    `Migrating ${isPostgresUrl(database) ? database.replace(/:[^:@/]*@/, ':…@') : database}`,
  );
  await migrateToLatest(getDb(), (message) => console.log(message));
  console.log('Database is up to date.');
  await closeDb();
} catch (error) {
  console.error('Migration failed:', error instanceof Error ? error.message : error);
  process.exit(1);
}
