import crypto from 'node:crypto';
import { z } from 'zod';
import type { Database } from '#db/client';
import { satisfactionRatings, type SatisfactionRating } from '#db/schema';
import { siteUrl } from './mail/config.server';
import { storedSecret } from './mail/unsubscribe.server';

/**
 * "Was this solved well?": asked when a ticket is solved, answered from the mail's links (signed
 * for one ticket, so they work without signing in) or on the request page. The latest answer
 * counts; each row keeps who solved the ticket, its category and what resolved it.
 */

const secretKey = 'satisfaction_secret';

function sign(secret: string, ticketId: number): string {
  return crypto
    .createHmac('sha256', secret)
    .update(`satisfaction:${ticketId}`)
    .digest('base64url')
    .slice(0, 32);
}

/** The mail's link for one answer: `/requests/<id>/rate?rating=good&token=…`. */
export async function ratingUrl(db: Database, ticketId: number, rating: SatisfactionRating) {
  const token = sign(await storedSecret(db, secretKey), ticketId);
  return `${siteUrl()}/requests/${ticketId}/rate?${new URLSearchParams({ rating, token })}`;
}

/** Whether `token` was made by this site for this ticket. */
export async function isRatingToken(db: Database, ticketId: number, token: string) {
  const expected = Buffer.from(sign(await storedSecret(db, secretKey), ticketId));
  const given = Buffer.from(token);
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

/**
 * Asks for a rating as the ticket is solved (inside its transaction): who solved it, its category
 * and what resolved it are kept as they are now; an earlier answer stays until it is changed.
 */
export async function requestRating(
  db: Pick<Database, 'selectFrom' | 'insertInto'>,
  ticketId: number,
  solvedBy: number,
  now: Date,
) {
  const ticket = await db
    .selectFrom('tickets')
    .leftJoin('resolutions', 'resolutions.ticket_id', 'tickets.id')
    .select(['tickets.category_id', 'resolutions.kind'])
    .where('tickets.id', '=', ticketId)
    .executeTakeFirstOrThrow();
  const facts = {
    agent_id: solvedBy,
    category_id: ticket.category_id,
    resolution_kind: ticket.kind,
    requested_at: now.toISOString(),
  };
  await db
    .insertInto('satisfaction_ratings')
    .values({ ticket_id: ticketId, ...facts })
    .onConflict((conflict) => conflict.column('ticket_id').doUpdateSet(facts))
    .execute();
}

export const ratingSchema = z.object({
  rating: z.enum(satisfactionRatings, { message: 'Choose good or bad.' }),
  comment: z
    .string()
    .trim()
    .max(2000, 'Use at most 2,000 characters.')
    .transform((value) => value || null),
});

/** Records the requester's answer; false when the ticket was never solved (nothing was asked). */
export async function rate(
  db: Database,
  ticketId: number,
  input: z.infer<typeof ratingSchema>,
  now = new Date(),
): Promise<boolean> {
  const updated = await db
    .updateTable('satisfaction_ratings')
    .set({ rating: input.rating, comment: input.comment, rated_at: now.toISOString() })
    .where('ticket_id', '=', ticketId)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) > 0;
}

export async function ratingOf(db: Database, ticketId: number) {
  return db
    .selectFrom('satisfaction_ratings')
    .select(['rating', 'comment', 'rated_at'])
    .where('ticket_id', '=', ticketId)
    .executeTakeFirst();
}
