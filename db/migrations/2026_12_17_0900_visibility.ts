import { sql, type Kysely } from 'kysely';
import { createTrigger, dropTrigger, type Trigger } from '../dialect';

/**
 * Who sees what: groups of people, and the visibility of categories and articles (public,
 * signed-in people, listed groups and organisations, or staff only). A thread has no visibility
 * of its own: it takes its category's. See app/models/visibility.server.ts for the rule.
 */

const bump = (key: string) =>
  `insert into page_versions (page, version) values (${key}, 1)
     on conflict (page) do update set version = version + 1;`;
const bumpUser = (userId: string) =>
  `insert into page_versions (page, version) select 'user:' || ${userId}, 1 where ${userId} is not null
     on conflict (page) do update set version = version + 1;`;
const allEvents = ['INSERT', 'UPDATE', 'DELETE'];
const rowOf = (event: string) => (event === 'DELETE' ? 'old' : 'new');

// What a page shows depends on who may see it: any change to the rule's inputs moves the
// versions of the pages it can change, so the page cache never serves a copy past it.
const triggers: Trigger[] = [
  ...['groups', 'group_organizations', 'group_domains', 'audiences'].flatMap((table) =>
    allEvents.map((event) => ({
      name: `${table}_page_versions_${event.toLowerCase()}`,
      on: table,
      event,
      body: [bump(`'layout'`), bump(`'site'`)].join('\n'),
    })),
  ),
  ...allEvents.map((event) => ({
    name: `group_members_page_versions_${event.toLowerCase()}`,
    on: 'group_members',
    event,
    body: bumpUser(`${rowOf(event)}.user_id`),
  })),
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('groups')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('name', 'text', (col) => col.notNull().unique())
    .addColumn('description', 'text', (col) => col.notNull())
    // 'closed': admins and the group's managers add people; 'request': people may ask to join.
    .addColumn('join_policy', 'text', (col) =>
      col.notNull().check(sql`join_policy in ('closed', 'request')`),
    )
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();

  // People added by hand; managers approve join requests (the moderators of the group's
  // categories).
  await db.schema
    .createTable('group_members')
    .addColumn('group_id', 'integer', (col) =>
      col.notNull().references('groups.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'integer', (col) =>
      col.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('manager', 'integer', (col) => col.notNull().check(sql`manager in (0, 1)`))
    .addColumn('added_by', 'integer', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('group_members_pk', ['group_id', 'user_id'])
    .execute();
  await db.schema.createIndex('group_members_user').on('group_members').column('user_id').execute();

  // Everyone in these organisations belongs, as they join and leave them.
  await db.schema
    .createTable('group_organizations')
    .addColumn('group_id', 'integer', (col) =>
      col.notNull().references('groups.id').onDelete('cascade'),
    )
    .addColumn('organization_id', 'integer', (col) =>
      col.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('group_organizations_pk', ['group_id', 'organization_id'])
    .execute();

  // Everyone with a verified address at these domains belongs.
  await db.schema
    .createTable('group_domains')
    .addColumn('group_id', 'integer', (col) =>
      col.notNull().references('groups.id').onDelete('cascade'),
    )
    .addColumn('domain', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('group_domains_pk', ['group_id', 'domain'])
    .execute();
  await db.schema
    .createIndex('group_domains_domain')
    .on('group_domains')
    .column('domain')
    .execute();

  await db.schema
    .createTable('group_join_requests')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('group_id', 'integer', (col) =>
      col.notNull().references('groups.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'integer', (col) =>
      col.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('message', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) =>
      col.notNull().check(sql`status in ('pending', 'approved', 'declined')`),
    )
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('handled_by', 'integer', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('handled_at', 'text')
    .execute();
  await db.schema
    .createIndex('group_join_requests_group')
    .on('group_join_requests')
    .columns(['group_id', 'status'])
    .execute();

  for (const table of ['categories', 'articles']) {
    await db.schema
      .alterTable(table)
      .addColumn('visibility', 'text', (col) =>
        col
          .notNull()
          .defaultTo('public')
          .check(sql`visibility in ('public', 'signed_in', 'audience', 'internal')`),
      )
      .execute();
  }

  // The groups and organisations a category or article with visibility 'audience' is for.
  await db.schema
    .createTable('audiences')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('subject_type', 'text', (col) =>
      col.notNull().check(sql`subject_type in ('category', 'article')`),
    )
    .addColumn('subject_id', 'integer', (col) => col.notNull())
    .addColumn('group_id', 'integer', (col) => col.references('groups.id').onDelete('cascade'))
    .addColumn('organization_id', 'integer', (col) =>
      col.references('organizations.id').onDelete('cascade'),
    )
    .addCheckConstraint('audiences_one_kind', sql`(group_id is null) <> (organization_id is null)`)
    .execute();
  await db.schema
    .createIndex('audiences_subject')
    .on('audiences')
    .columns(['subject_type', 'subject_id'])
    .execute();

  for (const trigger of triggers) await createTrigger(db, trigger);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
  for (const trigger of triggers) await dropTrigger(db, trigger);
  await db.schema.dropTable('audiences').execute();
  for (const table of ['articles', 'categories'])
    await db.schema.alterTable(table).dropColumn('visibility').execute();
  for (const table of [
    'group_join_requests',
    'group_domains',
    'group_organizations',
    'group_members',
    'groups',
  ])
    await db.schema.dropTable(table).execute();
}
