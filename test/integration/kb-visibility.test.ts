import { describe, expect, test } from 'vitest';
import type { Visibility } from '#db/schema';
import { audienceFigures } from '~/models/analytics/audience-figures.server';
import type { DateRange } from '~/models/analytics/date-range';
import { refreshAnalytics } from '~/models/analytics/rollup.server';
import { markArticleSelfResolved } from '~/models/article-feedback.server';
import { createApiToken, createPersonalApiToken } from '~/models/api-tokens.server';
import { createArticle, transitionArticle } from '~/models/articles.server';
import { knowledgeBaseHome } from '~/models/knowledge-base.server';
import { resolveTicket } from '~/models/resolutions.server';
import { recordSearchClick } from '~/models/search-events.server';
import { addTicketMessage, createTicket } from '~/models/tickets.server';
import { setVisibility, viewerOfUser, type Viewer } from '~/models/visibility.server';
import { createWebhook } from '~/models/webhooks.server';
import { getDb } from '~/utils/db.server';
import { loader as agentTicketLoader } from '~/routes/agent.tickets.$id/route';
import { loader as gapExportLoader } from '~/routes/agent.gaps.export.$table';
import { loader as apiArticleLoader } from '~/routes/api.v1.articles.$slug';
import { loader as apiThreadLoader } from '~/routes/api.v1.threads.$id';
import { loader as apiTicketLoader } from '~/routes/api.v1.tickets.$id._index';
import { action as kbArticleAction, loader as kbArticleLoader } from '~/routes/kb.$slug';
import { loader as kbHomeLoader } from '~/routes/kb._index';
import { loader as requestLoader } from '~/routes/requests.$id';
import { makeAnswer, makeQuestion, makeVerifiedUser } from '../support/community';
import { makeAudiences } from '../support/audiences';
import { apiRequest, callApi, getAs, loaderData, postAs, statusOf } from '../support/requests';

/**
 * Issue 23 on the knowledge base, the support desk, the API, webhooks and the gap dashboard: an
 * article someone may not see (its own visibility or its category's) is not found and absent
 * from every list; a reply linking it reaches them as text; the team sees who may read what.
 */

const db = getDb();
const now = new Date().toISOString();
const { org, group, people } = await makeAudiences({
  organization: 'Acme Ltd',
  group: 'Beta testers',
});
type SignedIn = keyof typeof people;
type Person = SignedIn | 'anonymous';
const signedIn: SignedIn[] = ['member', 'groupMember', 'orgMember', 'agent', 'moderator', 'admin'];
const everyone: Person[] = ['anonymous', ...signedIn];
const staff: Person[] = ['agent', 'moderator', 'admin'];
const idOf = (person: Person) => (person === 'anonymous' ? null : people[person].id);

const audiences = {
  group: { groupIds: [group.id], organizationIds: [] },
  org: { groupIds: [], organizationIds: [org.id] },
};

/** Who may read each setting, besides staff. */
const settings: {
  name: string;
  visibility: Visibility;
  audience?: 'group' | 'org';
  readers: Person[];
  marker: string[];
}[] = [
  { name: 'public', visibility: 'public', readers: everyone, marker: [] },
  {
    name: 'signed-in',
    visibility: 'signed_in',
    readers: everyone.filter((person) => person !== 'anonymous'),
    marker: ['Signed-in people'],
  },
  {
    name: 'group',
    visibility: 'audience',
    audience: 'group',
    readers: ['groupMember', ...staff],
    marker: ['Beta testers'],
  },
  {
    name: 'org',
    visibility: 'audience',
    audience: 'org',
    readers: ['orgMember', ...staff],
    marker: ['Acme Ltd'],
  },
  { name: 'internal', visibility: 'internal', readers: staff, marker: ['Internal'] },
];

async function publishedArticle(
  slug: string,
  visibility: Visibility,
  options: { audience?: 'group' | 'org'; categoryId?: number | null } = {},
) {
  const created = await createArticle(db, people.agent, {
    title: `How to ${slug.replaceAll('-', ' ')}`,
    slug,
    body: 'Open the settings page and follow the steps shown there, one after another.',
    categoryId: options.categoryId ?? null,
    tags: ['visibility'],
    journeyStage: null,
    reason: '',
  });
  if (!created.ok) throw new Error(JSON.stringify(created));
  await setVisibility(
    db,
    { type: 'article', id: created.id },
    visibility,
    options.audience ? audiences[options.audience] : undefined,
  );
  await transitionArticle(db, people.agent, created.id, 'published');
  return created.id;
}

const articleIds: Record<string, number> = {};
for (const setting of settings)
  articleIds[setting.name] = await publishedArticle(`kb-${setting.name}`, setting.visibility, {
    audience: setting.audience,
  });

const tokens = new Map<SignedIn, string>();
for (const name of signedIn) {
  const created = await createPersonalApiToken(db, people[name], {
    name: 'mine',
    scopes: ['read'],
  });
  if (!created.ok) throw new Error(JSON.stringify(created));
  tokens.set(name, created.token);
}
const siteToken = (await createApiToken(db, people.admin.id, { name: 'site', scopes: ['read'] }))
  .token;

describe('knowledge-base articles by visibility', () => {
  test.each(settings)(
    'a $name article: its page answers 200 to those who may read it and 404 to everyone else',
    async (setting) => {
      for (const person of everyone) {
        const result = await getAs(kbArticleLoader, `/kb/kb-${setting.name}`, idOf(person), {
          slug: `kb-${setting.name}`,
        });
        expect([person, statusOf(result)]).toEqual([
          person,
          setting.readers.includes(person) ? 200 : 404,
        ]);
      }
    },
  );

  test.each(settings)(
    'a $name article is listed on /kb only for those who may read it',
    async (setting) => {
      for (const person of everyone) {
        const home = await loaderData(kbHomeLoader, '/kb', idOf(person));
        const listed = [
          ...home.categories.flatMap((category) => category.articles),
          ...home.uncategorized,
          ...home.mostViewed,
          ...home.recentlyUpdated,
        ].map((article) => article.id);
        expect([person, listed.includes(articleIds[setting.name]!)]).toEqual([
          person,
          setting.readers.includes(person),
        ]);
      }
    },
  );

  test.each(settings)(
    'a $name article through the API: a personal token sees what its owner sees, a site token sees it',
    async (setting) => {
      const slug = `kb-${setting.name}`;
      for (const [name, token] of tokens) {
        const { status } = await callApi(
          apiArticleLoader,
          apiRequest(`/articles/${slug}`, { token }),
          {
            slug,
          },
        );
        expect([name, status]).toEqual([name, setting.readers.includes(name) ? 200 : 404]);
      }
      const site = await callApi(
        apiArticleLoader,
        apiRequest(`/articles/${slug}`, { token: siteToken }),
        {
          slug,
        },
      );
      expect(site.status).toBe(200);
      expect(site.body.slug).toBe(slug);
    },
  );

  test('staff see who may read an article, on its page and beside it in KB lists; readers see no markers', async () => {
    for (const setting of settings) {
      const page = await loaderData(kbArticleLoader, `/kb/kb-${setting.name}`, people.admin.id, {
        slug: `kb-${setting.name}`,
      });
      expect(page.data.markers[articleIds[setting.name]!] ?? []).toEqual(setting.marker);
    }
    const home = await loaderData(kbHomeLoader, '/kb', people.agent.id);
    expect(home.markers[articleIds.internal!]).toEqual(['Internal']);
    expect(home.markers[articleIds.public!]).toEqual([]);
    const memberHome = await loaderData(kbHomeLoader, '/kb', people.groupMember.id);
    expect(memberHome.markers).toEqual({});
  });

  test('an article in a category someone may not see is hidden from them, whatever its own rule', async () => {
    const category = await db
      .insertInto('categories')
      .values({ name: 'Team runbooks', slug: 'team-runbooks', created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await setVisibility(db, { type: 'category', id: category.id }, 'internal');
    const id = await publishedArticle('kb-in-internal-category', 'public', {
      categoryId: category.id,
    });
    for (const person of everyone) {
      const page = await getAs(kbArticleLoader, '/kb/kb-in-internal-category', idOf(person), {
        slug: 'kb-in-internal-category',
      });
      expect([person, statusOf(page)]).toEqual([person, staff.includes(person) ? 200 : 404]);
    }
    expect(
      (await knowledgeBaseHome(db, await viewerOfUser(db, people.member.id))).categories.map(
        (row) => row.id,
      ),
    ).not.toContain(category.id);
    const agentPage = await loaderData(
      kbArticleLoader,
      '/kb/kb-in-internal-category',
      people.agent.id,
      {
        slug: 'kb-in-internal-category',
      },
    );
    expect(agentPage.data.markers[id]).toEqual(['Internal']);

    // A thread takes its category's rule, in the API too.
    const threadId = await makeQuestion(people.agent, 'Where is the internal runbook kept?');
    await db
      .updateTable('threads')
      .set({ category_id: category.id })
      .where('id', '=', threadId)
      .execute();
    const asMember = await callApi(
      apiThreadLoader,
      apiRequest(`/threads/${threadId}`, { token: tokens.get('member') }),
      { id: String(threadId) },
    );
    expect(asMember.status).toBe(404);
    const asSite = await callApi(
      apiThreadLoader,
      apiRequest(`/threads/${threadId}`, { token: siteToken }),
      { id: String(threadId) },
    );
    expect(asSite.status).toBe(200);
  });

  test('feedback and "this solved my problem" on an article the reader may not see are 404', async () => {
    const forms: Record<string, string>[] = [{ helpful: 'yes' }, { intent: 'self-resolve' }];
    for (const fields of forms) {
      const hidden = await postAs(kbArticleAction, '/kb/kb-internal', people.member.id, fields, {
        slug: 'kb-internal',
      });
      expect(statusOf(hidden)).toBe(404);
      const shown = await postAs(kbArticleAction, '/kb/kb-public', people.member.id, fields, {
        slug: 'kb-public',
      });
      expect(statusOf(shown)).toBe(200);
    }
    const member: Viewer = await viewerOfUser(db, people.member.id);
    expect(
      await markArticleSelfResolved(db, articleIds.internal!, member, {
        key: `user:${people.member.id}`,
        userId: people.member.id,
      }),
    ).toEqual({ ok: false, status: 404 });
  });
});

describe('ticket replies that link content the requester may not see', () => {
  test('the link text reaches the requester without a link (page, mail, API); the agent keeps the link and sees why', async () => {
    const requester = await makeVerifiedUser('member');
    const ticket = await createTicket(
      db,
      requester.id,
      {
        subject: 'Exports fail every night',
        body: 'The nightly export stops halfway.',
        categoryId: null,
      },
      {
        source: 'article',
        link: { type: 'article', id: articleIds.internal!, relation: 'filed_from' },
      },
    );
    if (!ticket.ok) throw new Error('ticket not created');
    const reply = await addTicketMessage(db, people.agent, ticket.id, {
      kind: 'reply',
      body: 'Follow [the export runbook](/kb/kb-internal) and then [the export guide](/kb/kb-public).',
    });
    expect(reply.ok).toBe(true);

    // The requester's page: the internal article's title is text, the public one a link.
    const page = await loaderData(requestLoader, `/requests/${ticket.id}`, requester.id, {
      id: String(ticket.id),
    });
    const html = page.messages.map((message) => message.body_html).join('');
    expect(html).toContain('the export runbook');
    expect(html).not.toContain('href="/kb/kb-internal"');
    expect(html).toContain('<a href="/kb/kb-public">the export guide</a>');
    // The internal article it was filed from is not named to them either.
    expect(page.links).toEqual([]);

    // The agent's page keeps the link and says the customer cannot open it.
    const desk = await loaderData(
      agentTicketLoader,
      `/agent/tickets/${ticket.id}`,
      people.agent.id,
      {
        id: String(ticket.id),
      },
    );
    expect(desk.messages.map((message) => message.body_html).join('')).toContain(
      'href="/kb/kb-internal"',
    );
    expect(desk.links.map((link) => link.target_id)).toEqual([articleIds.internal]);
    expect(desk.reach[`article-${articleIds.internal}`]).toEqual({
      hiddenFromRequester: true,
      markers: ['Internal'],
    });

    // The mail the requester gets for the reply.
    const mail = await db
      .selectFrom('mail_outbox')
      .select(['text_body', 'html_body'])
      .where('to_address', '=', requester.email)
      .where('kind', '=', 'ticket_reply')
      .executeTakeFirstOrThrow();
    expect(mail.text_body).toContain('the export runbook');
    expect(mail.text_body).not.toContain('/kb/kb-internal');
    expect(mail.html_body).toContain('the export runbook');
    expect(mail.html_body).not.toContain('/kb/kb-internal');
    expect(mail.html_body).toMatch(/<a href="[^"]*\/kb\/kb-public"/);

    // The requester's own API token reads the ticket as their page shows it.
    const own = await createPersonalApiToken(db, requester, { name: 'mine', scopes: ['read'] });
    if (!own.ok) throw new Error('no token');
    const api = await callApi(
      apiTicketLoader,
      apiRequest(`/tickets/${ticket.id}`, { token: own.token }),
      {
        id: String(ticket.id),
      },
    );
    expect(api.status).toBe(200);
    expect(api.body.links).toEqual([]);
    expect(JSON.stringify(api.body.messages)).not.toContain('/kb/kb-internal');
    expect(JSON.stringify(api.body.messages)).toContain('the export runbook');
    // A site token reads the whole ticket.
    const site = await callApi(
      apiTicketLoader,
      apiRequest(`/tickets/${ticket.id}`, { token: siteToken }),
      {
        id: String(ticket.id),
      },
    );
    expect(site.body.links.map((link: { id: number }) => link.id)).toEqual([articleIds.internal]);
  });

  test('a group member who may read a group article gets its link', async () => {
    const ticket = await createTicket(
      db,
      people.groupMember.id,
      {
        subject: 'Beta feature question',
        body: 'Where do I switch the beta on?',
        categoryId: null,
      },
      { source: 'web' },
    );
    if (!ticket.ok) throw new Error('ticket not created');
    await addTicketMessage(db, people.agent, ticket.id, {
      kind: 'reply',
      body: 'See [the beta guide](/kb/kb-group).',
    });
    const page = await loaderData(requestLoader, `/requests/${ticket.id}`, people.groupMember.id, {
      id: String(ticket.id),
    });
    expect(page.messages.at(-1)?.body_html).toContain('<a href="/kb/kb-group">the beta guide</a>');
  });
});

describe('webhooks say who may see the content', () => {
  test('article.published and thread.answered payloads carry the visibility', async () => {
    const hook = await createWebhook(db, people.admin.id, {
      url: 'http://127.0.0.1:9/hook',
      description: '',
      events: ['article.published', 'thread.answered'],
    });
    if (!hook.ok) throw new Error('no webhook');
    const id = await publishedArticle('kb-webhook-internal', 'internal');
    const category = await db
      .insertInto('categories')
      .values({ name: 'Members lounge', slug: 'members-lounge', created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await setVisibility(db, { type: 'category', id: category.id }, 'signed_in');
    const threadId = await makeQuestion(people.member, 'Which plan suits a small club?');
    await db
      .updateTable('threads')
      .set({ category_id: category.id })
      .where('id', '=', threadId)
      .execute();
    await makeAnswer(people.agent, threadId);
    const payloads = (
      await db
        .selectFrom('webhook_deliveries')
        .select('payload')
        .where('webhook_id', '=', hook.id)
        .execute()
    ).map((row) => JSON.parse(row.payload));
    const published = payloads.find((payload) => payload.data.article?.id === id);
    expect(published.data.article).toMatchObject({
      visibility: 'internal',
      category_visibility: null,
    });
    const answered = payloads.find((payload) => payload.type === 'thread.answered');
    expect(answered.data.thread).toEqual({ id: threadId, visibility: 'signed_in' });
  });
});

describe('the gap dashboard splits self-service by audience', () => {
  test('tickets resolved, self-resolutions and suggestions opened, by who may read the content', async () => {
    const at = (day: number) => new Date(`2025-06-${String(day).padStart(2, '0')}T10:00:00Z`);
    const range: DateRange = { key: 'custom', from: '2025-06-01', to: '2025-06-30', days: 30 };
    const lounge = await db
      .insertInto('categories')
      .values({ name: 'Signed-in lounge', slug: 'signed-in-lounge', created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await setVisibility(db, { type: 'category', id: lounge.id }, 'signed_in');
    const threadId = await makeQuestion(people.member, 'How do I merge two club accounts?');
    await db
      .updateTable('threads')
      .set({ category_id: lounge.id })
      .where('id', '=', threadId)
      .execute();

    const resolvedBy = [
      { articleId: articleIds.public },
      { articleId: articleIds.internal },
      { articleId: articleIds.internal },
      { threadId },
    ];
    for (const [index, by] of resolvedBy.entries()) {
      const ticket = await createTicket(
        db,
        people.member.id,
        {
          subject: `Gap fixture ${index}`,
          body: 'Something does not work as expected.',
          categoryId: null,
        },
        { source: 'web', now: at(index + 2) },
      );
      if (!ticket.ok) throw new Error('ticket not created');
      const resolved = await resolveTicket(
        db,
        people.agent,
        ticket.id,
        by.articleId
          ? { kind: 'article', articleId: by.articleId }
          : { kind: 'thread', threadId: by.threadId },
        at(index + 3),
      );
      expect(resolved).toEqual({ ok: true });
    }
    for (const key of ['visitor:gap-1', 'visitor:gap-2'])
      await markArticleSelfResolved(db, articleIds.public!, null, { key, userId: null }, at(12));
    await markArticleSelfResolved(
      db,
      articleIds.group!,
      await viewerOfUser(db, people.groupMember.id),
      { key: `user:${people.groupMember.id}`, userId: people.groupMember.id },
      at(13),
    );
    const click = {
      key: `article-${articleIds.public}`,
      position: 1,
      query: 'export',
      source: 'ticket',
    } as const;
    await recordSearchClick(
      db,
      { userId: null, visitorKey: 'visitor:gap-3', staff: false, bot: false },
      click,
      at(14),
    );
    // Staff clicks are left out, as everywhere on the dashboard.
    await recordSearchClick(
      db,
      { userId: people.agent.id, visitorKey: `user:${people.agent.id}`, staff: true, bot: false },
      click,
      at(14),
    );
    await refreshAnalytics(db);

    expect(await audienceFigures(db, range)).toEqual([
      {
        audience: 'Everyone (public)',
        visibility: 'public',
        tickets_resolved: 1,
        self_resolutions: 2,
        suggestions_opened: 1,
      },
      {
        audience: 'Signed-in people',
        visibility: 'signed_in',
        tickets_resolved: 1,
        self_resolutions: 0,
        suggestions_opened: 0,
      },
      {
        audience: 'Group: Beta testers',
        visibility: 'audience',
        tickets_resolved: 0,
        self_resolutions: 1,
        suggestions_opened: 0,
      },
      {
        audience: 'Internal (team only)',
        visibility: 'internal',
        tickets_resolved: 2,
        self_resolutions: 0,
        suggestions_opened: 0,
      },
    ]);

    const csv = await getAs(
      gapExportLoader,
      '/agent/gaps/export/self-service-by-audience?range=custom&from=2025-06-01&to=2025-06-30',
      people.agent.id,
      { table: 'self-service-by-audience' },
    );
    if (!(csv instanceof Response)) throw new Error('no CSV');
    const text = await csv.text();
    expect(text.split('\r\n')[0]).toBe(
      'audience,visibility,tickets_resolved,self_resolutions,suggestions_opened',
    );
    expect(text).toContain('Internal (team only),internal,2,0,0\r\n');
    expect(text).toContain('Everyone (public),public,1,2,1\r\n');
  });
});
