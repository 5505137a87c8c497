import { sql, type Kysely } from 'kysely';

/**
 * SLA targets: a priority on every ticket, first-response and resolution targets per priority
 * (counted in business hours, kept in settings as `business_hours`), the due times each ticket
 * got from them, when it was first answered, and each breach, recorded once.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('tickets')
    .addColumn('priority', 'text', (col) => col.notNull().defaultTo('normal'))
    .execute();
  for (const column of ['first_responded_at', 'first_response_due_at', 'resolution_due_at'])
    await db.schema.alterTable('tickets').addColumn(column, 'text').execute();
  await db.schema
    .createIndex('tickets_first_response_due')
    .on('tickets')
    .column('first_response_due_at')
    .execute();
  await db.schema
    .createIndex('tickets_resolution_due')
    .on('tickets')
    .column('resolution_due_at')
    .execute();
  // Tickets answered before this migration keep the time of their first public staff reply.
  await sql`update tickets set first_responded_at = (
      select min(m.created_at) from ticket_messages m join users u on u.id = m.author_id
      where m.ticket_id = tickets.id and m.kind = 'reply' and u.role in ('agent', 'moderator', 'admin'))`.execute(
    db,
  );

  await db.schema
    .createTable('sla_policies')
    .addColumn('priority', 'text', (col) => col.primaryKey())
    .addColumn('first_response_minutes', 'integer')
    .addColumn('resolution_minutes', 'integer')
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('sla_breaches')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('ticket_id', 'integer', (col) =>
      col.notNull().references('tickets.id').onDelete('cascade'),
    )
    .addColumn('metric', 'text', (col) => col.notNull())
    .addColumn('due_at', 'text', (col) => col.notNull())
    .addColumn('recorded_at', 'text', (col) => col.notNull())
    .addUniqueConstraint('sla_breaches_once', ['ticket_id', 'metric'])
    .execute();
  await db.schema
    .createIndex('sla_breaches_recorded')
    .on('sla_breaches')
    .column('recorded_at')
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sla_breaches').execute();
  await db.schema.dropTable('sla_policies').execute();
  await db.schema.dropIndex('tickets_resolution_due').execute();
  await db.schema.dropIndex('tickets_first_response_due').execute();
  for (const column of [
    'resolution_due_at',
    'first_response_due_at',
    'first_responded_at',
    'priority',
  ])
    await db.schema.alterTable('tickets').dropColumn(column).execute();
  await db.deleteFrom('settings').where('key', '=', 'business_hours').execute();
}
