import { z } from 'zod';
import type { Database } from '#db/client';
import { waitForTurn } from '#db/dialect';
import { roles, type Role } from '#db/schema';
import { hashPassword, verifyPassword } from '~/utils/password.server';
import type { FieldErrors } from '~/utils/forms.server';
import { organizationIdForEmail } from './organizations.server';
import { containsText, isUniqueViolation } from './sql.server';
import { threadVisibleSql, type Viewer } from './visibility.server';

const reservedUsernames = new Set([
  'admin',
  'administrator',
  'root',
  'system',
  'support',
  'help',
  'moderator',
  'staff',
  'anonymous',
  'api',
  'login',
  'logout',
  'signup',
  'me',
  'new',
  'null',
  'undefined',
]);

export const usernameSchema = z
  .string()
  .trim()
  .min(3, 'Use at least 3 characters.')
  .max(30, 'Use at most 30 characters.')
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]*$/,
    'Use letters, digits, dots, dashes and underscores, starting with a letter or digit.',
  )
  .refine((name) => !/[._-]{2}/.test(name), 'Do not put two dots, dashes or underscores in a row.')
  .refine((name) => !reservedUsernames.has(name.toLowerCase()), 'That username is reserved.');

export const emailSchema = z
  .string()
  .trim()
  .min(1, 'Enter your email address.')
  .max(254, 'That email address is too long.')
  .pipe(z.email('Enter a valid email address, like name@example.com.'))
  .transform((email) => email.toLowerCase());

export const passwordSchema = z
  .string()
  .min(10, 'Use at least 10 characters.')
  .max(200, 'Use at most 200 characters.')
  .refine((password) => password.trim().length > 0, 'A password cannot be only spaces.');

export const passwordResemblesAccountMessage =
  'Choose a password that does not contain your username or email.';

/** The rule sign-up applies, for any new password: it may not contain the username or be the email. */
export function passwordResemblesAccount(
  password: string,
  account: { username: string; email: string },
): boolean {
  const lowered = password.toLowerCase();
  return lowered.includes(account.username.toLowerCase()) || lowered === account.email;
}

export const signUpSchema = z
  .object({
    email: emailSchema,
    username: usernameSchema,
    password: z.string().pipe(passwordSchema),
    redirectTo: z.string().optional(),
  })
  .superRefine((input, ctx) => {
    if (passwordResemblesAccount(input.password, input)) {
      ctx.addIssue({
        code: 'custom',
        path: ['password'],
        message: passwordResemblesAccountMessage,
      });
    }
  });

export type SignUpInput = z.infer<typeof signUpSchema>;

export const signInSchema = z.object({
  login: z.string().trim().min(1, 'Enter your email or username.').max(254, 'That is too long.'),
  password: z.string().min(1, 'Enter your password.').max(200, 'That password is too long.'),
  redirectTo: z.string().optional(),
});

export type CreatedUser = { id: number; username: string; role: Role };

async function takenFields(db: Database, email: string, username: string): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  const clashes = await db
    .selectFrom('users')
    .select(['email', 'username'])
    .where((eb) =>
      eb.or([
        eb('email', '=', email),
        eb(eb.fn('lower', ['username']), '=', username.toLowerCase()),
      ]),
    )
    .execute();
  for (const clash of clashes) {
    if (clash.email === email)
      errors.email = 'An account with this email already exists. Sign in instead.';
    if (clash.username.toLowerCase() === username.toLowerCase())
      errors.username = 'That username is taken.';
  }
  return errors;
}

/**
 * Creates a member account. The first account of an empty instance becomes its admin, and an
 * email whose domain belongs to an organization joins that organization.
 */
export async function createUser(
  db: Database,
  input: Pick<SignUpInput, 'email' | 'username' | 'password'>,
  now = new Date(),
): Promise<{ ok: true; user: CreatedUser } | { ok: false; fieldErrors: FieldErrors }> {
  const taken = await takenFields(db, input.email, input.username);
  if (Object.keys(taken).length > 0) return { ok: false, fieldErrors: taken };
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('users').select('id').limit(1).executeTakeFirst();
      const role: Role = existing ? 'member' : 'admin';
      const organizationId = await organizationIdForEmail(trx, input.email);
      return trx
        .insertInto('users')
        .values({
          email: input.email,
          username: input.username,
          display_name: input.username,
          password_hash: passwordHash,
          role,
          organization_id: organizationId,
          created_at: now.toISOString(),
        })
        .returning(['id', 'username', 'role'])
        .executeTakeFirstOrThrow();
    });
    return { ok: true, user };
  } catch (error) {
    // Another sign-up took the email or username between the check and the insert.
    if (isUniqueViolation(error)) {
      return { ok: false, fieldErrors: await takenFields(db, input.email, input.username) };
    }
    throw error;
  }
}

/** The account a login (email or username) names, whether or not the password is right. */
export async function findUserByLogin(db: Database, login: string) {
  const normalized = login.trim().toLowerCase();
  return db
    .selectFrom('users')
    .select(['id', 'username', 'role', 'password_hash', 'suspended_until', 'suspended_reason'])
    .where((eb) =>
      normalized.includes('@')
        ? eb('email', '=', normalized)
        : eb(eb.fn('lower', ['username']), '=', normalized),
    )
    .executeTakeFirst();
}

export async function passwordMatches(
  user: { password_hash: string | null },
  password: string,
): Promise<boolean> {
  // Accounts without a password (imported, unclaimed) can never sign in with one.
  if (!user.password_hash) return false;
  return verifyPassword(user.password_hash, password);
}

export const userListPageSize = 50;

export async function searchUsers(db: Database, query: string, page = 1) {
  const term = query.trim();
  let select = db
    .selectFrom('users')
    .leftJoin('organizations', 'organizations.id', 'users.organization_id')
    .select([
      'users.id',
      'users.username',
      'users.display_name',
      'users.email',
      'users.role',
      'users.created_at',
      'users.email_verified_at',
      (eb) => eb('users.password_hash', 'is', null).as('without_password'),
      'organizations.name as organization_name',
    ]);
  if (term) {
    select = select.where((eb) =>
      eb.or([
        containsText(eb.ref('users.username'), term),
        containsText(eb.ref('users.email'), term),
        containsText(eb.ref('users.display_name'), term),
      ]),
    );
  }
  const rows = await select
    .orderBy('users.id')
    .limit(userListPageSize + 1)
    .offset((page - 1) * userListPageSize)
    .execute();
  return { users: rows.slice(0, userListPageSize), hasMore: rows.length > userListPageSize };
}

export const roleSchema = z.enum(roles, 'Choose one of the roles.');

/** Changes a user's role. An instance always keeps at least one admin. */
export async function changeRole(
  db: Database,
  userId: number,
  role: Role,
): Promise<{ ok: true } | { ok: false; error: string }> {
  return db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom('users')
      .select(['id', 'role'])
      .where('id', '=', userId)
      .executeTakeFirst();
    if (!user) return { ok: false, error: 'That user no longer exists.' };
    if (user.role === 'admin' && role !== 'admin') {
      // Two admins demoting each other at once must not both see the other still an admin.
      await waitForTurn(trx, 'admin roles');
      const admins = await trx
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('role', '=', 'admin')
        .executeTakeFirstOrThrow();
      if (admins.count <= 1)
        return { ok: false, error: 'The last admin cannot lose the admin role.' };
    }
    await trx.updateTable('users').set({ role }).where('id', '=', userId).execute();
    return { ok: true };
  });
}

export async function countUsersByRole(db: Database): Promise<Record<Role, number>> {
  const rows = await db
    .selectFrom('users')
    .select(['role', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy('role')
    .execute();
  const counts: Record<Role, number> = { member: 0, agent: 0, moderator: 0, admin: 0 };
  for (const row of rows) counts[row.role] = row.count;
  return counts;
}

export async function getProfile(db: Database, username: string) {
  return db
    .selectFrom('users')
    .leftJoin('organizations', 'organizations.id', 'users.organization_id')
    .select([
      'users.id',
      'users.username',
      'users.display_name',
      'users.role',
      'users.reputation',
      'users.created_at',
      'organizations.name as organization_name',
    ])
    .where((eb) => eb(eb.fn('lower', ['users.username']), '=', username.toLowerCase()))
    .executeTakeFirst();
}

/** A person's answers this viewer may see, newest first, with the question each belongs to. */
export async function answersByUser(db: Database, viewer: Viewer, userId: number, limit = 20) {
  return db
    .selectFrom('posts')
    .innerJoin('threads', 'threads.id', 'posts.thread_id')
    .select([
      'posts.id',
      'posts.score',
      'posts.created_at',
      'threads.id as thread_id',
      'threads.title as thread_title',
      'threads.slug as thread_slug',
      'threads.accepted_post_id',
    ])
    .where('posts.author_id', '=', userId)
    .where('posts.deleted_at', 'is', null)
    .where('threads.deleted_at', 'is', null)
    .where(threadVisibleSql(viewer))
    .orderBy('posts.created_at', 'desc')
    .limit(limit)
    .execute();
}

/**
 * The account behind an email address another system gave us (a mirrored ticket's requester).
 * Unknown addresses get an account that cannot sign in until its owner claims it.
 */
export async function findOrCreateRequester(
  db: Database,
  requester: { email: string; name?: string },
  now = new Date(),
): Promise<number> {
  const email = requester.email.toLowerCase();
  const existing = await db
    .selectFrom('users')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirst();
  if (existing) return existing.id;
  const created = await insertUserWithFreeUsername(
    db,
    { email, name: requester.name, role: 'member', verified: false },
    now,
  );
  return created.id;
}

/** A username made from a hint (a provider's username, or an email's local part). */
function usernameBase(hint: string): string {
  return (
    hint
      .replace(/[^A-Za-z0-9_.-]+/g, '')
      .replace(/[._-]{2,}/g, '-')
      .replace(/^[^A-Za-z0-9]+/, '')
      .slice(0, 20) || 'customer'
  );
}

/**
 * Creates an account without a password for an email another system vouches for, under the hint's
 * username or, when that is taken, the hint with a random suffix. When the email was taken
 * meanwhile, returns the account that took it.
 */
export async function insertUserWithFreeUsername(
  db: Database,
  account: { email: string; name?: string; usernameHint?: string; role: Role; verified: boolean },
  now = new Date(),
): Promise<{ id: number; created: boolean }> {
  const email = account.email.toLowerCase();
  const base = usernameBase(account.usernameHint ?? email.split('@')[0] ?? '');
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const username =
      attempt === 0 && base.length >= 3 ? base : `${base}-${crypto.randomUUID().slice(0, 6)}`;
    try {
      const row = await db
        .insertInto('users')
        .values({
          email,
          username,
          display_name: account.name?.trim().slice(0, 80) || username,
          password_hash: null,
          role: account.role,
          organization_id: await organizationIdForEmail(db, email),
          email_verified_at: account.verified ? now.toISOString() : null,
          created_at: now.toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { id: row.id, created: true };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const raced = await db
        .selectFrom('users')
        .select('id')
        .where('email', '=', email)
        .executeTakeFirst();
      if (raced) return { id: raced.id, created: false };
    }
  }
  throw new Error('Could not find a free username for the account.');
}

/** Who acts (an API token acts as the admin who made it): the id and role that permissions read. */
export async function findActor(db: Database, userId: number) {
  return db
    .selectFrom('users')
    .select(['id', 'role'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
}

/** An account's address and when it was confirmed (null while it is not). */
export async function accountAddress(db: Database, userId: number) {
  return db
    .selectFrom('users')
    .select(['email', 'email_verified_at'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
}
