import { getDb } from '~/utils/db.server';
import { makeVerifiedUser } from './community';

/**
 * An organisation and a group, with a person of every kind the visibility rule tells apart: a
 * member outside both, a member of the group, a member of the organisation, and each staff role.
 */
export async function makeAudiences(
  names: { organization: string; group: string },
  group: { description?: string; joinPolicy?: 'closed' | 'request' } = {},
) {
  const db = getDb();
  const now = new Date().toISOString();
  const org = await db
    .insertInto('organizations')
    .values({ name: names.organization, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const made = await db
    .insertInto('groups')
    .values({
      name: names.group,
      description: group.description ?? '',
      join_policy: group.joinPolicy ?? 'closed',
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const people = {
    member: await makeVerifiedUser('member'),
    groupMember: await makeVerifiedUser('member'),
    orgMember: await makeVerifiedUser('member'),
    agent: await makeVerifiedUser('agent'),
    moderator: await makeVerifiedUser('moderator'),
    admin: await makeVerifiedUser('admin'),
  };
  await db
    .insertInto('group_members')
    .values({ group_id: made.id, user_id: people.groupMember.id, manager: 0, created_at: now })
    .execute();
  await db
    .updateTable('users')
    .set({ organization_id: org.id })
    .where('id', '=', people.orgMember.id)
    .execute();
  return { org, group: made, people };
}
