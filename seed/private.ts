import type { Database } from '#db/client';
import { addGroupMember, saveGroup } from '~/models/groups.server';
import { requestToJoin } from '~/models/group-join-requests.server';
import { setVisibility } from '~/models/visibility.server';
import { seedCommunity } from './community';
import { seedKnowledgeBase } from './kb';
import { betaCategory, betaGroup, betaThreads, internalArticles } from './private-content';

const day = 24 * 60 * 60 * 1000;

/**
 * The demo's content for some people only: the beta programme (a group that takes requests to
 * join, its private category and threads) and the support team's internal articles. Goes through
 * the same model functions as the admin pages, at a fixed moment before `now`.
 */
export async function seedPrivateContent(db: Database, now = new Date()) {
  const admin = await db
    .selectFrom('users')
    .select('id')
    .where('username', '=', 'ada')
    .executeTakeFirstOrThrow();
  const startedAt = new Date(now.getTime() - 30 * day);
  const group = await saveGroup(
    db,
    admin.id,
    { name: betaGroup.name, description: betaGroup.description, joinPolicy: 'request' },
    null,
    startedAt,
  );
  if (!group.ok) throw new Error(`demo group rejected: ${JSON.stringify(group.fieldErrors)}`);
  for (const member of betaGroup.members) {
    const added = await addGroupMember(
      db,
      admin.id,
      group.id,
      { person: member.username, manager: member.manager },
      startedAt,
    );
    if (!added.ok) throw new Error(`demo group member unknown: ${member.username}`);
  }
  for (const request of betaGroup.requests) {
    const person = await db
      .selectFrom('users')
      .select('id')
      .where('username', '=', request.username)
      .executeTakeFirstOrThrow();
    const asked = await requestToJoin(
      db,
      person,
      group.id,
      request.message,
      new Date(now.getTime() - request.daysAgo * day),
    );
    if (!asked.ok) throw new Error(`demo join request rejected: ${asked.error}`);
  }
  const last = await db
    .selectFrom('categories')
    .select('position')
    .orderBy('position', 'desc')
    .executeTakeFirst();
  const category = await db
    .insertInto('categories')
    .values({
      ...betaCategory,
      position: (last?.position ?? 0) + 10,
      created_at: startedAt.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await setVisibility(db, { type: 'category', id: category.id }, 'audience', {
    groupIds: [group.id],
    organizationIds: [],
  });
  await seedCommunity(db, now, betaThreads);
  await seedKnowledgeBase(db, now, internalArticles);
}
