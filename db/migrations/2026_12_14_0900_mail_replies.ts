import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect';

/**
 * Replies by mail become comments too, and received mail records who handed it over.
 * - mail_outbox.reply_key: where a reply to this mail goes when that is not the conversation of
 *   its thread key (a comment notification's reply is a comment on the same post);
 * - inbound_mail: the outcome `comment`, and client_ip / client_helo of the SMTP client, which
 *   our own SPF check reads. SQLite cannot change a check in place, so the table is rebuilt;
 *   PostgreSQL alters it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mail_outbox').addColumn('reply_key', 'text').execute();
  if (dialectOf(db) === 'postgres') {
    await sql`alter table inbound_mail
      drop constraint inbound_mail_outcome_check,
      add constraint inbound_mail_outcome_check check (outcome in
        ('received', 'ticket', 'ticket_reply', 'answer', 'comment', 'held', 'ignored', 'rejected')),
      add column client_ip text,
      add column client_helo text`.execute(db);
    return;
  }
  await rebuildInboundMail(db, ['comment'], ['client_ip text', 'client_helo text']);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mail_outbox').dropColumn('reply_key').execute();
  await sql`delete from inbound_mail where outcome = 'comment'`.execute(db);
  if (dialectOf(db) === 'postgres') {
    await sql`alter table inbound_mail
      drop constraint inbound_mail_outcome_check,
      add constraint inbound_mail_outcome_check check (outcome in
        ('received', 'ticket', 'ticket_reply', 'answer', 'held', 'ignored', 'rejected')),
      drop column client_ip,
      drop column client_helo`.execute(db);
    return;
  }
  await rebuildInboundMail(db, [], []);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
async function rebuildInboundMail(db: Kysely<any>, outcomes: string[], columns: string[]) {
  const allowed = ['received', 'ticket', 'ticket_reply', 'answer', ...outcomes]
    .concat(['held', 'ignored', 'rejected'])
    .map((outcome) => `'${outcome}'`)
    .join(', ');
  const kept = `id, received_via, envelope_from, recipients, from_address, subject, message_id,
    size, raw, outcome, reason, spf, dkim, dmarc, user_id, ticket_id, thread_id, received_at`;
  await sql
    .raw(
      `create table inbound_mail_next (
      id integer primary key autoincrement,
      received_via text not null check (received_via in ('smtp', 'http')),
      envelope_from text,
      recipients text not null,
      from_address text,
      subject text not null default '',
      message_id text,
      size integer not null,
      raw blob not null,
      outcome text not null check (outcome in (${allowed})),
      reason text,
      spf text,
      dkim text,
      dmarc text,
      user_id integer references users(id) on delete set null,
      ticket_id integer references tickets(id) on delete set null,
      thread_id integer references threads(id) on delete set null,
      received_at text not null${columns.map((column) => `,\n      ${column}`).join('')}
    )`,
    )
    .execute(db);
  await sql
    .raw(`insert into inbound_mail_next (${kept}) select ${kept} from inbound_mail`)
    .execute(db);
  await sql`drop table inbound_mail`.execute(db);
  await sql`alter table inbound_mail_next rename to inbound_mail`.execute(db);
  await db.schema
    .createIndex('inbound_mail_received')
    .on('inbound_mail')
    .columns(['received_at', 'id'])
    .execute();
  await db.schema
    .createIndex('inbound_mail_outcome')
    .on('inbound_mail')
    .columns(['outcome', 'id'])
    .execute();
}
