import { beforeAll, describe, expect, test } from 'vitest';
import {
  reportsAgentsResponse,
  reportsOrganizationsResponse,
  reportsSatisfactionResponse,
  reportsSummaryResponse,
  reportsVolumeResponse,
} from '~/api/reports';
import { createApiToken, createPersonalApiToken } from '~/models/api-tokens.server';
import { createArticle, transitionArticle } from '~/models/articles.server';
import { parseRange } from '~/models/analytics/date-range';
import { gapReport, reportTable, toCsv } from '~/models/analytics/gap-report.server';
import { teamReport } from '~/models/analytics/team-report.server';
import { saveCategory } from '~/models/categories.server';
import { saveOrganization } from '~/models/organizations.server';
import { resolveTicket, type ResolutionInput } from '~/models/resolutions.server';
import { rate } from '~/models/satisfaction.server';
import {
  changePriority,
  recordBreaches,
  saveBusinessHours,
  saveSlaPolicy,
} from '~/models/sla/targets.server';
import { mergeTickets } from '~/models/ticket-merge.server';
import { addTicketMessage, assignTicket, createTicket } from '~/models/tickets.server';
import type { TicketPriority } from '#db/schema';
import { loader as reportsPage } from '~/routes/agent.reports._index/route';
import { loader as exportLoader } from '~/routes/agent.reports.export.$table';
import { loader as agentsApi } from '~/routes/api.v1.reports.agents';
import { loader as organizationsApi } from '~/routes/api.v1.reports.organizations';
import { loader as satisfactionApi } from '~/routes/api.v1.reports.satisfaction';
import { loader as summaryApi } from '~/routes/api.v1.reports.summary';
import { loader as volumeApi } from '~/routes/api.v1.reports.volume';
import { getDb } from '~/utils/db.server';
import { makeQuestion, makeUser, makeAnswer } from '../support/community';
import {
  apiRequest,
  callApi,
  getAs,
  loaderData,
  locationOf,
  statusOf,
  type RouteHandler,
} from '../support/requests';

/**
 * A known week at a desk open Monday to Friday, 09:00–17:00 UTC. Normal tickets must get a first
 * reply within 1 business hour and be solved within 8; urgent ones within 30 and 120 minutes;
 * high and low have no targets. The week is 2–8 March 2026 (Monday to Sunday) and "now" is
 * Monday 9 March, noon. Every figure below is worked out by hand in the comments.
 */

const query = 'range=custom&from=2026-03-02&to=2026-03-08';
const now = new Date('2026-03-09T12:00:00.000Z');
const at = (day: number, time: string) =>
  new Date(`2026-03-${String(day).padStart(2, '0')}T${time}:00.000Z`);

type Person = { id: number; username: string; role: 'member' | 'agent' | 'admin' | 'moderator' };
let alice: Person;
let bob: Person;
let customer: Person;
const ids: Record<string, number> = {};
let acme = 0;
let globex = 0;

async function memberOf(organizationId: number | null) {
  const person = await makeUser();
  await getDb()
    .updateTable('users')
    .set({ organization_id: organizationId })
    .where('id', '=', person.id)
    .execute();
  return person;
}

async function file(
  requester: Person,
  when: Date,
  options: { priority?: TicketPriority; categoryId?: number | null } = {},
) {
  const created = await createTicket(
    getDb(),
    requester.id,
    {
      subject: 'Bank feed stopped importing',
      body: 'No new transactions since this morning.',
      categoryId: options.categoryId ?? null,
    },
    { source: 'web', now: when },
  );
  if (!created.ok) throw new Error(JSON.stringify(created.fieldErrors));
  if (options.priority) await changePriority(getDb(), created.id, options.priority, when);
  return created.id;
}

async function reply(agent: Person, ticketId: number, when: Date) {
  const sent = await addTicketMessage(
    getDb(),
    agent,
    ticketId,
    { kind: 'reply', body: 'Reconnect the feed from Banking, then import once.' },
    when,
  );
  if (!sent.ok) throw new Error(sent.error);
}

async function solve(agent: Person, ticketId: number, how: ResolutionInput, when: Date) {
  const solved = await resolveTicket(getDb(), agent, ticketId, how, when);
  if (!solved.ok) throw new Error(solved.error);
}

async function rateTicket(ticketId: number, rating: 'good' | 'bad', when: Date) {
  expect(await rate(getDb(), ticketId, { rating, comment: null }, when)).toBe(true);
}

beforeAll(async () => {
  const db = getDb();
  const nineToFive = { open: 9 * 60, close: 17 * 60 };
  await saveBusinessHours(db, {
    timeZone: 'UTC',
    days: [null, nineToFive, nineToFive, nineToFive, nineToFive, nineToFive, null],
  });
  await saveSlaPolicy(db, 'normal', { firstResponseMinutes: 60, resolutionMinutes: 8 * 60 });
  await saveSlaPolicy(db, 'urgent', { firstResponseMinutes: 30, resolutionMinutes: 120 });
  alice = await makeUser('agent');
  bob = await makeUser('agent');
  await db
    .updateTable('users')
    .set({ display_name: 'Alice Agent' })
    .where('id', '=', alice.id)
    .execute();
  await db
    .updateTable('users')
    .set({ display_name: 'Bob Agent' })
    .where('id', '=', bob.id)
    .execute();
  const org = async (name: string) => {
    const saved = await saveOrganization(db, { name, domains: [] });
    if (!saved.ok) throw new Error('organisation');
    return saved.id;
  };
  acme = await org('Acme Bakery');
  globex = await org('Globex Clinic');
  const category = await saveCategory(db, {
    name: 'Bank feeds',
    slug: 'bank-feeds-report',
    description: '',
    position: 0,
  });
  if (!category.ok) throw new Error('category');
  const article = await createArticle(
    db,
    alice,
    {
      title: 'Reconnect a bank feed',
      slug: '',
      body: 'Open Banking, choose the feed and reconnect it; then import once.',
      categoryId: null,
      tags: [],
      journeyStage: null,
    },
    {},
    at(1, '09:00'),
  );
  if (!article.ok) throw new Error('article');
  await transitionArticle(db, alice, article.id, 'published', at(1, '09:00'));
  const asker = await makeUser();
  const thread = await makeQuestion(asker, 'Bank feed imports every transaction twice');
  await makeAnswer(asker, thread);

  const [acmeOne, acmeTwo, globexOne, loner] = [
    await memberOf(acme),
    await memberOf(acme),
    await memberOf(globex),
    await memberOf(null),
  ];
  customer = loner;

  // Before the week: filed on Friday 20 February, never answered; only the backlog sees it.
  ids.old = await file(acmeTwo, new Date('2026-02-20T10:00:00.000Z'));

  // T1 Monday 09:00: first reply after 30 min (due 10:00, met); solved with the article at
  // 11:00 after 120 min (due 17:00, met); rated good.
  ids.t1 = await file(acmeOne, at(2, '09:00'), { categoryId: category.id });
  await reply(alice, ids.t1, at(2, '09:30'));
  await solve(alice, ids.t1, { kind: 'article', articleId: article.id }, at(2, '11:00'));
  await rateTicket(ids.t1, 'good', at(2, '12:00'));

  // T2 Monday 16:00: first reply Tuesday 09:30 = 60 + 30 = 90 min (due Monday 17:00, missed);
  // solved without content Tuesday 16:00 = 60 + 420 = 480 min (due exactly then, met); bad.
  ids.t2 = await file(acmeTwo, at(2, '16:00'), { categoryId: category.id });
  await recordBreaches(getDb(), at(2, '17:30'));
  await reply(alice, ids.t2, at(3, '09:30'));
  await solve(alice, ids.t2, { kind: 'none' }, at(3, '16:00'));
  await rateTicket(ids.t2, 'bad', at(3, '17:00'));

  // T3 Tuesday 10:00, urgent: Bob replies after 20 min (due 10:30, met); solved through the
  // thread Wednesday 10:00 = 420 + 60 = 480 min (due Tuesday 12:00, missed); rated good.
  ids.t3 = await file(globexOne, at(3, '10:00'), { priority: 'urgent' });
  await reply(bob, ids.t3, at(3, '10:20'));
  await solve(bob, ids.t3, { kind: 'thread', threadId: thread }, at(4, '10:00'));
  await rateTicket(ids.t3, 'good', at(4, '11:00'));

  // T4 Wednesday 09:00, given to Bob, never answered: both targets missed (10:00 and 17:00),
  // and still open.
  ids.t4 = await file(loner, at(4, '09:00'));
  await assignTicket(getDb(), alice, ids.t4, bob.id, at(4, '09:05'));

  // T5 Thursday 09:00: a duplicate filed at 09:30 is merged into it (counted once); first reply
  // 13:00 = 240 min (due 10:00, missed); solved without content 15:00 = 360 min (met); good.
  ids.t5 = await file(acmeOne, at(5, '09:00'));
  ids.duplicate = await file(acmeOne, at(5, '09:30'));
  const merged = await mergeTickets(getDb(), alice, ids.duplicate, ids.t5, at(5, '09:45'));
  if (!merged.ok) throw new Error(merged.error);
  await recordBreaches(getDb(), at(5, '11:00'));
  await reply(alice, ids.t5, at(5, '13:00'));
  await solve(alice, ids.t5, { kind: 'none' }, at(5, '15:00'));
  await rateTicket(ids.t5, 'good', at(6, '10:00'));

  // Open, with no targets: T7 (high) Friday 09:00 and T9 (low) Saturday 10:00; and one filed
  // after the week, on Monday 9 March at 08:00.
  ids.t7 = await file(globexOne, at(6, '09:00'), { priority: 'high' });
  ids.t9 = await file(loner, at(7, '10:00'), { priority: 'low' });
  ids.after = await file(loner, at(9, '08:00'));
  await recordBreaches(getDb(), now);
});

const week = () => parseRange(new URLSearchParams(query), now).range;

describe('team reports', () => {
  test('a known week: volume, medians and p90 in business minutes, service levels, satisfaction, backlog, agents and organisations', async () => {
    const report = await teamReport(getDb(), week(), now);
    // Filed in the week: T1, T2, T3, T4, T5, T7, T9 (the merged duplicate is not a ticket of
    // its own); solved: T1, T2, T3, T5.
    expect(report.created).toBe(7);
    expect(report.solved).toBe(4);
    expect(report.bucket).toBe('day');
    expect(report.periods).toEqual([
      { start: '2026-03-02', created: 2, solved: 1 },
      { start: '2026-03-03', created: 1, solved: 1 },
      { start: '2026-03-04', created: 1, solved: 1 },
      { start: '2026-03-05', created: 1, solved: 1 },
      { start: '2026-03-06', created: 1, solved: 0 },
      { start: '2026-03-07', created: 1, solved: 0 },
      { start: '2026-03-08', created: 0, solved: 0 },
    ]);
    // First replies 20, 30, 90, 240: median (30 + 90) / 2, p90 90 + 0.7 × 150.
    expect(report.first_response).toEqual({ tickets: 4, median: 60, p90: 195 });
    // Solved after 120, 360, 480, 480: median (360 + 480) / 2, p90 480.
    expect(report.resolution).toEqual({ tickets: 4, median: 420, p90: 480 });
    expect(report.by_priority.find((row) => row.priority === 'urgent')).toEqual({
      priority: 'urgent',
      first_response: { tickets: 1, median: 20, p90: 20 },
      resolution: { tickets: 1, median: 480, p90: 480 },
    });
    expect(report.by_priority.find((row) => row.priority === 'high')?.resolution).toEqual({
      tickets: 0,
      median: null,
      p90: null,
    });
    // First reply: met T1, T3; missed T2, T4 (still waiting), T5. Solve: met T1, T2, T5;
    // missed T3, T4 (still waiting).
    expect(report.service_levels).toEqual([
      { metric: 'first_response', met: 2, breached: 3, still_open: 1, attainment: 0.4 },
      { metric: 'resolution', met: 3, breached: 2, still_open: 1, attainment: 0.6 },
    ]);
    expect(report.satisfaction).toMatchObject({ ratings: 4, good: 3, bad: 1, good_share: 0.75 });
    expect(report.satisfaction.by_agent).toEqual([
      { agent_id: alice.id, agent: 'Alice Agent', ratings: 3, good: 2, bad: 1, good_share: 2 / 3 },
      { agent_id: bob.id, agent: 'Bob Agent', ratings: 1, good: 1, bad: 0, good_share: 1 },
    ]);
    expect(report.satisfaction.by_category).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ category: 'Bank feeds', ratings: 2, good: 1 }),
        expect.objectContaining({
          category_id: null,
          category: 'No category',
          ratings: 2,
          good: 2,
        }),
      ]),
    );
    expect(report.satisfaction.by_resolution).toEqual([
      { kind: 'article', ratings: 1, good: 1, bad: 0, good_share: 1 },
      { kind: 'thread', ratings: 1, good: 1, bad: 0, good_share: 1 },
      { kind: 'none', ratings: 2, good: 1, bad: 1, good_share: 0.5 },
      { kind: 'other', ratings: 0, good: 0, bad: 0, good_share: null },
      { kind: 'known_issue', ratings: 0, good: 0, bad: 0, good_share: null },
    ]);
    // Open at noon on 9 March: the one filed that morning (4 h), T9 (2 days), T4 and T7 (5 and
    // 3 days; T7 is high), and the one from February.
    expect(report.backlog).toEqual({
      open: 5,
      oldest_created_at: '2026-02-20T10:00:00.000Z',
      buckets: [
        { bucket: 'under_1_day', tickets: 1, urgent_or_high: 0 },
        { bucket: '1_to_3_days', tickets: 1, urgent_or_high: 0 },
        { bucket: '3_to_7_days', tickets: 2, urgent_or_high: 1 },
        { bucket: 'over_7_days', tickets: 1, urgent_or_high: 0 },
      ],
    });
    // Alice: T1, T2, T5. Bob: T3, and T4 given to him.
    expect(report.agents).toEqual([
      {
        agent_id: alice.id,
        agent: 'Alice Agent',
        solved: 3,
        first_response: { tickets: 3, median: 90, p90: 210 },
        resolution: { tickets: 3, median: 360, p90: 456 },
        service_level: { met: 4, breached: 2, still_open: 0, attainment: 4 / 6 },
        satisfaction: { ratings: 3, good: 2, bad: 1, good_share: 2 / 3 },
      },
      {
        agent_id: bob.id,
        agent: 'Bob Agent',
        solved: 1,
        first_response: { tickets: 1, median: 20, p90: 20 },
        resolution: { tickets: 1, median: 480, p90: 480 },
        service_level: { met: 1, breached: 3, still_open: 2, attainment: 0.25 },
        satisfaction: { ratings: 1, good: 1, bad: 0, good_share: 1 },
      },
    ]);
    expect(report.organizations).toEqual([
      {
        organization_id: acme,
        organization: 'Acme Bakery',
        created: 3,
        solved: 3,
        satisfaction: { ratings: 3, good: 2, bad: 1, good_share: 2 / 3 },
      },
      {
        organization_id: globex,
        organization: 'Globex Clinic',
        created: 2,
        solved: 1,
        satisfaction: { ratings: 1, good: 1, bad: 0, good_share: 1 },
      },
      {
        organization_id: null,
        organization: 'No organisation',
        created: 2,
        solved: 0,
        satisfaction: { ratings: 0, good: 0, bad: 0, good_share: null },
      },
    ]);
  });

  test('a range with nothing in it has counts of 0 and no shares or durations, never NaN', async () => {
    const empty = parseRange(
      new URLSearchParams('range=custom&from=2026-01-05&to=2026-01-11'),
      now,
    ).range;
    const report = await teamReport(getDb(), empty, now);
    expect(report).toMatchObject({
      created: 0,
      solved: 0,
      first_response: { tickets: 0, median: null, p90: null },
      service_levels: [
        { metric: 'first_response', met: 0, breached: 0, attainment: null },
        { metric: 'resolution', met: 0, breached: 0, attainment: null },
      ],
      satisfaction: { ratings: 0, good_share: null, by_agent: [] },
      agents: [],
      organizations: [],
    });
    expect(JSON.stringify(report)).not.toContain('NaN');
  });

  test('the gap dashboard shows satisfaction by what resolved the ticket', async () => {
    const report = await gapReport(getDb(), week(), now);
    expect(report.satisfaction.map((row) => [row.kind, row.ratings, row.good])).toEqual([
      ['article', 1, 1],
      ['thread', 1, 1],
      ['none', 2, 1],
      ['other', 0, 0],
      ['known_issue', 0, 0],
    ]);
    expect(toCsv(reportTable(report, 'satisfaction-by-resolution'))).toBe(
      'resolution_kind,ratings,good,bad,good_percent\r\n' +
        'article,1,1,0,100\r\nthread,1,1,0,100\r\nnone,2,1,1,50\r\nother,0,0,0,\r\n' +
        'known_issue,0,0,0,\r\n',
    );
  });
});

describe('the reports page, its CSV and the API', () => {
  test('an agent sees the week; a customer gets 403 and a visitor is sent to sign in', async () => {
    const page = await loaderData(reportsPage, `/agent/reports?${query}`, alice.id);
    expect(page.report).toMatchObject({ created: 7, solved: 4 });
    expect(page.query).toBe(query);
    expect(statusOf(await getAs(reportsPage, `/agent/reports?${query}`, customer.id))).toBe(403);
    expect(locationOf(await getAs(reportsPage, '/agent/reports', null))).toContain('/login');
    const moderator = await makeUser('moderator');
    expect(statusOf(await getAs(reportsPage, `/agent/reports?${query}`, moderator.id))).toBe(200);
  });

  test('every table downloads as CSV for agents, with durations in business minutes', async () => {
    const download = async (table: string, userId: number) =>
      getAs(exportLoader, `/agent/reports/export/${table}?${query}`, userId, { table });
    const agents = await download('agents', alice.id);
    if (!(agents instanceof Response)) throw new Error('expected a response');
    expect(agents.headers.get('content-type')).toContain('text/csv');
    expect(agents.headers.get('content-disposition')).toContain(
      'agents-2026-03-02-to-2026-03-08.csv',
    );
    expect(await agents.text()).toBe(
      'agent_id,agent,solved,first_reply_median_minutes,resolution_median_minutes,sla_met,sla_breached,sla_attainment_percent,ratings,good,bad,good_percent\r\n' +
        `${alice.id},Alice Agent,3,90,360,4,2,67,3,2,1,67\r\n` +
        `${bob.id},Bob Agent,1,20,480,1,3,25,1,1,0,100\r\n`,
    );
    const times = await download('response-times', alice.id);
    if (!(times instanceof Response)) throw new Error('expected a response');
    expect((await times.text()).split('\r\n').slice(0, 2)).toEqual([
      'priority,first_replies,first_reply_median_minutes,first_reply_p90_minutes,solved,resolution_median_minutes,resolution_p90_minutes',
      'all,4,60,195,4,420,480',
    ]);
    for (const table of [
      'volume',
      'service-levels',
      'satisfaction-by-agent',
      'satisfaction-by-category',
      'satisfaction-by-resolution',
      'backlog',
      'organizations',
    ])
      expect(statusOf(await download(table, alice.id)), table).toBe(200);
    expect(statusOf(await download('passwords', alice.id))).toBe(404);
    expect(statusOf(await download('agents', customer.id))).toBe(403);
  });

  test('GET /api/v1/reports/* answers with the documented shapes, for staff tokens only', async () => {
    const admin = await makeUser('admin');
    const { token } = await createApiToken(getDb(), admin.id, {
      name: 'reports',
      scopes: ['read'],
    });
    const call = (handler: RouteHandler, path: string, bearer = token) =>
      callApi(handler, apiRequest(`/reports/${path}`, { token: bearer }));
    for (const [handler, path, schema] of [
      [summaryApi, 'summary', reportsSummaryResponse],
      [volumeApi, 'volume', reportsVolumeResponse],
      [satisfactionApi, 'satisfaction', reportsSatisfactionResponse],
      [agentsApi, 'agents', reportsAgentsResponse],
      [organizationsApi, 'organizations', reportsOrganizationsResponse],
    ] as const) {
      const response = await call(handler, `${path}?${query}`);
      expect(response.status, path).toBe(200);
      expect(schema.strict().safeParse(response.body).error?.issues ?? [], path).toEqual([]);
    }
    const summary = await call(summaryApi, `summary?${query}`);
    expect(summary.body).toMatchObject({
      range: { key: 'custom', from: '2026-03-02', to: '2026-03-08', days: 7 },
      created: 7,
      solved: 4,
      first_response: { tickets: 4, median: 60, p90: 195 },
      resolution: { tickets: 4, median: 420, p90: 480 },
      service_levels: [
        { metric: 'first_response', attainment: 0.4 },
        { metric: 'resolution', attainment: 0.6 },
      ],
      satisfaction: { ratings: 4, good: 3, good_share: 0.75 },
    });
    const byOrganization = await call(organizationsApi, `organizations?${query}`);
    expect(byOrganization.body.organizations[0]).toMatchObject({
      organization: 'Acme Bakery',
      created: 3,
    });
    expect((await call(summaryApi, 'summary?range=12')).status).toBe(400);
    const mine = await createPersonalApiToken(getDb(), customer, {
      name: 'mine',
      scopes: ['read'],
    });
    if (!mine.ok) throw new Error('token');
    expect((await call(summaryApi, `summary?${query}`, mine.token)).status).toBe(403);
  });
});
