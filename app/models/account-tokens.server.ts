import crypto from 'node:crypto';
import type { Database } from '#db/client';
import type { AccountTokenPurpose } from '#db/schema';

/**
 * Links sent by mail. The link carries 32 random bytes (base64url); the database keeps only their
 * SHA-256, so a copy of it holds no usable link. A token serves one purpose, once, until it
 * expires; a new link of the same purpose for the same person replaces the old one
 * (docs/decisions/012-account-lifecycle.md).
 */
export const tokenLifetimeMinutes: Record<AccountTokenPurpose, number> = {
  password_reset: 60,
  verify_email: 48 * 60,
  email_change: 24 * 60,
  account_claim: 7 * 24 * 60,
};

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/** Creates a link's token and returns it (the only time it exists in clear). */
export async function issueAccountToken(
  db: Database,
  input: { purpose: AccountTokenPurpose; userId: number; email: string },
  now = new Date(),
): Promise<string> {
  const token = crypto.randomBytes(32).toString('base64url');
  await db
    .deleteFrom('account_tokens')
    .where('user_id', '=', input.userId)
    .where('purpose', '=', input.purpose)
    .where('used_at', 'is', null)
    .execute();
  const expiresAt = new Date(now.getTime() + tokenLifetimeMinutes[input.purpose] * 60_000);
  await db
    .insertInto('account_tokens')
    .values({
      token_hash: hashToken(token),
      purpose: input.purpose,
      user_id: input.userId,
      email: input.email,
      created_at: now.toISOString(),
      expires_at: expiresAt.toISOString(),
      used_at: null,
    })
    .execute();
  return token;
}

export type TokenState = 'valid' | 'used' | 'expired' | 'unknown';

export type FoundToken = {
  id: number;
  userId: number;
  email: string;
  expiresAt: string;
};

/** Only what a link could be: base64url of 32 bytes. Anything else is unknown without a query. */
function looksLikeToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

/** What a link is worth now: valid (with its row), or why not. */
export async function findAccountToken(
  db: Database,
  purpose: AccountTokenPurpose,
  token: string,
  now = new Date(),
): Promise<{ state: 'valid'; token: FoundToken } | { state: Exclude<TokenState, 'valid'> }> {
  if (!looksLikeToken(token)) return { state: 'unknown' };
  const row = await db
    .selectFrom('account_tokens')
    .select(['id', 'user_id', 'email', 'expires_at', 'used_at'])
    .where('token_hash', '=', hashToken(token))
    .where('purpose', '=', purpose)
    .executeTakeFirst();
  if (!row) return { state: 'unknown' };
  if (row.used_at) return { state: 'used' };
  if (row.expires_at <= now.toISOString()) return { state: 'expired' };
  return {
    state: 'valid',
    token: { id: row.id, userId: row.user_id, email: row.email, expiresAt: row.expires_at },
  };
}

/**
 * Uses a link up: one conditional update, so of two requests racing with the same link exactly
 * one succeeds. Returns the token's row, or why it cannot be used.
 */
export async function consumeAccountToken(
  db: Database,
  purpose: AccountTokenPurpose,
  token: string,
  now = new Date(),
): Promise<{ state: 'valid'; token: FoundToken } | { state: Exclude<TokenState, 'valid'> }> {
  const found = await findAccountToken(db, purpose, token, now);
  if (found.state !== 'valid') return found;
  const result = await db
    .updateTable('account_tokens')
    .set({ used_at: now.toISOString() })
    .where('id', '=', found.token.id)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return { state: 'used' };
  return found;
}
