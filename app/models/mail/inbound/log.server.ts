import { sql } from 'kysely';
import type { Database } from '#db/client';
import type { ReceivedFilter } from '../kinds';
import { parseInboundMail } from './parse.server';

/** The admin's view of received mail: what came in, what became of it, and why. */

export const receivedLogPageSize = 50;
export async function receivedMailLog(
  db: Database,
  options: { address?: string; outcome?: ReceivedFilter; page?: number } = {},
) {
  const page = options.page ?? 1;
  let query = db
    .selectFrom('inbound_mail')
    .leftJoin('tickets', 'tickets.id', 'inbound_mail.ticket_id')
    .leftJoin('threads', 'threads.id', 'inbound_mail.thread_id')
    .select([
      'inbound_mail.id',
      'inbound_mail.received_via',
      'inbound_mail.from_address',
      'inbound_mail.envelope_from',
      'inbound_mail.recipients',
      'inbound_mail.subject',
      'inbound_mail.size',
      'inbound_mail.outcome',
      'inbound_mail.reason',
      'inbound_mail.spf',
      'inbound_mail.dkim',
      'inbound_mail.dmarc',
      'inbound_mail.client_ip',
      'inbound_mail.client_helo',
      'inbound_mail.ticket_id',
      'inbound_mail.thread_id',
      'inbound_mail.received_at',
      'tickets.subject as ticket_subject',
      'threads.title as thread_title',
      'threads.slug as thread_slug',
    ]);
  const address = options.address?.trim().toLowerCase();
  if (address) {
    const pattern = `%${address.replace(/[\\%_]/g, '\\$&')}%`;
    query = query.where(
      sql<boolean>`(lower(coalesce(inbound_mail.from_address, '')) like ${pattern} escape '\\'
        or lower(inbound_mail.recipients) like ${pattern} escape '\\')`,
    );
  }
  if (options.outcome && options.outcome !== 'all')
    query = query.where('inbound_mail.outcome', '=', options.outcome);
  const rows = await query
    .orderBy('inbound_mail.id', 'desc')
    .limit(receivedLogPageSize + 1)
    .offset((page - 1) * receivedLogPageSize)
    .execute();
  return {
    messages: rows.slice(0, receivedLogPageSize).map((row) => ({
      ...row,
      recipients: JSON.parse(row.recipients) as string[],
    })),
    hasMore: rows.length > receivedLogPageSize,
  };
}

/** A held message's text, as an admin reads it before releasing it. */
export async function heldMailText(db: Database, id: number): Promise<string | null> {
  const row = await db
    .selectFrom('inbound_mail')
    .select('raw')
    .where('id', '=', id)
    .where('outcome', '=', 'held')
    .executeTakeFirst();
  if (!row) return null;
  const parsed = await parseInboundMail(row.raw);
  return parsed.ok ? parsed.text : null;
}
