import { z } from 'zod';
import type { Database } from '../../../db/client';
import type { MailDelivery, Role } from '../../../db/schema';
import { viewerOfActor } from '../thread-access.server';
import { categoryVisibleSql } from '../visibility.server';
import { kindsFor, notificationKindInfo } from './kinds';

/** What a person wants mailed: per kind instantly, in the digest or never; the digest's rhythm; followed categories. */

export const deliveries = ['instant', 'digest', 'never'] as const satisfies readonly MailDelivery[];
export const digestFrequencies = ['off', 'daily', 'weekly'] as const;

export async function notificationSettings(db: Database, user: { id: number; role: Role }) {
  const viewer = await viewerOfActor(db, user);
  const [rows, digest, categories] = await Promise.all([
    db
      .selectFrom('notification_preferences')
      .select(['kind', 'delivery'])
      .where('user_id', '=', user.id)
      .execute(),
    db
      .selectFrom('mail_digests')
      .select('frequency')
      .where('user_id', '=', user.id)
      .executeTakeFirst(),
    db
      .selectFrom('categories')
      .leftJoin('category_follows as follow', (join) =>
        join.onRef('follow.category_id', '=', 'categories.id').on('follow.user_id', '=', user.id),
      )
      .select(['categories.id', 'categories.name', 'follow.user_id as follower'])
      .where(categoryVisibleSql(viewer, 'categories.id'))
      .orderBy('categories.position')
      .orderBy('categories.name')
      .execute(),
  ]);
  const chosen = new Map(rows.map((row) => [row.kind, row.delivery]));
  return {
    kinds: kindsFor(user.role).map((kind) => ({
      kind,
      label: notificationKindInfo[kind].label,
      digestible: notificationKindInfo[kind].digestible,
      delivery: chosen.get(kind) ?? 'instant',
    })),
    digest: digest?.frequency ?? 'off',
    categories: categories.map((category) => ({
      id: category.id,
      name: category.name,
      followed: category.follower !== null,
    })),
  };
}

/** The form: one select per kind (named by the kind), the digest rhythm, followed categories. */
export function settingsSchema(role: Role) {
  const kinds = kindsFor(role);
  return z.object({
    ...Object.fromEntries(
      kinds.map((kind) => [
        kind,
        z
          .enum(
            notificationKindInfo[kind].digestible ? deliveries : (['instant', 'never'] as const),
            'Choose instantly, in the digest or never.',
          )
          .optional(),
      ]),
    ),
    digest: z.enum(digestFrequencies, 'Choose daily, weekly or no digest.'),
    categories: z
      .union([z.string(), z.array(z.string()).max(500)])
      .default([])
      .transform((value) =>
        (Array.isArray(value) ? value : [value]).map(Number).filter(Number.isSafeInteger),
      ),
  });
}

export async function saveNotificationSettings(
  db: Database,
  user: { id: number; role: Role },
  input: Record<string, unknown>,
  now = new Date(),
) {
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    for (const kind of kindsFor(user.role)) {
      const delivery = input[kind];
      if (delivery !== 'instant' && delivery !== 'digest' && delivery !== 'never') continue;
      await trx
        .insertInto('notification_preferences')
        .values({ user_id: user.id, kind, delivery, updated_at: at })
        .onConflict((oc) =>
          oc.columns(['user_id', 'kind']).doUpdateSet({ delivery, updated_at: at }),
        )
        .execute();
    }
    if (input.digest === 'daily' || input.digest === 'weekly')
      await trx
        .insertInto('mail_digests')
        .values({ user_id: user.id, frequency: input.digest, last_sent_at: at })
        .onConflict((oc) =>
          oc
            .column('user_id')
            .doUpdateSet({ frequency: input.digest === 'daily' ? 'daily' : 'weekly' }),
        )
        .execute();
    else await trx.deleteFrom('mail_digests').where('user_id', '=', user.id).execute();
    await trx.deleteFrom('category_follows').where('user_id', '=', user.id).execute();
    const ids = Array.isArray(input.categories)
      ? input.categories.filter((id) => typeof id === 'number')
      : [];
    if (ids.length > 0) {
      // Only categories the person may see can be followed.
      const existing = await trx
        .selectFrom('categories')
        .select('id')
        .where('id', 'in', ids)
        .where(categoryVisibleSql(await viewerOfActor(trx, user), 'categories.id'))
        .execute();
      if (existing.length > 0)
        await trx
          .insertInto('category_follows')
          .values(
            existing.map((category) => ({
              user_id: user.id,
              category_id: category.id,
              created_at: at,
            })),
          )
          .execute();
    }
  });
}
