import crypto from 'node:crypto';
import type { Database } from '#db/client';
import { siteUrl } from './config.server';
import { isNotificationKind, notificationKindInfo, type NotificationKind } from './kinds';

/**
 * One-click unsubscribe (RFC 8058): every notification carries a link signed for one person and
 * one kind, so it works without signing in and changes exactly that preference.
 */

const secretKey = 'mail_unsubscribe_secret';

/** A random secret made once per installation and kept in `settings` under `key`. */
export async function storedSecret(db: Database, key: string): Promise<string> {
  const existing = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirst();
  if (existing) return existing.value;
  await db
    .insertInto('settings')
    .values({
      key,
      value: crypto.randomBytes(32).toString('base64url'),
      updated_at: new Date().toISOString(),
    })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  return row.value;
}

function sign(secret: string, userId: number, kind: string): string {
  return crypto
    .createHmac('sha256', secret)
    .update(`unsubscribe:${userId}:${kind}`)
    .digest('base64url')
    .slice(0, 32);
}

export async function unsubscribeUrl(db: Database, userId: number, kind: string): Promise<string> {
  const token = sign(await storedSecret(db, secretKey), userId, kind);
  const query = new URLSearchParams({ user: String(userId), kind, token });
  return `${siteUrl()}/unsubscribe?${query.toString()}`;
}

export type UnsubscribeRequest = { userId: number; kind: NotificationKind; label: string };

/** The person and kind a link names, or null when it was not made by this site. */
export async function readUnsubscribeLink(
  db: Database,
  params: URLSearchParams,
): Promise<UnsubscribeRequest | null> {
  const userId = Number(params.get('user'));
  const kind = params.get('kind') ?? '';
  const token = params.get('token') ?? '';
  if (!Number.isSafeInteger(userId) || userId <= 0 || !isNotificationKind(kind)) return null;
  const expected = Buffer.from(sign(await storedSecret(db, secretKey), userId, kind));
  const given = Buffer.from(token);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
  const person = await db
    .selectFrom('users')
    .select('id')
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!person) return null;
  return { userId, kind, label: notificationKindInfo[kind].label };
}

/** Turns one kind of mail off for one person. */
export async function unsubscribe(db: Database, request: UnsubscribeRequest, now = new Date()) {
  await db
    .insertInto('notification_preferences')
    .values({
      user_id: request.userId,
      kind: request.kind,
      delivery: 'never',
      updated_at: now.toISOString(),
    })
    .onConflict((oc) =>
      oc
        .columns(['user_id', 'kind'])
        .doUpdateSet({ delivery: 'never', updated_at: now.toISOString() }),
    )
    .execute();
  if (request.kind === 'digest')
    await db.deleteFrom('mail_digests').where('user_id', '=', request.userId).execute();
}
