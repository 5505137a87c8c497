import { z } from 'zod';
import type { Database } from '#db/client';
import { requestRating } from './satisfaction.server';
import { resolutionKinds } from '#db/schema';
import { stripPersonalData } from '~/utils/personal-data';
import { slugify } from '~/utils/slug';
import { createArticle } from './articles.server';
import { recordEvent } from './events.server';
import { isStaff, type Actor } from './permissions';
import { acceptAnswer, postAnswer } from './posts.server';
import { askQuestion } from './threads.server';
import { findLinkTarget, linkTicket } from './ticket-links.server';
import { mailTicketSolved } from './mail/notifications.server';
import { missingToSolve, webhookTicket } from './ticket-fields/ticket-fields.server';
import { emitWebhook } from './webhooks.server';
import type { Failure } from '~/utils/result';

type Staff = NonNullable<Actor>;

export const resolutionSchema = z.object({
  kind: z.enum(resolutionKinds, 'Choose what resolved the ticket.'),
  articleId: z.coerce.number().int().positive().optional(),
  threadId: z.coerce.number().int().positive().optional(),
  postId: z.coerce.number().int().positive().optional(),
  problemId: z.coerce.number().int().positive().optional(),
  note: z.string().trim().max(2000, 'Keep the note under 2,000 characters.').optional(),
});

export type ResolutionInput = z.infer<typeof resolutionSchema>;

/**
 * Solves a ticket and records what resolved it: an article, a thread or one of its answers, a
 * direct answer because no content exists (a content gap), or something else.
 */
export async function resolveTicket(
  db: Database,
  actor: Staff,
  ticketId: number,
  input: ResolutionInput,
  now = new Date(),
  /** quiet: no "solved" mail and no rating request (a known issue's fix mails everyone once). */
  options: { quiet?: boolean } = {},
): Promise<{ ok: true } | Failure> {
  if (!isStaff(actor)) return { ok: false, status: 403, error: 'Only our team resolves tickets.' };
  const ticket = await db
    .selectFrom('tickets')
    .select(['id', 'subject', 'status'])
    .where('id', '=', ticketId)
    .executeTakeFirst();
  if (!ticket) return { ok: false, status: 404, error: 'That ticket does not exist.' };
  if (ticket.status === 'closed')
    return { ok: false, status: 400, error: 'This ticket is closed.' };
  const missing = await missingToSolve(db, ticketId);
  if (missing.length > 0)
    return {
      ok: false,
      status: 400,
      error: `Fill in ${missing.join(', ')} before solving: the ticket's fields say so.`,
    };
  let articleId: number | null = null;
  let threadId: number | null = null;
  let postId: number | null = null;
  if (input.kind === 'article') {
    const article = input.articleId
      ? await findLinkTarget(db, { type: 'article', id: input.articleId })
      : null;
    if (!article) return { ok: false, status: 400, error: 'Choose the article that resolved it.' };
    articleId = article.id;
  } else if (input.kind === 'thread') {
    const target = input.postId
      ? await findLinkTarget(db, { type: 'post', id: input.postId })
      : input.threadId
        ? await findLinkTarget(db, { type: 'thread', id: input.threadId })
        : null;
    if (!target)
      return { ok: false, status: 400, error: 'Choose the thread or answer that resolved it.' };
    threadId = target.threadId;
    postId = target.type === 'post' ? target.id : null;
  } else if (input.kind === 'known_issue') {
    const problem = input.problemId
      ? await db
          .selectFrom('problems')
          .select('id')
          .where('id', '=', input.problemId)
          .executeTakeFirst()
      : null;
    if (!problem)
      return { ok: false, status: 400, error: 'Choose the known issue that resolved it.' };
  } else if (input.kind === 'other' && !input.note) {
    return { ok: false, status: 400, error: 'Say in a note what resolved it.' };
  }
  const at = now.toISOString();
  const target = articleId
    ? { type: 'article' as const, id: articleId }
    : postId
      ? { type: 'post' as const, id: postId }
      : threadId
        ? { type: 'thread' as const, id: threadId }
        : null;
  if (target) await linkTicket(db, actor.id, ticketId, target, 'related', now);
  await db.transaction().execute(async (trx) => {
    const resolution = {
      kind: input.kind,
      article_id: articleId,
      thread_id: threadId,
      post_id: postId,
      note: input.note || null,
      problem_id: input.kind === 'known_issue' ? (input.problemId ?? null) : null,
      resolved_by: actor.id,
      created_at: at,
    };
    await trx
      .insertInto('resolutions')
      .values({ ticket_id: ticketId, ...resolution })
      .onConflict((oc) => oc.column('ticket_id').doUpdateSet(resolution))
      .execute();
    await trx
      .updateTable('tickets')
      .set({ status: 'solved', solved_at: at, updated_at: at })
      .where('id', '=', ticketId)
      .execute();
    await recordEvent(trx, 'ticket_solved', {
      user_id: actor.id,
      ticket_id: ticketId,
      thread_id: threadId,
      post_id: postId,
      article_id: articleId,
      data: { kind: input.kind, target: target ? `${target.type}:${target.id}` : null },
      at: now,
    });
    await emitWebhook(
      trx,
      'ticket.solved',
      {
        ticket: await webhookTicket(trx, ticketId),
        resolution: {
          kind: input.kind,
          article_id: articleId,
          thread_id: threadId,
          post_id: postId,
          problem_id: input.kind === 'known_issue' ? (input.problemId ?? null) : null,
        },
      },
      now,
    );
    if (options.quiet) return;
    await requestRating(trx, ticketId, actor.id, now);
    await mailTicketSolved(trx, ticketId, actor.id, now);
  });
  return { ok: true };
}

/** The last public reply the team wrote on a ticket: the answer worth keeping. */
async function lastAgentReply(db: Database, ticketId: number, requesterId: number) {
  const reply = await db
    .selectFrom('ticket_messages')
    .select('body_md')
    .where('ticket_id', '=', ticketId)
    .where('kind', '=', 'reply')
    .where('author_id', '!=', requesterId)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return reply?.body_md ?? null;
}

async function ticketForFollowUp(db: Database, ticketId: number) {
  return db
    .selectFrom('tickets')
    .innerJoin('users', 'users.id', 'tickets.requester_id')
    .select([
      'tickets.id',
      'tickets.subject',
      'tickets.body_md',
      'tickets.category_id',
      'tickets.requester_id',
      'users.display_name',
      'users.username',
    ])
    .where('tickets.id', '=', ticketId)
    .executeTakeFirst();
}

/** Removes the requester from text that is about to become public. */
function anonymise(text: string, requester: { display_name: string; username: string }) {
  let result = stripPersonalData(text);
  for (const name of new Set([requester.display_name, requester.username])) {
    if (name.trim().length > 1) result = result.split(name).join('a customer');
  }
  return result;
}

/**
 * Posts a solved ticket to the community as a public question with the team's answer accepted,
 * so the next customer finds it. The requester is left out: the agent asks on their behalf.
 */
export async function postTicketToCommunity(
  db: Database,
  actor: Staff,
  ticketId: number,
  now = new Date(),
): Promise<{ ok: true; threadId: number; slug: string } | Failure> {
  if (!isStaff(actor)) return { ok: false, status: 403, error: 'Only our team can do that.' };
  const ticket = await ticketForFollowUp(db, ticketId);
  if (!ticket) return { ok: false, status: 404, error: 'That ticket does not exist.' };
  const answer = await lastAgentReply(db, ticketId, ticket.requester_id);
  if (!answer)
    return {
      ok: false,
      status: 400,
      error: 'Reply to the customer first: that reply becomes the answer.',
    };
  const title = anonymise(ticket.subject, ticket).padEnd(15, '.').slice(0, 150);
  const asked = await askQuestion(
    db,
    actor,
    {
      title,
      body: `${anonymise(ticket.body_md, ticket)}\n\n*Asked by a customer through support.*`.padEnd(
        20,
        ' ',
      ),
      categoryId: ticket.category_id,
      tags: [],
      journeyStage: null,
      reason: undefined,
    },
    now,
  );
  if (!asked.ok)
    return {
      ok: false,
      status: 400,
      error: Object.values(asked.fieldErrors)[0] ?? 'The question could not be posted.',
    };
  const posted = await postAnswer(db, actor, asked.id, anonymise(answer, ticket), now);
  if (!posted.ok) return posted;
  await acceptAnswer(db, actor, asked.id, posted.id, now);
  await linkTicket(db, actor.id, ticketId, { type: 'post', id: posted.id }, 'related', now);
  return { ok: true, threadId: asked.id, slug: asked.slug };
}

/** Starts an article draft from a ticket: its subject and the team's answer, linked back. */
export async function draftArticleFromTicket(
  db: Database,
  actor: Staff,
  ticketId: number,
  now = new Date(),
): Promise<{ ok: true; articleId: number } | Failure> {
  if (!isStaff(actor)) return { ok: false, status: 403, error: 'Only our team writes articles.' };
  const ticket = await ticketForFollowUp(db, ticketId);
  if (!ticket) return { ok: false, status: 404, error: 'That ticket does not exist.' };
  const answer = await lastAgentReply(db, ticketId, ticket.requester_id);
  const title = anonymise(ticket.subject, ticket).slice(0, 150);
  const body = [
    answer ? anonymise(answer, ticket) : '',
    `<!-- Drafted from ticket #${ticket.id}. The customer asked: ${anonymise(ticket.subject, ticket).replaceAll('--', '—')} -->`,
  ]
    .filter(Boolean)
    .join('\n\n');
  const base = slugify(title, 70) || 'ticket';
  for (const slug of [base, `${base}-${ticket.id}`, `${base}-${ticket.id}-${now.getTime()}`]) {
    const created = await createArticle(
      db,
      actor,
      {
        title: title.length >= 5 ? title : `${title} (draft)`,
        slug,
        body: body.length >= 20 ? body : `${body}\n\nWrite the steps that resolve this problem.`,
        categoryId: ticket.category_id,
        journeyStage: null,
        tags: [],
        ownerId: actor.id,
        reason: undefined,
      },
      {},
      now,
    );
    if (created.ok) {
      await linkTicket(db, actor.id, ticketId, { type: 'article', id: created.id }, 'related', now);
      return { ok: true, articleId: created.id };
    }
    if (!created.fieldErrors.slug)
      return {
        ok: false,
        status: 400,
        error: Object.values(created.fieldErrors)[0] ?? 'The draft could not be started.',
      };
  }
  return { ok: false, status: 400, error: 'The draft could not be started.' };
}

/** How many tickets a thread (or any of its answers) or an article resolved. */
export async function ticketsResolvedBy(
  db: Database,
  target: { threadId: number } | { articleId: number },
): Promise<number> {
  const row = await db
    .selectFrom('resolutions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(
      'threadId' in target ? 'thread_id' : 'article_id',
      '=',
      'threadId' in target ? target.threadId : target.articleId,
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
