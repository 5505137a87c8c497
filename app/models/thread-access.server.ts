import type { Database } from '#db/client';
import {
  canSeeArticle,
  seesEverything,
  threadVisibleSql,
  viewerOfUser,
  type Viewer,
} from './visibility.server';

/**
 * Who-sees-what for the community's writes: the person acting is the viewer, so every action on
 * a thread, answer or comment (answer, comment, vote, accept, flag, watch, edit, delete) asks
 * whether they may see its thread, whoever calls the model (a page, a mail reply, the API).
 * Something they may not see is "not found", exactly like something that does not exist.
 */

/** The viewer for a person acting: staff need no lookup, members their groups and organisation. */
export async function viewerOfActor(
  db: Database,
  actor: { id: number; role: NonNullable<Viewer>['role'] },
): Promise<Viewer> {
  if (actor.role !== 'member')
    return { id: actor.id, role: actor.role, groupIds: [], organizationId: null };
  return viewerOfUser(db, actor.id);
}

/** Whether this viewer may see the thread (false when there is no such thread). */
export async function threadVisibleTo(
  db: Database,
  viewer: Viewer,
  threadId: number,
): Promise<boolean> {
  const row = await db
    .selectFrom('threads')
    .select('threads.id')
    .where('threads.id', '=', threadId)
    .where(threadVisibleSql(viewer))
    .executeTakeFirst();
  return row !== undefined;
}

/** Whether the person acting may see the thread: the check before each community write. */
export async function actorSeesThread(
  db: Database,
  actor: { id: number; role: NonNullable<Viewer>['role'] },
  threadId: number,
): Promise<boolean> {
  if (actor.role !== 'member') return true;
  return threadVisibleTo(db, await viewerOfActor(db, actor), threadId);
}

/** Whether this viewer may see the article (its own rule and its category's). */
export async function articleVisibleTo(
  db: Database,
  viewer: Viewer,
  articleId: number,
): Promise<boolean> {
  if (seesEverything(viewer)) return true;
  const article = await db
    .selectFrom('articles')
    .select(['id', 'visibility', 'category_id'])
    .where('id', '=', articleId)
    .executeTakeFirst();
  return article !== undefined && canSeeArticle(db, viewer, article);
}

/** The people among these who may see the thread: nobody hears of what they may not see. */
export async function whoSeesThread(
  db: Database,
  userIds: number[],
  threadId: number,
): Promise<number[]> {
  const seeing: number[] = [];
  for (const userId of new Set(userIds)) {
    if (await threadVisibleTo(db, await viewerOfUser(db, userId), threadId)) seeing.push(userId);
  }
  return seeing;
}
