import type { Database } from '#db/client';
import { startPeriodicJob, type JobLog } from '~/models/periodic.server';
import { getUploadStore, type UploadStore } from './store.server';

/** How long an upload may wait to be used (a draft being written) before it is removed. */
export const unusedGraceMs = 24 * 3_600_000;
const everyMs = 3_600_000;

/**
 * Deletes the stored file of each hash that no upload row names any more. Hashes are checked one
 * by one just before their file goes, so a file that a new upload took up meanwhile stays.
 */
export async function deleteUnreferencedFiles(
  db: Database,
  store: UploadStore,
  keys: Iterable<string>,
): Promise<number> {
  let deleted = 0;
  for (const key of new Set(keys)) {
    const still = await db
      .selectFrom('uploads')
      .select('id')
      .where((eb) => eb.or([eb('sha256', '=', key), eb('display_sha256', '=', key)]))
      .limit(1)
      .executeTakeFirst();
    if (still) continue;
    await store.delete(key);
    deleted += 1;
  }
  return deleted;
}

/**
 * Removes uploads that were never used within the grace period (a file attached to a post that
 * was then abandoned), and their stored files once no other upload shares them.
 */
export async function removeUnusedUploads(
  db: Database,
  options: { now?: Date; graceMs?: number; store?: UploadStore } = {},
): Promise<{ uploads: number; files: number }> {
  const now = options.now ?? new Date();
  const store = options.store ?? getUploadStore();
  const before = new Date(now.getTime() - (options.graceMs ?? unusedGraceMs)).toISOString();
  const rows = await db
    .deleteFrom('uploads')
    .where('created_at', '<', before)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('upload_uses')
            .select('upload_id')
            .whereRef('upload_uses.upload_id', '=', 'uploads.id'),
        ),
      ),
    )
    .returning(['sha256', 'display_sha256'])
    .execute();
  const keys = rows.flatMap((row) =>
    row.display_sha256 ? [row.sha256, row.display_sha256] : [row.sha256],
  );
  return { uploads: rows.length, files: await deleteUnreferencedFiles(db, store, keys) };
}

/** Runs the cleanup now and then hourly, until stopped (server.ts starts it beside the mail worker). */
export function startUploadCleanup(db: Database, log?: JobLog, options: { everyMs?: number } = {}) {
  return startPeriodicJob(db, 'upload cleanup', () => removeUnusedUploads(db), {
    everyMs: options.everyMs ?? everyMs,
    log,
    report: (removed) => (removed.uploads ? 'unused uploads removed' : null),
  });
}
