import crypto from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '#db/client';
import { apiScopes, type ApiScope, type Role } from '#db/schema';
import type { FieldErrors } from '~/utils/forms.server';
import { claimCounters } from './rate-limits.server';

/*
 * API tokens come in two kinds. A site token is made by an admin under Administration → API
 * tokens and acts with its scopes alone (on behalf of the admin who made it). A personal token is
 * made by anyone on /settings/security and acts as its owner: app/api/access.server.ts holds it
 * to what the owner may do in the browser, read afresh on every request.
 */

// eslint-disable-next-line no-control-regex -- control characters are what is refused
const controlCharacters = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export const apiTokenSchema = z.object({
  name: z
    .string('Name the token after what uses it.')
    .trim()
    .min(1, 'Name the token after what uses it.')
    .max(80, 'Keep the name under 80 characters.')
    .refine(
      (name) => !controlCharacters.test(name),
      'Use letters, digits, spaces and punctuation only.',
    ),
  scopes: z
    .union([z.enum(apiScopes), z.array(z.enum(apiScopes))], 'Choose at least one scope.')
    .transform((value) => (Array.isArray(value) ? value : [value])),
});

export type ApiTokenInput = z.infer<typeof apiTokenSchema>;

/** How many personal tokens one person may have in use at once. */
export const personalTokenLimit = 20;

/**
 * The scopes a person may give their own token: delivering mail is the site's business, so only
 * admins may; everyone else may read and file tickets (what they read and file is then limited by
 * their role on each request).
 */
export function personalScopesFor(role: Role): ApiScope[] {
  return role === 'admin' ? [...apiScopes] : ['read', 'tickets:write'];
}

function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

async function insertToken(
  db: Database,
  values: { createdBy: number; ownerId: number | null; input: ApiTokenInput },
  now: Date,
) {
  const token = `cmns_${crypto.randomBytes(24).toString('base64url')}`;
  const prefix = token.slice(0, 9);
  const row = await db
    .insertInto('api_tokens')
    .values({
      name: values.input.name,
      token_hash: hashToken(token),
      prefix,
      scopes: [...new Set(values.input.scopes)].join(' '),
      created_by: values.createdBy,
      owner_id: values.ownerId,
      created_at: now.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, token, prefix };
}

/**
 * Creates a site token (an admin's, for other systems) and returns it in full: the only time it
 * is shown. Only its hash is kept.
 */
export async function createApiToken(
  db: Database,
  actorId: number,
  input: ApiTokenInput,
  now = new Date(),
): Promise<{ id: number; token: string; prefix: string }> {
  return insertToken(db, { createdBy: actorId, ownerId: null, input }, now);
}

/**
 * Creates a token that acts as its owner. Refuses scopes beyond the owner's role and more than
 * `personalTokenLimit` tokens in use, with a message for the form.
 */
export async function createPersonalApiToken(
  db: Database,
  owner: { id: number; role: Role },
  input: ApiTokenInput,
  now = new Date(),
): Promise<
  { ok: true; id: number; token: string; prefix: string } | { ok: false; fieldErrors: FieldErrors }
> {
  const allowed = personalScopesFor(owner.role);
  const beyond = input.scopes.filter((scope) => !allowed.includes(scope));
  if (beyond.length > 0)
    return {
      ok: false,
      fieldErrors: {
        scopes: `Your role cannot give a token ${beyond.map((scope) => `“${scope}”`).join(' or ')}; choose from ${allowed.join(', ')}.`,
      },
    };
  return db.transaction().execute(async (trx) => {
    const inUse = await trx
      .selectFrom('api_tokens')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('owner_id', '=', owner.id)
      .where('revoked_at', 'is', null)
      .executeTakeFirstOrThrow();
    if (Number(inUse.n) >= personalTokenLimit)
      return {
        ok: false as const,
        fieldErrors: {
          form: `You have ${personalTokenLimit} tokens in use, the most one person may have. Revoke one you no longer need first.`,
        },
      };
    const created = await insertToken(trx, { createdBy: owner.id, ownerId: owner.id, input }, now);
    return { ok: true as const, ...created };
  });
}

/** Every token, site and personal, for the admin page: active ones first. */
export async function listApiTokens(db: Database) {
  return (
    db
      .selectFrom('api_tokens')
      .innerJoin('users', 'users.id', 'api_tokens.created_by')
      .leftJoin('users as owner', 'owner.id', 'api_tokens.owner_id')
      .select([
        'api_tokens.id',
        'api_tokens.name',
        'api_tokens.prefix',
        'api_tokens.scopes',
        'api_tokens.created_at',
        'api_tokens.last_used_at',
        'api_tokens.revoked_at',
        'users.display_name as created_by_name',
        'owner.username as owner_username',
        'owner.display_name as owner_name',
        'owner.role as owner_role',
      ])
      // Active tokens first: the databases put nulls at opposite ends.
      .orderBy(sql`api_tokens.revoked_at is not null`)
      .orderBy('api_tokens.revoked_at')
      .orderBy('api_tokens.id', 'desc')
      .execute()
  );
}

/** A person's own tokens that are still in use, newest first. */
export async function listPersonalApiTokens(db: Database, ownerId: number) {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'prefix', 'scopes', 'created_at', 'last_used_at'])
    .where('owner_id', '=', ownerId)
    .where('revoked_at', 'is', null)
    .orderBy('id', 'desc')
    .execute();
}

export type RevokedToken = { id: number; name: string; prefix: string; ownerId: number | null };

/**
 * Revokes a token in use. An admin revokes any token, site or personal; a person (`ownerId`) only
 * their own, and anyone else's is not found, as if it did not exist. Returns what the audit log
 * records, or null when no such token is in use.
 */
export async function revokeApiToken(
  db: Database,
  token: { id: number; ownerId?: number },
  now = new Date(),
): Promise<RevokedToken | null> {
  let query = db
    .updateTable('api_tokens')
    .set({ revoked_at: now.toISOString() })
    .where('id', '=', token.id)
    .where('revoked_at', 'is', null);
  if (token.ownerId !== undefined) query = query.where('owner_id', '=', token.ownerId);
  const row = await query.returning(['id', 'name', 'prefix', 'owner_id']).executeTakeFirst();
  return row ? { id: row.id, name: row.name, prefix: row.prefix, ownerId: row.owner_id } : null;
}

/** The person a personal token acts as, as they stand at this request. */
export type TokenOwner = { id: number; role: Role; suspendedUntil: string | null };

export type ApiClient = {
  tokenId: number;
  scopes: ApiScope[];
  /** Who the token's actions are recorded as: its owner, or the admin who made a site token. */
  actorId: number;
  /** null for a site token. */
  owner: TokenOwner | null;
};

/** The token a bearer secret names, or null when it is unknown or revoked. */
export async function authenticateToken(
  db: Database,
  token: string,
  now = new Date(),
): Promise<ApiClient | null> {
  const row = await db
    .selectFrom('api_tokens')
    .leftJoin('users as owner', 'owner.id', 'api_tokens.owner_id')
    .select([
      'api_tokens.id',
      'api_tokens.scopes',
      'api_tokens.revoked_at',
      'api_tokens.created_by',
      'api_tokens.last_used_at',
      'api_tokens.owner_id',
      'owner.role as owner_role',
      'owner.suspended_until as owner_suspended_until',
    ])
    .where('api_tokens.token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row || row.revoked_at) return null;
  // A personal token whose owner is gone is no token at all.
  if (row.owner_id !== null && !row.owner_role) return null;
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
    scopes: row.scopes.split(' ').filter(isApiScope),
    actorId: row.owner_id ?? row.created_by,
    owner:
      row.owner_id !== null && row.owner_role
        ? { id: row.owner_id, role: row.owner_role, suspendedUntil: row.owner_suspended_until }
        : null,
  };
}

function isApiScope(value: string): value is ApiScope {
  return (apiScopes as readonly string[]).includes(value);
}

/**
 * Counts one request on the token's counter for this minute, in the database so that every app
 * server counts against the same limit.
 */
export function claimApiRequest(db: Database, tokenId: number, limit: number, now = new Date()) {
  return claimCounters(db, [{ key: `api-token:${tokenId}`, limit, windowMinutes: 1 }], now);
}
