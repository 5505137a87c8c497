import { sql } from 'kysely';
import type { Database } from '#db/client';
import type { EmailLogFilter } from './kinds';

/** The admin email log: what was sent, what failed (with the server's answer), what was skipped. */

export const emailLogPageSize = 50;

export async function emailLog(
  db: Database,
  options: { address?: string; status?: EmailLogFilter; page?: number } = {},
) {
  const page = options.page ?? 1;
  let query = db
    .selectFrom('mail_outbox')
    .select([
      'id',
      'kind',
      'to_address',
      'to_name',
      'subject',
      'status',
      'skip_reason',
      'last_error',
      'attempts',
      'next_attempt_at',
      'message_id',
      'thread_key',
      'created_at',
      'sent_at',
    ]);
  const address = options.address?.trim().toLowerCase();
  if (address) {
    const pattern = `%${address.replace(/[\\%_]/g, '\\$&')}%`;
    query = query.where(sql<boolean>`lower(to_address) like ${pattern} escape '\\'`);
  }
  // A mail being retried counts as failed until it goes: its last answer is the one to read.
  if (options.status === 'failed')
    query = query.where((eb) =>
      eb.or([
        eb('status', '=', 'failed'),
        eb.and([eb('status', '=', 'queued'), eb('last_error', 'is not', null)]),
      ]),
    );
  else if (options.status && options.status !== 'all')
    query = query.where('status', '=', options.status);
  const rows = await query
    .orderBy('id', 'desc')
    .limit(emailLogPageSize + 1)
    .offset((page - 1) * emailLogPageSize)
    .execute();
  return { mails: rows.slice(0, emailLogPageSize), hasMore: rows.length > emailLogPageSize };
}

export async function getLoggedMail(db: Database, id: number) {
  const mail = await db
    .selectFrom('mail_outbox')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!mail) return null;
  const attempts = await db
    .selectFrom('mail_attempts')
    .select(['id', 'ok', 'response', 'duration_ms', 'created_at'])
    .where('mail_id', '=', id)
    .orderBy('id')
    .execute();
  return { mail, attempts };
}
