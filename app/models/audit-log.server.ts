import type { Database } from '#db/client';

/** The audit log: every moderation and admin action, append-only (the table refuses changes). */

export type LogEntry = {
  actorId: number | null;
  action: string;
  targetType?: string | null;
  targetId?: number | null;
  targetUserId?: number | null;
  reason?: string | null;
  data?: Record<string, unknown>;
};

/** Appends to the audit log; the table refuses updates and deletes (triggers). */
export async function logModeration(db: Database, entry: LogEntry, now = new Date()) {
  await db
    .insertInto('moderation_log')
    .values({
      actor_id: entry.actorId,
      action: entry.action,
      target_type: entry.targetType ?? null,
      target_id: entry.targetId ?? null,
      target_user_id: entry.targetUserId ?? null,
      reason: entry.reason?.trim() || null,
      data: entry.data ? JSON.stringify(entry.data) : null,
      created_at: now.toISOString(),
    })
    .execute();
}

export const logPageSize = 50;

export async function listModerationLog(
  db: Database,
  filters: { action?: string; actor?: string; user?: string; page?: number },
) {
  const page = Math.max(1, filters.page ?? 1);
  let query = db
    .selectFrom('moderation_log')
    .leftJoin('users as actor', 'actor.id', 'moderation_log.actor_id')
    .leftJoin('users as target', 'target.id', 'moderation_log.target_user_id')
    .select([
      'moderation_log.id',
      'moderation_log.action',
      'moderation_log.target_type',
      'moderation_log.target_id',
      'moderation_log.reason',
      'moderation_log.data',
      'moderation_log.created_at',
      'actor.username as actor_username',
      'actor.display_name as actor_name',
      'target.username as target_username',
      'target.display_name as target_name',
    ]);
  if (filters.action) query = query.where('moderation_log.action', '=', filters.action);
  if (filters.actor)
    query = query.where((eb) =>
      eb(eb.fn('lower', ['actor.username']), '=', filters.actor!.toLowerCase()),
    );
  if (filters.user)
    query = query.where((eb) =>
      eb(eb.fn('lower', ['target.username']), '=', filters.user!.toLowerCase()),
    );
  const rows = await query
    .orderBy('moderation_log.id', 'desc')
    .limit(logPageSize + 1)
    .offset((page - 1) * logPageSize)
    .execute();
  const actions = await db
    .selectFrom('moderation_log')
    .select('action')
    .distinct()
    .orderBy('action')
    .execute();
  return {
    entries: rows.slice(0, logPageSize),
    hasMore: rows.length > logPageSize,
    page,
    actions: actions.map((row) => row.action),
  };
}
