import type { Database } from '#db/client';
import {
  claimCounters,
  clearCounters,
  forgetEndedWindows,
  minutesText,
  uncountKeys,
  type Claim,
} from './rate-limits.server';

export const signInWindowMinutes = 15;
/** Password checks for one account from one address per window. */
export const maxAttemptsPerAccountAndAddress = 10;
/** Failed sign-ins from one address, whatever the accounts, per window. */
export const maxFailuresPerAddress = 30;

export type SignInKeys = { accountAtAddress: string; address: string };

/**
 * Limits are kept per account *at an address*, so a stranger guessing from elsewhere never locks
 * the owner out; a per-address limit across accounts stops one address spraying many accounts.
 */
export function signInKeys(accountKey: string, address: string): SignInKeys {
  return {
    accountAtAddress: `sign-in:account:${accountKey}@ip:${address}`,
    address: `sign-in:ip:${address}`,
  };
}

export type SignInAttempt = Claim;

/** The sentence a refused attempt shows, wherever a password or a two-factor code is asked for. */
export function signInPausedMessage(retryAfterMinutes: number) {
  return `Too many failed sign-in attempts. For your security, sign-in is paused: try again in ${minutesText(retryAfterMinutes)}.`;
}

/**
 * Counts this attempt, then decides, before any password is checked (rate-limits.server.ts:
 * one upsert per counter that returns the new count, so parallel attempts each see their own
 * number; reading the count first and writing it after the check let 132 of 200 parallel guesses
 * through). Refused attempts are not counted: the window ends 15 minutes after it began, however
 * hard it is hammered.
 */
export async function claimSignInAttempt(
  db: Database,
  keys: SignInKeys,
  now = new Date(),
): Promise<SignInAttempt> {
  return claimCounters(
    db,
    [
      {
        key: keys.accountAtAddress,
        limit: maxAttemptsPerAccountAndAddress,
        windowMinutes: signInWindowMinutes,
      },
      { key: keys.address, limit: maxFailuresPerAddress, windowMinutes: signInWindowMinutes },
    ],
    now,
  );
}

/**
 * The right password: the attempt no longer counts against the address, and the account at this
 * address starts afresh. What remains counted are failures (and attempts still being checked).
 */
export async function signInSucceeded(db: Database, keys: SignInKeys) {
  await db.transaction().execute(async (trx) => {
    await clearCounters(trx, [keys.accountAtAddress]);
    await uncountKeys(trx, [keys.address]);
  });
}

/** Windows long over no longer count; keeps the table small. */
export async function forgetOldSignInAttempts(db: Database, now = new Date()) {
  await forgetEndedWindows(db, now);
}
