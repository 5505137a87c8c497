import type { Database } from '#db/client';
import type { UploadUseTarget } from '#db/schema';
import type { UploadImage } from '#lib/markdown';
import { isStaff, type Actor } from '../permissions';
import { anonymous, articleVisibleSql, threadVisibleSql, type Viewer } from '../visibility.server';
import { viewerOfActor } from '../thread-access.server';

export type UploadUse = { type: UploadUseTarget; id: number };

// Relative or absolute (a pasted link to our own site): the id is what counts.
const UPLOAD_REFERENCE = /\/uploads\/([A-Za-z0-9_-]{16})(?=\/)/g;

/** Ids of the uploads a Markdown text points at, unique, in order. */
export function uploadIdsIn(markdown: string): string[] {
  return [...new Set(Array.from(markdown.matchAll(UPLOAD_REFERENCE), (match) => match[1] ?? ''))];
}

/** What the Markdown renderer needs to show the images among these uploads at their size. */
export async function uploadImagesIn(
  db: Database,
  markdown: string,
): Promise<ReadonlyMap<string, UploadImage>> {
  const ids = uploadIdsIn(markdown);
  if (!ids.length) return new Map();
  const rows = await db
    .selectFrom('uploads')
    .select(['id', 'width', 'height', 'display_sha256', 'display_width', 'display_height'])
    .where('id', 'in', ids)
    .where('type', 'like', 'image/%')
    .execute();
  const images = new Map<string, UploadImage>();
  for (const row of rows) {
    if (row.width === null || row.height === null) continue;
    images.set(row.id, {
      width: row.display_width ?? row.width,
      height: row.display_height ?? row.height,
      display: row.display_sha256 !== null,
    });
  }
  return images;
}

/**
 * Records which uploads a saved text uses, replacing what the text used before (an image removed
 * in an edit is no longer made readable by it). Call it in the transaction that saves the text.
 * Only uploads the author may read themselves are recorded: pasting someone else's private file
 * address into a public post must not make that file public.
 */
export async function recordUploadUses(
  db: Database,
  author: NonNullable<Actor>,
  use: UploadUse,
  markdown: string,
): Promise<void> {
  await db
    .deleteFrom('upload_uses')
    .where('target_type', '=', use.type)
    .where('target_id', '=', use.id)
    .execute();
  const ids = uploadIdsIn(markdown);
  if (!ids.length) return;
  const readable = [];
  for (const id of ids) if (await canReadUpload(db, author, id)) readable.push(id);
  if (!readable.length) return;
  await db
    .insertInto('upload_uses')
    .values(readable.map((id) => ({ upload_id: id, target_type: use.type, target_id: use.id })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Forgets what a removed text used (for content that is deleted outright, not hidden). */
export async function forgetUploadUses(db: Database, use: UploadUse): Promise<void> {
  await db
    .deleteFrom('upload_uses')
    .where('target_type', '=', use.type)
    .where('target_id', '=', use.id)
    .execute();
}

/**
 * Whether an upload is used in a question, answer or article this viewer may see now (for the
 * anonymous viewer: anyone may read it, it is public). Hidden, deleted, spam and merged posts set
 * `deleted_at` (decision 009) and unpublished or flagged articles are not published-and-shown, so
 * moderation takes uploads out of view with the post, without bookkeeping of its own; a thread's
 * category and an article's own rule decide who sees the rest (visibility.server.ts).
 */
export async function isUsedWhereSeen(
  db: Database,
  viewer: Viewer,
  uploadId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('upload_uses')
    .select('upload_uses.upload_id')
    .where('upload_uses.upload_id', '=', uploadId)
    .where((eb) =>
      eb.or([
        eb.and([
          eb('upload_uses.target_type', '=', 'thread'),
          eb.exists(
            eb
              .selectFrom('threads')
              .select('threads.id')
              .whereRef('threads.id', '=', 'upload_uses.target_id')
              .where('threads.deleted_at', 'is', null)
              .where(threadVisibleSql(viewer)),
          ),
        ]),
        eb.and([
          eb('upload_uses.target_type', '=', 'post'),
          eb.exists(
            eb
              .selectFrom('posts')
              .innerJoin('threads', 'threads.id', 'posts.thread_id')
              .select('posts.id')
              .whereRef('posts.id', '=', 'upload_uses.target_id')
              .where('posts.deleted_at', 'is', null)
              .where('threads.deleted_at', 'is', null)
              .where(threadVisibleSql(viewer)),
          ),
        ]),
        eb.and([
          eb('upload_uses.target_type', '=', 'article'),
          eb.exists(
            eb
              .selectFrom('articles')
              .select('articles.id')
              .whereRef('articles.id', '=', 'upload_uses.target_id')
              .where('articles.status', '=', 'published')
              .where('articles.hidden_at', 'is', null)
              .where(articleVisibleSql(viewer)),
          ),
        ]),
      ]),
    )
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Whether this person may read the upload as a requester: it is in their ticket's public side. */
async function isInOwnTicket(db: Database, uploadId: string, userId: number): Promise<boolean> {
  const row = await db
    .selectFrom('upload_uses')
    .select('upload_uses.upload_id')
    .where('upload_uses.upload_id', '=', uploadId)
    .where((eb) =>
      eb.or([
        eb.and([
          eb('upload_uses.target_type', '=', 'ticket'),
          eb.exists(
            eb
              .selectFrom('tickets')
              .select('tickets.id')
              .whereRef('tickets.id', '=', 'upload_uses.target_id')
              .where('tickets.requester_id', '=', userId),
          ),
        ]),
        eb.and([
          eb('upload_uses.target_type', '=', 'ticket_message'),
          eb.exists(
            eb
              .selectFrom('ticket_messages')
              .innerJoin('tickets', 'tickets.id', 'ticket_messages.ticket_id')
              .select('ticket_messages.id')
              .whereRef('ticket_messages.id', '=', 'upload_uses.target_id')
              // Internal notes are the team's: a requester never reads their files.
              .where('ticket_messages.kind', '=', 'reply')
              .where('tickets.requester_id', '=', userId),
          ),
        ]),
      ]),
    )
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export type UploadAccess = 'public' | 'private' | null;

/**
 * Who may read an upload follows where it is used: in a post anyone may read, everyone; in a
 * post or article of a private category or audience, exactly the people who may see it; in a
 * ticket, its requester and the team (the people who may read the ticket); in internal notes
 * only, the team; not used yet, its owner. Staff read every upload (they read every ticket, note
 * and removed post). Null means "not for you", which the route answers with 404, so an address
 * never tells whether the file exists.
 */
export async function uploadAccess(
  db: Database,
  viewer: Viewer,
  upload: { id: string; owner_id: number },
): Promise<UploadAccess> {
  if (await isUsedWhereSeen(db, anonymous, upload.id)) return 'public';
  if (viewer === null) return null;
  if (isStaff(viewer) || viewer.id === upload.owner_id) return 'private';
  if (await isUsedWhereSeen(db, viewer, upload.id)) return 'private';
  return (await isInOwnTicket(db, upload.id, viewer.id)) ? 'private' : null;
}

/** Whether the person writing may read the upload (only then may their text use it). */
async function canReadUpload(db: Database, author: NonNullable<Actor>, uploadId: string) {
  const upload = await db
    .selectFrom('uploads')
    .select(['id', 'owner_id'])
    .where('id', '=', uploadId)
    .executeTakeFirst();
  if (!upload) return false;
  return (await uploadAccess(db, await viewerOfActor(db, author), upload)) !== null;
}
