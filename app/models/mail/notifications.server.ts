import { answerPath, commentPath } from '#lib/content-urls';
import { ftsHits, ftsRanking } from '#search/fts';
import { highlightEnd, highlightStart, type SearchParams } from '#search/types';
import type { Database } from '../../../db/client';
import type { MailDelivery, NotificationType } from '../../../db/schema';
import { whoSeesThread } from '../thread-access.server';
import { notificationKindInfo, type NotificationKind } from './kinds';
import { queueMail } from './outbox.server';
import { renderMail, type MailContent } from './templates.server';
import { ratingUrl } from '../satisfaction.server';
import { withoutHiddenLinksMarkdown } from '../ticket-links.server';
import { stillWatching, threadWatcherIds } from './thread-watches.server';
import { unsubscribeUrl } from './unsubscribe.server';
import { viewerKeys, viewerOfUser } from '../visibility.server';

/**
 * Notification mail: what each event tells whom. Every function runs inside the transaction of
 * the change it reports, and goes through `mailPerson`, which honours the person's preference
 * (instantly, in the digest, never).
 */

const footerFor = (kind: NotificationKind) =>
  `You get this because of your setting "${notificationKindInfo[kind].label}".`;

/** Mails one person about one event: at once, as a digest item, or (turned off) not at all. */
export async function mailPerson(
  db: Database,
  userId: number,
  notification: {
    kind: NotificationKind;
    subject: string;
    content: MailContent;
    url: string;
    threadKey: string | null;
    /** Where a reply goes, when not to threadKey's conversation (reply-address.server.ts). */
    replyKey?: string;
  },
  now: Date,
): Promise<void> {
  const person = await db
    .selectFrom('users')
    .leftJoin('notification_preferences as preference', (join) =>
      join
        .onRef('preference.user_id', '=', 'users.id')
        .on('preference.kind', '=', notification.kind),
    )
    .select(['users.email', 'users.display_name', 'preference.delivery'])
    .where('users.id', '=', userId)
    .executeTakeFirst();
  if (!person) return;
  const delivery: MailDelivery = person.delivery ?? 'instant';
  if (delivery === 'digest' && notificationKindInfo[notification.kind].digestible) {
    await db
      .insertInto('mail_digest_items')
      .values({
        user_id: userId,
        kind: notification.kind,
        title: notification.subject,
        url: notification.url,
        created_at: now.toISOString(),
      })
      .execute();
    return;
  }
  const { text, html } = renderMail({
    ...notification.content,
    action: notification.content.action ?? { label: 'Open', url: notification.url },
    footer: footerFor(notification.kind),
    unsubscribeUrl: await unsubscribeUrl(db, userId, notification.kind),
  });
  await queueMail(
    db,
    {
      kind: notification.kind,
      to: person.email,
      toName: person.display_name,
      userId,
      subject: notification.subject,
      text,
      html,
      threadKey: notification.threadKey,
      replyKey: notification.replyKey ?? null,
      unsubscribe: { userId, kind: notification.kind },
    },
    now,
  );
}

async function actorName(db: Database, actorId: number): Promise<string> {
  const actor = await db
    .selectFrom('users')
    .select('display_name')
    .where('id', '=', actorId)
    .executeTakeFirst();
  return actor?.display_name ?? 'Someone';
}

// ---- Support desk ----------------------------------------------------------------------------

async function ticketFacts(db: Database, ticketId: number) {
  return db
    .selectFrom('tickets')
    .select(['id', 'subject', 'body_md', 'requester_id', 'assignee_id', 'external_id', 'source'])
    .where('id', '=', ticketId)
    .executeTakeFirstOrThrow();
}

const requestPath = (ticketId: number) => `/requests/${ticketId}`;
const agentTicketPath = (ticketId: number) => `/agent/tickets/${ticketId}`;
const ticketThread = (ticketId: number) => `ticket-${ticketId}`;

/**
 * Up to three articles or answered questions that match a subject, each linked through
 * /search/go so that opening one is recorded as a deflection. FTS5 only: this runs inside the
 * ticket's transaction, which must not wait on Meilisearch.
 */
async function answersToTry(
  db: Database,
  requesterId: number,
  subject: string,
): Promise<MailContent['links']> {
  // Ranked keys, then highlighted hits for those alone: no facet counts over every match. Only
  // pages the requester may see.
  const audience = viewerKeys(await viewerOfUser(db, requesterId)) ?? 'all';
  const params: SearchParams = { q: subject, audience, limit: 10, offset: 0, facets: false };
  const ranked = await ftsRanking(db, params);
  const hits = await ftsHits(
    db,
    params,
    ranked.map((document) => document.key),
  );
  const items = hits
    .filter((hit) => hit.answered)
    .slice(0, 3)
    .map((hit, index) => ({
      label: hit.title.split(highlightStart).join('').split(highlightEnd).join(''),
      url: `/search/go?${new URLSearchParams({ key: hit.key, pos: String(index + 1), q: subject, from: 'mail' })}`,
    }));
  return items.length ? { heading: 'These may answer it already:', items } : null;
}

/** A new ticket: a confirmation for the requester, and word to the team. */
export async function mailTicketCreated(db: Database, ticketId: number, now: Date) {
  const ticket = await ticketFacts(db, ticketId);
  // A ticket mirrored from another helpdesk is that helpdesk's to announce.
  if (ticket.external_id !== null) return;
  await mailPerson(
    db,
    ticket.requester_id,
    {
      kind: 'ticket_received',
      subject: `[Request #${ticket.id}] ${ticket.subject}`,
      url: requestPath(ticket.id),
      threadKey: ticketThread(ticket.id),
      content: {
        title: 'We received your request',
        paragraphs: [
          `Thank you: request #${ticket.id}, "${ticket.subject}", is with our team. We will reply here and by mail.`,
        ],
        markdown: ticket.body_md,
        // Someone who wrote to us by mail has seen none of our pages: the closest may answer it.
        links:
          ticket.source === 'email'
            ? await answersToTry(db, ticket.requester_id, ticket.subject)
            : null,
        action: { label: 'View your request', url: requestPath(ticket.id) },
      },
    },
    now,
  );
  const requester = await actorName(db, ticket.requester_id);
  const agents = await db
    .selectFrom('users')
    .select('id')
    .where('role', 'in', ['agent', 'admin'])
    .where('id', '!=', ticket.requester_id)
    .execute();
  for (const agent of agents)
    await mailPerson(
      db,
      agent.id,
      {
        kind: 'agent_new_ticket',
        subject: `[Ticket #${ticket.id}] ${ticket.subject}`,
        url: agentTicketPath(ticket.id),
        threadKey: ticketThread(ticket.id),
        content: {
          title: `New request from ${requester}`,
          paragraphs: [`"${ticket.subject}" is waiting for someone to take it.`],
          markdown: ticket.body_md,
          action: { label: 'Open the ticket', url: agentTicketPath(ticket.id) },
        },
      },
      now,
    );
}

/**
 * A message on a ticket: an agent's public reply reaches the requester, a requester's reply the
 * agent who has the ticket. Internal notes reach nobody by mail.
 */
export async function mailTicketMessage(
  db: Database,
  ticketId: number,
  message: { authorId: number; kind: 'reply' | 'note'; body: string },
  now: Date,
) {
  if (message.kind === 'note') return;
  const ticket = await ticketFacts(db, ticketId);
  const author = await actorName(db, message.authorId);
  if (message.authorId === ticket.requester_id) {
    if (ticket.assignee_id === null || ticket.assignee_id === message.authorId) return;
    await mailPerson(
      db,
      ticket.assignee_id,
      {
        kind: 'agent_customer_reply',
        subject: `Re: [Ticket #${ticket.id}] ${ticket.subject}`,
        url: agentTicketPath(ticket.id),
        threadKey: ticketThread(ticket.id),
        content: {
          title: `${author} replied`,
          paragraphs: [`On "${ticket.subject}", assigned to you:`],
          markdown: message.body,
          action: { label: 'Open the ticket', url: agentTicketPath(ticket.id) },
        },
      },
      now,
    );
    return;
  }
  await mailPerson(
    db,
    ticket.requester_id,
    {
      kind: 'ticket_reply',
      subject: `Re: [Request #${ticket.id}] ${ticket.subject}`,
      url: requestPath(ticket.id),
      threadKey: ticketThread(ticket.id),
      content: {
        title: `${author} replied to your request`,
        paragraphs: [`On "${ticket.subject}":`],
        // A link to a page the requester may not open arrives as its text, as on their page.
        markdown: await withoutHiddenLinksMarkdown(
          db,
          await viewerOfUser(db, ticket.requester_id),
          message.body,
        ),
        action: { label: 'Reply on the request page', url: requestPath(ticket.id) },
      },
    },
    now,
  );
}

/** Solved: the requester hears so, and how to reopen it if it is not. */
export async function mailTicketSolved(db: Database, ticketId: number, actorId: number, now: Date) {
  const ticket = await ticketFacts(db, ticketId);
  if (actorId === ticket.requester_id || ticket.external_id !== null) return;
  await mailPerson(
    db,
    ticket.requester_id,
    {
      kind: 'ticket_solved',
      subject: `Re: [Request #${ticket.id}] ${ticket.subject}`,
      url: requestPath(ticket.id),
      threadKey: ticketThread(ticket.id),
      content: {
        title: 'Your request is solved',
        paragraphs: [
          `We marked "${ticket.subject}" as solved.`,
          'Not solved after all? Reply on the request page and it opens again.',
        ],
        // One click each; the page they open takes an optional comment.
        markdown: `**How did we do?** [Good, thanks](${await ratingUrl(db, ticket.id, 'good')}) · [Not good](${await ratingUrl(db, ticket.id, 'bad')})`,
        action: { label: 'Reopen or reply', url: requestPath(ticket.id) },
      },
    },
    now,
  );
}

export async function mailTicketAssigned(
  db: Database,
  ticketId: number,
  assigneeId: number,
  actorId: number,
  now: Date,
) {
  if (assigneeId === actorId) return;
  const ticket = await ticketFacts(db, ticketId);
  const actor = await actorName(db, actorId);
  await mailPerson(
    db,
    assigneeId,
    {
      kind: 'agent_assigned',
      subject: `[Ticket #${ticket.id}] ${ticket.subject}`,
      url: agentTicketPath(ticket.id),
      threadKey: ticketThread(ticket.id),
      content: {
        title: `${actor} assigned a request to you`,
        paragraphs: [`"${ticket.subject}" is yours now.`],
        markdown: ticket.body_md,
        action: { label: 'Open the ticket', url: agentTicketPath(ticket.id) },
      },
    },
    now,
  );
}

// ---- Community --------------------------------------------------------------------------------

const communityKind: Record<Exclude<NotificationType, 'ticket'>, NotificationKind> = {
  answer: 'answer',
  comment: 'comment',
  accepted: 'accepted',
  mention: 'mention',
};

/** Mail beside each bell notification on a thread (answers, comments, mentions, accepts). */
export async function mailCommunityNotification(
  db: Database,
  recipientIds: number[],
  notification: {
    type: Exclude<NotificationType, 'ticket'>;
    actorId: number;
    threadId: number;
    postId: number | null;
    commentId: number | null;
  },
  now: Date,
) {
  if (recipientIds.length === 0) return;
  const thread = await db
    .selectFrom('threads')
    .select(['id', 'title', 'slug', 'body_md', 'deleted_at'])
    .where('id', '=', notification.threadId)
    .executeTakeFirst();
  if (!thread || thread.deleted_at !== null) return;
  const body = notification.commentId
    ? await db
        .selectFrom('comments')
        .select('body_md')
        .where('id', '=', notification.commentId)
        .executeTakeFirst()
    : notification.postId
      ? await db
          .selectFrom('posts')
          .select('body_md')
          .where('id', '=', notification.postId)
          .executeTakeFirst()
      : { body_md: thread.body_md };
  const actor = await actorName(db, notification.actorId);
  const url = notification.commentId
    ? commentPath(thread, notification.commentId)
    : answerPath(thread, notification.postId);
  const titles: Record<typeof notification.type, string> = {
    answer: `${actor} answered your question`,
    comment: `${actor} commented on your post`,
    accepted: 'Your answer was accepted',
    mention: `${actor} mentioned you`,
  };
  // A reply to a new answer is another answer; to anything else (a comment, a mention, an accepted
  // answer) it is a comment beside it: on its answer, or on the question.
  const replyKey =
    notification.type === 'answer'
      ? undefined
      : notification.postId
        ? `post-comment-${notification.postId}`
        : `thread-comment-${thread.id}`;
  // An asker who pressed "Stop watching" on their question gets no more answer mails about it.
  // Nobody is mailed about a question they may not see (any more).
  const recipients = await whoSeesThread(
    db,
    notification.type === 'answer'
      ? await stillWatching(db, thread.id, recipientIds)
      : recipientIds,
    thread.id,
  );
  for (const recipientId of recipients)
    await mailPerson(
      db,
      recipientId,
      {
        kind: communityKind[notification.type],
        subject:
          notification.type === 'answer'
            ? `Re: ${thread.title}`
            : `${titles[notification.type]}: ${thread.title}`,
        url,
        threadKey: `question-${thread.id}`,
        ...(replyKey ? { replyKey } : {}),
        content: {
          title: titles[notification.type],
          paragraphs: [`On "${thread.title}":`],
          markdown: notification.type === 'accepted' ? null : (body?.body_md ?? null),
          action: { label: 'Open the question', url },
        },
      },
      now,
    );
}

/** A new answer on a watched thread, for every watcher but its author and the asker (who hears anyway). */
export async function mailWatchers(
  db: Database,
  threadId: number,
  postId: number,
  actorId: number,
  now: Date,
) {
  const thread = await db
    .selectFrom('threads')
    .select(['id', 'title', 'slug', 'author_id'])
    .where('id', '=', threadId)
    .executeTakeFirstOrThrow();
  const post = await db
    .selectFrom('posts')
    .select('body_md')
    .where('id', '=', postId)
    .executeTakeFirstOrThrow();
  const actor = await actorName(db, actorId);
  const url = answerPath(thread, postId);
  const watchers = await whoSeesThread(
    db,
    (await threadWatcherIds(db, threadId)).filter(
      (id) => id !== actorId && id !== thread.author_id,
    ),
    threadId,
  );
  for (const watcherId of watchers)
    await mailPerson(
      db,
      watcherId,
      {
        kind: 'watched_answer',
        subject: `Re: ${thread.title}`,
        url,
        threadKey: `question-${thread.id}`,
        content: {
          title: `${actor} answered a question you watch`,
          paragraphs: [`On "${thread.title}":`],
          markdown: post.body_md,
          action: { label: 'Open the question', url },
        },
      },
      now,
    );
}
