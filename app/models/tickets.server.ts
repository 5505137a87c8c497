import { z } from 'zod';
import type { Database } from '#db/client';
import type { LinkRelation, TicketPriority, TicketSource, TicketStatus } from '#db/schema';
import { renderMarkdown } from '~/utils/markdown.server';
import { recordUploadUses, uploadImagesIn } from './uploads/uses.server';
import type { FieldErrors } from '~/utils/forms.server';
import { recordEvent } from './events.server';
import { categoryIdField } from './form-fields';
import {
  mailTicketAssigned,
  mailTicketCreated,
  mailTicketMessage,
} from './mail/notifications.server';
import { notifyTicket } from './notifications.server';
import { isStaff, type Actor } from './permissions';
import {
  findLinkTarget,
  linksForRequester,
  linksOf,
  withoutHiddenLinksHtml,
  type LinkInput,
} from './ticket-links.server';
import { ownRuleSql, viewerOfUser, type Viewer } from './visibility.server';
import { markFirstResponse, setSlaTargets } from './sla/targets.server';
import {
  webhookTicket,
  writeFieldValues,
  type FieldValues,
} from './ticket-fields/ticket-fields.server';
import { emitWebhook } from './webhooks.server';
import type { Failure } from '~/utils/result';

/**
 * A ticket's life: filed (by a customer, from a page, by escalating a thread or by another
 * helpdesk), answered, assigned, solved and closed. Links live in ticket-links.server.ts, the
 * desk's lists in ticket-lists.server.ts, what the agent's page shows in ticket-desk.server.ts,
 * escalating a thread in ticket-escalation.server.ts.
 */

type Person = NonNullable<Actor>;

const hasWords = (text: string) => /[\p{L}\p{N}]/u.test(text);

export const ticketSchema = z.object({
  subject: z
    .string('Say in a few words what you need help with.')
    .trim()
    .min(5, 'Say in a few words what you need help with (at least 5 characters).')
    .max(150, 'Use at most 150 characters.')
    .refine(hasWords, 'Use words that describe the problem.'),
  body: z
    .string('Tell us what happened.')
    .trim()
    .min(10, 'Tell us what happened: at least 10 characters.')
    .max(30_000, 'Use at most 30,000 characters.'),
  categoryId: categoryIdField,
});

export type TicketInput = z.infer<typeof ticketSchema>;

export const messageSchema = z.object({
  body: z
    .string('Write a message.')
    .trim()
    .min(1, 'Write a message.')
    .max(30_000, 'Use at most 30,000 characters.'),
});

/**
 * Files a ticket for a requester. From a page (an article or a thread) the ticket is linked to
 * it; an external helpdesk's ticket keeps its id and URL there.
 */
export async function createTicket(
  db: Database,
  requesterId: number,
  input: TicketInput,
  options: {
    source: TicketSource;
    link?: LinkInput & { relation: LinkRelation };
    createdBy?: number;
    externalId?: string | null;
    externalUrl?: string | null;
    priority?: TicketPriority;
    /** Custom field values, checked by readFieldValues. */
    fields?: FieldValues;
    now?: Date;
  },
): Promise<{ ok: true; id: number } | { ok: false; fieldErrors: FieldErrors }> {
  const now = options.now ?? new Date();
  if (input.categoryId !== null) {
    // A category the requester may not see is not in their list: the same answer as none at all.
    const category = await db
      .selectFrom('categories')
      .select('id')
      .where('id', '=', input.categoryId)
      .where(ownRuleSql(await viewerOfUser(db, requesterId), 'category', 'categories'))
      .executeTakeFirst();
    if (!category)
      return { ok: false, fieldErrors: { categoryId: 'Choose a category from the list.' } };
  }
  const link = options.link && (await findLinkTarget(db, options.link)) ? options.link : undefined;
  const requester = await db
    .selectFrom('users')
    .select(['organization_id', 'role'])
    .where('id', '=', requesterId)
    .executeTakeFirstOrThrow();
  const uploads = await uploadImagesIn(db, input.body);
  const at = now.toISOString();
  const id = await db.transaction().execute(async (trx) => {
    const ticket = await trx
      .insertInto('tickets')
      .values({
        subject: input.subject,
        body_md: input.body,
        body_html: renderMarkdown(input.body, { uploads }).html,
        requester_id: requesterId,
        organization_id: requester.organization_id,
        category_id: input.categoryId,
        source: options.source,
        priority: options.priority ?? 'normal',
        external_id: options.externalId ?? null,
        external_url: options.externalUrl ?? null,
        created_at: at,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await setSlaTargets(trx, ticket.id);
    if (options.fields) await writeFieldValues(trx, ticket.id, options.fields, now);
    await recordUploadUses(
      trx,
      { id: requesterId, role: requester.role },
      { type: 'ticket', id: ticket.id },
      input.body,
    );
    if (link) {
      await trx
        .insertInto('ticket_links')
        .values({
          ticket_id: ticket.id,
          target_type: link.type,
          target_id: link.id,
          relation: link.relation,
          created_by: options.createdBy ?? requesterId,
          created_at: at,
        })
        .execute();
    }
    await recordEvent(trx, 'ticket_created', {
      user_id: requesterId,
      ticket_id: ticket.id,
      thread_id: link?.type === 'thread' ? link.id : null,
      article_id: link?.type === 'article' ? link.id : null,
      data: { source: options.source, ...(link ? { page: `${link.type}:${link.id}` } : {}) },
      at: now,
    });
    await emitWebhook(trx, 'ticket.created', { ticket: await webhookTicket(trx, ticket.id) }, now);
    await mailTicketCreated(trx, ticket.id, now);
    return ticket.id;
  });
  return { ok: true, id };
}

/** Creates or updates the mirror of a ticket that lives in another helpdesk (by external id). */
export async function mirrorExternalTicket(
  db: Database,
  requesterId: number,
  input: TicketInput & { externalId: string; externalUrl: string | null },
  now = new Date(),
): Promise<{ ok: true; id: number; created: boolean } | { ok: false; fieldErrors: FieldErrors }> {
  const existing = await db
    .selectFrom('tickets')
    .select('id')
    .where('external_id', '=', input.externalId)
    .executeTakeFirst();
  if (!existing) {
    const created = await createTicket(db, requesterId, input, {
      source: 'api',
      externalId: input.externalId,
      externalUrl: input.externalUrl,
      now,
    });
    return created.ok ? { ...created, created: true } : created;
  }
  await db
    .updateTable('tickets')
    .set({
      subject: input.subject,
      body_md: input.body,
      body_html: renderMarkdown(input.body).html,
      external_url: input.externalUrl,
      category_id: input.categoryId,
      updated_at: now.toISOString(),
    })
    .where('id', '=', existing.id)
    .execute();
  return { ok: true, id: existing.id, created: false };
}

/** The columns every list of tickets shows. */
export const ticketColumns = [
  'tickets.id',
  'tickets.subject',
  'tickets.status',
  'tickets.source',
  'tickets.created_at',
  'tickets.updated_at',
  'tickets.solved_at',
] as const;

async function ticketRow(db: Database, ticketId: number) {
  return db
    .selectFrom('tickets')
    .innerJoin('users as requester', 'requester.id', 'tickets.requester_id')
    .leftJoin('users as assignee', 'assignee.id', 'tickets.assignee_id')
    .leftJoin('organizations', 'organizations.id', 'tickets.organization_id')
    .leftJoin('categories', 'categories.id', 'tickets.category_id')
    .select([
      ...ticketColumns,
      'tickets.body_html',
      'tickets.body_md',
      'tickets.requester_id',
      'tickets.assignee_id',
      'tickets.organization_id',
      'tickets.category_id',
      'tickets.external_id',
      'tickets.external_url',
      'tickets.priority',
      'tickets.first_responded_at',
      'tickets.first_response_due_at',
      'tickets.resolution_due_at',
      'requester.display_name as requester_name',
      'requester.username as requester_username',
      'requester.email as requester_email',
      'assignee.display_name as assignee_name',
      'organizations.name as organization_name',
      'categories.name as category_name',
    ])
    .where('tickets.id', '=', ticketId)
    .executeTakeFirst();
}

async function messagesOf(db: Database, ticketId: number, withNotes: boolean) {
  let query = db
    .selectFrom('ticket_messages')
    .innerJoin('users', 'users.id', 'ticket_messages.author_id')
    .select([
      'ticket_messages.id',
      'ticket_messages.kind',
      'ticket_messages.body_html',
      'ticket_messages.body_md',
      'ticket_messages.author_id',
      'ticket_messages.created_at',
      'users.display_name as author_name',
      'users.role as author_role',
    ])
    .where('ticket_messages.ticket_id', '=', ticketId)
    .orderBy('ticket_messages.id');
  if (!withNotes) query = query.where('ticket_messages.kind', '=', 'reply');
  return query.execute();
}

/**
 * A ticket as its requester sees it: public replies only, never notes. Null for anyone else.
 * Links in replies to pages the requester may not open are plain text (visibility.server.ts).
 */
export async function getRequest(db: Database, ticketId: number, requester: NonNullable<Viewer>) {
  const ticket = await ticketRow(db, ticketId);
  if (!ticket || ticket.requester_id !== requester.id) return null;
  const [messages, links] = await Promise.all([
    messagesOf(db, ticketId, false),
    linksOf(db, ticketId),
  ]);
  return {
    ticket: {
      id: ticket.id,
      subject: ticket.subject,
      status: ticket.status,
      created_at: ticket.created_at,
      body_html: await withoutHiddenLinksHtml(db, requester, ticket.body_html),
      requester_id: ticket.requester_id,
      requester_name: ticket.requester_name,
    },
    messages: await Promise.all(
      messages.map(async (message) => ({
        ...message,
        body_html: await withoutHiddenLinksHtml(db, requester, message.body_html),
      })),
    ),
    // The customer sees the pages the ticket is about that they may open, never drafts.
    links: await linksForRequester(db, links, requester),
  };
}

/** A ticket as staff see it: notes, links, resolution. */
export async function getTicket(db: Database, ticketId: number) {
  const ticket = await ticketRow(db, ticketId);
  if (!ticket) return null;
  const [messages, links, resolution] = await Promise.all([
    messagesOf(db, ticketId, true),
    linksOf(db, ticketId),
    db.selectFrom('resolutions').selectAll().where('ticket_id', '=', ticketId).executeTakeFirst(),
  ]);
  return { ticket, messages, links, resolution: resolution ?? null };
}

/** Who may see and work a ticket: its requester (their own) and staff (all). */
export function canViewTicket(actor: Actor, requesterId: number) {
  return actor !== null && (actor.id === requesterId || isStaff(actor));
}

/**
 * Adds a message. Requesters reply on their own tickets, which reopens them; staff reply in public
 * (and choose the status it leaves the ticket in) or write internal notes.
 */
export async function addTicketMessage(
  db: Database,
  actor: Person,
  ticketId: number,
  input: { kind: 'reply' | 'note'; body: string; status?: TicketStatus },
  now = new Date(),
): Promise<{ ok: true; id: number } | Failure> {
  const ticket = await db
    .selectFrom('tickets')
    .select(['id', 'requester_id', 'status', 'assignee_id'])
    .where('id', '=', ticketId)
    .executeTakeFirst();
  if (!ticket || !canViewTicket(actor, ticket.requester_id))
    return { ok: false, status: 404, error: 'That request does not exist.' };
  const staff = isStaff(actor);
  if (input.kind === 'note' && !staff)
    return { ok: false, status: 403, error: 'Only our team writes internal notes.' };
  if (ticket.status === 'closed')
    return {
      ok: false,
      status: 400,
      error: 'This request is closed. Open a new one and mention it.',
    };
  const nextStatus: TicketStatus =
    input.kind === 'note'
      ? ticket.status === 'new'
        ? 'open'
        : ticket.status
      : staff && actor.id !== ticket.requester_id
        ? input.status && input.status !== 'solved' && input.status !== 'new'
          ? input.status
          : 'pending'
        : 'open';
  const uploads = await uploadImagesIn(db, input.body);
  const at = now.toISOString();
  const id = await db.transaction().execute(async (trx) => {
    const message = await trx
      .insertInto('ticket_messages')
      .values({
        ticket_id: ticketId,
        author_id: actor.id,
        kind: input.kind,
        body_md: input.body,
        body_html: renderMarkdown(input.body, { uploads }).html,
        created_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordUploadUses(trx, actor, { type: 'ticket_message', id: message.id }, input.body);
    if (input.kind === 'reply' && staff && actor.id !== ticket.requester_id)
      await markFirstResponse(trx, ticketId, now);
    await trx
      .updateTable('tickets')
      .set({
        status: nextStatus,
        updated_at: at,
        // The first agent to answer a new ticket takes it, unless someone already has it.
        ...(staff && ticket.assignee_id === null && actor.id !== ticket.requester_id
          ? { assignee_id: actor.id }
          : {}),
        ...(nextStatus === 'solved' ? {} : { solved_at: null }),
      })
      .where('id', '=', ticketId)
      .execute();
    // Public replies reach the other side: the requester, or the agent who has the ticket.
    if (input.kind === 'reply')
      await notifyTicket(
        trx,
        [actor.id === ticket.requester_id ? ticket.assignee_id : ticket.requester_id],
        { actorId: actor.id, ticketId },
        now,
      );
    await mailTicketMessage(
      trx,
      ticketId,
      { authorId: actor.id, kind: input.kind, body: input.body },
      now,
    );
    // A reply to a solved ticket reopens it: what resolved it did not, after all.
    if (ticket.status === 'solved' && nextStatus !== 'solved')
      await trx.deleteFrom('resolutions').where('ticket_id', '=', ticketId).execute();
    return message.id;
  });
  return { ok: true, id };
}

export async function setTicketStatus(
  db: Database,
  actor: Person,
  ticketId: number,
  status: Exclude<TicketStatus, 'solved' | 'new'>,
  now = new Date(),
): Promise<{ ok: true } | Failure> {
  if (!isStaff(actor))
    return { ok: false, status: 403, error: 'Only our team changes a ticket’s status.' };
  const ticket = await db
    .selectFrom('tickets')
    .select(['id', 'status'])
    .where('id', '=', ticketId)
    .executeTakeFirst();
  if (!ticket) return { ok: false, status: 404, error: 'That ticket does not exist.' };
  if (status === 'closed' && ticket.status !== 'solved')
    return { ok: false, status: 400, error: 'Solve the ticket before closing it.' };
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('tickets')
      .set({
        status,
        updated_at: now.toISOString(),
        ...(status === 'closed' ? {} : { solved_at: null }),
      })
      .where('id', '=', ticketId)
      .execute();
    if (status !== 'closed')
      await trx.deleteFrom('resolutions').where('ticket_id', '=', ticketId).execute();
  });
  return { ok: true };
}

/** The requester says the problem is gone; what resolved it is for the team to record. */
export async function markSolvedByRequester(
  db: Database,
  actor: Person,
  ticketId: number,
  now = new Date(),
): Promise<{ ok: true } | Failure> {
  const ticket = await db
    .selectFrom('tickets')
    .select(['id', 'requester_id', 'status', 'subject'])
    .where('id', '=', ticketId)
    .executeTakeFirst();
  if (!ticket || ticket.requester_id !== actor.id)
    return { ok: false, status: 404, error: 'That request does not exist.' };
  if (ticket.status === 'solved' || ticket.status === 'closed') return { ok: true };
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('tickets')
      .set({ status: 'solved', solved_at: at, updated_at: at })
      .where('id', '=', ticketId)
      .execute();
    await recordEvent(trx, 'ticket_solved', {
      user_id: actor.id,
      ticket_id: ticketId,
      data: { kind: null, by: 'requester' },
      at: now,
    });
    await emitWebhook(
      trx,
      'ticket.solved',
      { ticket: await webhookTicket(trx, ticketId), resolution: null },
      now,
    );
  });
  return { ok: true };
}

export async function assignTicket(
  db: Database,
  actor: Person,
  ticketId: number,
  assigneeId: number | null,
  now = new Date(),
): Promise<{ ok: true } | Failure> {
  if (!isStaff(actor)) return { ok: false, status: 403, error: 'Only our team assigns tickets.' };
  if (assigneeId !== null) {
    const assignee = await db
      .selectFrom('users')
      .select('role')
      .where('id', '=', assigneeId)
      .executeTakeFirst();
    if (!assignee || assignee.role === 'member')
      return { ok: false, status: 400, error: 'Choose someone from the team.' };
  }
  const result = await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('tickets')
      .set({ assignee_id: assigneeId, updated_at: now.toISOString() })
      .where('id', '=', ticketId)
      .executeTakeFirst();
    if (updated.numUpdatedRows > 0n && assigneeId !== null)
      await mailTicketAssigned(trx, ticketId, assigneeId, actor.id, now);
    return updated;
  });
  if (result.numUpdatedRows === 0n)
    return { ok: false, status: 404, error: 'That ticket does not exist.' };
  return { ok: true };
}
