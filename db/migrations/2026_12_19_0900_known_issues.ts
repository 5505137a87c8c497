import { sql, type Kysely } from 'kysely';
import { createTrigger, dialectOf, dropTrigger, type Trigger } from '../dialect';

// A public known issue shows as a banner on its threads: linking one, or changing the issue,
// throws those threads' pages out of the page cache (migration 2026_12_12_1000).
const threadOfLink = (row: string) => `case when ${row}.target_type = 'thread' then ${row}.target_id
  else (select thread_id from posts where id = ${row}.target_id) end`;
const bumpThreadsOf = (row: string) => `insert into page_versions (page, version)
  select 'thread:' || thread_id, 1 from (select ${threadOfLink(row)} as thread_id) as target
  where thread_id is not null and ${row}.target_type in ('thread', 'post')
  on conflict (page) do update set version = version + 1;`;
const bumpSite = `insert into page_versions (page, version) values ('site', 1)
  on conflict (page) do update set version = version + 1;`;
const triggers: Trigger[] = [
  ...['INSERT', 'UPDATE', 'DELETE'].map((event) => ({
    name: `problem_links_page_versions_${event.toLowerCase()}`,
    on: 'problem_links',
    event,
    body: [bumpThreadsOf(event === 'DELETE' ? 'old' : 'new'), bumpSite].join('\n'),
  })),
  {
    name: 'problems_page_versions_update',
    on: 'problems',
    event: 'UPDATE',
    body: [
      `insert into page_versions (page, version)
        select 'thread:' || thread_id, 1 from (
          select ${threadOfLink('problem_links')} as thread_id from problem_links
          where problem_links.problem_id = new.id and problem_links.target_type in ('thread', 'post')
        ) as targets
        where thread_id is not null
        on conflict (page) do update set version = version + 1;`,
      bumpSite,
    ].join('\n'),
  },
];

/**
 * Known issues (problems): one defect, the tickets, threads and answers that report it, the
 * people who follow it, and its updates. A ticket solved by a fix gets the resolution kind
 * `known_issue` with its problem: SQLite cannot change a check in place, so `resolutions` is
 * rebuilt there; PostgreSQL alters it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('problems')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('description_md', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('public_summary_md', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('category_id', 'integer', (col) =>
      col.references('categories.id').onDelete('set null'),
    )
    .addColumn('state', 'text', (col) =>
      col
        .notNull()
        .check(
          sql`state in ('investigating', 'identified', 'fix_in_progress', 'fixed', 'wont_fix')`,
        ),
    )
    .addColumn('public', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('workaround_article_id', 'integer', (col) =>
      col.references('articles.id').onDelete('set null'),
    )
    .addColumn('tracker_url', 'text')
    .addColumn('tracker_id', 'text')
    .addColumn('created_by', 'integer', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addColumn('fixed_at', 'text')
    .execute();
  await db.schema
    .createIndex('problems_state')
    .on('problems')
    .columns(['state', 'updated_at'])
    .execute();

  await db.schema
    .createTable('problem_links')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('problem_id', 'integer', (col) =>
      col.notNull().references('problems.id').onDelete('cascade'),
    )
    .addColumn('target_type', 'text', (col) =>
      col.notNull().check(sql`target_type in ('ticket', 'thread', 'post')`),
    )
    .addColumn('target_id', 'integer', (col) => col.notNull())
    .addColumn('created_by', 'integer', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addUniqueConstraint('problem_links_target', ['target_type', 'target_id'])
    .execute();
  await db.schema
    .createIndex('problem_links_problem')
    .on('problem_links')
    .column('problem_id')
    .execute();

  await db.schema
    .createTable('problem_followers')
    .addColumn('problem_id', 'integer', (col) =>
      col.notNull().references('problems.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'integer', (col) =>
      col.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('problem_followers_pk', ['problem_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('problem_updates')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('problem_id', 'integer', (col) =>
      col.notNull().references('problems.id').onDelete('cascade'),
    )
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('note_md', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('public', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('created_by', 'integer', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('problem_updates_problem')
    .on('problem_updates')
    .columns(['problem_id', 'created_at'])
    .execute();

  if (dialectOf(db) === 'postgres') {
    await sql`alter table resolutions
      drop constraint resolutions_kind_check,
      add constraint resolutions_kind_check
        check (kind in ('article', 'thread', 'none', 'other', 'known_issue')),
      add column problem_id integer references problems(id) on delete set null`.execute(db);
  } else {
    await rebuildResolutions(db, ['known_issue'], true);
  }
  await db.schema
    .createIndex('resolutions_problem')
    .on('resolutions')
    .column('problem_id')
    .execute();
  for (const trigger of triggers) await createTrigger(db, trigger);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
  for (const trigger of triggers) await dropTrigger(db, trigger);
  await sql`delete from resolutions where kind = 'known_issue'`.execute(db);
  await db.schema.dropIndex('resolutions_problem').execute();
  if (dialectOf(db) === 'postgres') {
    await sql`alter table resolutions
      drop constraint resolutions_kind_check,
      add constraint resolutions_kind_check check (kind in ('article', 'thread', 'none', 'other')),
      drop column problem_id`.execute(db);
  } else {
    await rebuildResolutions(db, [], false);
  }
  await db.schema.dropTable('problem_updates').execute();
  await db.schema.dropTable('problem_followers').execute();
  await db.schema.dropTable('problem_links').execute();
  await db.schema.dropTable('problems').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
async function rebuildResolutions(db: Kysely<any>, kinds: string[], withProblem: boolean) {
  const allowed = ['article', 'thread', 'none', 'other', ...kinds]
    .map((kind) => `'${kind}'`)
    .join(', ');
  const kept = 'ticket_id, kind, article_id, thread_id, post_id, note, resolved_by, created_at';
  await sql
    .raw(
      `create table resolutions_next (
      ticket_id integer primary key references tickets(id) on delete cascade,
      kind text not null check (kind in (${allowed})),
      article_id integer references articles(id) on delete set null,
      thread_id integer references threads(id) on delete set null,
      post_id integer references posts(id) on delete set null,
      note text,
      resolved_by integer references users(id),
      created_at text not null${withProblem ? ',\n      problem_id integer references problems(id) on delete set null' : ''}
    )`,
    )
    .execute(db);
  await sql
    .raw(`insert into resolutions_next (${kept}) select ${kept} from resolutions`)
    .execute(db);
  await sql`drop table resolutions`.execute(db);
  await sql`alter table resolutions_next rename to resolutions`.execute(db);
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
}
