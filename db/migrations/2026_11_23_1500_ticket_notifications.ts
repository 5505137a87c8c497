import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  // Notifications now also point at tickets: thread_id becomes optional. SQLite cannot change a
  // column's constraints in place, so the table is rebuilt with its rows; PostgreSQL can.
  if (dialectOf(db) === 'postgres') {
    await sql`alter table notifications
      alter column thread_id drop not null,
      add column ticket_id integer references tickets(id) on delete cascade,
      drop constraint notifications_type_check,
      add constraint notifications_type_check
        check (type in ('answer', 'comment', 'accepted', 'mention', 'ticket')),
      add check (thread_id is not null or ticket_id is not null)`.execute(db);
    return;
  }
  await sql`create table notifications_next (
    id integer primary key autoincrement,
    user_id integer not null references users(id) on delete cascade,
    type text not null check (type in ('answer', 'comment', 'accepted', 'mention', 'ticket')),
    actor_id integer references users(id) on delete set null,
    thread_id integer references threads(id) on delete cascade,
    post_id integer references posts(id) on delete cascade,
    comment_id integer references comments(id) on delete cascade,
    ticket_id integer references tickets(id) on delete cascade,
    read_at text,
    created_at text not null,
    check (thread_id is not null or ticket_id is not null)
  )`.execute(db);
  await sql`insert into notifications_next
    (id, user_id, type, actor_id, thread_id, post_id, comment_id, read_at, created_at)
    select id, user_id, type, actor_id, thread_id, post_id, comment_id, read_at, created_at
    from notifications`.execute(db);
  await sql`drop table notifications`.execute(db);
  await sql`alter table notifications_next rename to notifications`.execute(db);
  await db.schema
    .createIndex('notifications_user')
    .on('notifications')
    .columns(['user_id', 'read_at', 'created_at'])
    .execute();
}
