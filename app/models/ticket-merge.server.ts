import type { Database } from '#db/client';
import { logModeration } from './audit-log.server';
import { mailPerson } from './mail/notifications.server';
import { isStaff, type Actor } from './permissions';
import type { Failure } from '~/utils/result';
import { moveFieldValues } from './ticket-fields/ticket-fields.server';

/**
 * Merging duplicates: the conversation and links of one ticket (the source) move to another (the
 * target) of the same requester or organisation; the source is closed and points at the target,
 * whose pages and API answer for it; the requester is told.
 */

export async function mergeTickets(
  db: Database,
  actor: NonNullable<Actor>,
  sourceId: number,
  targetId: number,
  now = new Date(),
): Promise<{ ok: true } | Failure> {
  if (!isStaff(actor)) return { ok: false, status: 403, error: 'Only our team merges tickets.' };
  if (sourceId === targetId)
    return { ok: false, status: 400, error: 'A ticket cannot be merged into itself.' };
  const tickets = await db
    .selectFrom('tickets')
    .select(['id', 'subject', 'requester_id', 'organization_id', 'status', 'merged_into_id'])
    .where('id', 'in', [sourceId, targetId])
    .execute();
  const source = tickets.find((ticket) => ticket.id === sourceId);
  const target = tickets.find((ticket) => ticket.id === targetId);
  if (!source) return { ok: false, status: 404, error: 'That ticket does not exist.' };
  if (!target) return { ok: false, status: 400, error: `There is no ticket #${targetId}.` };
  if (source.merged_into_id !== null || target.merged_into_id !== null)
    return { ok: false, status: 400, error: 'A ticket that was merged already cannot be merged.' };
  if (target.status === 'closed')
    return {
      ok: false,
      status: 400,
      error: `Ticket #${targetId} is closed: merge into an open one.`,
    };
  const sameCustomer =
    source.requester_id === target.requester_id ||
    (source.organization_id !== null && source.organization_id === target.organization_id);
  if (!sameCustomer)
    return {
      ok: false,
      status: 400,
      error: 'Only tickets of the same requester or organisation are merged.',
    };
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    // The source's first message is its body: it becomes a message on the target.
    const first = await trx
      .selectFrom('tickets')
      .select(['body_md', 'body_html', 'requester_id', 'created_at'])
      .where('id', '=', sourceId)
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('ticket_messages')
      .values({
        ticket_id: targetId,
        author_id: first.requester_id,
        kind: 'reply',
        body_md: `**${source.subject}** (was #${sourceId})\n\n${first.body_md}`,
        body_html: `<p><strong>${escapeHtml(source.subject)}</strong> (was #${sourceId})</p>\n${first.body_html}`,
        created_at: first.created_at,
      })
      .execute();
    await trx
      .updateTable('ticket_messages')
      .set({ ticket_id: targetId })
      .where('ticket_id', '=', sourceId)
      .execute();
    const targetLinks = await trx
      .selectFrom('ticket_links')
      .select(['target_type', 'target_id'])
      .where('ticket_id', '=', targetId)
      .execute();
    const known = new Set(targetLinks.map((link) => `${link.target_type}-${link.target_id}`));
    const sourceLinks = await trx
      .selectFrom('ticket_links')
      .selectAll()
      .where('ticket_id', '=', sourceId)
      .execute();
    for (const link of sourceLinks) {
      if (!known.has(`${link.target_type}-${link.target_id}`))
        await trx
          .updateTable('ticket_links')
          .set({ ticket_id: targetId })
          .where('id', '=', link.id)
          .execute();
    }
    await trx.deleteFrom('ticket_links').where('ticket_id', '=', sourceId).execute();
    await moveFieldValues(trx, sourceId, targetId);
    await trx
      .insertInto('ticket_messages')
      .values({
        ticket_id: targetId,
        author_id: actor.id,
        kind: 'note',
        body_md: `Merged #${sourceId} “${source.subject}” into this ticket.`,
        body_html: `<p>Merged #${sourceId} “${escapeHtml(source.subject)}” into this ticket.</p>`,
        created_at: at,
      })
      .execute();
    await trx
      .updateTable('tickets')
      .set({ status: 'closed', merged_into_id: targetId, updated_at: at })
      .where('id', '=', sourceId)
      .execute();
    await trx.updateTable('tickets').set({ updated_at: at }).where('id', '=', targetId).execute();
    await logModeration(
      trx,
      {
        actorId: actor.id,
        action: 'merge',
        targetType: 'ticket',
        targetId: sourceId,
        data: { into: targetId },
      },
      now,
    );
    await mailPerson(
      trx,
      source.requester_id,
      {
        kind: 'ticket_reply',
        subject: `Re: [Request #${sourceId}] ${source.subject}`,
        url: `/requests/${targetId}`,
        threadKey: `ticket-${sourceId}`,
        content: {
          title: 'We joined two of your requests',
          paragraphs: [
            `Your request “${source.subject}” (#${sourceId}) is about the same thing as “${target.subject}” (#${targetId}), so we joined them: everything is now on #${targetId}, and we answer there.`,
          ],
          action: { label: `Open request #${targetId}`, url: `/requests/${targetId}` },
        },
      },
      now,
    );
  });
  return { ok: true };
}

/** Where a merged ticket went: the id to answer for `ticketId` (itself when not merged). */
export async function currentTicketId(db: Database, ticketId: number): Promise<number | null> {
  let id = ticketId;
  for (let hops = 0; hops < 10; hops += 1) {
    const row = await db
      .selectFrom('tickets')
      .select('merged_into_id')
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) return null;
    if (row.merged_into_id === null) return id;
    id = row.merged_into_id;
  }
  return id;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
