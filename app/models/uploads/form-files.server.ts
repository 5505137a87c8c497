import type { Database } from '#db/client';
import { storeUpload, type UploadLimits } from './uploads.server';
import type { UploadStore } from './store.server';

/**
 * For forms posted without JavaScript: stores every file chosen in `field` and returns the
 * Markdown to append to the text (one line per file; empty when no file was chosen). A file that
 * is refused stops the lot with a message the form shows beside its file field, so the person
 * can pick again with their text kept. Files stored before the refusal stay unused and are
 * removed by the cleanup job.
 */
export async function attachFormFiles(
  db: Database,
  user: { id: number },
  formData: FormData,
  field = 'attachments',
  options: { now?: Date; limits?: UploadLimits; store?: UploadStore } = {},
): Promise<{ ok: true; markdown: string } | { ok: false; message: string }> {
  // A browser sends an empty, nameless file for a file field left alone.
  const files = formData
    .getAll(field)
    .filter(
      (value): value is File => value instanceof File && (value.size > 0 || value.name !== ''),
    );
  const lines: string[] = [];
  for (const file of files) {
    const stored = await storeUpload(
      db,
      user,
      { name: file.name, bytes: Buffer.from(await file.arrayBuffer()) },
      options,
    );
    if (!stored.ok) return { ok: false, message: stored.error };
    lines.push(stored.upload.markdown);
  }
  return { ok: true, markdown: lines.join('\n') };
}
