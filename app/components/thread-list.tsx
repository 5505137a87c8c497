import { Link, NavLink, useSearchParams } from '@remix-run/react';
import type { ThreadTab } from '~/models/thread-lists.server';
import { timeAgo } from '~/utils/dates';
import { plural } from '~/utils/words';
import { TagList } from './posts';
import { questionPath } from '#lib/content-urls';

export type ThreadListItem = {
  id: number;
  title: string;
  slug: string;
  excerpt: string;
  status: string;
  accepted_post_id: number | null;
  score: number;
  answer_count: number;
  views: number;
  created_at: string;
  last_activity_at: string;
  author_username: string;
  author_name: string;
  category_name: string | null;
  category_slug: string | null;
  tags: string[];
};

export function ThreadList({ threads, empty }: { threads: ThreadListItem[]; empty: string }) {
  if (threads.length === 0) return <p className="empty-state">{empty}</p>;
  return (
    <ol className="thread-list">
      {threads.map((thread) => (
        <li key={thread.id} className="thread-item">
          <div className="thread-stats" aria-label="Statistics">
            <span>{plural(thread.score, 'vote')}</span>
            <span
              className={
                thread.accepted_post_id
                  ? 'answers answers-accepted'
                  : thread.answer_count
                    ? 'answers'
                    : undefined
              }
            >
              {thread.accepted_post_id ? '✓ ' : ''}
              {plural(thread.answer_count, 'answer')}
            </span>
            <span className="muted">{plural(thread.views, 'view')}</span>
          </div>
          <div className="thread-main">
            <h3>
              <Link to={questionPath(thread)}>{thread.title}</Link>
              {thread.accepted_post_id ? (
                <span className="badge badge-success">Answered</span>
              ) : null}
            </h3>
            <p className="thread-excerpt">{thread.excerpt}</p>
            <div className="thread-meta">
              {thread.category_slug ? (
                <Link className="category-chip" to={`/categories/${thread.category_slug}`}>
                  {thread.category_name}
                </Link>
              ) : null}
              <TagList tags={thread.tags} />
              <span className="muted thread-byline">
                <Link to={`/users/${encodeURIComponent(thread.author_username)}`}>
                  {thread.author_name}
                </Link>{' '}
                asked{' '}
                <time dateTime={thread.created_at} suppressHydrationWarning>
                  {timeAgo(thread.created_at)}
                </time>
              </span>
            </div>
          </div>
        </li>
      ))}
    </ol>
  );
}

const tabOrder: ThreadTab[] = ['newest', 'active', 'unanswered', 'top'];

const tabLabels: Record<ThreadTab, string> = {
  newest: 'Newest',
  active: 'Active',
  unanswered: 'Unanswered',
  top: 'Top',
};

/** The list tabs; they keep the tag and category filters and start again at page one. */
export function ThreadTabs({ current }: { current: ThreadTab }) {
  const [searchParams] = useSearchParams();
  return (
    <nav className="tabs" aria-label="Sort questions">
      {tabOrder.map((tab) => {
        const params = new URLSearchParams(searchParams);
        params.delete('after');
        params.delete('before');
        params.set('tab', tab);
        return (
          <NavLink
            key={tab}
            to={`?${params}`}
            className={tab === current ? 'tab tab-current' : 'tab'}
            aria-current={tab === current ? 'page' : undefined}
          >
            {tabLabels[tab]}
          </NavLink>
        );
      })}
    </nav>
  );
}

export function CursorPager({ next, previous }: { next: string | null; previous: string | null }) {
  const [searchParams] = useSearchParams();
  const link = (key: 'after' | 'before', value: string) => {
    const params = new URLSearchParams(searchParams);
    params.delete('after');
    params.delete('before');
    params.set(key, value);
    return `?${params}`;
  };
  if (!next && !previous) return null;
  return (
    <nav className="pager" aria-label="Pages">
      {previous ? <Link to={link('before', previous)}>← Previous page</Link> : <span />}
      {next ? <Link to={link('after', next)}>Next page →</Link> : null}
    </nav>
  );
}
