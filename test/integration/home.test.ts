import { describe, expect, test } from 'vitest';
import type { Visibility } from '#db/schema';
import { setArticleFeedback } from '~/models/article-feedback.server';
import { createArticle, transitionArticle } from '~/models/articles.server';
import { moderateContent } from '~/models/moderation.server';
import { acceptAnswer, postAnswer } from '~/models/posts.server';
import { askQuestion, setThreadDeleted } from '~/models/threads.server';
import { setVisibility } from '~/models/visibility.server';
import { loader as homeLoader } from '~/routes/_index';
import { getDb } from '~/utils/db.server';
import { makeAudiences } from '../support/audiences';
import { loaderData } from '../support/requests';

/**
 * Issue 24: the home page lists popular articles and recently answered questions under its
 * search. Each list holds only what the viewer may see (the visibility rule), never drafts or
 * content hidden, deleted or awaiting review; "popular" counts views and helpful votes, "recently
 * answered" goes by each question's newest answer still in view.
 */

const db = getDb();
const { org, group, people } = await makeAudiences({
  organization: 'Home Org',
  group: 'Home beta testers',
});
const { admin, moderator } = people;
const hour = 60 * 60 * 1000;
const start = Date.now() - 20 * hour;
const at = (hours: number) => new Date(start + hours * hour);

async function category(slug: string, visibility: Visibility, audience?: 'group' | 'org') {
  const row = await db
    .insertInto('categories')
    .values({ name: `Topic ${slug}`, slug, created_at: new Date().toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  await setVisibility(db, { type: 'category', id: row.id }, visibility, {
    groupIds: audience === 'group' ? [group.id] : [],
    organizationIds: audience === 'org' ? [org.id] : [],
  });
  return row.id;
}

const categories = {
  public: await category('home-billing', 'public'),
  signedIn: await category('home-lounge', 'signed_in'),
  group: await category('home-beta', 'audience', 'group'),
  org: await category('home-org', 'audience', 'org'),
  internal: await category('home-internal', 'internal'),
};

async function article(
  title: string,
  options: {
    views: number;
    helpful?: number;
    unhelpful?: number;
    visibility?: Visibility;
    categoryId?: number;
    status?: 'draft' | 'published';
  },
) {
  const created = await createArticle(db, admin, {
    title,
    slug: '',
    body: `${title}: open the settings page and follow the steps shown there.`,
    categoryId: options.categoryId ?? null,
    tags: [],
    journeyStage: null,
    reason: '',
  });
  if (!created.ok) throw new Error(JSON.stringify(created));
  if (options.visibility)
    await setVisibility(db, { type: 'article', id: created.id }, options.visibility);
  if (options.status !== 'draft') await transitionArticle(db, admin, created.id, 'published');
  // Views as the view counter leaves them (one per reader per hour, tested in page-views).
  await db
    .updateTable('articles')
    .set({ views: options.views })
    .where('id', '=', created.id)
    .execute();
  const votes = [
    ...Array.from({ length: options.helpful ?? 0 }, () => 'yes' as const),
    ...Array.from({ length: options.unhelpful ?? 0 }, () => 'no' as const),
  ];
  for (const [index, helpful] of votes.entries()) {
    const voted = await setArticleFeedback(
      db,
      created.id,
      null,
      { key: `visitor:${title}:${index}`, userId: null },
      { helpful, reason: helpful === 'no' ? 'unclear' : null, comment: null },
    );
    if (!voted.ok) throw new Error(`feedback on ${title}`);
  }
  return created.id;
}

await article('Connect your bank account', { views: 100 });
// 20 views and 10 readers it helped outrank 100 views.
await article('Export a tax report', { views: 20, helpful: 10 });
// Readers it did not help add nothing.
await article('Invite your accountant', { views: 50, unhelpful: 30 });
await article('Draft about payroll runs', { views: 5000, status: 'draft' });
const hiddenArticle = await article('Flagged article about refunds', { views: 4000 });
expect(
  await moderateContent(db, moderator, { type: 'article', id: hiddenArticle }, 'hide', 'spam'),
).toEqual({ ok: true });
await article('Members-only pricing guide', { views: 900, visibility: 'signed_in' });
await article('Beta feature walkthrough', { views: 800, categoryId: categories.group });
await article('Partner onboarding checklist', { views: 750, categoryId: categories.org });
await article('Internal escalation runbook', { views: 700, visibility: 'internal' });

async function question(title: string, categoryId: number, askedAt: number) {
  const asked = await askQuestion(
    db,
    admin,
    {
      title,
      body: 'The numbers on the dashboard do not match the bank statement this month.',
      categoryId,
      tags: [],
      journeyStage: null,
    },
    at(askedAt),
  );
  if (!asked.ok) throw new Error(JSON.stringify(asked.fieldErrors));
  return asked.id;
}

async function answer(threadId: number, answeredAt: number) {
  const posted = await postAnswer(
    db,
    admin,
    threadId,
    'Reconnect the feed, then import the statement once.',
    at(answeredAt),
  );
  if (!posted.ok) throw new Error(posted.error);
  return posted.id;
}

const bankFeed = await question('Bank feed shows every payment twice', categories.public, 0);
await answer(bankFeed, 1);
await answer(bankFeed, 5);
// Its newest answer is hidden by a moderator: the thread counts as answered at hour 5.
const hiddenAnswer = await answer(bankFeed, 11);
expect(
  await moderateContent(db, moderator, { type: 'post', id: hiddenAnswer }, 'hide', 'spam'),
).toEqual({ ok: true });

const exportEmpty = await question('The tax export comes out empty', categories.public, 0);
const accepted = await answer(exportEmpty, 3);
expect(await acceptAnswer(db, admin, exportEmpty, accepted, at(4))).toEqual({ ok: true });

await question('Nobody has answered this question yet', categories.public, 0);

const onlyHidden = await question('Its only answer was taken down', categories.public, 0);
const removed = await answer(onlyHidden, 6);
expect(
  await moderateContent(db, moderator, { type: 'post', id: removed }, 'delete', 'off topic'),
).toEqual({ ok: true });

const deletedThread = await question('A question deleted after its answer', categories.public, 0);
await answer(deletedThread, 7);
expect(await setThreadDeleted(db, admin, deletedThread, true)).toEqual({ ok: true });

await answer(await question('Lounge question for signed-in people', categories.signedIn, 0), 8);
await answer(await question('Beta testers compare sync speeds', categories.group, 0), 9);
await answer(await question('Partner organisation asks about invoices', categories.org, 0), 9.5);
await answer(await question('Internal note about an outage answer', categories.internal, 0), 10);

type Viewer = 'anonymous' | 'member' | 'groupMember' | 'orgMember' | 'agent' | 'admin';
const idOf = (viewer: Viewer) => (viewer === 'anonymous' ? null : people[viewer].id);

const publicArticles = [
  'Export a tax report',
  'Connect your bank account',
  'Invite your accountant',
];
const expectedArticles: Record<Viewer, string[]> = {
  anonymous: publicArticles,
  member: ['Members-only pricing guide', ...publicArticles],
  groupMember: ['Members-only pricing guide', 'Beta feature walkthrough', ...publicArticles],
  orgMember: ['Members-only pricing guide', 'Partner onboarding checklist', ...publicArticles],
  // Six at most: the team's list is cut after the sixth.
  agent: [
    'Members-only pricing guide',
    'Beta feature walkthrough',
    'Partner onboarding checklist',
    'Internal escalation runbook',
    'Export a tax report',
    'Connect your bank account',
  ],
  admin: [
    'Members-only pricing guide',
    'Beta feature walkthrough',
    'Partner onboarding checklist',
    'Internal escalation runbook',
    'Export a tax report',
    'Connect your bank account',
  ],
};

const publicAnswered = ['Bank feed shows every payment twice', 'The tax export comes out empty'];
const expectedAnswered: Record<Viewer, string[]> = {
  anonymous: publicAnswered,
  member: ['Lounge question for signed-in people', ...publicAnswered],
  groupMember: [
    'Beta testers compare sync speeds',
    'Lounge question for signed-in people',
    ...publicAnswered,
  ],
  orgMember: [
    'Partner organisation asks about invoices',
    'Lounge question for signed-in people',
    ...publicAnswered,
  ],
  agent: [
    'Internal note about an outage answer',
    'Partner organisation asks about invoices',
    'Beta testers compare sync speeds',
    'Lounge question for signed-in people',
    ...publicAnswered,
  ],
  admin: [
    'Internal note about an outage answer',
    'Partner organisation asks about invoices',
    'Beta testers compare sync speeds',
    'Lounge question for signed-in people',
    ...publicAnswered,
  ],
};

const viewers: Viewer[] = ['anonymous', 'member', 'groupMember', 'orgMember', 'agent', 'admin'];

describe('the home page lists', () => {
  test.each(viewers)(
    'popular articles as %s: most read and most helpful first, only what they may see',
    async (viewer) => {
      const home = await loaderData(homeLoader, '/', idOf(viewer));
      expect(home.popularArticles.map((row) => row.title)).toEqual(expectedArticles[viewer]);
    },
  );

  test.each(viewers)(
    'recently answered questions as %s: by newest answer in view, only what they may see',
    async (viewer) => {
      const home = await loaderData(homeLoader, '/', idOf(viewer));
      expect(home.recentlyAnswered.map((row) => row.title)).toEqual(expectedAnswered[viewer]);
    },
  );

  test('a question answered many times takes one place, dated by its newest answer in view', async () => {
    const home = await loaderData(homeLoader, '/', null);
    const [first, second] = home.recentlyAnswered;
    expect(first).toMatchObject({
      title: 'Bank feed shows every payment twice',
      answered_at: at(5).toISOString(),
      answer_count: 2,
      accepted: false,
    });
    expect(second).toMatchObject({
      title: 'The tax export comes out empty',
      answered_at: at(3).toISOString(),
      accepted: true,
    });
  });

  test('a new answer puts its question first', async () => {
    await answer(exportEmpty, 12);
    const home = await loaderData(homeLoader, '/', null);
    expect(home.recentlyAnswered.map((row) => row.title)).toEqual([
      'The tax export comes out empty',
      'Bank feed shows every payment twice',
    ]);
  });

  test('topics: a visitor sees only the public categories', async () => {
    const home = await loaderData(homeLoader, '/', null);
    expect(home.categories.map((row) => row.slug)).toEqual(['home-billing']);
  });
});
