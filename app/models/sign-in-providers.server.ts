import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { Database } from '#db/client';
import { roles, type Role, type SignInProvidersTable } from '#db/schema';
import type { Config } from '~/utils/config.server';
import { hashToken } from './account-tokens.server';
import { logModeration } from './audit-log.server';

/**
 * The OpenID Connect providers people may sign in with (docs/decisions/023): the ones an admin
 * configured at /admin/sign-in, and for automated installs one from the environment (OIDC_*).
 */

export type SignInProvider = {
  id: number | null;
  slug: string;
  label: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Roles whose accounts may sign in with it. */
  roles: Role[];
  newAccountRole: Role;
  createAccounts: boolean;
  /** Lower-case email domains whose people may sign in; empty: any. */
  emailDomains: string[];
  enabled: boolean;
  /** Configured by OIDC_* variables: shown, not editable. */
  fromEnvironment: boolean;
  updatedAt: string;
};

/** The slug of the provider configured by the environment. */
export const environmentSlug = 'sso';

function fromRow(row: Selectable<SignInProvidersTable>): SignInProvider {
  return {
    id: row.id,
    slug: row.slug,
    label: row.label,
    issuer: row.issuer,
    clientId: row.client_id,
    clientSecret: row.client_secret,
    roles: row.roles.split(' ').filter(isRole),
    newAccountRole: row.new_account_role,
    createAccounts: row.create_accounts === 1,
    emailDomains: row.email_domains.split(' ').filter(Boolean),
    enabled: row.enabled === 1,
    fromEnvironment: false,
    updatedAt: row.updated_at,
  };
}

function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

type EnvironmentSettings = Pick<
  Config,
  'OIDC_ISSUER' | 'OIDC_CLIENT_ID' | 'OIDC_CLIENT_SECRET' | 'OIDC_LABEL' | 'OIDC_EMAIL_DOMAINS'
>;

function environmentProvider(config: EnvironmentSettings): SignInProvider | null {
  if (!config.OIDC_ISSUER || !config.OIDC_CLIENT_ID || !config.OIDC_CLIENT_SECRET) return null;
  return {
    id: null,
    slug: environmentSlug,
    label: config.OIDC_LABEL,
    issuer: config.OIDC_ISSUER,
    clientId: config.OIDC_CLIENT_ID,
    clientSecret: config.OIDC_CLIENT_SECRET,
    roles: [...roles],
    newAccountRole: 'member',
    createAccounts: true,
    emailDomains: config.OIDC_EMAIL_DOMAINS,
    enabled: true,
    fromEnvironment: true,
    updatedAt: '',
  };
}

export async function listProviders(
  db: Database,
  config: EnvironmentSettings,
): Promise<SignInProvider[]> {
  const rows = await db.selectFrom('sign_in_providers').selectAll().orderBy('id').execute();
  const fromEnvironment = environmentProvider(config);
  return [...(fromEnvironment ? [fromEnvironment] : []), ...rows.map(fromRow)];
}

export async function findProvider(
  db: Database,
  config: EnvironmentSettings,
  slug: string,
): Promise<SignInProvider | null> {
  if (slug === environmentSlug) return environmentProvider(config);
  const row = await db
    .selectFrom('sign_in_providers')
    .selectAll()
    .where('slug', '=', slug)
    .executeTakeFirst();
  return row ? fromRow(row) : null;
}

const checkbox = z
  .string()
  .optional()
  .transform((value) => value === 'on');

const domainPattern = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** An issuer is https, or http on this machine (a provider for development and the tests). */
export function isAllowedIssuer(url: URL): boolean {
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

export const providerSchema = z
  .object({
    label: z
      .string()
      .trim()
      .min(1, 'Give the button a label, such as "Sign in with Okta".')
      .max(60, 'Keep the label under 60 characters.'),
    slug: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/, 'Use 3–40 lower-case letters, digits and dashes.')
      .refine((slug) => slug !== environmentSlug, `"${environmentSlug}" is kept for OIDC_ISSUER.`),
    issuer: z
      .string()
      .trim()
      .min(1, 'Enter the issuer URL from your provider.')
      .max(500, 'That URL is too long.')
      .refine((value) => URL.canParse(value), 'Enter a URL such as https://login.example.com.')
      .refine(
        (value) => !URL.canParse(value) || isAllowedIssuer(new URL(value)),
        'The issuer must use https (http only on localhost).',
      ),
    clientId: z
      .string()
      .trim()
      .min(1, 'Enter the client id the provider gave you.')
      .max(300, 'That client id is too long.'),
    clientSecret: z.string().trim().max(1_000, 'That secret is too long.'),
    roles: z
      .union([z.enum(roles), z.array(z.enum(roles))], 'Choose at least one role.')
      .transform((value) => (Array.isArray(value) ? value : [value])),
    newAccountRole: z.enum(roles, 'Choose the role new accounts get.'),
    createAccounts: checkbox,
    emailDomains: z
      .string()
      .max(2_000, 'Keep the list under 2,000 characters.')
      .transform((value) =>
        value
          .toLowerCase()
          .split(/[\s,]+/)
          .filter(Boolean),
      )
      .refine(
        (domains) => domains.every((domain) => domainPattern.test(domain)),
        'List domains such as example.com, separated by spaces or commas.',
      ),
    enabled: checkbox,
  })
  .refine((input) => input.roles.includes(input.newAccountRole), {
    path: ['newAccountRole'],
    message: 'New accounts must get one of the roles that may sign in.',
  });

export type ProviderInput = z.infer<typeof providerSchema>;

/** Saves a provider (its secret resolved: an edit's blank secret keeps the stored one). */
export async function saveProvider(
  db: Database,
  actorId: number,
  input: ProviderInput,
  existing: SignInProvider | null,
  now = new Date(),
): Promise<{ ok: true } | { ok: false; fieldErrors: Record<string, string> }> {
  const values = {
    label: input.label,
    issuer: input.issuer,
    client_id: input.clientId,
    client_secret: input.clientSecret,
    roles: [...new Set(input.roles)].join(' '),
    new_account_role: input.newAccountRole,
    create_accounts: input.createAccounts ? (1 as const) : (0 as const),
    email_domains: [...new Set(input.emailDomains)].join(' '),
    enabled: input.enabled ? (1 as const) : (0 as const),
    updated_at: now.toISOString(),
  };
  if (existing?.id) {
    await db.updateTable('sign_in_providers').set(values).where('id', '=', existing.id).execute();
  } else {
    const taken = await db
      .selectFrom('sign_in_providers')
      .select('id')
      .where('slug', '=', input.slug)
      .executeTakeFirst();
    if (taken) return { ok: false, fieldErrors: { slug: 'Another provider has this name.' } };
    await db
      .insertInto('sign_in_providers')
      .values({ ...values, slug: input.slug, created_at: now.toISOString() })
      .execute();
  }
  await logModeration(
    db,
    {
      actorId,
      action: 'sign_in_provider_saved',
      data: { provider: existing?.slug ?? input.slug, label: input.label, issuer: input.issuer },
    },
    now,
  );
  return { ok: true };
}

export async function deleteProvider(db: Database, actorId: number, provider: SignInProvider) {
  if (!provider.id) return;
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('user_identities').where('provider', '=', provider.slug).execute();
    await trx.deleteFrom('sign_in_providers').where('id', '=', provider.id).execute();
    await logModeration(trx, {
      actorId,
      action: 'sign_in_provider_deleted',
      data: { provider: provider.slug, label: provider.label },
    });
  });
}

const staffSettingKey = 'staff_sign_in_with_provider';

/** Whether the admin turned password sign-in off for staff. */
export async function staffProviderOnly(db: Database): Promise<boolean> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', staffSettingKey)
    .executeTakeFirst();
  return row?.value === 'on';
}

/**
 * The provider a staff member must sign in with instead of a password, or null. Only while some
 * enabled provider lets their role in: disabling the last one must not lock every admin out.
 */
export async function providerRequiredFor(
  db: Database,
  config: EnvironmentSettings,
  role: Role,
): Promise<SignInProvider | null> {
  if (!isStaff(role) || !(await staffProviderOnly(db))) return null;
  const providers = await listProviders(db, config);
  return providers.find((provider) => provider.enabled && provider.roles.includes(role)) ?? null;
}

export async function setStaffProviderRequired(
  db: Database,
  actorId: number,
  required: boolean,
  now = new Date(),
) {
  const value = required ? 'on' : 'off';
  const at = now.toISOString();
  await db
    .insertInto('settings')
    .values({ key: staffSettingKey, value, updated_at: at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: at }))
    .execute();
  await logModeration(
    db,
    { actorId, action: 'staff_sign_in_policy', data: { providerOnly: required } },
    now,
  );
}

export function isStaff(role: Role): boolean {
  return role !== 'member';
}

// Sign-ins under way ------------------------------------------------------------------------

/** How long a person has at the provider, and then to prove an account to link. */
const pendingMinutes = 15;

export type PendingSignIn = {
  provider: string;
  codeVerifier: string;
  nonce: string;
  redirectTo: string;
  link: { userId: number; subject: string; email: string } | null;
};

export async function savePendingSignIn(
  db: Database,
  state: string,
  pending: Omit<PendingSignIn, 'link'>,
  now = new Date(),
) {
  await db.deleteFrom('oidc_sign_ins').where('expires_at', '<', now.toISOString()).execute();
  await db
    .insertInto('oidc_sign_ins')
    .values({
      state_hash: hashToken(state),
      provider: pending.provider,
      code_verifier: pending.codeVerifier,
      nonce: pending.nonce,
      redirect_to: pending.redirectTo,
      expires_at: new Date(now.getTime() + pendingMinutes * 60_000).toISOString(),
    })
    .execute();
}

/** The sign-in this browser's state names, while it has not expired. */
export async function findPendingSignIn(
  db: Database,
  state: string,
  now = new Date(),
): Promise<PendingSignIn | null> {
  const row = await db
    .selectFrom('oidc_sign_ins')
    .selectAll()
    .where('state_hash', '=', hashToken(state))
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  if (!row) return null;
  return {
    provider: row.provider,
    codeVerifier: row.code_verifier,
    nonce: row.nonce,
    redirectTo: row.redirect_to,
    link:
      row.link_user_id && row.link_subject && row.link_email
        ? { userId: row.link_user_id, subject: row.link_subject, email: row.link_email }
        : null,
  };
}

export async function forgetPendingSignIn(db: Database, state: string) {
  await db.deleteFrom('oidc_sign_ins').where('state_hash', '=', hashToken(state)).execute();
}

/**
 * The provider vouched for an existing person's email: the spent sign-in comes back under the same
 * state, holding only what to link once that person proves the account with its password.
 */
export async function awaitAccountProof(
  db: Database,
  state: string,
  provider: string,
  link: NonNullable<PendingSignIn['link']>,
  now = new Date(),
) {
  await db
    .insertInto('oidc_sign_ins')
    .values({
      state_hash: hashToken(state),
      provider,
      code_verifier: '',
      nonce: '',
      redirect_to: '/',
      expires_at: new Date(now.getTime() + pendingMinutes * 60_000).toISOString(),
      link_user_id: link.userId,
      link_subject: link.subject,
      link_email: link.email,
    })
    .execute();
}

// Identities --------------------------------------------------------------------------------

export async function findIdentityUser(db: Database, provider: string, subject: string) {
  return db
    .selectFrom('user_identities')
    .innerJoin('users', 'users.id', 'user_identities.user_id')
    .select(['users.id', 'users.role', 'users.suspended_until', 'users.suspended_reason'])
    .where('user_identities.provider', '=', provider)
    .where('user_identities.subject', '=', subject)
    .executeTakeFirst();
}

export async function linkIdentity(
  db: Database,
  identity: { userId: number; provider: string; subject: string; email: string },
  now = new Date(),
) {
  await db
    .insertInto('user_identities')
    .values({
      user_id: identity.userId,
      provider: identity.provider,
      subject: identity.subject,
      email: identity.email,
      created_at: now.toISOString(),
      last_sign_in_at: now.toISOString(),
    })
    .onConflict((oc) => oc.columns(['provider', 'subject']).doNothing())
    .execute();
  await logModeration(
    db,
    {
      actorId: identity.userId,
      action: 'identity_linked',
      data: { provider: identity.provider, email: identity.email },
    },
    now,
  );
}

export async function noteIdentitySignIn(
  db: Database,
  provider: string,
  subject: string,
  now = new Date(),
) {
  await db
    .updateTable('user_identities')
    .set({ last_sign_in_at: now.toISOString() })
    .where('provider', '=', provider)
    .where('subject', '=', subject)
    .execute();
}

/** A sign-in, in the audit log: by password or by which provider. */
export async function logSignIn(
  db: Database,
  userId: number,
  method: { provider: string } | 'password',
  now = new Date(),
) {
  await logModeration(
    db,
    {
      actorId: userId,
      action: 'sign_in',
      data: method === 'password' ? { method: 'password' } : { method: 'oidc', ...method },
    },
    now,
  );
}
