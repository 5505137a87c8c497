import type { Database } from '../../db/client';
import type { NotificationType } from '../../db/schema';

type NewNotification = {
  type: NotificationType;
  actorId: number;
  threadId: number;
  postId?: number | null;
  commentId?: number | null;
};

/** Notifies each recipient once; nobody is notified of what they did themselves. */
export async function notify(
  db: Database,
  recipientIds: number[],
  notification: NewNotification,
  now = new Date(),
) {
  const recipients = [...new Set(recipientIds)].filter((id) => id !== notification.actorId);
  if (recipients.length === 0) return;
  await db
    .insertInto('notifications')
    .values(
      recipients.map((userId) => ({
        user_id: userId,
        type: notification.type,
        actor_id: notification.actorId,
        thread_id: notification.threadId,
        post_id: notification.postId ?? null,
        comment_id: notification.commentId ?? null,
        created_at: now.toISOString(),
      })),
    )
    .execute();
}

export async function unreadNotificationCount(db: Database, userId: number): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export const notificationPageSize = 30;

export async function listNotifications(db: Database, userId: number, page = 1) {
  const rows = await db
    .selectFrom('notifications')
    .innerJoin('threads', 'threads.id', 'notifications.thread_id')
    .leftJoin('users as actor', 'actor.id', 'notifications.actor_id')
    .select([
      'notifications.id',
      'notifications.type',
      'notifications.thread_id',
      'notifications.post_id',
      'notifications.comment_id',
      'notifications.read_at',
      'notifications.created_at',
      'threads.title as thread_title',
      'threads.slug as thread_slug',
      'actor.display_name as actor_name',
      'actor.username as actor_username',
    ])
    .where('notifications.user_id', '=', userId)
    .orderBy('notifications.created_at', 'desc')
    .orderBy('notifications.id', 'desc')
    .limit(notificationPageSize + 1)
    .offset((page - 1) * notificationPageSize)
    .execute();
  return {
    notifications: rows.slice(0, notificationPageSize),
    hasMore: rows.length > notificationPageSize,
  };
}

/** Marks one notification read and returns where it points, or null if it is not theirs. */
export async function openNotification(
  db: Database,
  userId: number,
  notificationId: number,
  now = new Date(),
) {
  const row = await db
    .selectFrom('notifications')
    .innerJoin('threads', 'threads.id', 'notifications.thread_id')
    .select([
      'notifications.post_id',
      'notifications.comment_id',
      'threads.id as thread_id',
      'threads.slug',
    ])
    .where('notifications.id', '=', notificationId)
    .where('notifications.user_id', '=', userId)
    .executeTakeFirst();
  if (!row) return null;
  await db
    .updateTable('notifications')
    .set({ read_at: now.toISOString() })
    .where('id', '=', notificationId)
    .where('read_at', 'is', null)
    .execute();
  const anchor = row.comment_id
    ? `#comment-${row.comment_id}`
    : row.post_id
      ? `#answer-${row.post_id}`
      : '';
  return `/questions/${row.thread_id}/${row.slug}${anchor}`;
}

export async function markAllNotificationsRead(db: Database, userId: number, now = new Date()) {
  await db
    .updateTable('notifications')
    .set({ read_at: now.toISOString() })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .execute();
}
