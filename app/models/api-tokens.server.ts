import crypto from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '#db/client';
import { apiScopes, type ApiScope } from '#db/schema';
import { claimCounters } from './rate-limits.server';

export const apiTokenSchema = z.object({
  name: z
    .string('Name the token after what uses it.')
    .trim()
    .min(1, 'Name the token after what uses it.')
    .max(80, 'Keep the name under 80 characters.'),
  scopes: z
    .union([z.enum(apiScopes), z.array(z.enum(apiScopes))], 'Choose at least one scope.')
    .transform((value) => (Array.isArray(value) ? value : [value])),
});

function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/** Creates a token and returns it in full: the only time it is shown. Only its hash is kept. */
export async function createApiToken(
  db: Database,
  actorId: number,
  input: z.infer<typeof apiTokenSchema>,
  now = new Date(),
): Promise<{ id: number; token: string }> {
  const token = `cmns_${crypto.randomBytes(24).toString('base64url')}`;
  const row = await db
    .insertInto('api_tokens')
    .values({
      name: input.name,
      token_hash: hashToken(token),
      prefix: token.slice(0, 9),
      scopes: [...new Set(input.scopes)].join(' '),
      created_by: actorId,
      created_at: now.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, token };
}

export async function listApiTokens(db: Database) {
  return (
    db
      .selectFrom('api_tokens')
      .innerJoin('users', 'users.id', 'api_tokens.created_by')
      .select([
        'api_tokens.id',
        'api_tokens.name',
        'api_tokens.prefix',
        'api_tokens.scopes',
        'api_tokens.created_at',
        'api_tokens.last_used_at',
        'api_tokens.revoked_at',
        'users.display_name as created_by_name',
      ])
      // Active tokens first: the databases put nulls at opposite ends.
      .orderBy(sql`api_tokens.revoked_at is not null`)
      .orderBy('api_tokens.revoked_at')
      .orderBy('api_tokens.id', 'desc')
      .execute()
  );
}

export async function revokeApiToken(db: Database, id: number, now = new Date()) {
  await db
    .updateTable('api_tokens')
    .set({ revoked_at: now.toISOString() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

export type ApiClient = { tokenId: number; scopes: ApiScope[]; actorId: number };

/** The token a bearer secret names, or null when it is unknown or revoked. */
export async function authenticateToken(
  db: Database,
  token: string,
  now = new Date(),
): Promise<ApiClient | null> {
  const row = await db
    .selectFrom('api_tokens')
    .select(['id', 'scopes', 'revoked_at', 'created_by', 'last_used_at'])
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row || row.revoked_at) return null;
  // Written at most once a minute, so reads do not turn into writes.
  if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) > 60_000) {
    await db
      .updateTable('api_tokens')
      .set({ last_used_at: now.toISOString() })
      .where('id', '=', row.id)
      .execute();
  }
  return {
    tokenId: row.id,
    scopes: row.scopes.split(' ') as ApiScope[],
    actorId: row.created_by,
  };
}

/**
 * Counts one request on the token's counter for this minute, in the database so that every app
 * server counts against the same limit.
 */
export function claimApiRequest(db: Database, tokenId: number, limit: number, now = new Date()) {
  return claimCounters(db, [{ key: `api-token:${tokenId}`, limit, windowMinutes: 1 }], now);
}
