import crypto from 'node:crypto';
import { z } from 'zod';
import type { Database } from '#db/client';
import { matchingStep, newTotpSecret } from '~/utils/totp.server';
import { hashToken } from './account-tokens.server';
import { logModeration } from './audit-log.server';
import {
  claimSignInAttempt,
  forgetOldSignInAttempts,
  signInKeys,
  signInPausedMessage,
  signInSucceeded,
} from './sign-in-limits.server';
import { passwordMatches } from './users.server';
import { hasTwoFactor, staffRequirementKey } from './two-factor-policy.server';

export {
  hasTwoFactor,
  mustSetUpTwoFactor,
  staffTwoFactorRequired,
} from './two-factor-policy.server';

/**
 * Two-factor sign-in: a TOTP secret per person, ten single-use recovery codes, browsers
 * remembered for 30 days, and the staff requirement (docs/decisions/024-two-factor.md). Codes,
 * device tokens and pending sign-ins are stored as SHA-256 hashes; the secret itself must be
 * stored, as the server computes the codes from it.
 */

export const recoveryCodeCount = 10;
export const rememberedDeviceDays = 30;
export const pendingSignInMinutes = 10;

/** What someone types where a code is asked for: a code, or text that gets a field error. */
export const codeSchema = z
  .string('Enter the 6-digit code from your app, or a recovery code.')
  .trim()
  .min(1, 'Enter the 6-digit code from your app, or a recovery code.')
  .max(100, 'That is too long to be a code.');

/** Spaces and dashes, as people copy codes, do not count. */
function normalizeCode(code: string): string {
  return code.replace(/[\s-]/g, '').toLowerCase();
}

const totpPattern = /^\d{6}$/;
const recoveryPattern = /^[a-z2-7]{10}$/;

/** Ten new codes like `k7xqa-3mzpt` (50 random bits each): shown once, stored hashed. */
function newRecoveryCodes(): string[] {
  return Array.from({ length: recoveryCodeCount }, () => {
    const letters = Array.from(
      crypto.randomBytes(10),
      (byte) => 'abcdefghijklmnopqrstuvwxyz234567'[byte & 31],
    );
    return `${letters.slice(0, 5).join('')}-${letters.slice(5).join('')}`;
  });
}

async function replaceRecoveryCodes(trx: Database, userId: number, now: Date): Promise<string[]> {
  const codes = newRecoveryCodes();
  await trx.deleteFrom('two_factor_recovery_codes').where('user_id', '=', userId).execute();
  await trx
    .insertInto('two_factor_recovery_codes')
    .values(
      codes.map((code) => ({
        user_id: userId,
        code_hash: hashToken(normalizeCode(code)),
        created_at: now.toISOString(),
      })),
    )
    .execute();
  return codes;
}

export type TwoFactorStatus =
  | { state: 'off' }
  | { state: 'enrolling'; secret: string }
  | { state: 'on'; since: string; recoveryCodesLeft: number; rememberedDevices: number };

/** Where this person stands, for their settings page. */
export async function twoFactorStatus(
  db: Database,
  userId: number,
  now = new Date(),
): Promise<TwoFactorStatus> {
  const row = await db
    .selectFrom('two_factor')
    .select(['secret', 'confirmed_at'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!row) return { state: 'off' };
  if (!row.confirmed_at) return { state: 'enrolling', secret: row.secret };
  const [codes, devices] = await Promise.all([
    db
      .selectFrom('two_factor_recovery_codes')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('two_factor_devices')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('user_id', '=', userId)
      .where('expires_at', '>', now.toISOString())
      .executeTakeFirstOrThrow(),
  ]);
  return {
    state: 'on',
    since: row.confirmed_at,
    recoveryCodesLeft: Number(codes.count),
    rememberedDevices: Number(devices.count),
  };
}

/** Of these people, the ones with two-factor on (for the admin's list of users). */
export async function usersWithTwoFactor(db: Database, userIds: number[]): Promise<Set<number>> {
  if (userIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('two_factor')
    .select('user_id')
    .where('user_id', 'in', userIds)
    .where('confirmed_at', 'is not', null)
    .execute();
  return new Set(rows.map((row) => row.user_id));
}

/**
 * Gives this person a new secret to add to their app; it takes effect once they type a code
 * from it. Starting again replaces an unconfirmed secret; a confirmed one is left alone (false).
 */
export async function startEnrolment(db: Database, userId: number, now = new Date()) {
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('two_factor')
      .select('confirmed_at')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (existing?.confirmed_at) return false;
    await trx.deleteFrom('two_factor').where('user_id', '=', userId).execute();
    await trx
      .insertInto('two_factor')
      .values({ user_id: userId, secret: newTotpSecret(), created_at: now.toISOString() })
      .execute();
    return true;
  });
}

/** Drops a secret that was never confirmed ("Cancel" on the enrolment page). */
export async function cancelEnrolment(db: Database, userId: number) {
  await db
    .deleteFrom('two_factor')
    .where('user_id', '=', userId)
    .where('confirmed_at', 'is', null)
    .execute();
}

export type EnrolmentResult =
  { ok: true; recoveryCodes: string[] } | { ok: false; fieldErrors: { code: string } };

/** Turns two-factor on when the code comes from the new secret; returns the recovery codes. */
export async function confirmEnrolment(
  db: Database,
  userId: number,
  code: string,
  now = new Date(),
): Promise<EnrolmentResult> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('two_factor')
      .select('secret')
      .where('user_id', '=', userId)
      .where('confirmed_at', 'is', null)
      .executeTakeFirst();
    const step = row ? matchingStep(row.secret, normalizeCode(code), now) : null;
    if (!row || step === null) {
      return {
        ok: false,
        fieldErrors: {
          code: 'That code does not match. Check the time on your phone and type the newest code.',
        },
      };
    }
    await trx
      .updateTable('two_factor')
      .set({ confirmed_at: now.toISOString(), last_used_step: step })
      .where('user_id', '=', userId)
      .execute();
    const recoveryCodes = await replaceRecoveryCodes(trx, userId, now);
    await logModeration(
      trx,
      {
        actorId: userId,
        action: 'two_factor_enabled',
        targetType: 'user',
        targetId: userId,
        targetUserId: userId,
      },
      now,
    );
    return { ok: true, recoveryCodes };
  });
}

/**
 * Whether a code from the app is right now, and new: the step it belongs to must be later than
 * the last one used, claimed in one conditional update so two requests cannot both use it.
 */
async function useTotpCode(db: Database, userId: number, code: string, now: Date) {
  const row = await db
    .selectFrom('two_factor')
    .select('secret')
    .where('user_id', '=', userId)
    .where('confirmed_at', 'is not', null)
    .executeTakeFirst();
  const step = row ? matchingStep(row.secret, code, now) : null;
  if (step === null) return false;
  const claimed = await db
    .updateTable('two_factor')
    .set({ last_used_step: step })
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]))
    .executeTakeFirst();
  return claimed.numUpdatedRows > 0n;
}

/** Whether this is one of the person's unused recovery codes; it is used up by this call. */
async function useRecoveryCode(db: Database, userId: number, code: string, now: Date) {
  const used = await db
    .updateTable('two_factor_recovery_codes')
    .set({ used_at: now.toISOString() })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hashToken(code))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return used.numUpdatedRows > 0n;
}

export type SecondFactor = 'app' | 'recovery code';

/** Checks a code from the app or a recovery code; null when it is neither (or used before). */
async function useSecondFactor(
  db: Database,
  userId: number,
  input: string,
  now: Date,
): Promise<SecondFactor | null> {
  const code = normalizeCode(input);
  if (totpPattern.test(code)) return (await useTotpCode(db, userId, code, now)) ? 'app' : null;
  if (recoveryPattern.test(code))
    return (await useRecoveryCode(db, userId, code, now)) ? 'recovery code' : null;
  return null;
}

export type CodeCheck =
  | { ok: true; factor: SecondFactor | 'password' }
  | { ok: false; status: 400 | 429; fieldError: string | null; formError: string | null };

/**
 * Checks a second factor (or, with `orPassword`, the account's password) as one more sign-in
 * attempt of this account from this address: wrong codes count like wrong passwords, and when
 * the sign-in limits are reached no code is checked at all until the window ends.
 */
export async function checkCodeUnderLimits(
  db: Database,
  input: { userId: number; code: string; clientAddress: string; orPassword?: boolean },
  now = new Date(),
): Promise<CodeCheck> {
  const keys = signInKeys(`user:${input.userId}`, input.clientAddress);
  const attempt = await claimSignInAttempt(db, keys, now);
  if (!attempt.allowed) {
    return {
      ok: false,
      status: 429,
      fieldError: null,
      formError: signInPausedMessage(attempt.retryAfterMinutes),
    };
  }
  const factor = await useSecondFactor(db, input.userId, input.code, now);
  let passwordRight = false;
  if (!factor && input.orPassword) {
    const user = await db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', input.userId)
      .executeTakeFirstOrThrow();
    passwordRight = await passwordMatches(user, input.code);
  }
  if (!factor && !passwordRight) {
    await forgetOldSignInAttempts(db, now);
    return {
      ok: false,
      status: 400,
      formError: null,
      fieldError: input.orPassword
        ? 'That is neither your password nor a current code.'
        : 'That code is not right, or it was used already. Type the newest code from your app, or an unused recovery code.',
    };
  }
  await signInSucceeded(db, keys);
  if (factor === 'recovery code') {
    await logModeration(
      db,
      {
        actorId: input.userId,
        action: 'recovery_code_used',
        targetType: 'user',
        targetId: input.userId,
        targetUserId: input.userId,
      },
      now,
    );
  }
  return { ok: true, factor: factor ?? 'password' };
}

/** New recovery codes in place of the old ones (used or not); shown once. */
export async function regenerateRecoveryCodes(
  db: Database,
  userId: number,
  now = new Date(),
): Promise<string[] | null> {
  return db.transaction().execute(async (trx) => {
    const on = await trx
      .selectFrom('two_factor')
      .select('user_id')
      .where('user_id', '=', userId)
      .where('confirmed_at', 'is not', null)
      .executeTakeFirst();
    if (!on) return null;
    const codes = await replaceRecoveryCodes(trx, userId, now);
    await logModeration(
      trx,
      {
        actorId: userId,
        action: 'recovery_codes_regenerated',
        targetType: 'user',
        targetId: userId,
        targetUserId: userId,
      },
      now,
    );
    return codes;
  });
}

async function removeTwoFactor(trx: Database, userId: number) {
  for (const table of [
    'two_factor_pending',
    'two_factor_devices',
    'two_factor_recovery_codes',
  ] as const) {
    await trx.deleteFrom(table).where('user_id', '=', userId).execute();
  }
  const removed = await trx
    .deleteFrom('two_factor')
    .where('user_id', '=', userId)
    .where('confirmed_at', 'is not', null)
    .executeTakeFirst();
  return removed.numDeletedRows > 0n;
}

/** The owner turns two-factor off: secret, codes and remembered browsers all go. */
export async function turnOffTwoFactor(db: Database, userId: number, now = new Date()) {
  return db.transaction().execute(async (trx) => {
    if (!(await removeTwoFactor(trx, userId))) return false;
    await logModeration(
      trx,
      {
        actorId: userId,
        action: 'two_factor_disabled',
        targetType: 'user',
        targetId: userId,
        targetUserId: userId,
      },
      now,
    );
    return true;
  });
}

/**
 * An admin resets someone's two-factor (a lost phone and lost codes): secret, codes and
 * remembered browsers go, and every session of theirs ends, so whoever holds one signs in again.
 * Returns the person's username, or null when they had no two-factor to reset.
 */
export async function resetTwoFactor(
  db: Database,
  input: { adminId: number; userId: number },
  now = new Date(),
): Promise<string | null> {
  return db.transaction().execute(async (trx) => {
    const person = await trx
      .selectFrom('users')
      .select('username')
      .where('id', '=', input.userId)
      .executeTakeFirst();
    if (!person || !(await removeTwoFactor(trx, input.userId))) return null;
    const ended = await trx
      .deleteFrom('sessions')
      .where('user_id', '=', input.userId)
      .executeTakeFirst();
    await logModeration(
      trx,
      {
        actorId: input.adminId,
        action: 'two_factor_reset',
        targetType: 'user',
        targetId: input.userId,
        targetUserId: input.userId,
        data: { sessionsEnded: Number(ended.numDeletedRows) },
      },
      now,
    );
    return person.username;
  });
}

/** Remembers this browser for 30 days; returns the token for its cookie (the only clear copy). */
export async function rememberDevice(
  db: Database,
  input: { userId: number; userAgent: string },
  now = new Date(),
): Promise<string> {
  const token = crypto.randomBytes(32).toString('base64url');
  await db.deleteFrom('two_factor_devices').where('expires_at', '<=', now.toISOString()).execute();
  await db
    .insertInto('two_factor_devices')
    .values({
      token_hash: hashToken(token),
      user_id: input.userId,
      user_agent: input.userAgent.slice(0, 512) || null,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + rememberedDeviceDays * 86_400_000).toISOString(),
    })
    .execute();
  return token;
}

/** Whether this device token was remembered for this person and has not run out. */
export async function isRememberedDevice(
  db: Database,
  input: { userId: number; token: string },
  now = new Date(),
): Promise<boolean> {
  const row = await db
    .selectFrom('two_factor_devices')
    .select('id')
    .where('token_hash', '=', hashToken(input.token))
    .where('user_id', '=', input.userId)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  return row !== undefined;
}

/** Forgets every remembered browser of this person: each asks for a code again. */
export async function forgetRememberedDevices(db: Database, userId: number): Promise<number> {
  const forgotten = await db
    .deleteFrom('two_factor_devices')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(forgotten.numDeletedRows);
}

/** A right password now waits for its code; returns the token for the pending cookie. */
export async function startPendingSignIn(
  db: Database,
  input: { userId: number; redirectTo: string },
  now = new Date(),
): Promise<string> {
  const token = crypto.randomBytes(32).toString('base64url');
  await db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('two_factor_pending')
      .where('expires_at', '<=', now.toISOString())
      .execute();
    await trx
      .insertInto('two_factor_pending')
      .values({
        token_hash: hashToken(token),
        user_id: input.userId,
        redirect_to: input.redirectTo,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + pendingSignInMinutes * 60_000).toISOString(),
      })
      .execute();
  });
  return token;
}

export type PendingSignIn = { userId: number; username: string; redirectTo: string };

/** The sign-in this token waits for, while it has not run out. */
export async function findPendingSignIn(
  db: Database,
  token: string,
  now = new Date(),
): Promise<PendingSignIn | null> {
  const row = await db
    .selectFrom('two_factor_pending')
    .innerJoin('users', 'users.id', 'two_factor_pending.user_id')
    .select(['users.id', 'users.username', 'two_factor_pending.redirect_to'])
    .where('two_factor_pending.token_hash', '=', hashToken(token))
    .where('two_factor_pending.expires_at', '>', now.toISOString())
    .executeTakeFirst();
  return row ? { userId: row.id, username: row.username, redirectTo: row.redirect_to } : null;
}

export async function endPendingSignIn(db: Database, token: string) {
  await db.deleteFrom('two_factor_pending').where('token_hash', '=', hashToken(token)).execute();
}

export type RequirementResult = { ok: true } | { ok: false; error: string };

/** Turns the staff requirement on or off; an admin must use two-factor before requiring it. */
export async function setStaffTwoFactorRequired(
  db: Database,
  input: { adminId: number; required: boolean },
  now = new Date(),
): Promise<RequirementResult> {
  if (input.required && !(await hasTwoFactor(db, input.adminId))) {
    return {
      ok: false,
      error:
        'Turn on two-factor for your own account first (Settings → Two-factor), so you are not locked out of this page.',
    };
  }
  const value = input.required ? 'on' : 'off';
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('settings')
      .values({ key: staffRequirementKey, value, updated_at: at })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: at }))
      .execute();
    await logModeration(
      trx,
      {
        actorId: input.adminId,
        action: 'staff_two_factor',
        targetType: 'settings',
        data: { required: input.required },
      },
      now,
    );
  });
  return { ok: true };
}
