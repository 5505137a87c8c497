import type { Database } from '#db/client';
import type { NotificationType } from '#db/schema';
import { mailCommunityNotification } from './mail/notifications.server';
import { whoSeesThread } from './thread-access.server';
import { threadVisibleSql, viewerOfUser } from './visibility.server';
import { answerAnchor, commentAnchor, questionPath } from '#lib/content-urls';

type NewNotification = {
  type: NotificationType;
  actorId: number;
  threadId: number;
  postId?: number | null;
  commentId?: number | null;
};

/**
 * Notifies each recipient once (in the bell and by mail); nobody hears of what they did themselves,
 * nor of a question they may not see.
 */
export async function notify(
  db: Database,
  candidateIds: number[],
  notification: NewNotification,
  now = new Date(),
) {
  const recipientIds = await whoSeesThread(
    db,
    candidateIds.filter((id) => id !== notification.actorId),
    notification.threadId,
  );
  await insertNotifications(db, recipientIds, notification.actorId, now, {
    type: notification.type,
    thread_id: notification.threadId,
    post_id: notification.postId ?? null,
    comment_id: notification.commentId ?? null,
  });
  if (notification.type !== 'ticket')
    await mailCommunityNotification(
      db,
      [...new Set(recipientIds)].filter((id) => id !== notification.actorId),
      {
        type: notification.type,
        actorId: notification.actorId,
        threadId: notification.threadId,
        postId: notification.postId ?? null,
        commentId: notification.commentId ?? null,
      },
      now,
    );
}

/** Tells a ticket's requester (or its assignee) that there is something new on it. */
export async function notifyTicket(
  db: Database,
  recipientIds: (number | null)[],
  notification: { actorId: number; ticketId: number },
  now = new Date(),
) {
  await insertNotifications(
    db,
    recipientIds.filter((id) => id !== null),
    notification.actorId,
    now,
    { type: 'ticket', ticket_id: notification.ticketId },
  );
}

async function insertNotifications(
  db: Database,
  recipientIds: number[],
  actorId: number,
  now: Date,
  target: {
    type: NotificationType;
    thread_id?: number;
    post_id?: number | null;
    comment_id?: number | null;
    ticket_id?: number;
  },
) {
  const recipients = [...new Set(recipientIds)].filter((id) => id !== actorId);
  if (recipients.length === 0) return;
  await db
    .insertInto('notifications')
    .values(
      recipients.map((userId) => ({
        user_id: userId,
        actor_id: actorId,
        thread_id: null,
        post_id: null,
        comment_id: null,
        ticket_id: null,
        ...target,
        created_at: now.toISOString(),
      })),
    )
    .execute();
}

/**
 * Notifications are listed and counted only for threads the person may still see: a question
 * whose category closed to them since leaves their bell (tickets have no thread and stay).
 */
async function seenNotifications(db: Database, userId: number) {
  const viewer = await viewerOfUser(db, userId);
  return db
    .selectFrom('notifications')
    .leftJoin('threads', 'threads.id', 'notifications.thread_id')
    .where('notifications.user_id', '=', userId)
    .where(threadVisibleSql(viewer));
}

export async function unreadNotificationCount(db: Database, userId: number): Promise<number> {
  const row = await (
    await seenNotifications(db, userId)
  )
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('notifications.read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export const notificationPageSize = 30;

export async function listNotifications(db: Database, userId: number, page = 1) {
  const rows = await (
    await seenNotifications(db, userId)
  )
    .leftJoin('tickets', 'tickets.id', 'notifications.ticket_id')
    .leftJoin('users as actor', 'actor.id', 'notifications.actor_id')
    .select([
      'notifications.id',
      'notifications.type',
      'notifications.thread_id',
      'notifications.post_id',
      'notifications.comment_id',
      'notifications.read_at',
      'notifications.created_at',
      'notifications.ticket_id',
      'tickets.requester_id',
      (eb) => eb.fn.coalesce('threads.title', 'tickets.subject').as('title'),
      'actor.display_name as actor_name',
      'actor.username as actor_username',
    ])
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
  const row = await (
    await seenNotifications(db, userId)
  )
    .leftJoin('tickets', 'tickets.id', 'notifications.ticket_id')
    .select([
      'notifications.post_id',
      'notifications.comment_id',
      'notifications.ticket_id',
      'threads.id as thread_id',
      'threads.slug',
      'tickets.requester_id',
    ])
    .where('notifications.id', '=', notificationId)
    .executeTakeFirst();
  if (!row) return null;
  await db
    .updateTable('notifications')
    .set({ read_at: now.toISOString() })
    .where('id', '=', notificationId)
    .where('read_at', 'is', null)
    .execute();
  if (row.ticket_id !== null) {
    // The requester reads it under their requests; the team at the desk.
    return row.requester_id === userId
      ? `/requests/${row.ticket_id}`
      : `/agent/tickets/${row.ticket_id}`;
  }
  if (row.thread_id === null) return '/notifications';
  const anchor = row.comment_id
    ? `#${commentAnchor(row.comment_id)}`
    : row.post_id
      ? `#${answerAnchor(row.post_id)}`
      : '';
  return `${questionPath({ id: row.thread_id, slug: row.slug })}${anchor}`;
}

export async function markAllNotificationsRead(db: Database, userId: number, now = new Date()) {
  await db
    .updateTable('notifications')
    .set({ read_at: now.toISOString() })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .execute();
}
