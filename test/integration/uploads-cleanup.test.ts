import { describe, expect, test } from 'vitest';
import { removeUnusedUploads, startUploadCleanup } from '~/models/uploads/cleanup.server';
import { getUploadStore } from '~/models/uploads/store.server';
import { storeUpload } from '~/models/uploads/uploads.server';
import { getDb } from '~/utils/db.server';
import { makeAnswer, makeQuestion, makeUser } from '../support/community';
import { pngOf } from '../support/uploads';

const hour = 3_600_000;

async function uploadAt(owner: { id: number }, bytes: Buffer, name: string, now: Date) {
  const stored = await storeUpload(getDb(), owner, { name, bytes }, { now });
  if (!stored.ok) throw new Error(stored.error);
  return getDb()
    .selectFrom('uploads')
    .select(['id', 'sha256', 'display_sha256'])
    .where('id', '=', stored.upload.id)
    .executeTakeFirstOrThrow()
    .then((row) => ({ ...row, markdown: stored.upload.markdown }));
}

async function exists(id: string) {
  return (
    (await getDb().selectFrom('uploads').select('id').where('id', '=', id).executeTakeFirst()) !==
    undefined
  );
}

describe('the cleanup of unused uploads', () => {
  test('removes uploads never used after 24 hours, with their files, and keeps the rest', async () => {
    const author = await makeUser();
    const store = getUploadStore();
    const now = new Date();
    const old = new Date(now.getTime() - 25 * hour);
    const abandoned = await uploadAt(
      author,
      await pngOf(1500, 800, '#113355'),
      'abandoned.png',
      old,
    );
    expect(abandoned.display_sha256).not.toBeNull();
    const used = await uploadAt(author, await pngOf(200, 100, '#335511'), 'used.png', old);
    const fresh = await uploadAt(
      author,
      await pngOf(210, 100, '#551133'),
      'fresh.png',
      new Date(now.getTime() - hour),
    );
    await makeAnswer(author, await makeQuestion(author), `See ${used.markdown}`);

    const removed = await removeUnusedUploads(getDb(), { now });
    expect(removed.uploads).toBeGreaterThanOrEqual(1);
    expect(await exists(abandoned.id)).toBe(false);
    expect(await store.get(abandoned.sha256)).toBeNull();
    expect(await store.get(abandoned.display_sha256 ?? '')).toBeNull();
    expect(await exists(used.id)).toBe(true);
    expect(await store.get(used.sha256)).not.toBeNull();
    expect(await exists(fresh.id)).toBe(true);
  });

  test('keeps a stored file while another upload of the same bytes still needs it', async () => {
    const first = await makeUser();
    const second = await makeUser();
    const bytes = await pngOf(240, 120, '#777700');
    const old = new Date(Date.now() - 30 * hour);
    const orphan = await uploadAt(first, bytes, 'copy-1.png', old);
    const kept = await uploadAt(second, bytes, 'copy-2.png', old);
    expect(kept.sha256).toBe(orphan.sha256);
    await makeAnswer(second, await makeQuestion(second), kept.markdown);

    await removeUnusedUploads(getDb());
    expect(await exists(orphan.id)).toBe(false);
    expect(await exists(kept.id)).toBe(true);
    expect(await getUploadStore().get(kept.sha256)).not.toBeNull();
  });

  test('the worker the server starts runs the cleanup at once and stops when asked', async () => {
    const owner = await makeUser();
    const stale = await uploadAt(
      owner,
      await pngOf(230, 90, '#0a0a0a'),
      'stale.png',
      new Date(Date.now() - 48 * hour),
    );
    const messages: string[] = [];
    const worker = startUploadCleanup(getDb(), (_level, message) => messages.push(message));
    await worker.stop();
    expect(await exists(stale.id)).toBe(false);
    expect(messages).toContain('unused uploads removed');
  });
});
