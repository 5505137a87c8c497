import { sql, type Kysely } from 'kysely';

/**
 * Mail received (by the SMTP listener or the HTTP endpoint): every message that reached us, kept
 * with its bytes so held mail can be read and released, with what became of it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('inbound_mail')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('received_via', 'text', (col) =>
      col.notNull().check(sql`received_via in ('smtp', 'http')`),
    )
    .addColumn('envelope_from', 'text')
    .addColumn('recipients', 'text', (col) => col.notNull())
    .addColumn('from_address', 'text')
    .addColumn('subject', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('message_id', 'text')
    .addColumn('size', 'integer', (col) => col.notNull())
    .addColumn('raw', 'blob', (col) => col.notNull())
    .addColumn('outcome', 'text', (col) =>
      col
        .notNull()
        .check(
          sql`outcome in ('received', 'ticket', 'ticket_reply', 'answer', 'held', 'ignored', 'rejected')`,
        ),
    )
    .addColumn('reason', 'text')
    .addColumn('spf', 'text')
    .addColumn('dkim', 'text')
    .addColumn('dmarc', 'text')
    .addColumn('user_id', 'integer', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('ticket_id', 'integer', (col) => col.references('tickets.id').onDelete('set null'))
    .addColumn('thread_id', 'integer', (col) => col.references('threads.id').onDelete('set null'))
    .addColumn('received_at', 'text', (col) => col.notNull())
    .execute();
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

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('inbound_mail').execute();
}
