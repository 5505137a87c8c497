import type { Database } from '../../db/client';

export const signInWindowMinutes = 15;
export const maxFailuresPerAccount = 10;
export const maxFailuresPerAddress = 30;

export type SignInKeys = { account: string; address: string };

export function signInKeys(accountKey: string, address: string): SignInKeys {
  return { account: `account:${accountKey}`, address: `ip:${address}` };
}

function windowStart(now: Date): string {
  return new Date(now.getTime() - signInWindowMinutes * 60_000).toISOString();
}

/**
 * Minutes until another attempt is allowed, or null when sign-in may be tried. Failures are kept in
 * the database, so the limit holds across restarts.
 */
export async function signInRetryAfterMinutes(
  db: Database,
  keys: SignInKeys,
  now = new Date(),
): Promise<number | null> {
  const since = windowStart(now);
  const rows = await db
    .selectFrom('sign_in_failures')
    .select([
      'key',
      (eb) => eb.fn.countAll<number>().as('failures'),
      (eb) => eb.fn.min('created_at').as('oldest'),
    ])
    .where('key', 'in', [keys.account, keys.address])
    .where('created_at', '>', since)
    .groupBy('key')
    .execute();
  let retryAfter: number | null = null;
  for (const row of rows) {
    const limit = row.key === keys.account ? maxFailuresPerAccount : maxFailuresPerAddress;
    if (row.failures < limit || !row.oldest) continue;
    const freedAt = new Date(row.oldest).getTime() + signInWindowMinutes * 60_000;
    const minutes = Math.max(1, Math.ceil((freedAt - now.getTime()) / 60_000));
    retryAfter = Math.max(retryAfter ?? 0, minutes);
  }
  return retryAfter;
}

export async function recordSignInFailure(db: Database, keys: SignInKeys, now = new Date()) {
  const createdAt = now.toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('sign_in_failures')
      .values([
        { key: keys.account, created_at: createdAt },
        { key: keys.address, created_at: createdAt },
      ])
      .execute();
    // Old failures no longer count; keep the table small.
    await trx.deleteFrom('sign_in_failures').where('created_at', '<=', windowStart(now)).execute();
  });
}

export async function clearAccountFailures(db: Database, keys: SignInKeys) {
  await db.deleteFrom('sign_in_failures').where('key', '=', keys.account).execute();
}
