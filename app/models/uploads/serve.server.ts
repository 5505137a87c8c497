import type { Database } from '#db/client';
import type { Viewer } from '../visibility.server';
import { getUploadStore, type UploadStore } from './store.server';
import { uploadHeaders, urlName } from './uploads.server';
import { uploadAccess } from './uses.server';

/**
 * The bytes and headers of an upload for this reader, or null when it is not there or not
 * theirs to read (one answer for both, so an address reveals nothing).
 */
export async function readUpload(
  db: Database,
  viewer: Viewer,
  request: { id: string; name: string; display: boolean },
  store: UploadStore = getUploadStore(),
) {
  if (!/^[A-Za-z0-9_-]{16}$/.test(request.id)) return null;
  const row = await db
    .selectFrom('uploads')
    .select(['id', 'owner_id', 'name', 'type', 'sha256', 'display_sha256'])
    .where('id', '=', request.id)
    .executeTakeFirst();
  if (!row || urlName(row.name) !== request.name) return null;
  const access = await uploadAccess(db, viewer, row);
  if (!access) return null;
  const key = (request.display && row.display_sha256) || row.sha256;
  const bytes = await store.get(key);
  if (!bytes) return null;
  const headers: Record<string, string> = {
    ...uploadHeaders(row, bytes.length, access),
    ETag: `"${key}"`,
  };
  return { bytes, headers };
}
