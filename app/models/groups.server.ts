import { z } from 'zod';
import type { Database } from '#db/client';
import type { FieldErrors } from '~/utils/forms.server';
import { logModeration } from './audit-log.server';
import { joinPolicies, type Membership } from './group-words';

/**
 * Groups of people: who may see a category or an article listed for them (visibility.server.ts
 * holds the rule). People belong by hand (managers among them approve join requests), through
 * their organisation, or by a verified address at one of the group's domains.
 */

const domainPattern = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export const groupSchema = z.object({
  name: z
    .string('Give the group a name.')
    .trim()
    .min(2, 'Use at least 2 characters.')
    .max(80, 'Use at most 80 characters.'),
  description: z.string('Describe the group.').trim().max(500, 'Use at most 500 characters.'),
  joinPolicy: z.enum(joinPolicies, 'Choose who may join.'),
});

export type GroupInput = z.infer<typeof groupSchema>;

export const groupPersonSchema = z.object({
  person: z
    .string('Enter a username or an email address.')
    .trim()
    .min(1, 'Enter a username or an email address.')
    .max(254, 'Use at most 254 characters.'),
  manager: z.literal('on').optional(),
});

export const groupDomainSchema = z.object({
  domain: z
    .string('Enter a domain.')
    .trim()
    .toLowerCase()
    .max(253, 'Use at most 253 characters.')
    .regex(domainPattern, 'Enter a domain like example.com.'),
});

export async function listGroups(db: Database) {
  const groups = await db
    .selectFrom('groups')
    .select((eb) => [
      'groups.id',
      'groups.name',
      'groups.description',
      'groups.join_policy',
      eb
        .selectFrom('group_members')
        .select(eb.fn.countAll<number>().as('count'))
        .whereRef('group_members.group_id', '=', 'groups.id')
        .as('member_count'),
      eb
        .selectFrom('group_organizations')
        .select(eb.fn.countAll<number>().as('count'))
        .whereRef('group_organizations.group_id', '=', 'groups.id')
        .as('organization_count'),
      eb
        .selectFrom('group_domains')
        .select(eb.fn.countAll<number>().as('count'))
        .whereRef('group_domains.group_id', '=', 'groups.id')
        .as('domain_count'),
    ])
    .orderBy('groups.name')
    .execute();
  return groups.map((group) => ({
    ...group,
    member_count: Number(group.member_count ?? 0),
    organization_count: Number(group.organization_count ?? 0),
    domain_count: Number(group.domain_count ?? 0),
  }));
}

export function findGroup(db: Database, id: number) {
  return db
    .selectFrom('groups')
    .select(['id', 'name', 'description', 'join_policy'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** A group with everyone and everything that makes people belong to it, for its admin page. */
export async function getGroup(db: Database, id: number) {
  const group = await findGroup(db, id);
  if (!group) return null;
  const [members, organizations, domains] = await Promise.all([
    db
      .selectFrom('group_members')
      .innerJoin('users', 'users.id', 'group_members.user_id')
      .select(['users.id', 'users.username', 'users.display_name', 'group_members.manager'])
      .where('group_members.group_id', '=', id)
      .orderBy('users.display_name')
      .execute(),
    db
      .selectFrom('group_organizations')
      .innerJoin('organizations', 'organizations.id', 'group_organizations.organization_id')
      .select(['organizations.id', 'organizations.name'])
      .where('group_organizations.group_id', '=', id)
      .orderBy('organizations.name')
      .execute(),
    db
      .selectFrom('group_domains')
      .select('domain')
      .where('group_id', '=', id)
      .orderBy('domain')
      .execute(),
  ]);
  return {
    ...group,
    members: members.map((member) => ({ ...member, manager: member.manager === 1 })),
    organizations,
    domains: domains.map((row) => row.domain),
  };
}

/** Creates a group, or updates it when an id is given. The name is unique, whatever its case. */
export async function saveGroup(
  db: Database,
  actorId: number,
  input: GroupInput,
  id: number | null = null,
  now = new Date(),
): Promise<{ ok: true; id: number } | { ok: false; fieldErrors: FieldErrors }> {
  const sameName = await db
    .selectFrom('groups')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['name']), '=', input.name.toLowerCase()))
    .executeTakeFirst();
  if (sameName && sameName.id !== id)
    return { ok: false, fieldErrors: { name: 'Another group has this name.' } };
  const values = {
    name: input.name,
    description: input.description,
    join_policy: input.joinPolicy,
  };
  let savedId = id;
  if (savedId === null) {
    const created = await db
      .insertInto('groups')
      .values({ ...values, created_at: now.toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    savedId = created.id;
  } else {
    await db.updateTable('groups').set(values).where('id', '=', savedId).execute();
  }
  await logModeration(
    db,
    {
      actorId,
      action: 'group_save',
      targetType: 'group',
      targetId: savedId,
      data: { name: input.name },
    },
    now,
  );
  return { ok: true, id: savedId };
}

export async function deleteGroup(db: Database, actorId: number, id: number, now = new Date()) {
  const group = await findGroup(db, id);
  if (!group) return false;
  // NOTE: audiences go with the group (on delete cascade); content listed only for this group is
  // then listed for nobody, so only staff see it until someone lists another audience.
  await db.deleteFrom('groups').where('id', '=', id).execute();
  await logModeration(
    db,
    {
      actorId,
      action: 'group_delete',
      targetType: 'group',
      targetId: id,
      data: { name: group.name },
    },
    now,
  );
  return true;
}

function findPerson(db: Database, usernameOrEmail: string) {
  const key = usernameOrEmail.toLowerCase();
  return db
    .selectFrom('users')
    .select(['id', 'username', 'display_name'])
    .where((eb) =>
      eb.or([eb(eb.fn('lower', ['username']), '=', key), eb(eb.fn('lower', ['email']), '=', key)]),
    )
    .orderBy('id')
    .executeTakeFirst();
}

/** Adds someone by hand (by username or email), or changes whether they manage the group. */
export async function addGroupMember(
  db: Database,
  actorId: number,
  groupId: number,
  input: { person: string; manager: boolean },
  now = new Date(),
): Promise<{ ok: true; name: string } | { ok: false; fieldErrors: FieldErrors }> {
  const person = await findPerson(db, input.person);
  if (!person)
    return { ok: false, fieldErrors: { person: 'No one has that username or email address.' } };
  const manager = input.manager ? 1 : 0;
  await db
    .insertInto('group_members')
    .values({
      group_id: groupId,
      user_id: person.id,
      manager,
      added_by: actorId,
      created_at: now.toISOString(),
    })
    .onConflict((oc) => oc.columns(['group_id', 'user_id']).doUpdateSet({ manager }))
    .execute();
  await logModeration(
    db,
    {
      actorId,
      action: 'group_member_add',
      targetType: 'group',
      targetId: groupId,
      targetUserId: person.id,
      data: { manager: input.manager },
    },
    now,
  );
  return { ok: true, name: person.display_name };
}

export async function removeGroupMember(
  db: Database,
  actorId: number,
  groupId: number,
  userId: number,
  now = new Date(),
) {
  const result = await db
    .deleteFrom('group_members')
    .where('group_id', '=', groupId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (result.numDeletedRows === 0n) return false;
  await logModeration(
    db,
    {
      actorId,
      action: 'group_member_remove',
      targetType: 'group',
      targetId: groupId,
      targetUserId: userId,
    },
    now,
  );
  return true;
}

export async function setGroupManager(
  db: Database,
  actorId: number,
  groupId: number,
  userId: number,
  manager: boolean,
  now = new Date(),
) {
  const result = await db
    .updateTable('group_members')
    .set({ manager: manager ? 1 : 0 })
    .where('group_id', '=', groupId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) return false;
  await logModeration(
    db,
    {
      actorId,
      action: 'group_manager',
      targetType: 'group',
      targetId: groupId,
      targetUserId: userId,
      data: { manager },
    },
    now,
  );
  return true;
}

export async function addGroupOrganization(
  db: Database,
  actorId: number,
  groupId: number,
  organizationId: number,
  now = new Date(),
): Promise<boolean> {
  const organization = await db
    .selectFrom('organizations')
    .select(['id', 'name'])
    .where('id', '=', organizationId)
    .executeTakeFirst();
  if (!organization) return false;
  await db
    .insertInto('group_organizations')
    .values({ group_id: groupId, organization_id: organizationId })
    .onConflict((oc) => oc.columns(['group_id', 'organization_id']).doNothing())
    .execute();
  await logModeration(
    db,
    {
      actorId,
      action: 'group_organization_add',
      targetType: 'group',
      targetId: groupId,
      data: { organization: organization.name },
    },
    now,
  );
  return true;
}

export async function removeGroupOrganization(
  db: Database,
  actorId: number,
  groupId: number,
  organizationId: number,
  now = new Date(),
) {
  const result = await db
    .deleteFrom('group_organizations')
    .where('group_id', '=', groupId)
    .where('organization_id', '=', organizationId)
    .executeTakeFirst();
  if (result.numDeletedRows === 0n) return false;
  await logModeration(
    db,
    {
      actorId,
      action: 'group_organization_remove',
      targetType: 'group',
      targetId: groupId,
      data: { organizationId },
    },
    now,
  );
  return true;
}

export async function addGroupDomain(
  db: Database,
  actorId: number,
  groupId: number,
  domain: string,
  now = new Date(),
) {
  await db
    .insertInto('group_domains')
    .values({ group_id: groupId, domain })
    .onConflict((oc) => oc.columns(['group_id', 'domain']).doNothing())
    .execute();
  await logModeration(
    db,
    {
      actorId,
      action: 'group_domain_add',
      targetType: 'group',
      targetId: groupId,
      data: { domain },
    },
    now,
  );
}

export async function removeGroupDomain(
  db: Database,
  actorId: number,
  groupId: number,
  domain: string,
  now = new Date(),
) {
  const result = await db
    .deleteFrom('group_domains')
    .where('group_id', '=', groupId)
    .where('domain', '=', domain)
    .executeTakeFirst();
  if (result.numDeletedRows === 0n) return false;
  await logModeration(
    db,
    {
      actorId,
      action: 'group_domain_remove',
      targetType: 'group',
      targetId: groupId,
      data: { domain },
    },
    now,
  );
  return true;
}

/**
 * The groups a person belongs to and how: the same three sources as groupIdsOf in
 * visibility.server.ts (by hand, through their organisation, by a verified address's domain).
 */
export async function groupsOfUser(db: Database, userId: number) {
  const user = await db
    .selectFrom('users')
    .select(['id', 'organization_id', 'email', 'email_verified_at'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user) return [];
  const domain =
    user.email_verified_at !== null ? (user.email ?? '').split('@')[1]?.toLowerCase() : '';
  const [byHand, byOrganization, byDomain] = await Promise.all([
    db
      .selectFrom('group_members')
      .select(['group_id', 'manager'])
      .where('user_id', '=', user.id)
      .execute(),
    user.organization_id === null
      ? []
      : db
          .selectFrom('group_organizations')
          .select('group_id')
          .where('organization_id', '=', user.organization_id)
          .execute(),
    domain
      ? db.selectFrom('group_domains').select('group_id').where('domain', '=', domain).execute()
      : [],
  ]);
  const ways = new Map<number, Membership[]>();
  const add = (groupId: number, way: Membership) =>
    ways.set(groupId, [...(ways.get(groupId) ?? []), way]);
  for (const row of byHand) add(row.group_id, 'hand');
  for (const row of byOrganization) add(row.group_id, 'organization');
  for (const row of byDomain) add(row.group_id, 'domain');
  if (ways.size === 0) return [];
  const managed = new Set(byHand.filter((row) => row.manager === 1).map((row) => row.group_id));
  const groups = await db
    .selectFrom('groups')
    .select(['id', 'name', 'description', 'join_policy'])
    .where('id', 'in', [...ways.keys()])
    .orderBy('name')
    .execute();
  return groups.map((group) => ({
    ...group,
    ways: ways.get(group.id) ?? [],
    manager: managed.has(group.id),
  }));
}
