import { sql } from 'kysely';
import type { Database } from '../../db/client';

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
  return { accountAtAddress: `account:${accountKey}@ip:${address}`, address: `ip:${address}` };
}

export type SignInAttempt = { allowed: true } | { allowed: false; retryAfterMinutes: number };

/**
 * Counts this attempt, then decides, before any password is checked. Each counter is raised by
 * one upsert that returns the new count, so attempts made in parallel each see their own number
 * and at most the limit's number of them go on to a password check (reading the count first and
 * writing it after the check let 132 of 200 parallel guesses through). Attempts that are refused
 * are not counted: the window ends 15 minutes after it began, however hard it is hammered.
 */
export async function claimSignInAttempt(
  db: Database,
  keys: SignInKeys,
  now = new Date(),
): Promise<SignInAttempt> {
  const nowIso = now.toISOString();
  const windowOpenedAfter = new Date(now.getTime() - signInWindowMinutes * 60_000).toISOString();
  return db.transaction().execute(async (trx) => {
    const counters = [
      { key: keys.accountAtAddress, limit: maxAttemptsPerAccountAndAddress },
      { key: keys.address, limit: maxFailuresPerAddress },
    ];
    let refusedUntil: number | null = null;
    for (const { key, limit } of counters) {
      const row = await trx
        .insertInto('sign_in_attempts')
        .values({ key, attempts: 1, window_started_at: nowIso })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({
            attempts: sql<number>`case when sign_in_attempts.window_started_at <= ${windowOpenedAfter} then 1 else sign_in_attempts.attempts + 1 end`,
            window_started_at: sql<string>`case when sign_in_attempts.window_started_at <= ${windowOpenedAfter} then ${nowIso} else sign_in_attempts.window_started_at end`,
          }),
        )
        .returning(['attempts', 'window_started_at'])
        .executeTakeFirstOrThrow();
      if (row.attempts > limit) {
        const freedAt = new Date(row.window_started_at).getTime() + signInWindowMinutes * 60_000;
        refusedUntil = Math.max(refusedUntil ?? 0, freedAt);
      }
    }
    if (refusedUntil === null) return { allowed: true };
    await uncount(trx, [keys.accountAtAddress, keys.address]);
    const minutes = Math.max(1, Math.ceil((refusedUntil - now.getTime()) / 60_000));
    return { allowed: false, retryAfterMinutes: minutes };
  });
}

/**
 * The right password: the attempt no longer counts against the address, and the account at this
 * address starts afresh. What remains counted are failures (and attempts still being checked).
 */
export async function signInSucceeded(db: Database, keys: SignInKeys) {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('sign_in_attempts').where('key', '=', keys.accountAtAddress).execute();
    await uncount(trx, [keys.address]);
  });
}

async function uncount(db: Database, keys: string[]) {
  await db
    .updateTable('sign_in_attempts')
    .set({ attempts: sql<number>`attempts - 1` })
    .where('key', 'in', keys)
    .where('attempts', '>', 0)
    .execute();
}

/** Windows long over no longer count; keeps the table small. */
export async function forgetOldSignInAttempts(db: Database, now = new Date()) {
  const windowOpenedAfter = new Date(now.getTime() - signInWindowMinutes * 60_000).toISOString();
  await db
    .deleteFrom('sign_in_attempts')
    .where('window_started_at', '<=', windowOpenedAfter)
    .execute();
}
