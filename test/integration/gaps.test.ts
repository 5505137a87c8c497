import { beforeAll, describe, expect, test } from 'vitest';
import {
  analyticsQuery,
  articlesResponse,
  gapsResponse,
  searchResponse,
  selfServiceResponse,
  stagesResponse,
  summaryResponse,
  threadsResponse,
  ticketsResponse,
} from '~/api/analytics';
import { createApiToken } from '~/models/api-tokens.server';
import { markArticleSelfResolved, setArticleFeedback } from '~/models/article-feedback.server';
import { articleFigures, unansweredThreads } from '~/models/analytics/content-figures.server';
import { parseRange, type DateRange } from '~/models/analytics/date-range';
import { searchFigures, selfServiceFigures } from '~/models/analytics/figures.server';
import { stageFigures, ticketFigures } from '~/models/analytics/ticket-figures.server';
import { refreshAnalytics } from '~/models/analytics/rollup.server';
import { clusterTopics, termsOf } from '~/models/topics';
import { createArticle, transitionArticle } from '~/models/articles.server';
import { recordArticleView } from '~/models/page-views.server';
import { gapReport, reportTable, toCsv } from '~/models/analytics/gap-report.server';
import {
  attachDraftToGap,
  dismissGap,
  dismissSchema,
  gapDraft,
  markGapDone,
  startArticleFromGap,
} from '~/models/analytics/gap-actions.server';
import { findGap, gapQueue } from '~/models/analytics/gap-queue.server';
import type { Gap } from '~/models/analytics/gap-scoring';
import { acceptAnswer } from '~/models/posts.server';
import { resolveTicket } from '~/models/resolutions.server';
import { recordSearch, recordSearchClick, type Searcher } from '~/models/search-events.server';
import { markSelfResolved } from '~/models/threads.server';
import { createTicket } from '~/models/tickets.server';
import { loader as exportLoader } from '~/routes/agent.gaps.export.$table';
import { loader as summaryLoader } from '~/routes/api.v1.analytics.summary';
import { loader as searchLoader } from '~/routes/api.v1.analytics.search';
import { loader as gapsLoader } from '~/routes/api.v1.analytics.gaps';
import { loader as articlesLoader } from '~/routes/api.v1.analytics.articles';
import { loader as ticketsLoader } from '~/routes/api.v1.analytics.tickets';
import { loader as threadsLoader } from '~/routes/api.v1.analytics.threads';
import { loader as stagesLoader } from '~/routes/api.v1.analytics.stages';
import { loader as selfServiceLoader } from '~/routes/api.v1.analytics.self-service';
import { getDb } from '~/utils/db.server';
import { makeAnswer, makeQuestion, makeUser } from '../support/community';
import { apiRequest, callApi, getAs, type RouteHandler } from '../support/requests';

/**
 * A known month of help-center traffic, written through the same model functions the app uses,
 * with every figure worked out by hand below. Weeks start on Monday: W1 is 9–15 November, W2
 * 16–22 November, and "now" is Monday 23 November, noon (UTC).
 */

const now = new Date('2026-11-23T12:00:00.000Z');
const at = (day: number, time = '10:00') =>
  new Date(`2026-11-${String(day).padStart(2, '0')}T${time}:00.000Z`);
const range30 = parseRange(new URLSearchParams('range=30'), now).range;

type Person = Awaited<ReturnType<typeof makeUser>>;
let agent: Person;
let members: Person[];
let articleA: number;
let articleB: number;
let answeredThread: number;
let unansweredThread: number;
const tickets: Record<string, number> = {};

const visitor = (name: string, extra: Partial<Searcher> = {}): Searcher => ({
  userId: null,
  visitorKey: `visitor:${name}`,
  staff: false,
  bot: false,
  ...extra,
});
const member = (person: Person): Searcher => ({
  userId: person.id,
  visitorKey: `user:${person.id}`,
  staff: false,
  bot: false,
});
const reader = (searcher: Searcher) => ({ key: searcher.visitorKey, userId: searcher.userId });

async function search(
  searcher: Searcher,
  query: string,
  results: number,
  when: Date,
  filters = {},
) {
  await recordSearch(getDb(), searcher, { query, filters, results, engine: 'fts' }, when);
}

async function publishArticle(title: string, stage: 'onboarding' | 'adoption') {
  const created = await createArticle(
    getDb(),
    agent,
    {
      title,
      slug: '',
      body: 'A long enough article body for the knowledge base.',
      categoryId: null,
      tags: [],
      journeyStage: stage,
    },
    {},
    at(1),
  );
  if (!created.ok) throw new Error(JSON.stringify(created.fieldErrors));
  const published = await transitionArticle(getDb(), agent, created.id, 'published', at(1));
  if (!published.ok) throw new Error(published.error);
  return created.id;
}

async function fileTicket(
  requester: Person,
  subject: string,
  when: Date,
  categoryId: number | null,
) {
  const created = await createTicket(
    getDb(),
    requester.id,
    { subject, body: 'Please help us with this one, thank you.', categoryId },
    { source: 'web', now: when },
  );
  if (!created.ok) throw new Error(JSON.stringify(created.fieldErrors));
  return created.id;
}

async function resolve(ticketId: number, input: Parameters<typeof resolveTicket>[3], when: Date) {
  const resolved = await resolveTicket(getDb(), agent, ticketId, input, when);
  if (!resolved.ok) throw new Error(resolved.error);
}

beforeAll(async () => {
  const db = getDb();
  agent = await makeUser('agent');
  members = [];
  for (let index = 0; index < 5; index += 1) members.push(await makeUser('member'));
  const [m1, m2, m3, m4, asker] = members as [Person, Person, Person, Person, Person];
  const payroll = await db
    .insertInto('categories')
    .values({ name: 'Payroll', slug: 'payroll-gaps', created_at: at(1).toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();

  articleA = await publishArticle('Connect your bank feed', 'onboarding');
  articleB = await publishArticle('Refund a card payment', 'adoption');
  answeredThread = await makeQuestion(
    asker,
    'Duplicate transactions after reconnecting the bank feed',
  );
  const answer = await makeAnswer(m4, answeredThread);
  await acceptAnswer(db, asker, answeredThread, answer, at(2));
  unansweredThread = await makeQuestion(
    asker,
    'Does Ledgerly work offline on an iPad at the market?',
  );
  await db
    .updateTable('threads')
    .set({ journey_stage: 'adoption' })
    .where('id', '=', answeredThread)
    .execute();
  await db.updateTable('threads').set({ views: 60 }).where('id', '=', unansweredThread).execute();
  // The helpers post at the real time: move the community's start back before the month.
  await db
    .updateTable('threads')
    .set({ created_at: at(2).toISOString() })
    .where('id', 'in', [answeredThread, unansweredThread])
    .execute();
  await db
    .updateTable('events')
    .set({ created_at: at(2).toISOString() })
    .execute();

  // W1. v1 finds nothing for "Payroll export Sage", then searches "bank feed" and opens article A
  // from the results: the click counts for that search and names the failed search's stage.
  const v1 = visitor('v1');
  await search(v1, 'Payroll export Sage', 0, at(10, '10:00'));
  await search(v1, 'bank feed', 5, at(10, '10:05'));
  await recordSearchClick(
    db,
    v1,
    { key: `article-${articleA}`, position: 1, query: 'bank feed', source: 'search' },
    at(10, '10:06'),
  );
  await recordArticleView(db, articleA, reader(v1), at(10, '10:06'));
  await setArticleFeedback(
    db,
    articleA,
    null,
    reader(v1),
    { helpful: 'no', reason: 'did_not_solve', comment: null },
    at(10, '10:20'),
  );
  await search(visitor('v2'), 'payroll export sage', 0, at(11, '09:00'));
  await search(visitor('v3'), 'export payroll to sage', 0, at(12, '09:00'), {
    stage: 'first_success',
  });
  await search(member(m1), 'lock dates', 3, at(12, '08:00'));
  await recordArticleView(db, articleA, reader(member(m1)), at(12, '09:00'));
  await setArticleFeedback(
    db,
    articleA,
    null,
    reader(member(m1)),
    { helpful: 'yes', reason: null, comment: null },
    at(12, '09:05'),
  );
  // Staff and bots: never counted.
  const staff: Searcher = { ...member(agent), staff: true };
  await search(staff, 'payroll export sage', 0, at(12, '11:00'));
  await search(visitor('crawler', { bot: true }), 'payroll export sage', 0, at(12, '11:30'));
  await recordArticleView(db, articleA, reader(staff), at(12, '11:00'));
  await setArticleFeedback(
    db,
    articleA,
    null,
    reader(staff),
    { helpful: 'yes', reason: null, comment: null },
    at(12, '11:01'),
  );

  // m1 files a ticket six hours after reading article A; m2 one without reading anything.
  tickets.t1 = await fileTicket(
    m1,
    'Payroll export to Sage fails with an error',
    at(12, '15:00'),
    payroll.id,
  );
  tickets.t2 = await fileTicket(m2, 'Cannot export payroll into Sage', at(13), payroll.id);
  await resolve(tickets.t1, { kind: 'none' }, at(13, '12:00'));
  await resolve(tickets.t2, { kind: 'none' }, at(14));

  // W2. "invoice template" is searched six times and clicked once.
  for (let index = 4; index <= 9; index += 1)
    await search(visitor(`v${index}`), 'invoice template', 4, at(17, `08:0${index}`));
  await recordSearchClick(
    db,
    visitor('v4'),
    { key: `article-${articleB}`, position: 2, query: 'invoice template', source: 'search' },
    at(17, '08:10'),
  );
  await setArticleFeedback(
    db,
    articleA,
    null,
    reader(visitor('v5')),
    { helpful: 'no', reason: 'outdated', comment: null },
    at(17, '09:00'),
  );
  await markSelfResolved(db, answeredThread, reader(visitor('v6')), at(17, '09:30'));
  await markSelfResolved(db, answeredThread, reader(visitor('v7')), at(17, '09:40'));
  await recordArticleView(db, articleB, reader(visitor('v2')), at(18, '10:00'));
  await setArticleFeedback(
    db,
    articleB,
    null,
    reader(visitor('v2')),
    { helpful: 'yes', reason: null, comment: null },
    at(18, '10:02'),
  );
  await markArticleSelfResolved(db, articleB, null, reader(visitor('v2')), at(18, '10:05'));

  tickets.t3 = await fileTicket(m3, 'Bank feed shows duplicates', at(18), null);
  await resolve(tickets.t3, { kind: 'thread', threadId: answeredThread, postId: answer }, at(19));
  tickets.t4 = await fileTicket(m2, 'Refund a card payment twice?', at(19), null);
  await resolve(tickets.t4, { kind: 'article', articleId: articleB }, at(20));
  // An agent's own ticket is not a customer's.
  tickets.t5 = await fileTicket(agent, 'Testing the contact form', at(19), payroll.id);
  await resolve(tickets.t5, { kind: 'none' }, at(19, '11:00'));

  // W3, still running.
  tickets.t6 = await fileTicket(m4, 'Where do I change my plan?', at(23, '09:00'), null);
  await refreshAnalytics(db);
});

describe('gap analytics figures', () => {
  test('the self-service score is visitors per ticket requester, week by week', async () => {
    const figures = await selfServiceFigures(getDb(), range30, now);
    const weeks = Object.fromEntries(figures.weeks.map((week) => [week.week, week]));
    // W1: v1, v2, v3 and m1 used the help center; m1 and m2 filed tickets.
    expect(weeks['2026-11-09']).toEqual({
      week: '2026-11-09',
      visitors: 4,
      requesters: 2,
      score: 2,
      partial: false,
    });
    // W2: v2, v4…v9 (v5, v6 and v7 more than once); m3 and m2 filed tickets.
    expect(weeks['2026-11-16']).toEqual({
      week: '2026-11-16',
      visitors: 7,
      requesters: 2,
      score: 3.5,
      partial: false,
    });
    expect(weeks['2026-11-23']).toEqual({
      week: '2026-11-23',
      visitors: 0,
      requesters: 1,
      score: 0,
      partial: true,
    });
    expect(weeks['2026-11-02']?.score).toBeNull();
    expect(figures.latest?.week).toBe('2026-11-16');
    expect(figures.trend).toBe(1.5);
  });

  test('search: volume, zero-result rate, click-through and the queries behind them', async () => {
    const figures = await searchFigures(getDb(), range30);
    expect(figures.searches).toBe(11);
    expect(figures.zero_results).toBe(3);
    expect(figures.zero_result_rate).toBe(0.273);
    // "bank feed" and one "invoice template" were clicked: 2 of the 8 searches that found something.
    expect(figures.clicked).toBe(2);
    expect(figures.click_through_rate).toBe(0.25);
    expect(figures.zero_result_queries.map((row) => [row.query, row.zero_results])).toEqual([
      ['payroll export sage', 2],
      ['export payroll to sage', 1],
    ]);
    expect(figures.low_click_queries).toEqual([
      expect.objectContaining({
        query: 'invoice template',
        searches: 6,
        with_results: 6,
        clicked: 1,
        click_rate: 0.167,
      }),
    ]);
    const seventeenth = figures.days.find((day) => day.day === '2026-11-17');
    expect(seventeenth).toEqual({ day: '2026-11-17', searches: 6, zero_results: 0, clicked: 1 });
  });

  test('articles: views, helpful %, self-resolutions, tickets resolved and tickets after reading', async () => {
    const figures = await articleFigures(getDb(), range30, now);
    const a = figures.articles.find((row) => row.id === articleA);
    const b = figures.articles.find((row) => row.id === articleB);
    expect(a).toMatchObject({
      views: 2,
      votes: 3,
      helpful_votes: 1,
      helpful_percent: 33,
      self_resolutions: 0,
      tickets_resolved: 0,
      tickets_after_reading: 1,
      review_overdue: false,
    });
    expect(b).toMatchObject({
      views: 1,
      votes: 1,
      helpful_percent: 100,
      self_resolutions: 1,
      tickets_resolved: 1,
      tickets_after_reading: 0,
    });
    expect(figures.helpful_percent).toBe(50);
  });

  test('tickets: what resolved them, and the ones solved without content grouped three ways', async () => {
    const figures = await ticketFigures(getDb(), range30);
    expect(figures.created).toBe(5);
    expect(figures.resolutions).toEqual({
      article: 1,
      thread: 1,
      none: 2,
      other: 0,
      known_issue: 0,
    });
    expect(figures.resolution_percent).toEqual({
      article: 25,
      thread: 25,
      none: 50,
      other: 0,
      known_issue: 0,
    });
    expect(figures.bucket).toBe('day');
    expect(figures.periods.find((period) => period.start === '2026-11-13')).toEqual({
      start: '2026-11-13',
      article: 0,
      thread: 0,
      none: 1,
      other: 0,
      known_issue: 0,
    });
    expect(figures.no_content.by_category).toEqual([{ label: 'Payroll', count: 2 }]);
    expect(figures.no_content.by_tag).toEqual([{ label: 'No tag', count: 2 }]);
    expect(figures.no_content.by_subject).toEqual([
      { label: 'Cannot export payroll into Sage', count: 2, ticket_ids: [tickets.t2, tickets.t1] },
    ]);
    const ninety = await ticketFigures(
      getDb(),
      parseRange(new URLSearchParams('range=90'), now).range,
    );
    expect(ninety.bucket).toBe('week');
  });

  test('journey stages: articles, tickets by linked content, failed searches by what was opened next', async () => {
    const stages = Object.fromEntries(
      (await stageFigures(getDb(), range30)).map((row) => [row.stage, row]),
    );
    expect(stages.onboarding).toMatchObject({ failed_searches: 1 });
    expect(stages.first_success).toMatchObject({ failed_searches: 1 });
    expect(stages.unknown).toMatchObject({ failed_searches: 1, tickets: 3 });
    expect(stages.adoption).toMatchObject({ tickets: 2 });
    expect(stages.onboarding?.articles).toBeGreaterThanOrEqual(1);
  });

  test('the unanswered thread read a lot is listed', async () => {
    const threads = await unansweredThreads(getDb(), range30);
    expect(threads.map((thread) => thread.id)).toEqual([unansweredThread]);
  });
});

describe('the gap queue', () => {
  test('ranks every kind of gap by a score that explains itself, with its evidence', async () => {
    const queue = await gapQueue(getDb(), range30, { now });
    expect(queue.open.map((gap) => [gap.kind, gap.title, gap.score])).toEqual([
      ['missing_content', 'Cannot export payroll into Sage', 13],
      ['review_article', 'Connect your bank feed', 7],
      ['missing_content', 'invoice template', 5],
      ['promote_answer', 'Duplicate transactions after reconnecting the bank feed', 5],
    ]);
    const [payroll, review, , promote] = queue.open as [Gap, Gap, Gap, Gap];
    expect(payroll.key).toBe('missing.export-payroll-sage');
    expect(payroll.parts).toEqual([
      { label: 'searches found nothing', count: 3, weight: '1', points: 3 },
      { label: 'tickets answered without content', count: 2, weight: '5', points: 10 },
    ]);
    expect(payroll.evidence.queries.map((query) => query.query)).toEqual([
      'payroll export sage',
      'export payroll to sage',
    ]);
    expect(payroll.evidence.tickets.map((ticket) => ticket.id).sort()).toEqual(
      [tickets.t1, tickets.t2].sort(),
    );
    expect(payroll.category_id).not.toBeNull();
    expect(review.parts).toEqual([
      { label: 'ticket filed within 24 h after reading it', count: 1, weight: '5', points: 5 },
      { label: 'readers said it was not helpful', count: 2, weight: '1', points: 2 },
    ]);
    expect(review.evidence.tickets.map((ticket) => ticket.id)).toEqual([tickets.t1]);
    expect(review.evidence.feedback.map((item) => item.reason)).toEqual([
      'outdated',
      'did_not_solve',
    ]);
    expect(promote.parts.map((part) => part.points)).toEqual([2, 3]);
    expect(promote.evidence.answer?.thread_id).toBe(answeredThread);
    // The unanswered thread alone scores 2 (60 views, 1 point per 25): below the bar of 3.
    expect(
      queue.open.some((gap) =>
        gap.evidence.threads.some((thread) => thread.id === unansweredThread),
      ),
    ).toBe(false);
  });

  test('writing the article from a gap, then publishing it, marks the gap done; the problem coming back reopens it', async () => {
    const db = getDb();
    const gap = findGap(await gapQueue(db, range30, { now }), 'missing.export-payroll-sage');
    if (!gap) throw new Error('no gap');
    const started = await startArticleFromGap(db, agent, gap, at(23, '10:00'));
    if (!started.ok) throw new Error(started.error);
    const draft = await gapDraft(db, started.id);
    expect(draft?.values.title).toBe('Cannot export payroll into Sage');
    expect(draft?.values.body).toContain(
      '- [ ] Searched for “payroll export sage” (2 times, 2 with no results)',
    );
    expect(draft?.values.body).toContain(
      `- [ ] Ticket #${tickets.t1}: Payroll export to Sage fails with an error`,
    );
    expect(draft?.values.body.startsWith('<!--')).toBe(true);

    const article = await createArticle(
      db,
      agent,
      {
        title: 'Export payroll to Sage',
        slug: '',
        body: draft?.values.body ?? '',
        categoryId: null,
        tags: [],
        journeyStage: null,
      },
      {},
      at(23, '10:05'),
    );
    if (!article.ok) throw new Error('draft refused');
    await attachDraftToGap(db, started.id, article.id, at(23, '10:05'));
    let mine = findGap(await gapQueue(db, range30, { now }), gap.key);
    expect(mine?.state).toBe('in_progress');
    expect(mine?.draft?.id).toBe(article.id);

    await transitionArticle(db, agent, article.id, 'published', at(23, '10:10'));
    const after = await gapQueue(db, range30, { now });
    mine = findGap(after, gap.key);
    expect(mine?.state).toBe('done');
    expect(mine?.done_at).toBe(at(23, '10:10').toISOString());
    expect(after.done.map((item) => item.key)).toContain(gap.key);
    expect(after.open.map((item) => item.key)).not.toContain(gap.key);

    // Two days later people search for it again and still find nothing: it comes back, counted
    // from the day after it was done.
    const later = new Date('2026-11-25T12:00:00.000Z');
    for (const name of ['w1', 'w2', 'w3'])
      await search(visitor(name), 'payroll export sage', 0, new Date('2026-11-24T09:00:00.000Z'));
    await refreshAnalytics(db);
    const back = findGap(
      await gapQueue(db, parseRange(new URLSearchParams('range=30'), later).range, { now: later }),
      gap.key,
    );
    expect(back).toMatchObject({ state: 'open', came_back: true, score: 3 });
    expect(back?.parts).toEqual([
      { label: 'searches found nothing', count: 3, weight: '1', points: 3 },
    ]);
  });

  test('a gap marked done stays done until it recurs; a dismissed gap keeps its reason', async () => {
    const db = getDb();
    const queue = await gapQueue(db, range30, { now });
    const invoice = findGap(queue, 'missing.invoice-template');
    const promote = findGap(queue, `promote.thread-${answeredThread}`);
    if (!invoice || !promote) throw new Error('missing gaps');
    expect(dismissSchema.safeParse({ reason: ' ' }).success).toBe(false);
    await dismissGap(db, agent, invoice, 'Templates are a feature request, not content', now);
    await markGapDone(db, agent, promote, now);
    const next = await gapQueue(db, range30, { now });
    expect(findGap(next, invoice.key)).toMatchObject({
      state: 'dismissed',
      reason: 'Templates are a feature request, not content',
    });
    expect(findGap(next, promote.key)?.state).toBe('done');
    expect(next.open.map((gap) => gap.key)).toEqual(['review.article-' + articleA]);
  });

  test('every table exports as CSV, formulas defused', async () => {
    const report = await gapReport(getDb(), range30, now);
    const csv = toCsv(reportTable(report, 'zero-result-queries'));
    expect(csv.split('\r\n').slice(0, 3)).toEqual([
      'query,searches,zero_results,last_searched',
      'payroll export sage,2,2,2026-11-11',
      'export payroll to sage,1,1,2026-11-12',
    ]);
    expect(toCsv({ columns: ['q'], rows: [['=HYPERLINK("x")'], ['a,b']] })).toBe(
      'q\r\n"\'=HYPERLINK(""x"")"\r\n"a,b"\r\n',
    );
  });
});

describe('dashboard and API routes', () => {
  const today = new Date().toISOString().slice(0, 10);

  test('agents download CSV; members cannot', async () => {
    const response = await getAs(exportLoader, '/agent/gaps/export/articles?range=90', agent.id, {
      table: 'articles',
    });
    if (!(response instanceof Response)) throw new Error('expected a response');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    expect((await response.text()).split('\r\n')[0]).toBe(
      'id,title,journey_stage,views,votes,helpful_percent,self_resolutions,tickets_resolved,tickets_after_reading,review_due_at,review_overdue',
    );
    const refused = await getAs(
      exportLoader,
      '/agent/gaps/export/articles',
      (members[0] as Person).id,
      { table: 'articles' },
    );
    expect(refused instanceof Response && refused.status).toBe(403);
  });

  test('GET /api/v1/analytics/* answers with the documented shapes, for read tokens only', async () => {
    const admin = await makeUser('admin');
    const { token } = await createApiToken(getDb(), admin.id, {
      name: 'analytics',
      scopes: ['read'],
    });
    const { token: writer } = await createApiToken(getDb(), admin.id, {
      name: 'w',
      scopes: ['tickets:write'],
    });
    const from = '2026-10-25';
    const call = (handler: RouteHandler, path: string, bearer = token) =>
      callApi(handler, apiRequest(`/analytics/${path}`, { token: bearer }));
    const query = `?range=custom&from=${from}&to=${today}`;
    for (const [handler, path, schema] of [
      [summaryLoader, 'summary', summaryResponse],
      [selfServiceLoader, 'self-service', selfServiceResponse],
      [searchLoader, 'search', searchResponse],
      [articlesLoader, 'articles', articlesResponse],
      [ticketsLoader, 'tickets', ticketsResponse],
      [threadsLoader, 'threads', threadsResponse],
      [stagesLoader, 'stages', stagesResponse],
      [gapsLoader, 'gaps', gapsResponse],
    ] as const) {
      const response = await call(handler, `${path}${query}`);
      expect(response.status, path).toBe(200);
      const parsed = schema.safeParse(response.body);
      expect(parsed.error?.issues ?? [], path).toEqual([]);
    }
    const search = await call(searchLoader, `search${query}`);
    expect(search.body).toMatchObject({
      zero_result_queries: expect.arrayContaining([
        expect.objectContaining({ query: 'payroll export sage' }),
      ]),
    });
    expect((await call(searchLoader, 'search', writer)).status).toBe(403);
    expect((await call(searchLoader, 'search?range=12')).status).toBe(400);
    expect(
      (await call(searchLoader, 'search?range=custom&from=2026-11-10&to=2026-11-01')).status,
    ).toBe(400);
    expect(analyticsQuery.safeParse({ range: '7' }).success).toBe(true);
  });
});

describe('rollups and topics', () => {
  test('counting again adds nothing; an event recorded late with an earlier date is counted once', async () => {
    const db = getDb();
    const range = parseRange(
      new URLSearchParams('range=custom&from=2026-11-01&to=2026-11-08'),
      now,
    ).range;
    const before = await searchFigures(db, range);
    expect(await refreshAnalytics(db)).toEqual({ processed: 0, caughtUp: true });
    await search(visitor('late'), 'late query', 0, at(5));
    await refreshAnalytics(db);
    await refreshAnalytics(db);
    const after = await searchFigures(db, range);
    expect(after.searches).toBe(before.searches + 1);
    expect(after.zero_result_queries.map((row) => [row.query, row.zero_results])).toContainEqual([
      'late query',
      1,
    ]);
  });

  test('similar subjects group together, different ones do not', () => {
    const topics = clusterTopics(
      [
        'Payroll export to Sage fails',
        'Cannot export payroll into Sage',
        'payroll export sage',
        'payroll',
        'Bank feed stopped updating',
      ].map((text) => ({ terms: termsOf(text), weight: 1, text, value: text })),
    );
    expect(topics.map((topic) => topic.items.map((item) => item.value))).toEqual([
      ['Bank feed stopped updating'],
      ['Cannot export payroll into Sage', 'payroll export sage', 'Payroll export to Sage fails'],
      ['payroll'],
    ]);
  });
});

describe('ranges', () => {
  test('7, 30 and 90 days end today; a custom range is checked', () => {
    const last7: DateRange = parseRange(new URLSearchParams('range=7'), now).range;
    expect(last7).toEqual({ key: '7', from: '2026-11-17', to: '2026-11-23', days: 7 });
    expect(
      parseRange(new URLSearchParams('range=custom&from=2026-11-01&to=2026-11-10'), now).range,
    ).toEqual({
      key: 'custom',
      from: '2026-11-01',
      to: '2026-11-10',
      days: 10,
    });
    const backwards = parseRange(
      new URLSearchParams('range=custom&from=2026-11-10&to=2026-11-01'),
      now,
    );
    expect(backwards.error).toBe('The start of the range is after its end.');
    expect(backwards.range.key).toBe('30');
    expect(
      parseRange(new URLSearchParams('range=custom&from=2026-02-30&to=2026-03-01'), now).error,
    ).not.toBeNull();
  });
});
