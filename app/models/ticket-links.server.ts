import type { Database } from '#db/client';
import type { LinkRelation, LinkTarget } from '#db/schema';
import { markdownToText } from '~/utils/markdown.server';
import { answerPath, articlePath, parseContentUrl, questionPath } from '#lib/content-urls';
import type { Failure } from '~/utils/result';

// What a ticket is about: the threads, answers and articles linked to it.

export type LinkInput = { type: LinkTarget; id: number };

/**
 * The thread, answer or article a link points at, if it exists (answers carry their thread).
 * `public` says whether customers may see it: threads and answers in view, published articles.
 */
export async function findLinkTarget(db: Database, target: LinkInput) {
  if (target.type === 'article') {
    const article = await db
      .selectFrom('articles')
      .select(['id', 'title', 'slug', 'status'])
      .where('id', '=', target.id)
      .executeTakeFirst();
    return article
      ? {
          ...target,
          title: article.title,
          url: articlePath(article.slug),
          threadId: null,
          public: article.status === 'published',
        }
      : null;
  }
  if (target.type === 'thread') {
    const thread = await db
      .selectFrom('threads')
      .select(['id', 'title', 'slug'])
      .where('id', '=', target.id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return thread
      ? {
          ...target,
          title: thread.title,
          url: questionPath(thread),
          threadId: thread.id,
          public: true,
        }
      : null;
  }
  const post = await db
    .selectFrom('posts')
    .innerJoin('threads', 'threads.id', 'posts.thread_id')
    .select(['posts.id', 'threads.id as thread_id', 'threads.title', 'threads.slug'])
    .where('posts.id', '=', target.id)
    .where('posts.deleted_at', 'is', null)
    .where('threads.deleted_at', 'is', null)
    .executeTakeFirst();
  return post
    ? {
        ...target,
        title: `Answer on “${post.title}”`,
        url: answerPath({ id: post.thread_id, slug: post.slug }, post.id),
        threadId: post.thread_id,
        public: true,
      }
    : null;
}

/** The threads, answers and articles linked to a ticket, with titles and URLs. */
export async function linksOf(db: Database, ticketId: number) {
  const rows = await db
    .selectFrom('ticket_links')
    .select(['id', 'target_type', 'target_id', 'relation', 'created_at'])
    .where('ticket_id', '=', ticketId)
    .orderBy('id')
    .execute();
  const links = await Promise.all(
    rows.map(async (row) => {
      const target = await findLinkTarget(db, { type: row.target_type, id: row.target_id });
      if (!target) return null;
      return {
        ...row,
        title: target.title,
        url: target.url,
        threadId: target.threadId,
        public: target.public,
      };
    }),
  );
  return links.filter((link) => link !== null);
}

export async function linkTicket(
  db: Database,
  actorId: number | null,
  ticketId: number,
  target: LinkInput,
  relation: LinkRelation = 'related',
  now = new Date(),
): Promise<{ ok: true; linkId: number } | Failure> {
  const ticket = await db
    .selectFrom('tickets')
    .select('id')
    .where('id', '=', ticketId)
    .executeTakeFirst();
  if (!ticket) return { ok: false, status: 404, error: 'That ticket does not exist.' };
  const found = await findLinkTarget(db, target);
  if (!found)
    return {
      ok: false,
      status: 400,
      error: `That ${target.type === 'post' ? 'answer' : target.type} does not exist.`,
    };
  const existing = await db
    .selectFrom('ticket_links')
    .select('id')
    .where('ticket_id', '=', ticketId)
    .where('target_type', '=', target.type)
    .where('target_id', '=', target.id)
    .executeTakeFirst();
  if (existing) return { ok: true, linkId: existing.id };
  const row = await db
    .insertInto('ticket_links')
    .values({
      ticket_id: ticketId,
      target_type: target.type,
      target_id: target.id,
      relation,
      created_by: actorId,
      created_at: now.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { ok: true, linkId: row.id };
}

export async function unlinkTicket(db: Database, ticketId: number, linkId: number) {
  await db
    .deleteFrom('ticket_links')
    .where('id', '=', linkId)
    .where('ticket_id', '=', ticketId)
    .where('relation', '=', 'related')
    .execute();
}

/**
 * Reads what an agent typed or pasted into the link picker: a search key (thread-12, article-3),
 * a URL of ours (/questions/12/…#answer-34, /kb/slug) or a plain reference (answer 34).
 */
export async function parseLinkReference(db: Database, text: string): Promise<LinkInput | null> {
  const value = text.trim();
  const key = /^(thread|article|post)-(\d{1,12})$/.exec(value);
  if (key) return { type: key[1] as LinkTarget, id: Number(key[2]) };
  const reference = parseContentUrl(value);
  if (reference?.type === 'article') {
    const row = await db
      .selectFrom('articles')
      .select('id')
      .where('slug', '=', reference.slug)
      .executeTakeFirst();
    return row ? { type: 'article', id: row.id } : null;
  }
  return reference;
}

/** The answers of threads linked to a ticket, so an agent can link or credit one of them. */
export async function answersOfLinkedThreads(db: Database, threadIds: number[]) {
  if (threadIds.length === 0) return [];
  const rows = await db
    .selectFrom('posts')
    .innerJoin('users', 'users.id', 'posts.author_id')
    .innerJoin('threads', 'threads.id', 'posts.thread_id')
    .select([
      'posts.id',
      'posts.thread_id',
      'posts.score',
      'posts.body_md',
      'users.display_name as author_name',
      'threads.accepted_post_id',
    ])
    .where('posts.thread_id', 'in', threadIds)
    .where('posts.deleted_at', 'is', null)
    .orderBy('posts.score', 'desc')
    .orderBy('posts.id')
    .limit(50)
    .execute();
  return rows.map(({ body_md, accepted_post_id, ...row }) => ({
    ...row,
    accepted: accepted_post_id === row.id,
    excerpt: markdownToText(body_md, 160),
  }));
}
