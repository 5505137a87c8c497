import { openDatabase, type Database } from '#db/client';
import { getConfig } from './config.server';

// NOTE: the server entry and the Remix build are separate module graphs; keeping the handle on
// globalThis makes both use one connection, so shutdown closes the one the app writes through.
const store = globalThis as typeof globalThis & { __commonsDb?: Database };

export function getDb(): Database {
  const config = getConfig();
  store.__commonsDb ??= openDatabase(config.database, { poolSize: config.DATABASE_POOL_SIZE });
  return store.__commonsDb;
}

export async function closeDb(): Promise<void> {
  const db = store.__commonsDb;
  store.__commonsDb = undefined;
  await db?.destroy();
}
