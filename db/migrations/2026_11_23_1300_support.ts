import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('tickets')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('subject', 'text', (col) => col.notNull())
    .addColumn('body_md', 'text', (col) => col.notNull())
    .addColumn('body_html', 'text', (col) => col.notNull())
    .addColumn('requester_id', 'integer', (col) => col.notNull().references('users.id'))
    // The requester's organisation when the ticket was filed: history stays put if they move.
    .addColumn('organization_id', 'integer', (col) =>
      col.references('organizations.id').onDelete('set null'),
    )
    .addColumn('category_id', 'integer', (col) =>
      col.references('categories.id').onDelete('set null'),
    )
    .addColumn('status', 'text', (col) =>
      col
        .notNull()
        .defaultTo('new')
        .check(sql`status in ('new', 'open', 'pending', 'solved', 'closed')`),
    )
    .addColumn('assignee_id', 'integer', (col) => col.references('users.id'))
    // Where it was filed from: web (the contact form), article, thread, escalation, api.
    .addColumn('source', 'text', (col) => col.notNull())
    .addColumn('external_id', 'text', (col) => col.unique())
    .addColumn('external_url', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addColumn('solved_at', 'text')
    .execute();
  await db.schema
    .createIndex('tickets_status_updated')
    .on('tickets')
    .columns(['status', 'updated_at'])
    .execute();
  await db.schema
    .createIndex('tickets_requester')
    .on('tickets')
    .columns(['requester_id', 'updated_at'])
    .execute();
  await db.schema
    .createIndex('tickets_organization')
    .on('tickets')
    .columns(['organization_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('tickets_assignee')
    .on('tickets')
    .columns(['assignee_id', 'status'])
    .execute();

  await db.schema
    .createTable('ticket_messages')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('ticket_id', 'integer', (col) =>
      col.notNull().references('tickets.id').onDelete('cascade'),
    )
    .addColumn('author_id', 'integer', (col) => col.notNull().references('users.id'))
    .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('reply', 'note')`))
    .addColumn('body_md', 'text', (col) => col.notNull())
    .addColumn('body_html', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('ticket_messages_ticket')
    .on('ticket_messages')
    .columns(['ticket_id', 'id'])
    .execute();

  await db.schema
    .createTable('ticket_links')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('ticket_id', 'integer', (col) =>
      col.notNull().references('tickets.id').onDelete('cascade'),
    )
    .addColumn('target_type', 'text', (col) =>
      col.notNull().check(sql`target_type in ('thread', 'post', 'article')`),
    )
    .addColumn('target_id', 'integer', (col) => col.notNull())
    .addColumn('relation', 'text', (col) =>
      col.notNull().check(sql`relation in ('filed_from', 'escalated_from', 'related')`),
    )
    .addColumn('created_by', 'integer', (col) => col.references('users.id'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addUniqueConstraint('ticket_links_once', ['ticket_id', 'target_type', 'target_id'])
    .execute();
  await db.schema
    .createIndex('ticket_links_target')
    .on('ticket_links')
    .columns(['target_type', 'target_id'])
    .execute();

  // What resolved a ticket: one row per solved ticket (a reopened ticket loses it).
  await db.schema
    .createTable('resolutions')
    .addColumn('ticket_id', 'integer', (col) =>
      col.primaryKey().references('tickets.id').onDelete('cascade'),
    )
    .addColumn('kind', 'text', (col) =>
      col.notNull().check(sql`kind in ('article', 'thread', 'none', 'other')`),
    )
    .addColumn('article_id', 'integer', (col) => col.references('articles.id').onDelete('set null'))
    .addColumn('thread_id', 'integer', (col) => col.references('threads.id').onDelete('set null'))
    .addColumn('post_id', 'integer', (col) => col.references('posts.id').onDelete('set null'))
    .addColumn('note', 'text')
    .addColumn('resolved_by', 'integer', (col) => col.references('users.id'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('resolutions_article')
    .on('resolutions')
    .column('article_id')
    .execute();
  await db.schema.createIndex('resolutions_thread').on('resolutions').column('thread_id').execute();
  await db.schema
    .createIndex('resolutions_kind_time')
    .on('resolutions')
    .columns(['kind', 'created_at'])
    .execute();

  await db.schema
    .alterTable('events')
    .addColumn('ticket_id', 'integer', (col) => col.references('tickets.id').onDelete('cascade'))
    .execute();
  await db.schema
    .createIndex('events_user_time')
    .on('events')
    .columns(['user_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('name', 'text', (col) => col.notNull())
    // sha256 of the secret: the token itself is shown once and never stored.
    .addColumn('token_hash', 'text', (col) => col.notNull().unique())
    .addColumn('prefix', 'text', (col) => col.notNull())
    .addColumn('scopes', 'text', (col) => col.notNull())
    .addColumn('created_by', 'integer', (col) => col.notNull().references('users.id'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();

  await db.schema
    .createTable('webhooks')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('url', 'text', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('secret', 'text', (col) => col.notNull())
    .addColumn('events', 'text', (col) => col.notNull())
    .addColumn('active', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('created_by', 'integer', (col) => col.notNull().references('users.id'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();

  // The webhook outbox: one row per message per endpoint, written in the transaction that made
  // the change; the worker sends what is due and reschedules failures.
  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('webhook_id', 'integer', (col) =>
      col.notNull().references('webhooks.id').onDelete('cascade'),
    )
    .addColumn('message_id', 'text', (col) => col.notNull())
    .addColumn('event_type', 'text', (col) => col.notNull())
    .addColumn('payload', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) =>
      col
        .notNull()
        .defaultTo('pending')
        .check(sql`status in ('pending', 'delivered', 'failed')`),
    )
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('delivered_at', 'text')
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_due')
    .on('webhook_deliveries')
    .columns(['status', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_webhook')
    .on('webhook_deliveries')
    .columns(['webhook_id', 'id'])
    .execute();

  await db.schema
    .createTable('webhook_attempts')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('delivery_id', 'integer', (col) =>
      col.notNull().references('webhook_deliveries.id').onDelete('cascade'),
    )
    .addColumn('status_code', 'integer')
    .addColumn('error', 'text')
    .addColumn('duration_ms', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('webhook_attempts_delivery')
    .on('webhook_attempts')
    .columns(['delivery_id', 'id'])
    .execute();
}
