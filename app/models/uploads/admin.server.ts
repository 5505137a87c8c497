import type { Database } from '#db/client';
import type { UploadUseTarget } from '#db/schema';
import { answerPath, articlePath, questionPath } from '#lib/content-urls';
import { deleteUnreferencedFiles } from './cleanup.server';
import { getUploadStore, type UploadStore } from './store.server';
import { uploadUrl } from './uploads.server';

export const uploadsPerPage = 50;

export type UploadUsePlace = { type: UploadUseTarget; label: string; href: string };

/** Where each upload is used, as links for the admin's list. */
async function placesOf(db: Database, uploadIds: string[]) {
  const places = new Map<string, UploadUsePlace[]>();
  if (!uploadIds.length) return places;
  const uses = await db
    .selectFrom('upload_uses')
    .leftJoin('threads', (join) =>
      join
        .onRef('threads.id', '=', 'upload_uses.target_id')
        .on('upload_uses.target_type', '=', 'thread'),
    )
    .leftJoin('posts', (join) =>
      join
        .onRef('posts.id', '=', 'upload_uses.target_id')
        .on('upload_uses.target_type', '=', 'post'),
    )
    .leftJoin('threads as post_threads', 'post_threads.id', 'posts.thread_id')
    .leftJoin('articles', (join) =>
      join
        .onRef('articles.id', '=', 'upload_uses.target_id')
        .on('upload_uses.target_type', '=', 'article'),
    )
    .leftJoin('ticket_messages', (join) =>
      join
        .onRef('ticket_messages.id', '=', 'upload_uses.target_id')
        .on('upload_uses.target_type', '=', 'ticket_message'),
    )
    .select([
      'upload_uses.upload_id',
      'upload_uses.target_type',
      'upload_uses.target_id',
      'threads.slug as thread_slug',
      'threads.title as thread_title',
      'post_threads.id as post_thread_id',
      'post_threads.slug as post_thread_slug',
      'post_threads.title as post_thread_title',
      'articles.slug as article_slug',
      'articles.title as article_title',
      'ticket_messages.ticket_id as message_ticket_id',
      'ticket_messages.kind as message_kind',
    ])
    .where('upload_uses.upload_id', 'in', uploadIds)
    .orderBy('upload_uses.target_type')
    .orderBy('upload_uses.target_id')
    .execute();
  for (const use of uses) {
    const place = placeOf(use);
    if (!place) continue;
    const list = places.get(use.upload_id) ?? [];
    list.push(place);
    places.set(use.upload_id, list);
  }
  return places;
}

function placeOf(use: {
  target_type: UploadUseTarget;
  target_id: number;
  thread_slug: string | null;
  thread_title: string | null;
  post_thread_id: number | null;
  post_thread_slug: string | null;
  post_thread_title: string | null;
  article_slug: string | null;
  article_title: string | null;
  message_ticket_id: number | null;
  message_kind: string | null;
}): UploadUsePlace | null {
  switch (use.target_type) {
    case 'thread':
      return use.thread_title === null
        ? null
        : {
            type: 'thread',
            label: `Question: ${use.thread_title}`,
            href: questionPath({ id: use.target_id, slug: use.thread_slug }),
          };
    case 'post':
      return use.post_thread_id === null
        ? null
        : {
            type: 'post',
            label: `Answer on: ${use.post_thread_title ?? ''}`,
            href: answerPath({ id: use.post_thread_id, slug: use.post_thread_slug }, use.target_id),
          };
    case 'article':
      return use.article_slug === null
        ? null
        : {
            type: 'article',
            label: `Article: ${use.article_title ?? ''}`,
            href: articlePath(use.article_slug),
          };
    case 'ticket':
      return {
        type: 'ticket',
        label: `Ticket #${use.target_id}`,
        href: `/agent/tickets/${use.target_id}`,
      };
    case 'ticket_message':
      return use.message_ticket_id === null
        ? null
        : {
            type: 'ticket_message',
            label: `${use.message_kind === 'note' ? 'Internal note' : 'Reply'} on ticket #${use.message_ticket_id}`,
            href: `/agent/tickets/${use.message_ticket_id}`,
          };
  }
}

/** Uploads, largest first, with their owner and where they are used (one page of them). */
export async function listUploadsBySize(db: Database, filter: { page: number; owner?: string }) {
  let query = db
    .selectFrom('uploads')
    .innerJoin('users', 'users.id', 'uploads.owner_id')
    .select([
      'uploads.id',
      'uploads.name',
      'uploads.type',
      'uploads.bytes',
      'uploads.width',
      'uploads.height',
      'uploads.created_at',
      'users.username as owner_username',
      'users.display_name as owner_name',
    ]);
  if (filter.owner) query = query.where('users.username', '=', filter.owner);
  const rows = await query
    .orderBy('uploads.bytes', 'desc')
    .orderBy('uploads.id')
    .limit(uploadsPerPage + 1)
    .offset((filter.page - 1) * uploadsPerPage)
    .execute();
  const page = rows.slice(0, uploadsPerPage);
  const places = await placesOf(
    db,
    page.map((row) => row.id),
  );
  const totals = await db
    .selectFrom('uploads')
    .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.sum<number>('bytes').as('bytes')])
    .executeTakeFirstOrThrow();
  return {
    uploads: page.map((row) => ({ ...row, url: uploadUrl(row), usedIn: places.get(row.id) ?? [] })),
    hasMore: rows.length > uploadsPerPage,
    totals: { count: Number(totals.count), bytes: Number(totals.bytes ?? 0) },
  };
}

/**
 * Deletes an upload: the row, its uses, and its stored files when no other upload shares them.
 * Posts that showed it show a broken image from then on; their text is not changed.
 */
export async function deleteUpload(
  db: Database,
  uploadId: string,
  store: UploadStore = getUploadStore(),
): Promise<{ name: string; ownerId: number } | null> {
  const row = await db
    .deleteFrom('uploads')
    .where('id', '=', uploadId)
    .returning(['name', 'owner_id', 'sha256', 'display_sha256'])
    .executeTakeFirst();
  if (!row) return null;
  await deleteUnreferencedFiles(db, store, [
    row.sha256,
    ...(row.display_sha256 ? [row.display_sha256] : []),
  ]);
  return { name: row.name, ownerId: row.owner_id };
}
