import { z } from 'zod';
import type { Database } from '#db/client';
import type { AccountTokenPurpose } from '#db/schema';
import { claimAccountMail, queueClaimMail, queuePasswordResetMail } from './account-mail.server';
import {
  consumeAccountToken,
  findAccountToken,
  issueAccountToken,
  type TokenState,
} from './account-tokens.server';
import { logModeration } from './audit-log.server';
import { minutesText } from './rate-limits.server';
import { isUniqueViolation } from './sql.server';
import {
  emailSchema,
  findOrCreateRequester,
  passwordResemblesAccount,
  passwordResemblesAccountMessage,
  passwordSchema,
  usernameSchema,
} from './users.server';
import type { FieldErrors } from '~/utils/forms.server';
import { hashPassword } from '~/utils/password.server';

/**
 * Getting into an account without its password: "forgot password" (a reset link, or a claim
 * link for an account that never had a password), setting a password from such a link, and an
 * admin's invitation by email (docs/decisions/012-account-lifecycle.md).
 */

export const passwordHelpSchema = z.object({ email: emailSchema });

export const newPasswordSchema = z.object({ password: z.string().pipe(passwordSchema) });

export type MailRequestResult = { ok: true } | { ok: false; message: string };

function tooManyMails(retryAfterMinutes: number): MailRequestResult {
  return {
    ok: false,
    message: `Too many links were asked for this address or from your network. Try again in ${minutesText(retryAfterMinutes)}.`,
  };
}

/**
 * Sends a reset link to an account with a password, a claim link to an account without one
 * (imported, or made for a ticket's requester), and nothing to an address without an account.
 * The answer is the same in all three cases; the limits are counted before the lookup, so a
 * refusal does not tell either.
 */
export async function requestPasswordHelp(
  db: Database,
  input: { email: string; clientAddress: string },
  now = new Date(),
): Promise<MailRequestResult> {
  const limit = await claimAccountMail(db, input.email, input.clientAddress, now);
  if (!limit.allowed) return tooManyMails(limit.retryAfterMinutes);
  const user = await db
    .selectFrom('users')
    .select(['id', 'email', 'username', 'display_name', 'password_hash'])
    .where('email', '=', input.email)
    .executeTakeFirst();
  if (!user) return { ok: true };
  await db.transaction().execute(async (trx) => {
    if (user.password_hash) {
      const token = await issueAccountToken(
        trx,
        { purpose: 'password_reset', userId: user.id, email: user.email },
        now,
      );
      await queuePasswordResetMail(trx, user, token, now);
    } else {
      const token = await issueAccountToken(
        trx,
        { purpose: 'account_claim', userId: user.id, email: user.email },
        now,
      );
      await queueClaimMail(trx, user, token, null, now);
    }
  });
  return { ok: true };
}

export type LinkAccount = {
  userId: number;
  username: string;
  displayName: string;
  reputation: number;
  hasPassword: boolean;
};

export type LinkLookup =
  { state: 'valid'; account: LinkAccount } | { state: Exclude<TokenState, 'valid'> };

/** What a reset or claim link leads to, for its page. */
export async function lookUpPasswordLink(
  db: Database,
  purpose: 'password_reset' | 'account_claim',
  token: string,
  now = new Date(),
): Promise<LinkLookup> {
  const found = await findAccountToken(db, purpose, token, now);
  if (found.state !== 'valid') return found;
  const user = await db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'reputation', 'password_hash'])
    .where('id', '=', found.token.userId)
    .executeTakeFirst();
  if (!user) return { state: 'unknown' };
  return {
    state: 'valid',
    account: {
      userId: user.id,
      username: user.username,
      displayName: user.display_name,
      reputation: user.reputation,
      hasPassword: user.password_hash !== null,
    },
  };
}

export type SetPasswordResult =
  | { ok: true; userId: number }
  | { ok: false; state: Exclude<TokenState, 'valid'> }
  | { ok: false; state: 'valid'; fieldErrors: FieldErrors };

/**
 * Sets a password from a reset or claim link: the link is used up, every session of the account
 * ends (the caller signs the person in afresh), and the address counts as verified when the link
 * went to the address the account still has, since only its owner could open it.
 */
export async function setPasswordWithLink(
  db: Database,
  purpose: 'password_reset' | 'account_claim',
  input: { token: string; password: string },
  now = new Date(),
): Promise<SetPasswordResult> {
  const found = await findAccountToken(db, purpose, input.token, now);
  if (found.state !== 'valid') return { ok: false, state: found.state };
  const user = await db
    .selectFrom('users')
    .select(['id', 'username', 'email'])
    .where('id', '=', found.token.userId)
    .executeTakeFirst();
  if (!user) return { ok: false, state: 'unknown' };
  if (passwordResemblesAccount(input.password, user)) {
    return {
      ok: false,
      state: 'valid',
      fieldErrors: { password: passwordResemblesAccountMessage },
    };
  }
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx): Promise<SetPasswordResult> => {
    const used = await consumeAccountToken(trx, purpose, input.token, now);
    if (used.state !== 'valid') return { ok: false, state: used.state };
    const current = await trx
      .selectFrom('users')
      .select(['email', 'email_verified_at'])
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    const proved = current.email === used.token.email;
    await trx
      .updateTable('users')
      .set({
        password_hash: passwordHash,
        email_verified_at: proved ? (current.email_verified_at ?? now.toISOString()) : undefined,
        // A link that reached the address shows mail gets there again.
        email_bounced_at: proved ? null : undefined,
      })
      .where('id', '=', user.id)
      .execute();
    // Every other way in ends: sessions, and the other links that set a password.
    await trx.deleteFrom('sessions').where('user_id', '=', user.id).execute();
    await trx
      .deleteFrom('account_tokens')
      .where('user_id', '=', user.id)
      .where('purpose', 'in', ['password_reset', 'account_claim'] satisfies AccountTokenPurpose[])
      .where('used_at', 'is', null)
      .execute();
    return { ok: true, userId: user.id };
  });
}

export const inviteSchema = z.object({
  email: emailSchema,
  /** An existing account without a password (imported) to give this address to. */
  username: z
    .string()
    .trim()
    .max(30, 'Use at most 30 characters.')
    .transform((value) => value || undefined)
    .pipe(usernameSchema.optional()),
});

export type InviteResult =
  | { ok: true; userId: number; username: string; created: boolean }
  | { ok: false; fieldErrors: FieldErrors; formError?: string };

/**
 * An admin invites someone by email: the account with that address, or the named account without
 * a password (an imported one, which is given the address), or a new account, gets a claim link.
 * An account that already has a password is not invited: its owner signs in, or uses "Forgot
 * password".
 */
export async function inviteByEmail(
  db: Database,
  admin: { id: number; displayName: string },
  input: z.infer<typeof inviteSchema>,
  now = new Date(),
): Promise<InviteResult> {
  const limit = await claimAccountMail(db, input.email, null, now);
  if (!limit.allowed) {
    return {
      ok: false,
      fieldErrors: {
        email: `Too many account mails went to this address. Try again in ${minutesText(limit.retryAfterMinutes)}.`,
      },
    };
  }
  const byEmail = await db
    .selectFrom('users')
    .select(['id', 'username', 'password_hash'])
    .where('email', '=', input.email)
    .executeTakeFirst();
  if (byEmail?.password_hash) {
    return {
      ok: false,
      fieldErrors: {
        email: `This address belongs to ${byEmail.username}, who can already sign in.`,
      },
    };
  }
  let target: { id: number; created: boolean };
  if (byEmail) {
    if (input.username && input.username.toLowerCase() !== byEmail.username.toLowerCase()) {
      return {
        ok: false,
        fieldErrors: {
          email: `This address already belongs to ${byEmail.username}. Invite that account, or leave the account field empty.`,
        },
      };
    }
    target = { id: byEmail.id, created: false };
  } else if (input.username) {
    const named = await db
      .selectFrom('users')
      .select(['id', 'username', 'password_hash'])
      .where((eb) => eb(eb.fn('lower', ['username']), '=', input.username!.toLowerCase()))
      .executeTakeFirst();
    if (!named) return { ok: false, fieldErrors: { username: 'No account has this username.' } };
    if (named.password_hash) {
      return {
        ok: false,
        fieldErrors: {
          username: `${named.username} can already sign in; only accounts without a password can be claimed.`,
        },
      };
    }
    try {
      await db
        .updateTable('users')
        .set({ email: input.email, email_verified_at: null })
        .where('id', '=', named.id)
        .execute();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return { ok: false, fieldErrors: { email: 'Another account took this address just now.' } };
    }
    target = { id: named.id, created: false };
  } else {
    const id = await findOrCreateRequester(db, { email: input.email }, now);
    target = { id, created: true };
  }

  const user = await db.transaction().execute(async (trx) => {
    const recipient = await trx
      .selectFrom('users')
      .select(['id', 'email', 'username', 'display_name'])
      .where('id', '=', target.id)
      .executeTakeFirstOrThrow();
    const token = await issueAccountToken(
      trx,
      { purpose: 'account_claim', userId: recipient.id, email: recipient.email },
      now,
    );
    await queueClaimMail(trx, recipient, token, admin.displayName, now);
    await logModeration(
      trx,
      {
        actorId: admin.id,
        action: 'invite',
        targetType: 'user',
        targetId: recipient.id,
        targetUserId: recipient.id,
        data: { created: target.created },
      },
      now,
    );
    return recipient;
  });
  return { ok: true, userId: user.id, username: user.username, created: target.created };
}
