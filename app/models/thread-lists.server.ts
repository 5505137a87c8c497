import type { Database } from '#db/client';
import { markdownToText } from '~/utils/markdown.server';
import { taggedWith, tagsOfThreads } from './tags.server';
import { threadVisibleSql, type Viewer } from './visibility.server';

export const threadTabs = ['newest', 'active', 'unanswered', 'top'] as const;
export type ThreadTab = (typeof threadTabs)[number];

export const threadPageSize = 20;

type SortColumn = 'threads.created_at' | 'threads.last_activity_at' | 'threads.score';

const sortColumns: Record<ThreadTab, SortColumn> = {
  newest: 'threads.created_at',
  active: 'threads.last_activity_at',
  unanswered: 'threads.created_at',
  top: 'threads.score',
};

/** A position in a list: the sort value and id of the row it stops at (keyset pagination). */
export type Cursor = { value: string | number; id: number };

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.value, cursor.id])).toString('base64url');
}

export function decodeCursor(text: string | null): Cursor | null {
  if (!text || text.length > 200) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 2) return null;
    const [value, id] = parsed;
    if ((typeof value !== 'string' && typeof value !== 'number') || !Number.isSafeInteger(id))
      return null;
    return { value, id };
  } catch {
    return null;
  }
}

/** The tab and page of a thread list from its URL; anything unknown falls back to the defaults. */
export function threadListParams(url: URL) {
  const tab = url.searchParams.get('tab');
  return {
    tab: threadTabs.find((candidate): candidate is ThreadTab => candidate === tab) ?? 'newest',
    after: decodeCursor(url.searchParams.get('after')),
    before: decodeCursor(url.searchParams.get('before')),
  };
}

export type ThreadListQuery = {
  tab: ThreadTab;
  tagId?: number | null;
  categoryId?: number | null;
  authorId?: number | null;
  after?: Cursor | null;
  before?: Cursor | null;
  pageSize?: number;
};

/**
 * One page of the threads this viewer may see. Pages are cut by keyset (the last row's sort value
 * and id), so page 500 costs what page 1 costs.
 */
export async function listThreads(db: Database, viewer: Viewer, query: ThreadListQuery) {
  const pageSize = query.pageSize ?? threadPageSize;
  const column = sortColumns[query.tab];
  const backwards = Boolean(query.before && !query.after);
  const cursor = backwards ? query.before : query.after;
  let select = db
    .selectFrom('threads')
    .innerJoin('users as author', 'author.id', 'threads.author_id')
    .leftJoin('categories', 'categories.id', 'threads.category_id')
    .select([
      'threads.id',
      'threads.title',
      'threads.slug',
      'threads.body_md',
      'threads.status',
      'threads.accepted_post_id',
      'threads.score',
      'threads.answer_count',
      'threads.views',
      'threads.created_at',
      'threads.last_activity_at',
      'author.username as author_username',
      'author.display_name as author_name',
      'categories.name as category_name',
      'categories.slug as category_slug',
    ])
    .where('threads.deleted_at', 'is', null)
    .where(threadVisibleSql(viewer));
  if (query.tab === 'unanswered') select = select.where('threads.answer_count', '=', 0);
  if (query.categoryId) select = select.where('threads.category_id', '=', query.categoryId);
  if (query.authorId) select = select.where('threads.author_id', '=', query.authorId);
  if (query.tagId) select = select.where(taggedWith(query.tagId));
  if (cursor) {
    select = select.where((eb) =>
      eb(
        eb.refTuple(column, 'threads.id'),
        backwards ? '>' : '<',
        eb.tuple(cursor.value, cursor.id),
      ),
    );
  }
  const direction = backwards ? 'asc' : 'desc';
  const rows = await select
    .orderBy(column, direction)
    .orderBy('threads.id', direction)
    .limit(pageSize + 1)
    .execute();
  const more = rows.length > pageSize;
  const page = rows.slice(0, pageSize);
  if (backwards) page.reverse();
  const tags = await tagsOfThreads(
    db,
    page.map((row) => row.id),
  );
  const threads = page.map(({ body_md, ...row }) => ({
    ...row,
    excerpt: markdownToText(body_md, 180),
    tags: tags.get(row.id) ?? [],
  }));
  const cursorOf = (row: (typeof page)[number]): string => {
    const value =
      column === 'threads.score'
        ? row.score
        : column === 'threads.created_at'
          ? row.created_at
          : row.last_activity_at;
    return encodeCursor({ value, id: row.id });
  };
  const first = page[0];
  const last = page.at(-1);
  return {
    threads,
    // Going forward there is a next page when we got more rows; going back, there always is.
    next: last && (backwards || more) ? cursorOf(last) : null,
    previous: first && (backwards ? more : Boolean(query.after)) ? cursorOf(first) : null,
  };
}
