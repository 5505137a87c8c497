import crypto from 'node:crypto';
import type { Database } from '#db/client';
import type { SearchEntity, Visibility } from '#db/schema';
import { htmlToExcerpt } from '#lib/markdown';
import { articlePath, questionPath } from '#lib/content-urls';
import { contentKeys, type AudienceRow } from './audience';

/** What both indexes hold, so one federated search can rank and facet them together. */
export type SearchDocument = {
  id: number;
  type: SearchEntity;
  title: string;
  tags: string[];
  body: string;
  answers: string;
  category: string | null;
  category_slug: string | null;
  journey_stage: string | null;
  status: string;
  answered: boolean;
  created_at: number;
  score: number;
  url: string;
  /** The keys that open the page itself (search/audience.ts): `['public']` for a thread. */
  audience: string[];
  /** The keys that open its category: `['public']` without one. */
  category_audience: string[];
  /** A hash of everything above: equal versions mean equal documents. */
  version: string;
};

const maxText = 20_000;

// NOTE: from the stored HTML, not the Markdown: rendering Markdown again was most of the time an
// import spent building search rows, and the text is the same.
function plain(html: string): string {
  return htmlToExcerpt(html, maxText);
}

function seconds(iso: string): number {
  return Math.floor(new Date(iso).getTime() / 1000);
}

/** The audience rows of these categories or articles, by id: one query however many. */
async function audiencesOf(
  db: Database,
  subjectType: 'category' | 'article',
  ids: number[],
): Promise<Map<number, AudienceRow[]>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .selectFrom('audiences')
    .select(['subject_id', 'group_id', 'organization_id'])
    .where('subject_type', '=', subjectType)
    .where('subject_id', 'in', unique)
    .orderBy('id')
    .execute();
  return groupBy(rows, (row) => row.subject_id);
}

function keysOf(
  subject: { id: number | null; visibility: Visibility | null },
  audiences: Map<number, AudienceRow[]>,
): string[] {
  if (subject.id === null || subject.visibility === null) return ['public'];
  return contentKeys(subject.visibility, audiences.get(subject.id) ?? []);
}

function withVersion(document: Omit<SearchDocument, 'version'>): SearchDocument {
  const version = crypto
    .createHash('sha1')
    .update(JSON.stringify(document))
    .digest('hex')
    .slice(0, 16);
  return { ...document, version };
}

/**
 * The public search documents of these threads, in their order: null for one that must not be
 * searchable. Four queries however many threads (an import builds thousands at once).
 */
export async function threadDocuments(
  db: Database,
  threadIds: number[],
): Promise<(SearchDocument | null)[]> {
  if (threadIds.length === 0) return [];
  const [threads, tags, answers] = await Promise.all([
    db
      .selectFrom('threads')
      .leftJoin('categories', 'categories.id', 'threads.category_id')
      .select([
        'threads.id',
        'threads.title',
        'threads.slug',
        'threads.body_html',
        'threads.status',
        'threads.accepted_post_id',
        'threads.journey_stage',
        'threads.score',
        'threads.created_at',
        'threads.deleted_at',
        'categories.id as category_id',
        'categories.visibility as category_visibility',
        'categories.name as category',
        'categories.slug as category_slug',
      ])
      .where('threads.id', 'in', threadIds)
      .where('threads.deleted_at', 'is', null)
      .execute(),
    db
      .selectFrom('thread_tags')
      .innerJoin('tags', 'tags.id', 'thread_tags.tag_id')
      .select(['thread_tags.thread_id', 'tags.name'])
      .where('thread_tags.thread_id', 'in', threadIds)
      .orderBy('tags.name')
      .execute(),
    db
      .selectFrom('posts')
      .select(['id', 'thread_id', 'body_html'])
      .where('thread_id', 'in', threadIds)
      .where('deleted_at', 'is', null)
      .orderBy('score', 'desc')
      .orderBy('id')
      .execute(),
  ]);
  const categoryAudiences = await audiencesOf(
    db,
    'category',
    threads.flatMap((thread) => (thread.category_id === null ? [] : [thread.category_id])),
  );
  const byId = new Map(threads.map((thread) => [thread.id, thread]));
  const tagsOf = groupBy(tags, (tag) => tag.thread_id);
  const answersOf = groupBy(answers, (answer) => answer.thread_id);
  return threadIds.map((threadId) => {
    const thread = byId.get(threadId);
    if (!thread) return null;
    const all = answersOf.get(threadId) ?? [];
    const accepted = all.filter((answer) => answer.id === thread.accepted_post_id);
    const others = all.filter((answer) => answer.id !== thread.accepted_post_id);
    return withVersion({
      id: thread.id,
      type: 'thread',
      title: thread.title,
      tags: (tagsOf.get(threadId) ?? []).map((tag) => tag.name),
      body: plain(thread.body_html),
      answers: [...accepted, ...others]
        .map((answer) => plain(answer.body_html))
        .join('\n')
        .slice(0, maxText),
      category: thread.category,
      category_slug: thread.category_slug,
      journey_stage: thread.journey_stage,
      status: thread.status,
      answered: thread.accepted_post_id !== null,
      created_at: seconds(thread.created_at),
      score: thread.score,
      url: questionPath(thread),
      audience: ['public'],
      category_audience: keysOf(
        { id: thread.category_id, visibility: thread.category_visibility },
        categoryAudiences,
      ),
    });
  });
}

function groupBy<T>(rows: T[], keyOf: (row: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}

/** The public search document of a thread, or null when it must not be searchable. */
export async function threadDocument(
  db: Database,
  threadId: number,
): Promise<SearchDocument | null> {
  const [document] = await threadDocuments(db, [threadId]);
  return document ?? null;
}

/** The public search document of an article: published ones only. */
export async function articleDocument(
  db: Database,
  articleId: number,
): Promise<SearchDocument | null> {
  const article = await db
    .selectFrom('articles')
    .leftJoin('categories', 'categories.id', 'articles.category_id')
    .select([
      'articles.id',
      'articles.title',
      'articles.slug',
      'articles.body_html',
      'articles.status',
      'articles.hidden_at',
      'articles.journey_stage',
      'articles.views',
      'articles.created_at',
      'articles.published_at',
      'articles.visibility',
      'categories.id as category_id',
      'categories.visibility as category_visibility',
      'categories.name as category',
      'categories.slug as category_slug',
    ])
    .where('articles.id', '=', articleId)
    .executeTakeFirst();
  if (!article || article.status !== 'published' || article.hidden_at) return null;
  const [tags, ownAudience, categoryAudience] = await Promise.all([
    db
      .selectFrom('article_tags')
      .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
      .select('tags.name')
      .where('article_tags.article_id', '=', articleId)
      .orderBy('tags.name')
      .execute(),
    audiencesOf(db, 'article', [article.id]),
    audiencesOf(db, 'category', article.category_id === null ? [] : [article.category_id]),
  ]);
  return withVersion({
    id: article.id,
    type: 'article',
    title: article.title,
    tags: tags.map((tag) => tag.name),
    body: plain(article.body_html),
    answers: '',
    category: article.category,
    category_slug: article.category_slug,
    journey_stage: article.journey_stage,
    status: article.status,
    answered: true,
    created_at: seconds(article.published_at ?? article.created_at),
    score: article.views,
    url: articlePath(article.slug),
    audience: keysOf(article, ownAudience),
    category_audience: keysOf(
      { id: article.category_id, visibility: article.category_visibility },
      categoryAudience,
    ),
  });
}

export function buildDocument(
  db: Database,
  type: SearchEntity,
  id: number,
): Promise<SearchDocument | null> {
  return type === 'thread' ? threadDocument(db, id) : articleDocument(db, id);
}

/** The documents of these entities, in their order (null for one that must not be searchable). */
export function buildDocuments(
  db: Database,
  type: SearchEntity,
  ids: number[],
): Promise<(SearchDocument | null)[]> {
  return type === 'thread'
    ? threadDocuments(db, ids)
    : Promise.all(ids.map((id) => articleDocument(db, id)));
}

/** Ids of every entity that could be public, in batches, for a full reindex. */
export async function* allEntityIds(
  db: Database,
  type: SearchEntity,
  batchSize = 500,
): AsyncGenerator<number[]> {
  let after = 0;
  for (;;) {
    const rows =
      type === 'thread'
        ? await db
            .selectFrom('threads')
            .select('id')
            .where('id', '>', after)
            .where('deleted_at', 'is', null)
            .orderBy('id')
            .limit(batchSize)
            .execute()
        : await db
            .selectFrom('articles')
            .select('id')
            .where('id', '>', after)
            .where('status', '=', 'published')
            .where('hidden_at', 'is', null)
            .orderBy('id')
            .limit(batchSize)
            .execute();
    if (rows.length === 0) return;
    yield rows.map((row) => row.id);
    after = rows.at(-1)?.id ?? after;
  }
}

export async function countPublicEntities(db: Database, type: SearchEntity): Promise<number> {
  const row =
    type === 'thread'
      ? await db
          .selectFrom('threads')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('deleted_at', 'is', null)
          .executeTakeFirstOrThrow()
      : await db
          .selectFrom('articles')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('status', '=', 'published')
          .where('hidden_at', 'is', null)
          .executeTakeFirstOrThrow();
  return Number(row.n);
}
