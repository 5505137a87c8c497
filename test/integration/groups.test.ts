import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { groupsOfUser } from '~/models/groups.server';
import { categoryManagerIds } from '~/models/group-join-requests.server';
import { viewerOfUser } from '~/models/visibility.server';
import { action as adminGroupsAction } from '~/routes/admin.groups._index';
import { action as adminGroupAction, loader as adminGroupLoader } from '~/routes/admin.groups.$id';
import { action as groupAction, loader as groupLoader } from '~/routes/groups.$id';
import { loader as groupsLoader } from '~/routes/groups._index';
import {
  action as editCategoryAction,
  loader as editCategoryLoader,
} from '~/routes/admin.categories.$id';
import { action as newCategoryAction } from '~/routes/admin.categories._index';
import { action as newArticleAction } from '~/routes/agent.articles.new';
import { loader as articleListLoader } from '~/routes/agent.articles._index';
import { loader as accountLoader } from '~/routes/settings.account';
import { loader as staffUserLoader } from '~/routes/mod.users.$id';
import { getDb } from '~/utils/db.server';
import { makeUser, makeVerifiedUser } from '../support/community';
import {
  callRoute,
  formFailureOf,
  formRequest,
  getAs,
  loaderData,
  locationOf,
  postAs,
  sessionCookieFor,
  statusOf,
} from '../support/requests';

const blnsFile = path.resolve(import.meta.dirname, '../../../shared/data/naughty/blns.json');
const naughtyStrings: string[] = fs.existsSync(blnsFile)
  ? JSON.parse(fs.readFileSync(blnsFile, 'utf8'))
  : [];

let sequence = 0;
const unique = (name: string) => `${name} ${++sequence}${Math.random().toString(36).slice(2, 6)}`;

async function createGroup(adminId: number, joinPolicy: 'closed' | 'request', name = 'Group') {
  const result = await postAs(adminGroupsAction, '/admin/groups', adminId, {
    name: unique(name),
    description: 'People trying new things first.',
    joinPolicy,
  });
  const location = locationOf(result);
  expect(location).toMatch(/^\/admin\/groups\/\d+\?created=1$/);
  return Number(location!.split('/')[3]!.split('?')[0]);
}

function groupPost(adminId: number, id: number, fields: Record<string, string>) {
  return postAs(adminGroupAction, `/admin/groups/${id}`, adminId, fields, { id: String(id) });
}

async function groupIdsOfUser(userId: number) {
  const viewer = await viewerOfUser(getDb(), userId);
  return viewer?.groupIds ?? [];
}

describe('groups', () => {
  test('an admin creates, renames and deletes a group; names are unique; others get 403', async () => {
    const admin = await makeUser('admin');
    const id = await createGroup(admin.id, 'closed', 'Partners');
    const name = (await getDb()
      .selectFrom('groups')
      .select('name')
      .where('id', '=', id)
      .executeTakeFirstOrThrow())!.name;

    const duplicate = await postAs(adminGroupsAction, '/admin/groups', admin.id, {
      name: name.toUpperCase(),
      description: '',
      joinPolicy: 'closed',
    });
    expect(statusOf(duplicate)).toBe(400);
    expect(formFailureOf(duplicate).fieldErrors.name).toMatch(/another group/i);
    expect(formFailureOf(duplicate).values.name).toBe(name.toUpperCase());

    const badPolicy = await postAs(adminGroupsAction, '/admin/groups', admin.id, {
      name: unique('Odd'),
      description: '',
      joinPolicy: 'open-to-all',
    });
    expect(formFailureOf(badPolicy).fieldErrors.joinPolicy).toBeTruthy();

    const renamed = await groupPost(admin.id, id, {
      intent: 'save',
      name: `${name} renamed`,
      description: 'New words.',
      joinPolicy: 'request',
    });
    expect(locationOf(renamed)).toBe(`/admin/groups/${id}?done=saved`);
    const page = await loaderData(adminGroupLoader, `/admin/groups/${id}`, admin.id, {
      id: String(id),
    });
    expect(page.group).toMatchObject({ name: `${name} renamed`, join_policy: 'request' });

    for (const role of ['member', 'agent', 'moderator'] as const) {
      const person = await makeUser(role);
      expect(
        statusOf(
          await postAs(adminGroupsAction, '/admin/groups', person.id, {
            name: unique('Sneaky'),
            description: '',
            joinPolicy: 'closed',
          }),
        ),
      ).toBe(403);
      expect(statusOf(await groupPost(person.id, id, { intent: 'delete' }))).toBe(403);
    }

    expect(locationOf(await groupPost(admin.id, id, { intent: 'delete' }))).toBe('/admin/groups');
    expect(
      statusOf(await getAs(adminGroupLoader, `/admin/groups/${id}`, admin.id, { id: String(id) })),
    ).toBe(404);
    const log = await getDb()
      .selectFrom('moderation_log')
      .select('action')
      .where('target_type', '=', 'group')
      .where('target_id', '=', id)
      .execute();
    expect(log.map((row) => row.action)).toEqual(['group_save', 'group_save', 'group_delete']);
  });

  test('people belong by hand (username or email), through their organisation, or by a verified domain', async () => {
    const db = getDb();
    const admin = await makeUser('admin');
    const id = await createGroup(admin.id, 'closed', 'Pilot');
    const byName = await makeUser();
    const byEmail = await makeUser();
    const email = `${byEmail.username}@example.com`;

    expect(
      locationOf(
        await groupPost(admin.id, id, {
          intent: 'add-member',
          person: byName.username,
          manager: 'on',
        }),
      ),
    ).toBe(`/admin/groups/${id}?done=member`);
    expect(
      locationOf(
        await groupPost(admin.id, id, { intent: 'add-member', person: email.toUpperCase() }),
      ),
    ).toBe(`/admin/groups/${id}?done=member`);
    const nobody = await groupPost(admin.id, id, {
      intent: 'add-member',
      person: 'no-such-person',
    });
    expect(statusOf(nobody)).toBe(400);
    expect(formFailureOf(nobody).fieldErrors.person).toMatch(/no one/i);
    expect(formFailureOf(nobody).values.person).toBe('no-such-person');

    const org = await db
      .insertInto('organizations')
      .values({ name: unique('Pilot Org'), created_at: new Date().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const inOrg = await makeUser();
    await db
      .updateTable('users')
      .set({ organization_id: org.id })
      .where('id', '=', inOrg.id)
      .execute();
    expect(
      statusOf(
        await groupPost(admin.id, id, {
          intent: 'add-organization',
          organizationId: String(org.id),
        }),
      ),
    ).toBe(302);
    const missingOrg = await groupPost(admin.id, id, {
      intent: 'add-organization',
      organizationId: '999999',
    });
    expect(statusOf(missingOrg)).toBe(400);

    const domain = `pilot-${sequence}${Math.random().toString(36).slice(2, 6)}.example`;
    expect(
      statusOf(
        await groupPost(admin.id, id, {
          intent: 'add-domain',
          domain: ` ${domain.toUpperCase()} `,
        }),
      ),
    ).toBe(302);
    const badDomain = await groupPost(admin.id, id, {
      intent: 'add-domain',
      domain: 'not a domain',
    });
    expect(statusOf(badDomain)).toBe(400);
    expect(formFailureOf(badDomain).fieldErrors.domain).toMatch(/example\.com/);
    expect(formFailureOf(badDomain).values.domain).toBe('not a domain');

    const verified = await makeUser();
    const unverified = await makeUser();
    await db
      .updateTable('users')
      .set({ email: `${verified.username}@${domain}`, email_verified_at: new Date().toISOString() })
      .where('id', '=', verified.id)
      .execute();
    await db
      .updateTable('users')
      .set({ email: `${unverified.username}@${domain}`, email_verified_at: null })
      .where('id', '=', unverified.id)
      .execute();

    const ways = async (userId: number) =>
      (await groupsOfUser(db, userId)).find((group) => group.id === id)?.ways ?? [];
    expect(await ways(byName.id)).toEqual(['hand']);
    expect((await groupsOfUser(db, byName.id)).find((g) => g.id === id)?.manager).toBe(true);
    expect(await ways(byEmail.id)).toEqual(['hand']);
    expect(await ways(inOrg.id)).toEqual(['organization']);
    expect(await ways(verified.id)).toEqual(['domain']);
    expect(await ways(unverified.id)).toEqual([]);
    // The page's list and the visibility rule agree on who belongs.
    for (const person of [byName, byEmail, inOrg, verified])
      expect(await groupIdsOfUser(person.id)).toContain(id);
    expect(await groupIdsOfUser(unverified.id)).not.toContain(id);

    const account = await loaderData(accountLoader, '/settings/account', verified.id);
    expect(account.groups.find((group) => group.id === id)?.ways).toEqual(['domain']);
    const moderator = await makeUser('moderator');
    const staffPage = await loaderData(staffUserLoader, `/mod/users/${inOrg.id}`, moderator.id, {
      id: String(inOrg.id),
    });
    expect(staffPage.groups.find((group) => group.id === id)?.ways).toEqual(['organization']);

    await groupPost(admin.id, id, { intent: 'remove-member', userId: String(byEmail.id) });
    await groupPost(admin.id, id, {
      intent: 'remove-organization',
      organizationId: String(org.id),
    });
    await groupPost(admin.id, id, { intent: 'remove-domain', domain });
    expect(await ways(byEmail.id)).toEqual([]);
    expect(await ways(inOrg.id)).toEqual([]);
    expect(await ways(verified.id)).toEqual([]);
  });

  test('join requests: ask once with a message, managers approve or decline, a plain member cannot', async () => {
    const db = getDb();
    const admin = await makeUser('admin');
    const id = await createGroup(admin.id, 'request', 'Beta');
    const params = { id: String(id) };
    const manager = await makeUser();
    const plainMember = await makeUser();
    const outsider = await makeUser();
    const asker = await makeUser();
    const second = await makeUser();
    await groupPost(admin.id, id, {
      intent: 'add-member',
      person: manager.username,
      manager: 'on',
    });
    await groupPost(admin.id, id, { intent: 'add-member', person: plainMember.username });

    const groups = await loaderData(groupsLoader, '/groups', asker.id);
    expect(groups.open.map((group) => group.id)).toContain(id);

    const asked = await postAs(
      groupAction,
      `/groups/${id}`,
      asker.id,
      { intent: 'ask', message: 'I run two shops.' },
      params,
    );
    expect(locationOf(asked)).toBe(`/groups/${id}?done=asked`);
    const again = await postAs(
      groupAction,
      `/groups/${id}`,
      asker.id,
      { intent: 'ask', message: 'Again' },
      params,
    );
    expect(statusOf(again)).toBe(400);
    const tooLong = await postAs(
      groupAction,
      `/groups/${id}`,
      second.id,
      { intent: 'ask', message: 'x'.repeat(1001) },
      params,
    );
    expect(statusOf(tooLong)).toBe(400);
    expect(formFailureOf(tooLong).fieldErrors.message).toBeTruthy();
    expect(
      locationOf(
        await postAs(
          groupAction,
          `/groups/${id}`,
          second.id,
          { intent: 'ask', message: '' },
          params,
        ),
      ),
    ).toBe(`/groups/${id}?done=asked`);

    const managerPage = await loaderData(groupLoader, `/groups/${id}`, manager.id, params);
    expect(managerPage.manages).toBe(true);
    const [first, other] = managerPage.requests;
    expect(first).toMatchObject({ user_id: asker.id, message: 'I run two shops.' });
    expect(other).toMatchObject({ user_id: second.id });
    const memberPage = await loaderData(groupLoader, `/groups/${id}`, plainMember.id, params);
    expect(memberPage).toMatchObject({ manages: false, requests: [] });

    for (const person of [plainMember, outsider, await makeUser('agent')]) {
      const refused = await postAs(
        groupAction,
        `/groups/${id}`,
        person.id,
        { intent: 'approve', requestId: String(first!.id) },
        params,
      );
      expect([403, 404]).toContain(statusOf(refused));
    }
    expect(await groupIdsOfUser(asker.id)).not.toContain(id);

    expect(
      locationOf(
        await postAs(
          groupAction,
          `/groups/${id}`,
          manager.id,
          { intent: 'approve', requestId: String(first!.id) },
          params,
        ),
      ),
    ).toBe(`/groups/${id}?done=approved`);
    expect(await groupIdsOfUser(asker.id)).toContain(id);
    const moderator = await makeUser('moderator');
    expect(
      locationOf(
        await postAs(
          groupAction,
          `/groups/${id}`,
          moderator.id,
          { intent: 'decline', requestId: String(other!.id) },
          params,
        ),
      ),
    ).toBe(`/groups/${id}?done=declined`);
    expect(await groupIdsOfUser(second.id)).not.toContain(id);
    const twice = await postAs(
      groupAction,
      `/groups/${id}`,
      manager.id,
      { intent: 'approve', requestId: String(other!.id) },
      params,
    );
    expect(statusOf(twice)).toBe(404);

    const rows = await db
      .selectFrom('group_join_requests')
      .select(['user_id', 'status', 'handled_by'])
      .where('group_id', '=', id)
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { user_id: asker.id, status: 'approved', handled_by: manager.id },
      { user_id: second.id, status: 'declined', handled_by: moderator.id },
    ]);
    const log = await db
      .selectFrom('moderation_log')
      .select('action')
      .where('target_type', '=', 'group')
      .where('target_id', '=', id)
      .where('action', 'like', 'group_join%')
      .orderBy('id')
      .execute();
    expect(log.map((row) => row.action)).toEqual([
      'group_join_request',
      'group_join_request',
      'group_join_approve',
      'group_join_decline',
    ]);
  });

  test('a closed group is a 404 to outsiders, open to its members and staff; anonymous visitors sign in', async () => {
    const admin = await makeUser('admin');
    const id = await createGroup(admin.id, 'closed', 'Secret');
    const params = { id: String(id) };
    const member = await makeUser();
    await groupPost(admin.id, id, { intent: 'add-member', person: member.username });
    const outsider = await makeUser();
    expect(statusOf(await getAs(groupLoader, `/groups/${id}`, outsider.id, params))).toBe(404);
    expect(
      statusOf(
        await postAs(
          groupAction,
          `/groups/${id}`,
          outsider.id,
          { intent: 'ask', message: 'hi' },
          params,
        ),
      ),
    ).toBe(404);
    expect(statusOf(await getAs(groupLoader, `/groups/${id}`, member.id, params))).toBe(200);
    expect(
      statusOf(await getAs(groupLoader, `/groups/${id}`, (await makeUser('agent')).id, params)),
    ).toBe(200);
    const anonymous = await getAs(groupLoader, `/groups/${id}`, null, params);
    expect(locationOf(anonymous)).toMatch(/^\/login\?redirectTo=/);
    const groups = await loaderData(groupsLoader, '/groups', outsider.id);
    expect(groups.open.map((group) => group.id)).not.toContain(id);
  });
});

describe('the visibility forms', () => {
  test('the category editor refuses "listed" with nothing listed and keeps what was typed; with a group it saves', async () => {
    const db = getDb();
    const admin = await makeUser('admin');
    const groupId = await createGroup(admin.id, 'closed', 'Listed');
    const slug = `listed-${sequence}${Math.random().toString(36).slice(2, 6)}`;
    const fields = {
      intent: 'save',
      name: 'Beta features',
      slug,
      description: 'Early looks.',
      position: '5',
      visibility: 'audience',
    };
    const refused = await postAs(newCategoryAction, '/admin/categories', admin.id, fields);
    expect(statusOf(refused)).toBe(400);
    const failure = formFailureOf(refused);
    expect(failure.fieldErrors.visibility).toMatch(/at least one group/i);
    expect(failure.values).toMatchObject({ name: 'Beta features', slug, visibility: 'audience' });
    expect(
      await db.selectFrom('categories').select('id').where('slug', '=', slug).executeTakeFirst(),
    ).toBeUndefined();

    const created = await postAs(newCategoryAction, '/admin/categories', admin.id, {
      ...fields,
      groupIds: String(groupId),
    });
    expect(statusOf(created)).toBe(302);
    const category = await db
      .selectFrom('categories')
      .select(['id', 'visibility'])
      .where('slug', '=', slug)
      .executeTakeFirstOrThrow();
    expect(category.visibility).toBe('audience');
    const params = { id: String(category.id) };
    const editor = await loaderData(
      editCategoryLoader,
      `/admin/categories/${category.id}`,
      admin.id,
      params,
    );
    expect(editor.audience).toEqual({
      visibility: 'audience',
      groupIds: [groupId],
      organizationIds: [],
    });
    // The category's moderators are the managers of the groups it is listed for.
    const manager = await makeUser();
    await groupPost(admin.id, groupId, {
      intent: 'add-member',
      person: manager.username,
      manager: 'on',
    });
    await groupPost(admin.id, groupId, {
      intent: 'add-member',
      person: (await makeUser()).username,
    });
    expect(await categoryManagerIds(db, category.id)).toEqual([manager.id]);

    const emptied = await postAs(
      editCategoryAction,
      `/admin/categories/${category.id}`,
      admin.id,
      { ...fields, name: 'Beta features, renamed' },
      params,
    );
    expect(statusOf(emptied)).toBe(400);
    expect(formFailureOf(emptied).values).toMatchObject({
      name: 'Beta features, renamed',
      visibility: 'audience',
      groupIds: '',
    });
    const gone = await postAs(
      editCategoryAction,
      `/admin/categories/${category.id}`,
      admin.id,
      { ...fields, groupIds: '987654' },
      params,
    );
    expect(formFailureOf(gone).fieldErrors.visibility).toBeTruthy();
    expect(
      statusOf(
        await postAs(
          editCategoryAction,
          `/admin/categories/${category.id}`,
          admin.id,
          { ...fields, visibility: 'internal' },
          params,
        ),
      ),
    ).toBe(302);
    expect(
      (
        await db
          .selectFrom('categories')
          .select('visibility')
          .where('id', '=', category.id)
          .executeTakeFirstOrThrow()
      ).visibility,
    ).toBe('internal');
    expect(
      await db
        .selectFrom('audiences')
        .select('id')
        .where('subject_type', '=', 'category')
        .where('subject_id', '=', category.id)
        .execute(),
    ).toEqual([]);
    const log = await db
      .selectFrom('moderation_log')
      .select('data')
      .where('action', '=', 'visibility')
      .where('target_id', '=', category.id)
      .orderBy('id')
      .execute();
    expect(log.map((row) => JSON.parse(row.data ?? '{}').visibility)).toEqual([
      'audience',
      'internal',
    ]);
  });

  test('the article editor saves an internal article, refuses an empty audience, and the team list says so', async () => {
    const db = getDb();
    const agent = await makeUser('agent');
    const article = {
      title: 'Refund exceptions for annual plans',
      slug: '',
      body: 'When a customer on an annual plan asks for a refund after 30 days, check these first.',
      categoryId: '',
      tags: '',
      journeyStage: '',
      ownerId: '',
    };
    const refused = await postAs(newArticleAction, '/agent/articles/new', agent.id, {
      ...article,
      visibility: 'audience',
    });
    expect(statusOf(refused)).toBe(400);
    expect(formFailureOf(refused).fieldErrors.visibility).toBeTruthy();
    expect(formFailureOf(refused).values).toMatchObject({
      title: article.title,
      visibility: 'audience',
    });
    const created = await postAs(newArticleAction, '/agent/articles/new', agent.id, {
      ...article,
      visibility: 'internal',
    });
    const id = Number(locationOf(created)?.match(/\/agent\/articles\/(\d+)/)?.[1]);
    expect(
      (
        await db
          .selectFrom('articles')
          .select('visibility')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).visibility,
    ).toBe('internal');
    const list = await loaderData(articleListLoader, '/agent/articles', agent.id);
    expect(list.visibility[id]).toEqual({ visibility: 'internal', names: [] });
  });
});

describe.skipIf(naughtyStrings.length === 0)('the Big List of Naughty Strings', () => {
  test('as a group name, description, domain or join message: a field error or a saved row, never a 500', async () => {
    const admin = await makeUser('admin');
    const adminCookie = await sessionCookieFor(admin.id);
    const asker = await makeVerifiedUser();
    const askerCookie = await sessionCookieFor(asker.id);
    const requestGroup = await createGroup(admin.id, 'request', 'Naughty');
    const post = (
      handler: Parameters<typeof callRoute>[0],
      pathName: string,
      cookie: string,
      fields: Record<string, string>,
      params = {},
    ) => callRoute(handler, formRequest(pathName, fields, { Cookie: cookie }), params);
    const outcomes = new Set<number>();
    for (const [index, naughty] of naughtyStrings.entries()) {
      const checks = [
        await post(adminGroupsAction, '/admin/groups', adminCookie, {
          name: naughty,
          description: '',
          joinPolicy: 'closed',
        }),
        await post(adminGroupsAction, '/admin/groups', adminCookie, {
          name: `Naughty ${index}`,
          description: naughty,
          joinPolicy: 'request',
        }),
        await post(
          adminGroupAction,
          `/admin/groups/${requestGroup}`,
          adminCookie,
          { intent: 'add-domain', domain: naughty },
          { id: String(requestGroup) },
        ),
        await post(
          adminGroupAction,
          `/admin/groups/${requestGroup}`,
          adminCookie,
          { intent: 'add-member', person: naughty },
          { id: String(requestGroup) },
        ),
        await post(
          groupAction,
          `/groups/${requestGroup}`,
          askerCookie,
          { intent: 'ask', message: naughty },
          { id: String(requestGroup) },
        ),
      ];
      for (const result of checks) {
        const status = statusOf(result);
        outcomes.add(status);
        expect([naughty, status < 500]).toEqual([naughty, true]);
        if (status === 400)
          expect(Object.keys(formFailureOf(result).fieldErrors).length).toBeGreaterThan(0);
        else expect([naughty, status]).toEqual([naughty, 302]);
      }
      // One waiting request per person: answer it so the next string is asked afresh.
      await getDb()
        .updateTable('group_join_requests')
        .set({ status: 'declined' })
        .where('user_id', '=', asker.id)
        .where('status', '=', 'pending')
        .execute();
      await getDb().deleteFrom('group_members').where('group_id', '=', requestGroup).execute();
    }
    expect([...outcomes].sort()).toEqual([302, 400]);
    const messages = await getDb()
      .selectFrom('group_join_requests')
      .select('message')
      .where('user_id', '=', asker.id)
      .execute();
    expect(messages.length).toBeGreaterThan(naughtyStrings.length / 2);
  }, 600_000);
});
