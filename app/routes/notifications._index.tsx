import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import type { NotificationType } from '#db/schema';
import { requireUser } from '~/auth/session.server';
import { listNotifications, markAllNotificationsRead } from '~/models/notifications.server';
import { timeAgo } from '~/utils/dates';
import { getDb } from '~/utils/db.server';

export const meta: MetaFunction = () => [{ title: 'Notifications' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const page = Math.min(
    Math.max(Number.parseInt(new URL(request.url).searchParams.get('page') ?? '1', 10) || 1, 1),
    1000,
  );
  return { ...(await listNotifications(getDb(), user.id, page)), page, userId: user.id };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  await markAllNotificationsRead(getDb(), user.id);
  return redirect('/notifications');
}

const verbs: Record<NotificationType, string> = {
  answer: 'answered your question',
  comment: 'commented on your post in',
  accepted: 'accepted your answer to',
  mention: 'mentioned you in',
  ticket: 'replied to your request',
};

export default function NotificationsPage() {
  const { notifications, hasMore, page, userId } = useLoaderData<typeof loader>();
  const unread = notifications.some((notification) => !notification.read_at);
  return (
    <div className="page narrow">
      <header className="page-title-row">
        <h1>Notifications</h1>
        {unread ? (
          <Form method="post">
            <button type="submit" className="button button-secondary button-small">
              Mark all as read
            </button>
          </Form>
        ) : null}
      </header>
      {notifications.length === 0 ? (
        <p className="empty-state">
          Nothing yet. When someone answers, comments on or mentions your posts, it shows up here.
        </p>
      ) : (
        <ul className="notification-list">
          {notifications.map((notification) => (
            <li
              key={notification.id}
              className={notification.read_at ? 'notification' : 'notification notification-unread'}
            >
              <Link to={`/notifications/${notification.id}`}>
                {notification.read_at ? null : <span className="visually-hidden">Unread: </span>}
                <strong>{notification.actor_name ?? 'Someone'}</strong>{' '}
                {notification.type === 'ticket' && notification.requester_id !== userId
                  ? 'replied on the ticket'
                  : verbs[notification.type]}{' '}
                <em>{notification.title}</em>
              </Link>
              <time dateTime={notification.created_at} className="muted" suppressHydrationWarning>
                {timeAgo(notification.created_at)}
              </time>
            </li>
          ))}
        </ul>
      )}
      <nav className="pager" aria-label="Pages">
        {page > 1 ? <Link to={`?page=${page - 1}`}>← Newer</Link> : <span />}
        {hasMore ? <Link to={`?page=${page + 1}`}>Older →</Link> : null}
      </nav>
    </div>
  );
}
