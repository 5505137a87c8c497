import type { Database } from '#db/client';
import { clearPendingCookie, linkProvenAccount } from './oidc.server';
import {
  claimSignInAttempt,
  forgetOldSignInAttempts,
  signInKeys,
  signInPausedMessage,
  signInSucceeded,
} from '~/models/sign-in-limits.server';
import { logSignIn, providerRequiredFor } from '~/models/sign-in-providers.server';
import { findUserByLogin, passwordMatches } from '~/models/users.server';
import { getConfig } from '~/utils/config.server';
import { formatDate } from '~/utils/dates';

export type SignInResult =
  { ok: true; userId: number } | { ok: false; status: 401 | 403 | 429; message: string };

const wrongCredentials =
  'That email or username and password do not match an account. Check them and try again.';

/**
 * Checks a password under the sign-in limits: after too many attempts on one account from one
 * address, or too many failures from one address, attempts from that address are refused, even
 * with the right password, until the window has passed. The owner signing in from another
 * address is not affected (docs/decisions: sign-in limits).
 */
export async function signIn(
  db: Database,
  credentials: { login: string; password: string },
  clientAddress: string,
  now = new Date(),
): Promise<SignInResult> {
  const user = await findUserByLogin(db, credentials.login);
  const accountKey = user ? `user:${user.id}` : `login:${credentials.login.trim().toLowerCase()}`;
  const keys = signInKeys(accountKey, clientAddress);
  const attempt = await claimSignInAttempt(db, keys, now);
  if (!attempt.allowed) {
    return { ok: false, status: 429, message: signInPausedMessage(attempt.retryAfterMinutes) };
  }
  if (!user || !(await passwordMatches(user, credentials.password))) {
    await forgetOldSignInAttempts(db, now);
    return { ok: false, status: 401, message: wrongCredentials };
  }
  await signInSucceeded(db, keys);
  // The right password, but a moderator suspended the account: say why and until when.
  if (user.suspended_until && user.suspended_until > now.toISOString()) {
    return {
      ok: false,
      status: 403,
      message: `Your account is suspended until ${formatDate(user.suspended_until)}. Reason: ${user.suspended_reason ?? 'none given'}. You can sign in again after that.`,
    };
  }
  // The admin made a provider the only way in for staff (while one lets their role in).
  const provider = await providerRequiredFor(db, getConfig(), user.role);
  if (provider) {
    return {
      ok: false,
      status: 403,
      message: `Staff accounts sign in with ${provider.label}, not with a password. Use the ${provider.label} button.`,
    };
  }
  return { ok: true, userId: user.id };
}

/**
 * A sign-in that proved the account (its password, with its second factor when it has one, or a
 * mailed link) is done: it goes in the audit log, and a provider sign-in from this browser that
 * waited for this account's proof is linked to it (docs/decisions/023).
 */
export async function accountProven(
  db: Database,
  request: Request,
  userId: number,
  headers: Headers,
) {
  await logSignIn(db, userId, 'password');
  if (await linkProvenAccount(db, request, userId))
    headers.append('Set-Cookie', clearPendingCookie);
}
