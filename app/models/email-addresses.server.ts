import { z } from 'zod';
import type { Database } from '#db/client';
import {
  claimAccountMail,
  queueEmailChangedNotice,
  queueEmailChangeMail,
  queueVerificationMail,
} from './account-mail.server';
import {
  consumeAccountToken,
  findAccountToken,
  issueAccountToken,
  type TokenState,
} from './account-tokens.server';
import { minutesText } from './rate-limits.server';
import { claimSignInAttempt, signInKeys, signInSucceeded } from './sign-in-limits.server';
import { isUniqueViolation } from './sql.server';
import { emailSchema, passwordMatches } from './users.server';
import type { FieldErrors } from '~/utils/forms.server';

/**
 * An account's address: confirming it (new accounts get no notification mail until they do) and
 * changing it (the new address is confirmed before the account uses it; the old one is told).
 */

export type SendResult = { ok: true; alreadyVerified: boolean } | { ok: false; message: string };

/** Sends (again) the link that confirms the account's address, within the account-mail limits. */
export async function sendVerificationMail(
  db: Database,
  input: { userId: number; clientAddress: string | null },
  now = new Date(),
): Promise<SendResult> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'email', 'username', 'display_name', 'email_verified_at'])
    .where('id', '=', input.userId)
    .executeTakeFirst();
  if (!user) return { ok: false, message: 'That account no longer exists.' };
  if (user.email_verified_at) return { ok: true, alreadyVerified: true };
  const limit = await claimAccountMail(db, user.email, input.clientAddress, now);
  if (!limit.allowed) {
    return {
      ok: false,
      message: `We sent several links to ${user.email} in the last hour. Check your inbox and spam folder, or try again in ${minutesText(limit.retryAfterMinutes)}.`,
    };
  }
  await db.transaction().execute(async (trx) => {
    const token = await issueAccountToken(
      trx,
      { purpose: 'verify_email', userId: user.id, email: user.email },
      now,
    );
    await queueVerificationMail(trx, user, token, now);
  });
  return { ok: true, alreadyVerified: false };
}

export type AddressLink =
  | { state: 'valid'; purpose: 'verify_email' | 'email_change'; email: string; userId: number }
  | { state: Exclude<TokenState, 'valid'> };

/** What an address link (a new account's, or an address change's) is, for its page. */
export async function lookUpAddressLink(
  db: Database,
  token: string,
  now = new Date(),
): Promise<AddressLink> {
  const verify = await findAccountToken(db, 'verify_email', token, now);
  if (verify.state === 'valid') {
    return {
      state: 'valid',
      purpose: 'verify_email',
      email: verify.token.email,
      userId: verify.token.userId,
    };
  }
  if (verify.state !== 'unknown') return verify;
  const change = await findAccountToken(db, 'email_change', token, now);
  if (change.state !== 'valid') return change;
  return {
    state: 'valid',
    purpose: 'email_change',
    email: change.token.email,
    userId: change.token.userId,
  };
}

export type ConfirmResult =
  | { ok: true; purpose: 'verify_email' | 'email_change'; email: string; userId: number }
  | { ok: false; state: Exclude<TokenState, 'valid'> | 'stale' | 'taken' };

/**
 * Uses an address link. A new account's link verifies its address (unless the account moved to
 * another address since: then the link is stale); an address change's link moves the account to
 * the new, now verified, address and tells the old one.
 */
export async function confirmAddress(
  db: Database,
  token: string,
  now = new Date(),
): Promise<ConfirmResult> {
  const link = await lookUpAddressLink(db, token, now);
  if (link.state !== 'valid') return { ok: false, state: link.state };
  try {
    return await db.transaction().execute(async (trx): Promise<ConfirmResult> => {
      const used = await consumeAccountToken(trx, link.purpose, token, now);
      if (used.state !== 'valid') return { ok: false, state: used.state };
      const user = await trx
        .selectFrom('users')
        .select(['id', 'email', 'username', 'display_name', 'email_verified_at'])
        .where('id', '=', used.token.userId)
        .executeTakeFirstOrThrow();
      if (link.purpose === 'verify_email') {
        if (user.email !== used.token.email) return { ok: false, state: 'stale' };
        if (!user.email_verified_at) {
          await trx
            .updateTable('users')
            .set({ email_verified_at: now.toISOString(), email_bounced_at: null })
            .where('id', '=', user.id)
            .execute();
        }
      } else {
        await trx
          .updateTable('users')
          .set({
            email: used.token.email,
            email_verified_at: now.toISOString(),
            email_bounced_at: null,
          })
          .where('id', '=', user.id)
          .execute();
        // Links sent to the old address stop working with it.
        await trx
          .deleteFrom('account_tokens')
          .where('user_id', '=', user.id)
          .where('used_at', 'is', null)
          .execute();
        if (user.email !== used.token.email) {
          await queueEmailChangedNotice(trx, user, user.email, used.token.email, now);
        }
      }
      return { ok: true, purpose: link.purpose, email: used.token.email, userId: user.id };
    });
  } catch (error) {
    // Someone signed up with the new address between the request and its confirmation.
    if (isUniqueViolation(error)) return { ok: false, state: 'taken' };
    throw error;
  }
}

export const emailChangeSchema = z.object({
  email: emailSchema,
  currentPassword: z
    .string()
    .min(1, 'Enter your current password.')
    .max(200, 'That password is too long.'),
});

export type EmailChangeResult =
  | { ok: true; email: string }
  | { ok: false; fieldErrors: FieldErrors; formError?: string; status: 400 | 429 };

/**
 * Asks to move the account to another address: the current password is checked (under the
 * sign-in limits, as it is a password guess like any other), then a link goes to the new address;
 * the account keeps its address until the link is used.
 */
export async function requestEmailChange(
  db: Database,
  input: { userId: number; email: string; currentPassword: string; clientAddress: string },
  now = new Date(),
): Promise<EmailChangeResult> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'email', 'username', 'display_name', 'password_hash'])
    .where('id', '=', input.userId)
    .executeTakeFirstOrThrow();
  if (user.email === input.email) {
    return { ok: false, status: 400, fieldErrors: { email: 'This is already your address.' } };
  }
  const keys = signInKeys(`user:${user.id}`, input.clientAddress);
  const attempt = await claimSignInAttempt(db, keys, now);
  if (!attempt.allowed) {
    return {
      ok: false,
      status: 429,
      fieldErrors: {},
      formError: `Too many wrong passwords. Try again in ${minutesText(attempt.retryAfterMinutes)}.`,
    };
  }
  if (!(await passwordMatches(user, input.currentPassword))) {
    return {
      ok: false,
      status: 400,
      fieldErrors: { currentPassword: 'That is not your current password.' },
    };
  }
  await signInSucceeded(db, keys);
  const taken = await db
    .selectFrom('users')
    .select('id')
    .where('email', '=', input.email)
    .executeTakeFirst();
  // As at sign-up, an address in use is named: sign-up says so already, so hiding it here
  // would protect nothing (docs/decisions/012-account-lifecycle.md).
  if (taken) {
    return {
      ok: false,
      status: 400,
      fieldErrors: { email: 'Another account uses this address.' },
    };
  }
  const limit = await claimAccountMail(db, input.email, input.clientAddress, now);
  if (!limit.allowed) {
    return {
      ok: false,
      status: 429,
      fieldErrors: {},
      formError: `Too many links were sent to this address or from your network. Try again in ${minutesText(limit.retryAfterMinutes)}.`,
    };
  }
  await db.transaction().execute(async (trx) => {
    const token = await issueAccountToken(
      trx,
      { purpose: 'email_change', userId: user.id, email: input.email },
      now,
    );
    await queueEmailChangeMail(trx, user, input.email, token, now);
  });
  return { ok: true, email: input.email };
}

/** The address a change is waiting for (a link sent and not yet used or expired), or null. */
export async function pendingEmailChange(db: Database, userId: number, now = new Date()) {
  const row = await db
    .selectFrom('account_tokens')
    .select(['email', 'expires_at'])
    .where('user_id', '=', userId)
    .where('purpose', '=', 'email_change')
    .where('used_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row ?? null;
}
