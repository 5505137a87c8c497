import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('organizations')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('organizations_name_lower')
    .on('organizations')
    .expression(sql`lower(name)`)
    .unique()
    .execute();

  await db.schema
    .createTable('organization_domains')
    .addColumn('domain', 'text', (col) => col.primaryKey())
    .addColumn('organization_id', 'integer', (col) =>
      col.notNull().references('organizations.id').onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createIndex('organization_domains_organization')
    .on('organization_domains')
    .column('organization_id')
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('email', 'text', (col) => col.notNull().unique())
    .addColumn('username', 'text', (col) => col.notNull())
    .addColumn('display_name', 'text', (col) => col.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('role', 'text', (col) =>
      col
        .notNull()
        .defaultTo('member')
        .check(sql`role in ('member', 'agent', 'moderator', 'admin')`),
    )
    .addColumn('organization_id', 'integer', (col) =>
      col.references('organizations.id').onDelete('set null'),
    )
    .addColumn('reputation', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('suspended_until', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('users_username_lower')
    .on('users')
    .expression(sql`lower(username)`)
    .unique()
    .execute();
  await db.schema.createIndex('users_organization').on('users').column('organization_id').execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('user_id', 'integer', (col) =>
      col.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('expires_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('categories')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('slug', 'text', (col) => col.notNull().unique())
    .addColumn('description', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('position', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('sign_in_failures')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('key', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('sign_in_failures_key_time')
    .on('sign_in_failures')
    .columns(['key', 'created_at'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'sign_in_failures',
    'categories',
    'sessions',
    'users',
    'organization_domains',
    'organizations',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
