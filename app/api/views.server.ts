import type { z } from 'zod';
import type { Database } from '#db/client';
import { findArticle } from '~/models/knowledge-base.server';
import { linksForRequester, withoutHiddenLinksMarkdown } from '~/models/ticket-links.server';
import { threadVisibleSql, viewerOfUser, type Viewer } from '~/models/visibility.server';
import { tagsOfArticle } from '~/models/tags.server';
import { getThreadTags } from '~/models/threads.server';
import { fieldsJson } from '~/models/ticket-fields/ticket-fields.server';
import { getTicket } from '~/models/tickets.server';
import { ticketsForApi } from '~/models/ticket-lists.server';
import type { TicketStatus } from '#db/schema';
import type { ApiCaller } from './access.server';
import type {
  articleResponse,
  threadResponse,
  ticketListResponse,
  ticketResponse,
  ticketWriteResponse,
} from './schemas';

/** API v1's JSON for a ticket, thread or article (the shapes are in ./schemas). */

/** The reply to a ticket write: the whole ticket for a token with the read scope, else its id. */
export async function ticketWriteJson(
  db: Database,
  caller: ApiCaller,
  id: number,
): Promise<z.infer<typeof ticketWriteResponse>> {
  if (!caller.scopes.includes('read')) return { id };
  return (await ticketJson(db, id, caller.ticketsOf)) ?? { id };
}

/**
 * A ticket as the caller may see it. `ticketsOf` null: the whole ticket, as the agent desk shows
 * it. A person's id: only a ticket they requested (anyone else's is not found), as their
 * /requests page shows it: public replies and public links, no internal notes, assignee,
 * resolution or external helpdesk ids.
 */
export async function ticketJson(
  db: Database,
  id: number,
  ticketsOf: number | null,
): Promise<z.infer<typeof ticketResponse> | null> {
  const found = await getTicket(db, id);
  if (!found) return null;
  if (ticketsOf !== null && found.ticket.requester_id !== ticketsOf) return null;
  const asRequester = ticketsOf !== null;
  const { ticket, resolution } = found;
  // The requester reads as on their requests page: pages they may not open are not linked.
  const requester = asRequester ? await viewerOfUser(db, ticketsOf) : null;
  const messages = asRequester
    ? await Promise.all(
        found.messages
          .filter((message) => message.kind === 'reply')
          .map(async (message) => ({
            ...message,
            body_md: await withoutHiddenLinksMarkdown(db, requester, message.body_md),
          })),
      )
    : found.messages;
  const links = asRequester ? await linksForRequester(db, found.links, requester) : found.links;
  return {
    id: ticket.id,
    subject: ticket.subject,
    body: ticket.body_md,
    status: ticket.status,
    priority: ticket.priority,
    source: ticket.source,
    fields: await fieldsJson(db, ticket.id, { customer: asRequester }),
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
      !asRequester && ticket.assignee_id && ticket.assignee_name
        ? { id: ticket.assignee_id, name: ticket.assignee_name }
        : null,
    external_id: asRequester ? null : ticket.external_id,
    external_url: asRequester ? null : ticket.external_url,
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
    resolution:
      resolution && !asRequester
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

/** One page of the tickets the caller may see, most recently active first. */
export async function ticketListJson(
  db: Database,
  caller: ApiCaller,
  query: { status?: TicketStatus; page: number },
): Promise<z.infer<typeof ticketListResponse>> {
  const found = await ticketsForApi(db, { requesterId: caller.ticketsOf, ...query });
  return {
    page: query.page,
    has_more: found.hasMore,
    tickets: found.tickets.map((ticket) => ({
      id: ticket.id,
      subject: ticket.subject,
      status: ticket.status,
      priority: ticket.priority,
      requester: { id: ticket.requester_id, name: ticket.requester_name },
      created_at: ticket.created_at,
      updated_at: ticket.updated_at,
    })),
  };
}

/** A thread this viewer may see (deleted ones are not found) with its visible answers. */
export async function threadJson(
  db: Database,
  id: number,
  viewer: Viewer,
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
    .where(threadVisibleSql(viewer))
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

/** A published article this viewer may see (drafts are not found, whatever the token). */
export async function articleJson(
  db: Database,
  slug: string,
  viewer: Viewer,
  origin: string,
): Promise<z.infer<typeof articleResponse> | null> {
  const lookup = await findArticle(db, slug, viewer);
  if (
    lookup.found !== 'article' ||
    lookup.article.status !== 'published' ||
    lookup.article.hidden_at
  )
    return null;
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
