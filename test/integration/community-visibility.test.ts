import express from 'express';
import { beforeAll, describe, expect, test } from 'vitest';
import { validateSessionCookie } from '~/auth/session.server';
import { createPageCache } from '~/utils/page-cache.server';
import { queueDueDigests } from '~/models/mail/digest.server';
import { setWatching } from '~/models/mail/thread-watches.server';
import { listNotifications, unreadNotificationCount } from '~/models/notifications.server';
import { postAnswer } from '~/models/posts.server';
import { askQuestion } from '~/models/threads.server';
import { storeUpload } from '~/models/uploads/uploads.server';
import { setVisibility, type AudienceChoice } from '~/models/visibility.server';
import type { Visibility } from '#db/schema';
import { loader as homeLoader } from '~/routes/_index';
import { loader as answerEditLoader } from '~/routes/answers.$id.edit';
import { loader as categoryLoader } from '~/routes/categories.$slug';
import { action as flagAction } from '~/routes/flags';
import { loader as notificationLoader } from '~/routes/notifications.$id';
import {
  action as questionAction,
  loader as questionLoader,
} from '~/routes/questions.$id.($slug)/route';
import { loader as questionEditLoader } from '~/routes/questions.$id.edit';
import { loader as revisionsLoader } from '~/routes/questions.$id.revisions';
import { action as askAction, loader as askLoader } from '~/routes/questions.ask';
import { loader as questionsLoader } from '~/routes/questions._index';
import { loader as tagLoader } from '~/routes/tags.$tag';
import { loader as fileLoader } from '~/routes/uploads.$id.$name';
import { loader as profileLoader } from '~/routes/users.$username';
import { getDb } from '~/utils/db.server';
import { liftPostingLimits, makeUser, makeVerifiedUser } from '../support/community';
import { makeAudiences } from '../support/audiences';
import {
  formFailureOf,
  getAs,
  loaderData,
  postAs,
  sessionCookieFor,
  settle,
  statusOf,
} from '../support/requests';
import { pngOf, responseOf } from '../support/uploads';

/**
 * Who sees what on the community: a question takes its category's visibility, and its answers,
 * comments and files take the question's. For a category of each visibility and each kind of
 * reader, every surface agrees: the page or a 404, the lists and counts, the actions, the files,
 * the notifications and the mail.
 */

const db = getDb();
const now = new Date().toISOString();
const run = Math.random().toString(36).slice(2, 8);

type ViewerName =
  'anonymous' | 'member' | 'groupMember' | 'orgMember' | 'agent' | 'moderator' | 'admin';
const viewerNames: ViewerName[] = [
  'anonymous',
  'member',
  'groupMember',
  'orgMember',
  'agent',
  'moderator',
  'admin',
];
const staff: ViewerName[] = ['agent', 'moderator', 'admin'];

type Setting = {
  name: string;
  visibility: Visibility;
  audience: 'group' | 'org' | null;
  seenBy: ViewerName[];
};
const settings: Setting[] = [
  { name: 'public', visibility: 'public', audience: null, seenBy: viewerNames },
  {
    name: 'signed-in',
    visibility: 'signed_in',
    audience: null,
    seenBy: viewerNames.filter((name) => name !== 'anonymous'),
  },
  { name: 'group', visibility: 'audience', audience: 'group', seenBy: ['groupMember', ...staff] },
  { name: 'org', visibility: 'audience', audience: 'org', seenBy: ['orgMember', ...staff] },
  { name: 'internal', visibility: 'internal', audience: null, seenBy: staff },
];

type Person = { id: number; username: string; role: 'member' | 'agent' | 'moderator' | 'admin' };
const people = {} as Record<Exclude<ViewerName, 'anonymous'>, Person>;
const idOf = (name: ViewerName) => (name === 'anonymous' ? null : people[name].id);
let groupId = 0;
let orgId = 0;
let asker: Person;
let answerer: Person;

type Fixture = {
  categoryId: number;
  slug: string;
  tag: string;
  threadId: number;
  threadSlug: string;
  postId: number;
  fileUrl: string;
};
const fixtures = new Map<string, Fixture>();

function audienceOf(setting: Setting): AudienceChoice {
  if (setting.audience === 'group') return { groupIds: [groupId], organizationIds: [] };
  if (setting.audience === 'org') return { groupIds: [], organizationIds: [orgId] };
  return { groupIds: [], organizationIds: [] };
}

let categories = 0;

async function makeCategory(name: string, setting: Setting) {
  categories += 1;
  const slug = `vis-${setting.name}-${name}-${categories}-${run}`;
  const category = await db
    .insertInto('categories')
    .values({
      name: `Visibility ${setting.name} ${name}`,
      slug,
      description: `Questions for the ${setting.name} readers.`,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await setVisibility(
    db,
    { type: 'category', id: category.id },
    setting.visibility,
    audienceOf(setting),
  );
  return { id: category.id, slug };
}

beforeAll(async () => {
  await liftPostingLimits();
  // Every reader flags the same answer here: it must stay up for the checks that follow.
  await db
    .insertInto('settings')
    .values({ key: 'flag_threshold', value: '1000', updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: '1000' }))
    .execute();
  const audiences = await makeAudiences(
    { organization: `Visibility Org ${run}`, group: `Beta testers ${run}` },
    { description: 'People trying new releases early.', joinPolicy: 'request' },
  );
  orgId = audiences.org.id;
  groupId = audiences.group.id;
  Object.assign(people, audiences.people);
  asker = await makeVerifiedUser('admin');
  answerer = await makeVerifiedUser('agent');

  for (const setting of settings) {
    const category = await makeCategory('main', setting);
    const tag = `vis-${setting.name}-${run}`;
    const stored = await storeUpload(db, asker, {
      name: `${setting.name}.png`,
      bytes: await pngOf(300 + settings.indexOf(setting), 160),
    });
    if (!stored.ok) throw new Error(stored.error);
    const asked = await askQuestion(db, asker, {
      title: `How does the ${setting.name} area handle exports?`,
      body: `The export stops halfway, see:\n\n${stored.upload.markdown}`,
      categoryId: category.id,
      tags: [tag],
      journeyStage: null,
    });
    if (!asked.ok) throw new Error(JSON.stringify(asked.fieldErrors));
    const answered = await postAnswer(db, answerer, asked.id, 'Restart the export from the list.');
    if (!answered.ok) throw new Error(answered.error);
    fixtures.set(setting.name, {
      categoryId: category.id,
      slug: category.slug,
      tag,
      threadId: asked.id,
      threadSlug: asked.slug,
      postId: answered.id,
      fileUrl: stored.upload.url,
    });
  }
});

function fixtureOf(setting: Setting): Fixture {
  const fixture = fixtures.get(setting.name);
  if (!fixture) throw new Error(`no fixture for ${setting.name}`);
  return fixture;
}

const cases = settings.flatMap((setting) =>
  viewerNames.map((viewer) => ({
    setting,
    viewer,
    sees: setting.seenBy.includes(viewer),
  })),
);

describe('who sees a question, by its category', () => {
  test.each(cases)(
    '$setting.name question, $viewer reader: seen = $sees',
    async ({ setting, viewer, sees }) => {
      const fixture = fixtureOf(setting);
      const userId = idOf(viewer);
      const path = `/questions/${fixture.threadId}/${fixture.threadSlug}`;
      const params = { id: String(fixture.threadId), slug: fixture.threadSlug };

      // The question page, and its history.
      expect(statusOf(await getAs(questionLoader, path, userId, params))).toBe(sees ? 200 : 404);
      expect(
        statusOf(
          await getAs(revisionsLoader, `/questions/${fixture.threadId}/revisions`, userId, params),
        ),
      ).toBe(sees ? 200 : 404);

      // Lists and counts.
      const questions = await loaderData(questionsLoader, '/questions', userId);
      expect(questions.threads.some((thread) => thread.id === fixture.threadId)).toBe(sees);
      expect(questions.tags.some((tag) => tag.name === fixture.tag)).toBe(sees);
      expect(questions.categories.some((category) => category.id === fixture.categoryId)).toBe(
        sees,
      );
      const home = await loaderData(homeLoader, '/', userId);
      const listed = home.categories.find((category) => category.id === fixture.categoryId);
      expect(listed ? Number(listed.question_count) : null).toBe(sees ? 1 : null);
      const tagged = await settle(() =>
        loaderData(tagLoader, `/tags/${fixture.tag}`, userId, { tag: fixture.tag }),
      );
      expect(statusOf(tagged)).toBe(200);
      if (tagged instanceof Response) throw new Error('the tag page answered a Response');
      expect(tagged.threads.map((thread) => thread.id)).toEqual(sees ? [fixture.threadId] : []);
      const profile = await loaderData(profileLoader, `/users/${asker.username}`, userId, {
        username: asker.username,
      });
      expect(profile.questions.some((thread) => thread.id === fixture.threadId)).toBe(sees);
      const answers = await loaderData(profileLoader, `/users/${answerer.username}`, userId, {
        username: answerer.username,
      });
      expect(answers.answers.some((answer) => answer.id === fixture.postId)).toBe(sees);

      // The category page: its questions, a private-community page, or nothing.
      const category = await settle(() =>
        loaderData(categoryLoader, `/categories/${fixture.slug}`, userId, { slug: fixture.slug }),
      );
      const invited = !sees && setting.audience === 'group' && userId !== null;
      if (sees) {
        if (category instanceof Response) throw new Error(`category page ${category.status}`);
        expect(category.joinGroup).toBeNull();
        expect(category.threads.map((thread) => thread.id)).toEqual([fixture.threadId]);
      } else if (invited) {
        if (category instanceof Response) throw new Error(`category page ${category.status}`);
        expect(category.joinGroup).toMatchObject({ id: groupId });
        expect(category.category.name).toBe(`Visibility ${setting.name} main`);
        expect(category.threads).toEqual([]);
        expect(category.pinned).toEqual([]);
      } else {
        expect(statusOf(category)).toBe(404);
      }

      // The question's file.
      const file = await responseOf(
        fileLoader,
        new Request(`http://localhost${fixture.fileUrl}`, {
          headers: userId === null ? {} : { Cookie: await sessionCookieFor(userId) },
        }),
        {
          id: fixture.fileUrl.split('/')[2] ?? '',
          name: fixture.fileUrl.split('/')[3] ?? '',
        },
      );
      expect(file.status).toBe(sees ? 200 : 404);
      if (sees)
        expect(file.headers.get('Cache-Control')).toEqual(
          setting.visibility === 'public' ? expect.stringContaining('public') : 'private, no-store',
        );
    },
  );
});

describe('what a reader may do on a question, by its category', () => {
  const signedIn = cases.filter((item) => item.viewer !== 'anonymous');
  test.each(signedIn)(
    '$setting.name question, $viewer: actions allowed = $sees',
    async ({ setting, viewer, sees }) => {
      const fixture = fixtureOf(setting);
      const userId = idOf(viewer) ?? 0;
      const path = `/questions/${fixture.threadId}/${fixture.threadSlug}`;
      const params = { id: String(fixture.threadId), slug: fixture.threadSlug };
      const post = (fields: Record<string, string>) =>
        postAs(questionAction, path, userId, fields, params);
      const expected = (status: number) => (sees ? status : 404);

      expect(
        statusOf(
          await post({
            intent: 'vote',
            target: 'post',
            targetId: String(fixture.postId),
            direction: 'up',
          }),
        ),
      ).toBe(expected(200));
      expect(statusOf(await post({ intent: 'watch', watching: 'on' }))).toBe(expected(200));
      expect(
        statusOf(await post({ intent: 'comment', body: `A comment from ${viewer} on this.` })),
      ).toBe(expected(302));
      expect(
        statusOf(
          await post({ intent: 'answer', body: `An answer from ${viewer}: restart the export.` }),
        ),
      ).toBe(expected(302));
      expect(
        statusOf(
          await postAs(flagAction, '/flags', userId, {
            targetType: 'post',
            targetId: String(fixture.postId),
            reason: 'spam',
            returnTo: path,
          }),
        ),
      ).toBe(expected(302));
      // The answer's edit form: not theirs to edit when they see it, not there when they do not.
      const edit = await getAs(answerEditLoader, `/answers/${fixture.postId}/edit`, userId, {
        id: String(fixture.postId),
      });
      const editsOthers = viewer === 'moderator' || viewer === 'admin';
      expect(statusOf(edit)).toBe(sees ? (editsOthers ? 200 : 403) : 404);
      const editQuestion = await getAs(
        questionEditLoader,
        `/questions/${fixture.threadId}/edit`,
        userId,
        { id: String(fixture.threadId) },
      );
      expect(statusOf(editQuestion)).toBe(sees ? (editsOthers ? 200 : 403) : 404);
      // Casting a vote on a hidden answer from another question's page is refused too.
      const publicFixture = fixtures.get('public');
      if (publicFixture && setting.name !== 'public') {
        const elsewhere = await postAs(
          questionAction,
          `/questions/${publicFixture.threadId}/${publicFixture.threadSlug}`,
          userId,
          { intent: 'vote', target: 'post', targetId: String(fixture.postId), direction: 'down' },
          { id: String(publicFixture.threadId), slug: publicFixture.threadSlug },
        );
        expect(statusOf(elsewhere)).toBe(sees ? 200 : 404);
      }
    },
  );

  test('the ask form offers only the categories a member may see, and refuses a hidden one', async () => {
    const member = people.member;
    const form = await loaderData(askLoader, '/questions/ask', member.id);
    const offered = new Set(form.categories.map((category) => category.id));
    for (const setting of settings)
      expect(offered.has(fixtureOf(setting).categoryId)).toBe(setting.seenBy.includes('member'));
    const hidden = fixtureOf(settings[2] ?? settings[0]!);
    const result = await postAs(askAction, '/questions/ask', member.id, {
      title: 'Where is the beta export switch?',
      body: 'I was told there is a switch for the new export somewhere.',
      categoryId: String(hidden.categoryId),
      tags: '',
      journeyStage: '',
    });
    const failure = formFailureOf(result);
    expect(failure.fieldErrors.categoryId).toBeTruthy();
    expect(failure.values.title).toBe('Where is the beta export switch?');
  });
});

describe('notifications and mail about a question follow who may see it', () => {
  test.each(settings)(
    'an answer on a $name question notifies and mails only those who may see it',
    async (setting) => {
      const open = settings[0] ?? setting;
      const category = await makeCategory('notify', open);
      const asked = await askQuestion(db, asker, {
        title: `Will the ${setting.name} readers hear about this answer?`,
        body: 'Each reader below watches this question and is mentioned in its answer.',
        categoryId: category.id,
        tags: [],
        journeyStage: null,
      });
      if (!asked.ok) throw new Error(JSON.stringify(asked.fieldErrors));
      const readers = viewerNames.filter((name) => name !== 'anonymous');
      for (const name of readers) {
        const watched = await setWatching(db, asked.id, people[name].id, true);
        expect(watched.ok).toBe(true);
      }
      // The category closes after they started watching: what they hear is decided when it is sent.
      await setVisibility(
        db,
        { type: 'category', id: category.id },
        setting.visibility,
        audienceOf(setting),
      );
      const mentions = readers.map((name) => `@${people[name].username}`).join(' ');
      const answered = await postAnswer(db, answerer, asked.id, `Thanks for asking, ${mentions}.`);
      if (!answered.ok) throw new Error(answered.error);

      for (const name of readers) {
        const notified = await db
          .selectFrom('notifications')
          .select('id')
          .where('user_id', '=', people[name].id)
          .where('thread_id', '=', asked.id)
          .execute();
        const mailed = await db
          .selectFrom('mail_outbox')
          .select('id')
          .where('user_id', '=', people[name].id)
          .where('thread_key', '=', `question-${asked.id}`)
          .execute();
        const sees = setting.seenBy.includes(name);
        expect({ name, notified: notified.length > 0 }).toEqual({ name, notified: sees });
        expect({ name, mailed: mailed.length > 0 }).toEqual({ name, mailed: sees });
      }
    },
  );

  test('a notification leaves the list, the count and its link once its question is hidden', async () => {
    const reader = await makeVerifiedUser('member');
    const open = settings[0];
    const group = settings[2];
    if (!open || !group) throw new Error('settings');
    const category = await makeCategory('later', open);
    const asked = await askQuestion(db, reader, {
      title: 'Does the notification survive a private category?',
      body: 'This question moves to a private category after it is answered.',
      categoryId: category.id,
      tags: [],
      journeyStage: null,
    });
    if (!asked.ok) throw new Error(JSON.stringify(asked.fieldErrors));
    const answered = await postAnswer(db, answerer, asked.id, 'Yes, until the category closes.');
    if (!answered.ok) throw new Error(answered.error);
    const before = await listNotifications(db, reader.id);
    const notification = before.notifications.find((item) => item.thread_id === asked.id);
    expect(notification).toBeDefined();
    expect(await unreadNotificationCount(db, reader.id)).toBe(1);

    await setVisibility(db, { type: 'category', id: category.id }, 'audience', audienceOf(group));
    const after = await listNotifications(db, reader.id);
    expect(after.notifications.some((item) => item.thread_id === asked.id)).toBe(false);
    expect(await unreadNotificationCount(db, reader.id)).toBe(0);
    const opened = await getAs(
      notificationLoader,
      `/notifications/${notification?.id}`,
      reader.id,
      {
        id: String(notification?.id),
      },
    );
    expect(statusOf(opened)).toBe(404);
  });

  test('the digest leaves out questions and saved items its reader may no longer see', async () => {
    const reader = await makeVerifiedUser('member');
    const open = settings[0];
    const internal = settings[4];
    if (!open || !internal) throw new Error('settings');
    const shown = await makeCategory('digest-open', open);
    const closed = await makeCategory('digest-closed', open);
    await db
      .insertInto('category_follows')
      .values([
        { user_id: reader.id, category_id: shown.id, created_at: now },
        { user_id: reader.id, category_id: closed.id, created_at: now },
      ])
      .execute();
    await db
      .insertInto('mail_digests')
      .values({ user_id: reader.id, frequency: 'daily', last_sent_at: null })
      .execute();
    const titles: Record<string, string> = {};
    for (const [key, categoryId] of [
      ['shown', shown.id],
      ['closed', closed.id],
    ] as const) {
      const asked = await askQuestion(db, asker, {
        title: `Digest question in the ${key} category ${run}`,
        body: 'Nobody answered this one yet, so it goes in the digest.',
        categoryId,
        tags: [],
        journeyStage: null,
      });
      if (!asked.ok) throw new Error(JSON.stringify(asked.fieldErrors));
      titles[key] = asked.slug;
      await db
        .insertInto('mail_digest_items')
        .values({
          user_id: reader.id,
          kind: 'answer',
          title: `Saved item about ${key} ${run}`,
          url: `/questions/${asked.id}/${asked.slug}`,
          created_at: now,
        })
        .execute();
    }
    await setVisibility(db, { type: 'category', id: closed.id }, internal.visibility);
    await queueDueDigests(db, new Date(Date.now() + 1000));
    const digest = await db
      .selectFrom('mail_outbox')
      .select('text_body')
      .where('user_id', '=', reader.id)
      .where('kind', '=', 'digest')
      .executeTakeFirstOrThrow();
    expect(digest.text_body).toContain(`Saved item about shown ${run}`);
    expect(digest.text_body).toContain(`Digest question in the shown category ${run}`);
    expect(digest.text_body).not.toContain(`about closed ${run}`);
    expect(digest.text_body).not.toContain(`in the closed category ${run}`);
    const left = await db
      .selectFrom('mail_digest_items')
      .select('id')
      .where('user_id', '=', reader.id)
      .execute();
    expect(left).toEqual([]);
  });
});

describe('a private community for a group that takes requests', () => {
  test('a member outside it sees its name and where to ask to join; anonymous visitors get 404', async () => {
    const group = settings[2];
    if (!group) throw new Error('settings');
    const fixture = fixtureOf(group);
    const outsider = await makeUser('member');
    const page = await loaderData(categoryLoader, `/categories/${fixture.slug}`, outsider.id, {
      slug: fixture.slug,
    });
    expect(page.joinGroup).toEqual({ id: groupId, name: `Beta testers ${run}` });
    expect(page.category.description).toBe('Questions for the group readers.');
    expect(page.threads).toEqual([]);
    expect(
      statusOf(
        await getAs(categoryLoader, `/categories/${fixture.slug}`, null, { slug: fixture.slug }),
      ),
    ).toBe(404);
    // A group that decides who joins (closed) keeps its category out of sight altogether.
    await db
      .updateTable('groups')
      .set({ join_policy: 'closed' })
      .where('id', '=', groupId)
      .execute();
    try {
      expect(
        statusOf(
          await getAs(categoryLoader, `/categories/${fixture.slug}`, outsider.id, {
            slug: fixture.slug,
          }),
        ),
      ).toBe(404);
    } finally {
      await db
        .updateTable('groups')
        .set({ join_policy: 'request' })
        .where('id', '=', groupId)
        .execute();
    }
  });
});

describe('the page cache never serves a copy to someone who may no longer see it', () => {
  /** A server with the page cache in front of the question page's real loader. */
  async function cachedServer() {
    const app = express();
    const cache = createPageCache({
      db,
      render: async (request, context) => {
        const [, , id = '', slug = ''] = new URL(request.url).pathname.split('/');
        const result = await settle(async () =>
          questionLoader({ request, params: { id, slug }, context }),
        );
        if (result instanceof Response) return result;
        return new Response(`<!doctype html><p>${JSON.stringify(result).length}</p>`, {
          status: 200,
          headers: { 'Content-Type': 'text/html; charset=utf-8' },
        });
      },
      loadContext: (_req, nonce) => ({ cspNonce: nonce, clientAddress: '127.0.0.1' }),
      contentSecurityPolicy: () => "default-src 'self'",
      countView: async () => {},
      memberOf: async (cookie) => {
        const { user, setCookie } = await validateSessionCookie(cookie);
        return user && !setCookie && user.role === 'member' ? user.id : null;
      },
      maxBytes: 1_000_000,
      maxAgeMs: 60_000,
    });
    app.get('*', cache.middleware);
    app.get('*', (_req, res) => {
      res.status(500).send('the cache let a request through');
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    const { port } = address;
    return {
      get: (path: string, cookie?: string) =>
        fetch(`http://127.0.0.1:${port}${path}`, { headers: cookie ? { Cookie: cookie } : {} }),
      close: () => new Promise((resolve) => server.close(resolve)),
    };
  }

  test('an anonymous copy of a public question is not served once its category closes', async () => {
    const open = settings[0];
    if (!open) throw new Error('settings');
    const category = await makeCategory('cache-anonymous', open);
    const asked = await askQuestion(db, asker, {
      title: 'Is a cached page shown after the category closes?',
      body: 'Anonymous readers share one copy of this page.',
      categoryId: category.id,
      tags: [],
      journeyStage: null,
    });
    if (!asked.ok) throw new Error(JSON.stringify(asked.fieldErrors));
    const server = await cachedServer();
    try {
      const path = `/questions/${asked.id}/${asked.slug}`;
      expect((await server.get(path)).headers.get('X-Page-Cache')).toBe('miss');
      expect((await server.get(path)).headers.get('X-Page-Cache')).toBe('hit');
      await setVisibility(db, { type: 'category', id: category.id }, 'signed_in');
      const closed = await server.get(path);
      expect(closed.status).toBe(404);
      // A 404 is not kept: the next visitor gets a fresh answer too, never the old copy.
      const again = await server.get(path);
      expect(again.status).toBe(404);
      expect(again.headers.get('X-Page-Cache')).toBe('pass');
    } finally {
      await server.close();
    }
  });

  test("a member's own copy of a group's question goes when they leave the group", async () => {
    const group = settings[2];
    if (!group) throw new Error('settings');
    const category = await makeCategory('cache-member', group);
    const asked = await askQuestion(db, asker, {
      title: 'Does a member keep a cached copy after leaving?',
      body: 'Members get a stored copy of their own of this page.',
      categoryId: category.id,
      tags: [],
      journeyStage: null,
    });
    if (!asked.ok) throw new Error(JSON.stringify(asked.fieldErrors));
    const leaving = await makeUser('member');
    await db
      .insertInto('group_members')
      .values({ group_id: groupId, user_id: leaving.id, manager: 0, created_at: now })
      .execute();
    const cookie = await sessionCookieFor(leaving.id);
    const server = await cachedServer();
    try {
      const path = `/questions/${asked.id}/${asked.slug}`;
      expect((await server.get(path, cookie)).headers.get('X-Page-Cache')).toBe('miss');
      expect((await server.get(path, cookie)).headers.get('X-Page-Cache')).toBe('hit');
      expect((await server.get(path)).status).toBe(404);
      await db
        .deleteFrom('group_members')
        .where('group_id', '=', groupId)
        .where('user_id', '=', leaving.id)
        .execute();
      expect((await server.get(path, cookie)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
