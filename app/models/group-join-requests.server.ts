import { z } from 'zod';
import type { Database } from '#db/client';
import type { Role } from '#db/schema';
import { logModeration } from './audit-log.server';
import { joinMessageMaxLength } from './group-words';
import { findGroup, groupsOfUser } from './groups.server';

/**
 * Joining a group: who belongs, who may answer, and the requests people send to groups that
 * take them (the moderators of a group's categories are its managers).
 */

export const joinRequestSchema = z.object({
  message: z
    .string()
    .trim()
    .max(joinMessageMaxLength, `Use at most ${joinMessageMaxLength} characters.`)
    .optional()
    .transform((message) => message ?? ''),
});

type Actor = { id: number; role: Role };

/** Whether someone belongs to a group by any of its three ways. */
export async function isGroupMember(db: Database, userId: number, groupId: number) {
  const groups = await groupsOfUser(db, userId);
  return groups.some((group) => group.id === groupId);
}

/** Admins, moderators and the group's managers approve join requests. */
export async function mayManageGroup(db: Database, actor: Actor, groupId: number) {
  if (actor.role === 'admin' || actor.role === 'moderator') return true;
  const row = await db
    .selectFrom('group_members')
    .select('manager')
    .where('group_id', '=', groupId)
    .where('user_id', '=', actor.id)
    .executeTakeFirst();
  return row?.manager === 1;
}

/** A category's moderators: the managers of the groups it is listed for. */
export async function categoryManagerIds(db: Database, categoryId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('audiences')
    .innerJoin('group_members', 'group_members.group_id', 'audiences.group_id')
    .innerJoin('categories', 'categories.id', 'audiences.subject_id')
    .select('group_members.user_id')
    .distinct()
    .where('audiences.subject_type', '=', 'category')
    .where('audiences.subject_id', '=', categoryId)
    .where('categories.visibility', '=', 'audience')
    .where('group_members.manager', '=', 1)
    .execute();
  return rows.map((row) => row.user_id).sort((a, b) => a - b);
}

/** The groups that take join requests, for people looking for one. */
export function listOpenGroups(db: Database) {
  return db
    .selectFrom('groups')
    .select(['id', 'name', 'description'])
    .where('join_policy', '=', 'request')
    .orderBy('name')
    .execute();
}

/** The person's own request to join a group that is still waiting, if any. */
export function pendingRequestOf(db: Database, userId: number, groupId: number) {
  return db
    .selectFrom('group_join_requests')
    .select(['id', 'message', 'created_at'])
    .where('group_id', '=', groupId)
    .where('user_id', '=', userId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
}

/** The groups a person has asked to join and not yet heard back from. */
export async function groupsAskedToJoin(db: Database, userId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('group_join_requests')
    .select('group_id')
    .where('user_id', '=', userId)
    .where('status', '=', 'pending')
    .execute();
  return rows.map((row) => row.group_id);
}

/** Asks to join a group that takes requests; one waiting request per person and group. */
export async function requestToJoin(
  db: Database,
  user: { id: number },
  groupId: number,
  message: string,
  now = new Date(),
): Promise<{ ok: true } | { ok: false; status: 400 | 404; error: string }> {
  const group = await findGroup(db, groupId);
  if (!group || group.join_policy !== 'request')
    return { ok: false, status: 404, error: 'This group does not take requests.' };
  if (await isGroupMember(db, user.id, groupId))
    return { ok: false, status: 400, error: 'You already belong to this group.' };
  if (await pendingRequestOf(db, user.id, groupId))
    return { ok: false, status: 400, error: 'You already asked to join; a manager will answer.' };
  const created = await db
    .insertInto('group_join_requests')
    .values({
      group_id: groupId,
      user_id: user.id,
      message,
      status: 'pending',
      created_at: now.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await logModeration(
    db,
    {
      actorId: user.id,
      action: 'group_join_request',
      targetType: 'group',
      targetId: groupId,
      data: { requestId: created.id },
    },
    now,
  );
  return { ok: true };
}

export function pendingJoinRequests(db: Database, groupId: number) {
  return db
    .selectFrom('group_join_requests')
    .innerJoin('users', 'users.id', 'group_join_requests.user_id')
    .select([
      'group_join_requests.id',
      'group_join_requests.message',
      'group_join_requests.created_at',
      'users.id as user_id',
      'users.username',
      'users.display_name',
    ])
    .where('group_join_requests.group_id', '=', groupId)
    .where('group_join_requests.status', '=', 'pending')
    .orderBy('group_join_requests.id')
    .execute();
}

/** Approves (the person joins by hand) or declines a waiting request, if the actor may. */
export async function decideJoinRequest(
  db: Database,
  actor: Actor,
  groupId: number,
  requestId: number,
  decision: 'approved' | 'declined',
  now = new Date(),
): Promise<{ ok: true; userId: number } | { ok: false; status: 403 | 404; error: string }> {
  if (!(await mayManageGroup(db, actor, groupId)))
    return { ok: false, status: 403, error: 'Only the group’s managers may answer requests.' };
  const request = await db
    .selectFrom('group_join_requests')
    .select(['id', 'user_id'])
    .where('id', '=', requestId)
    .where('group_id', '=', groupId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (!request) return { ok: false, status: 404, error: 'That request was already answered.' };
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('group_join_requests')
      .set({ status: decision, handled_by: actor.id, handled_at: now.toISOString() })
      .where('id', '=', request.id)
      .execute();
    if (decision === 'approved')
      await trx
        .insertInto('group_members')
        .values({
          group_id: groupId,
          user_id: request.user_id,
          manager: 0,
          added_by: actor.id,
          created_at: now.toISOString(),
        })
        .onConflict((oc) => oc.columns(['group_id', 'user_id']).doNothing())
        .execute();
    await logModeration(
      trx,
      {
        actorId: actor.id,
        action: decision === 'approved' ? 'group_join_approve' : 'group_join_decline',
        targetType: 'group',
        targetId: groupId,
        targetUserId: request.user_id,
        data: { requestId: request.id },
      },
      now,
    );
  });
  return { ok: true, userId: request.user_id };
}
