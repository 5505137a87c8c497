import type { z } from 'zod';
import type { Database } from '#db/client';
import { findArticle } from '~/models/knowledge-base.server';
import { tagsOfArticle } from '~/models/tags.server';
import { getThreadTags } from '~/models/threads.server';
import { getTicket } from '~/models/tickets.server';
import type { ApiClient } from '~/models/api-tokens.server';
import type {
  articleResponse,
  threadResponse,
  ticketResponse,
  ticketWriteResponse,
} from './schemas';

/** API v1's JSON for a ticket, thread or article (the shapes are in ./schemas). */

/** The reply to a ticket write: the whole ticket for a token with the read scope, else its id. */
export async function ticketWriteJson(
  db: Database,
  client: ApiClient,
  id: number,
): Promise<z.infer<typeof ticketWriteResponse>> {
  if (!client.scopes.includes('read')) return { id };
  return (await ticketJson(db, id)) ?? { id };
}

export async function ticketJson(
  db: Database,
  id: number,
): Promise<z.infer<typeof ticketResponse> | null> {
  const found = await getTicket(db, id);
  if (!found) return null;
  const { ticket, links, messages, resolution } = found;
  return {
    id: ticket.id,
    subject: ticket.subject,
    body: ticket.body_md,
    status: ticket.status,
    source: ticket.source,
    requester: {
      id: ticket.requester_id,
      name: ticket.requester_name,
      email: ticket.requester_email,
    },
    organization:
      ticket.organization_id && ticket.organization_name
        ? { id: ticket.organization_id, name: ticket.organization_name }
        : null,
    assignee:
      ticket.assignee_id && ticket.assignee_name
        ? { id: ticket.assignee_id, name: ticket.assignee_name }
        : null,
    external_id: ticket.external_id,
    external_url: ticket.external_url,
    created_at: ticket.created_at,
    updated_at: ticket.updated_at,
    solved_at: ticket.solved_at,
    links: links.map((link) => ({
      type: link.target_type,
      id: link.target_id,
      relation: link.relation,
      title: link.title,
      url: link.url,
    })),
    resolution: resolution
      ? {
          kind: resolution.kind,
          article_id: resolution.article_id,
          thread_id: resolution.thread_id,
          post_id: resolution.post_id,
          note: resolution.note,
          created_at: resolution.created_at,
        }
      : null,
    messages: messages.map((message) => ({
      id: message.id,
      kind: message.kind,
      author: message.author_name,
      body: message.body_md,
      created_at: message.created_at,
    })),
  };
}

/** A public thread (deleted ones are not found) with its visible answers. */
export async function threadJson(
  db: Database,
  id: number,
  origin: string,
): Promise<z.infer<typeof threadResponse> | null> {
  const thread = await db
    .selectFrom('threads')
    .innerJoin('users', 'users.id', 'threads.author_id')
    .select([
      'threads.id',
      'threads.title',
      'threads.slug',
      'threads.body_md',
      'threads.status',
      'threads.score',
      'threads.views',
      'threads.accepted_post_id',
      'threads.created_at',
      'users.display_name',
    ])
    .where('threads.id', '=', id)
    .where('threads.deleted_at', 'is', null)
    .executeTakeFirst();
  if (!thread) return null;
  const [answers, tags] = await Promise.all([
    db
      .selectFrom('posts')
      .innerJoin('users', 'users.id', 'posts.author_id')
      .select([
        'posts.id',
        'posts.body_md',
        'posts.score',
        'posts.created_at',
        'users.display_name',
      ])
      .where('posts.thread_id', '=', id)
      .where('posts.deleted_at', 'is', null)
      .orderBy('posts.score', 'desc')
      .orderBy('posts.id')
      .execute(),
    getThreadTags(db, id),
  ]);
  return {
    id: thread.id,
    title: thread.title,
    url: `${origin}/questions/${thread.id}/${thread.slug}`,
    body: thread.body_md,
    status: thread.status,
    score: thread.score,
    views: thread.views,
    tags,
    author: thread.display_name,
    accepted_answer_id: thread.accepted_post_id,
    created_at: thread.created_at,
    answers: answers.map((answer) => ({
      id: answer.id,
      body: answer.body_md,
      score: answer.score,
      author: answer.display_name,
      accepted: answer.id === thread.accepted_post_id,
      created_at: answer.created_at,
    })),
  };
}

/** A published article (drafts are not found, whatever the token). */
export async function articleJson(
  db: Database,
  slug: string,
  origin: string,
): Promise<z.infer<typeof articleResponse> | null> {
  const lookup = await findArticle(db, slug, null);
  if (lookup.found !== 'article') return null;
  const article = await db
    .selectFrom('articles')
    .select(['id', 'slug', 'title', 'body_md', 'published_at', 'updated_at'])
    .where('id', '=', lookup.article.id)
    .executeTakeFirstOrThrow();
  return {
    id: article.id,
    slug: article.slug,
    title: article.title,
    url: `${origin}/kb/${article.slug}`,
    body: article.body_md,
    tags: await tagsOfArticle(db, article.id),
    published_at: article.published_at,
    updated_at: article.updated_at,
  };
}
