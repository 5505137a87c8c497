import { sql, type Kysely } from 'kysely';

/**
 * Sign-in with OpenID Connect providers: the providers an admin configured, which provider
 * account is which person here (a person may have several), and the sign-ins under way between
 * leaving for a provider and coming back from it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sign_in_providers')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    // The provider's part of /auth/:slug/callback, the address registered at the provider.
    .addColumn('slug', 'text', (col) => col.notNull().unique())
    .addColumn('label', 'text', (col) => col.notNull())
    .addColumn('issuer', 'text', (col) => col.notNull())
    .addColumn('client_id', 'text', (col) => col.notNull())
    .addColumn('client_secret', 'text', (col) => col.notNull())
    // Space-separated roles whose accounts may sign in with it; new accounts get new_account_role.
    .addColumn('roles', 'text', (col) => col.notNull())
    .addColumn('new_account_role', 'text', (col) => col.notNull())
    .addColumn('create_accounts', 'integer', (col) =>
      col.notNull().check(sql`create_accounts in (0, 1)`),
    )
    // Space-separated email domains; empty: any domain.
    .addColumn('email_domains', 'text', (col) => col.notNull())
    .addColumn('enabled', 'integer', (col) => col.notNull().check(sql`enabled in (0, 1)`))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('user_identities')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('user_id', 'integer', (col) =>
      col.notNull().references('users.id').onDelete('cascade'),
    )
    // The provider's own key for the person ("sub"), per provider: unique together.
    .addColumn('provider', 'text', (col) => col.notNull())
    .addColumn('subject', 'text', (col) => col.notNull())
    .addColumn('email', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('last_sign_in_at', 'text')
    .addUniqueConstraint('user_identities_provider_subject', ['provider', 'subject'])
    .execute();
  await db.schema
    .createIndex('user_identities_user')
    .on('user_identities')
    .column('user_id')
    .execute();

  // Which provider signed a session in: its staff need no second factor here (decision 023).
  await db.schema.alterTable('sessions').addColumn('sign_in_provider', 'text').execute();

  await db.schema
    .createTable('oidc_sign_ins')
    // sha256 of the `state` sent to the provider; the browser holds the state in a cookie.
    .addColumn('state_hash', 'text', (col) => col.primaryKey())
    .addColumn('provider', 'text', (col) => col.notNull())
    .addColumn('code_verifier', 'text', (col) => col.notNull())
    .addColumn('nonce', 'text', (col) => col.notNull())
    .addColumn('redirect_to', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'text', (col) => col.notNull())
    // Set once the provider vouched for an account that matches an existing person by email:
    // that person must prove the account (sign in with the password) before it is linked.
    .addColumn('link_user_id', 'integer', (col) => col.references('users.id').onDelete('cascade'))
    .addColumn('link_subject', 'text')
    .addColumn('link_email', 'text')
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('oidc_sign_ins').execute();
  await db.schema.alterTable('sessions').dropColumn('sign_in_provider').execute();
  await db.schema.dropTable('user_identities').execute();
  await db.schema.dropTable('sign_in_providers').execute();
}
