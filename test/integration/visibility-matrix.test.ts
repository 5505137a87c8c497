import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { createPersonalApiToken } from '~/models/api-tokens.server';
import { createArticle, transitionArticle } from '~/models/articles.server';
import { addComment } from '~/models/comments.server';
import { storeUpload } from '~/models/uploads/uploads.server';
import { setVisibility } from '~/models/visibility.server';
import * as home from '~/routes/_index';
import * as articleApi from '~/routes/api.v1.articles.$slug';
import * as searchApi from '~/routes/api.v1.search';
import * as threadApi from '~/routes/api.v1.threads.$id';
import * as categoryPage from '~/routes/categories.$slug';
import * as kbPage from '~/routes/kb.$slug';
import * as kbList from '~/routes/kb._index';
import * as threadPage from '~/routes/questions.$id.($slug)/route';
import * as threadList from '~/routes/questions._index';
import * as searchPage from '~/routes/search._index';
import * as askPage from '~/routes/questions.ask';
import * as ticketForm from '~/routes/requests.new';
import * as suggestions from '~/routes/search.suggest';
import * as tagPage from '~/routes/tags.$tag';
import * as uploadFile from '~/routes/uploads.$id.$name';
import * as profile from '~/routes/users.$username';
import { getDb } from '~/utils/db.server';
import { makeAnswer } from '../support/community';
import { makeAudiences } from '../support/audiences';
import { apiRequest, callRoute, sessionCookieFor, type RouteHandler } from '../support/requests';
import { pngOf } from '../support/uploads';
import { askQuestion } from '~/models/threads.server';

/**
 * The visibility matrix: every kind of content × every visibility × every viewer × every surface
 * that shows content. Each cell asks the surface as that viewer would and checks the content's
 * marker word appears exactly when the expected table (written out here, not computed by the
 * rule under test) says so. A route file that is neither a surface here nor listed as showing no
 * customer content fails the inventory test below, so a new surface cannot skip the rule.
 */

type Setting = 'public' | 'signedin' | 'group' | 'org' | 'internal';
const settings: Setting[] = ['public', 'signedin', 'group', 'org', 'internal'];
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

/** Who sees content of each setting: the rule, written out. */
const expected: Record<Setting, ViewerName[]> = {
  public: viewerNames,
  signedin: viewerNames.filter((name) => name !== 'anonymous'),
  group: ['groupMember', ...staff],
  org: ['orgMember', ...staff],
  internal: staff,
};

type Kind =
  'category' | 'thread' | 'answer' | 'comment' | 'article' | 'categoryarticle' | 'attachment';
/** A word only this piece of content holds (letters only, so every search engine keeps it whole). */
const marker = (setting: Setting, kind: Kind) => `mx${setting}${kind}`;

type Fixture = {
  threads: Record<Setting, { id: number; slug: string }>;
  articles: Record<Setting, { slug: string }>;
  categories: Record<Setting, { slug: string }>;
  attachments: Record<Setting, { id: string; name: string }>;
  author: string;
  tag: string;
  people: Record<ViewerName, number | null>;
  tokens: Partial<Record<ViewerName, string>>;
  cookies: Record<ViewerName, Record<string, string>>;
};

let fixture: Fixture;

async function publishArticle(
  author: { id: number; role: 'admin' },
  title: string,
  body: string,
  categoryId: number | null,
) {
  const created = await createArticle(getDb(), author, {
    title,
    slug: '',
    body,
    categoryId,
    tags: [],
    journeyStage: null,
  });
  if (!created.ok) throw new Error(JSON.stringify(created));
  await transitionArticle(getDb(), author, created.id, 'in_review');
  const published = await transitionArticle(getDb(), author, created.id, 'published');
  if (!published.ok) throw new Error(JSON.stringify(published));
  const row = await getDb()
    .selectFrom('articles')
    .select(['id', 'slug'])
    .where('id', '=', created.id)
    .executeTakeFirstOrThrow();
  return row;
}

beforeAll(async () => {
  const db = getDb();
  const now = new Date().toISOString();
  const {
    org,
    group,
    people: made,
  } = await makeAudiences({
    organization: 'Matrix Org',
    group: 'Matrix group',
  });
  const admin = made.admin;
  const people: Record<ViewerName, number | null> = {
    anonymous: null,
    member: made.member.id,
    groupMember: made.groupMember.id,
    orgMember: made.orgMember.id,
    agent: made.agent.id,
    moderator: made.moderator.id,
    admin: admin.id,
  };
  const threads = {} as Fixture['threads'];
  const articles = {} as Fixture['articles'];
  const categories = {} as Fixture['categories'];
  const attachments = {} as Fixture['attachments'];
  const tag = 'matrix-tag';
  const author = { id: admin.id, role: 'admin' as const };
  for (const setting of settings) {
    const category = await db
      .insertInto('categories')
      .values({
        name: `Matrix ${marker(setting, 'category')}`,
        slug: `matrix-${setting}`,
        created_at: now,
      })
      .returning(['id', 'slug'])
      .executeTakeFirstOrThrow();
    categories[setting] = category;
    const shot = await storeUpload(db, author, {
      name: `${marker(setting, 'attachment')}.png`,
      bytes: await pngOf(200 + settings.indexOf(setting), 120),
    });
    if (!shot.ok) throw new Error(shot.error);
    attachments[setting] = { id: shot.upload.id, name: shot.upload.url.split('/').pop() ?? '' };
    const asked = await askQuestion(db, author, {
      title: `Matrix question ${marker(setting, 'thread')}`,
      body: `Reconnecting the bank feed shows ${marker(setting, 'thread')} twice.\n\n${shot.upload.markdown}`,
      categoryId: category.id,
      tags: [tag],
      journeyStage: null,
    });
    if (!asked.ok) throw new Error(JSON.stringify(asked));
    const thread = await db
      .selectFrom('threads')
      .select(['id', 'slug'])
      .where('id', '=', asked.id)
      .executeTakeFirstOrThrow();
    threads[setting] = thread;
    const answerId = await makeAnswer(
      author,
      thread.id,
      `Disconnect the feed first: ${marker(setting, 'answer')}.`,
    );
    const commented = await addComment(
      db,
      author,
      thread.id,
      answerId,
      `That worked for me too, ${marker(setting, 'comment')}.`,
    );
    if (!commented.ok) throw new Error(commented.error);
    // An article with this visibility of its own, in no category …
    const own = await publishArticle(
      author,
      `Matrix article ${marker(setting, 'article')}`,
      `Steps for ${marker(setting, 'article')}.`,
      null,
    );
    articles[setting] = own;
    // … and a public article inside the category, which takes the category's rule.
    await publishArticle(
      author,
      `Matrix category article ${marker(setting, 'categoryarticle')}`,
      `Steps for ${marker(setting, 'categoryarticle')}.`,
      category.id,
    );
    const visibility =
      setting === 'signedin'
        ? 'signed_in'
        : setting === 'group' || setting === 'org'
          ? 'audience'
          : setting;
    const audience = {
      groupIds: setting === 'group' ? [group.id] : [],
      organizationIds: setting === 'org' ? [org.id] : [],
    };
    await setVisibility(db, { type: 'category', id: category.id }, visibility, audience);
    await setVisibility(db, { type: 'article', id: own.id }, visibility, audience);
  }

  const tokens: Fixture['tokens'] = {};
  const cookies = {} as Fixture['cookies'];
  for (const name of viewerNames) {
    const id = people[name];
    cookies[name] = id === null ? {} : { Cookie: await sessionCookieFor(id) };
    if (id === null) continue;
    const role = name === 'agent' || name === 'moderator' || name === 'admin' ? name : 'member';
    const created = await createPersonalApiToken(
      db,
      { id, role },
      { name: 'matrix', scopes: ['read'] },
    );
    if (!created.ok) throw new Error(JSON.stringify(created));
    tokens[name] = created.token;
  }
  const authorRow = await db
    .selectFrom('users')
    .select('username')
    .where('id', '=', admin.id)
    .executeTakeFirstOrThrow();
  fixture = {
    threads,
    articles,
    categories,
    attachments,
    author: authorRow.username,
    tag,
    people,
    tokens,
    cookies,
  };
});

/**
 * What a surface shows: the body of its answer (a Response) or the data its loader returned,
 * without the search words it echoes back (a search page repeats its query, found or not).
 */
async function shown(handler: RouteHandler, request: Request, params: Record<string, string> = {}) {
  const result = await callRoute(handler, request, params);
  const query = new URL(request.url).searchParams.get('q');
  const withoutQuery = (text: string) => (query ? text.replaceAll(`"query":"${query}"`, '') : text);
  if (result instanceof Response) {
    if (result.status >= 300) return { status: result.status, text: '' };
    return { status: result.status, text: withoutQuery(await result.text()) };
  }
  return { status: 200, text: withoutQuery(JSON.stringify(result)) };
}

function page(pathname: string, viewer: ViewerName) {
  return new Request(`http://localhost${pathname}`, { headers: fixture.cookies[viewer] });
}

/** What search finds (comments are not searched). */
const searchedKinds: Kind[] = ['thread', 'answer', 'article', 'categoryarticle'];
const communityKinds: Kind[] = ['thread', 'answer', 'comment'];

/** The surfaces, each as: which kinds of content it shows, and how to ask it as a viewer. */
type Surface = {
  name: string;
  kinds: Kind[];
  /** Pages for signed-in people only (and the API, which answers tokens only). */
  signedInOnly?: boolean;
  ask: (
    viewer: ViewerName,
    setting: Setting,
    kind: Kind,
  ) => Promise<{ status: number; text: string }>;
};

const surfaces: Surface[] = [
  {
    name: 'question page',
    kinds: communityKinds,
    ask: (viewer, setting) => {
      const thread = fixture.threads[setting];
      return shown(threadPage.loader, page(`/questions/${thread.id}/${thread.slug}`, viewer), {
        id: String(thread.id),
        slug: thread.slug,
      });
    },
  },
  {
    name: 'question list',
    kinds: ['thread', 'category'],
    ask: (viewer) => shown(threadList.loader, page('/questions', viewer)),
  },
  {
    name: 'home page',
    // Recently answered questions; its popular articles (six at most, fewer than the matrix
    // holds) are checked against the rule in home.test.ts.
    kinds: ['category', 'thread'],
    ask: (viewer) => shown(home.loader, page('/', viewer)),
  },
  {
    name: 'category page',
    kinds: ['thread'],
    ask: (viewer, setting) =>
      shown(categoryPage.loader, page(`/categories/matrix-${setting}`, viewer), {
        slug: fixture.categories[setting].slug,
      }),
  },
  {
    name: 'tag page',
    kinds: ['thread'],
    ask: (viewer) =>
      shown(tagPage.loader, page(`/tags/${fixture.tag}`, viewer), { tag: fixture.tag }),
  },
  {
    name: "author's profile",
    kinds: ['thread'],
    ask: (viewer) =>
      shown(profile.loader, page(`/users/${fixture.author}`, viewer), {
        username: fixture.author,
      }),
  },
  {
    name: 'article page',
    kinds: ['article'],
    ask: (viewer, setting) => {
      const slug = fixture.articles[setting].slug;
      return shown(kbPage.loader, page(`/kb/${slug}`, viewer), { slug });
    },
  },
  {
    name: 'knowledge base',
    kinds: ['article', 'categoryarticle'],
    ask: (viewer) => shown(kbList.loader, page('/kb', viewer)),
  },
  {
    name: 'search page',
    kinds: [...searchedKinds, 'category'],
    ask: (viewer, setting, kind) =>
      shown(searchPage.loader, page(`/search?q=${marker(setting, kind)}`, viewer)),
  },
  {
    name: 'suggestions as you type',
    kinds: ['thread', 'article', 'categoryarticle'],
    ask: (viewer, setting, kind) =>
      shown(suggestions.loader, page(`/search/suggest?q=${marker(setting, kind)}`, viewer)),
  },
  {
    name: 'ask a question',
    kinds: ['category'],
    signedInOnly: true,
    ask: (viewer) => shown(askPage.loader, page('/questions/ask', viewer)),
  },
  {
    name: 'file a ticket',
    kinds: ['category'],
    signedInOnly: true,
    ask: (viewer) => shown(ticketForm.loader, page('/requests/new', viewer)),
  },
  {
    name: 'API thread',
    kinds: ['thread', 'answer'],
    signedInOnly: true,
    ask: (viewer, setting) => {
      const id = String(fixture.threads[setting].id);
      return shown(
        threadApi.loader,
        apiRequest(`/threads/${id}`, { token: fixture.tokens[viewer] }),
        {
          id,
        },
      );
    },
  },
  {
    name: 'API article',
    kinds: ['article'],
    signedInOnly: true,
    ask: (viewer, setting) => {
      const slug = fixture.articles[setting].slug;
      return shown(
        articleApi.loader,
        apiRequest(`/articles/${slug}`, { token: fixture.tokens[viewer] }),
        {
          slug,
        },
      );
    },
  },
  {
    name: 'API search',
    kinds: searchedKinds,
    signedInOnly: true,
    ask: (viewer, setting, kind) =>
      shown(
        searchApi.loader,
        apiRequest(`/search?q=${marker(setting, kind)}`, { token: fixture.tokens[viewer] }),
      ),
  },
  {
    name: 'attachment',
    kinds: ['attachment'],
    ask: async (viewer, setting) => {
      const file = fixture.attachments[setting];
      const answer = await shown(
        uploadFile.loader,
        page(`/uploads/${file.id}/${file.name}`, viewer),
        { id: file.id, name: file.name },
      );
      // A file shows no marker word: being served at all is being shown.
      return { ...answer, text: answer.status === 200 ? marker(setting, 'attachment') : '' };
    },
  },
];

describe('visibility matrix', () => {
  const cells = surfaces.flatMap((surface) =>
    viewerNames.map((viewer) => [surface.name, viewer] as const),
  );
  test.each(cells)('%s as %s shows exactly what the rule allows', async (surfaceName, viewer) => {
    const surface = surfaces.find((candidate) => candidate.name === surfaceName);
    if (!surface) throw new Error(surfaceName);
    if (surface.signedInOnly && viewer === 'anonymous') return;
    const wrong: string[] = [];
    for (const setting of settings) {
      for (const kind of surface.kinds) {
        const answer = await surface.ask(viewer, setting, kind);
        const allowed = expected[setting].includes(viewer);
        const present = answer.text.includes(marker(setting, kind));
        if (present !== allowed)
          wrong.push(
            `${kind} (${setting}): ${present ? 'shown' : 'missing'}, status ${answer.status}`,
          );
        if (!allowed && answer.status !== 200 && answer.status !== 404)
          wrong.push(`${kind} (${setting}): hidden content answered ${answer.status}, not 404`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

/**
 * Every route file is either a surface above or named here as showing no customer content a
 * visibility could hide (staff-only pages, account pages, forms, redirects). A new route must be
 * placed in one or the other.
 */
const surfaceRoutes = new Set([
  '_index.tsx',
  'questions._index.tsx',
  'questions.$id.($slug)',
  'categories.$slug.tsx',
  'tags.$tag.tsx',
  'users.$username.tsx',
  'kb.$slug.tsx',
  'kb._index.tsx',
  'search._index.tsx',
  'search.suggest.ts',
  'api.v1.threads.$id.ts',
  'api.v1.articles.$slug.ts',
  'api.v1.search.ts',
  'uploads.$id.$name.ts',
  'questions.ask.tsx',
  'requests.new.tsx',
]);

/** Routes checked for the rule elsewhere, with the test that does it. */
const checkedElsewhere: Record<string, string> = {
  'questions.$id.edit.tsx': 'community-visibility.test.ts',
  'questions.$id.revisions.tsx': 'community-visibility.test.ts',
  'answers.$id.edit.tsx': 'community-visibility.test.ts',
  'notifications._index.tsx': 'community-visibility.test.ts',
  'notifications.$id.tsx': 'community-visibility.test.ts',
  'search.go.ts': 'search-visibility.test.ts',
  'requests.$id.tsx': 'kb-visibility.test.ts',
  'groups._index.tsx': 'groups.test.ts',
  'groups.$id.tsx': 'groups.test.ts',
  // Public known issues only, for customers and their tokens.
  'known-issues._index.tsx': 'known-issues.test.ts',
  'known-issues.$id.tsx': 'known-issues.test.ts',
  'api.v1.problems._index.ts': 'known-issues.test.ts',
  'api.v1.problems.$id._index.ts': 'known-issues.test.ts',
  'api.v1.problems.$id.updates.ts': 'known-issues.test.ts',
  // Public content only, whoever asks (compared with the database there).
  'sitemap[.]xml.ts': 'sitemap-and-feeds.test.ts',
  'sitemaps.$file.ts': 'sitemap-and-feeds.test.ts',
  'feeds.questions.ts': 'sitemap-and-feeds.test.ts',
  'feeds.articles.ts': 'sitemap-and-feeds.test.ts',
  'feeds.categories.$slug.ts': 'sitemap-and-feeds.test.ts',
  'feeds.tags.$tag.ts': 'sitemap-and-feeds.test.ts',
};

/** Staff see everything, so staff-only routes need no rule; the rest show no shared content. */
function needsNoRule(file: string): boolean {
  return /^(admin|agent|mod)[._]/.test(file) || noContent.has(file);
}

const noContent = new Set([
  '$.tsx',
  'robots[.]txt.ts',
  'api.v1.$.ts',
  'api.v1.openapi[.]json.ts',
  'api.v1.inbound-email.ts',
  // Analytics need the analytics scope, which only staff tokens carry.
  'api.v1.analytics.articles.ts',
  'api.v1.analytics.gaps.ts',
  'api.v1.analytics.search.ts',
  'api.v1.analytics.self-service.ts',
  'api.v1.analytics.stages.ts',
  'api.v1.analytics.summary.ts',
  'api.v1.analytics.threads.ts',
  'api.v1.analytics.tickets.ts',
  // Team reports need the same scope: figures and staff names, no customer content.
  'api.v1.reports.agents.ts',
  'api.v1.reports.organizations.ts',
  'api.v1.reports.satisfaction.ts',
  'api.v1.reports.summary.ts',
  'api.v1.reports.volume.ts',
  // A link signed for one ticket shows its subject to the requester it was mailed to.
  'requests.$id_.rate.tsx',
  // A customer's own tickets only (personal-api-tokens.test.ts).
  'api.v1.tickets.$id._index.ts',
  'api.v1.tickets.$id.links.ts',
  'api.v1.tickets.$id.resolve.ts',
  'api.v1.tickets._index.ts',
  'auth.$provider.tsx',
  'auth.$provider_.callback.tsx',
  'claim.$token.tsx',
  'claim._index.tsx',
  'flags.ts',
  'forgot-password.tsx',
  'healthz.ts',
  'login.tsx',
  'login_.two-factor.tsx',
  'logout.tsx',
  'markdown-preview.ts',
  'requests._index.tsx',
  'reset-password.$token.tsx',
  'settings.account.tsx',
  'settings.notifications.tsx',
  'settings.security.tsx',
  'settings.two-factor.tsx',
  'signup.tsx',
  'unsubscribe.tsx',
  'uploads._index.ts',
  'verify-email.$token.tsx',
  'warnings.ts',
]);

test('every route is a surface of the matrix, checked elsewhere, or shows no hidden content', () => {
  const routes = fs.readdirSync(path.resolve('app/routes'));
  const unplaced = routes.filter(
    (file) => !surfaceRoutes.has(file) && !(file in checkedElsewhere) && !needsNoRule(file),
  );
  expect(unplaced).toEqual([]);
  for (const file of [...surfaceRoutes, ...Object.keys(checkedElsewhere)])
    expect(routes, `${file} is listed but no longer exists`).toContain(file);
  for (const test of new Set(Object.values(checkedElsewhere)))
    expect(fs.existsSync(path.resolve('test/integration', test)), test).toBe(true);
});
