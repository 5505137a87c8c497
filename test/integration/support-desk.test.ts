import { describe, expect, test } from 'vitest';
import { createArticle, transitionArticle } from '~/models/articles.server';
import { organizationActivity, organizationOverview } from '~/models/customers.server';
import { listNotifications, openNotification } from '~/models/notifications.server';
import { recordSearch } from '~/models/search-events.server';
import {
  draftArticleFromTicket,
  postTicketToCommunity,
  resolveTicket,
  ticketsResolvedBy,
} from '~/models/resolutions.server';
import { escalateThread } from '~/models/ticket-escalation.server';
import { addTicketMessage, createTicket } from '~/models/tickets.server';
import { linkTicket, parseLinkReference } from '~/models/ticket-links.server';
import { listTickets } from '~/models/ticket-lists.server';
import { getDb } from '~/utils/db.server';
import {
  loader as threadLoader,
  action as threadAction,
} from '~/routes/questions.$id.($slug)/route';
import { loader as articleLoader } from '~/routes/kb.$slug';
import { action as newRequestAction } from '~/routes/requests.new';
import { loader as requestLoader, action as requestAction } from '~/routes/requests.$id';
import { loader as requestsLoader } from '~/routes/requests._index';
import {
  loader as agentTicketLoader,
  action as agentTicketAction,
} from '~/routes/agent.tickets.$id/route';
import { loader as agentTicketsLoader } from '~/routes/agent.tickets._index';
import { loader as orgLoader } from '~/routes/agent.orgs.$id';
import { makeAnswer, makeQuestion, makeUser } from '../support/community';
import {
  formFailureOf,
  getAs,
  loaderData,
  locationOf,
  postAs,
  statusOf,
} from '../support/requests';

async function publishedArticle(title = 'Reconnect a bank feed') {
  const agent = await makeUser('agent');
  const created = await createArticle(getDb(), agent, {
    title,
    slug: '',
    body: 'Open Banking, choose the feed and press Reconnect. Then import once.',
    categoryId: null,
    tags: ['bank-feeds'],
    journeyStage: null,
  });
  if (!created.ok) throw new Error('article');
  await transitionArticle(getDb(), agent, created.id, 'published');
  return created.id;
}

const ticketInput = {
  subject: 'Payroll export is empty',
  body: 'The payroll CSV has headers but no rows.',
  categoryId: null,
};

describe('contact support', () => {
  test('filed from an article, the ticket is linked to it and the event names the page', async () => {
    const customer = await makeUser();
    const articleId = await publishedArticle();
    const result = await postAs(newRequestAction, '/requests/new', customer.id, {
      subject: 'Still duplicated after reconnecting',
      body: 'I followed the article and the feed still doubles every line.',
      categoryId: '',
      sourceType: 'article',
      sourceId: String(articleId),
    });
    const location = locationOf(result);
    expect(location).toMatch(/^\/requests\/\d+\?created=1$/);
    const ticketId = Number(/\/requests\/(\d+)/.exec(location!)![1]);
    const db = getDb();
    const link = await db
      .selectFrom('ticket_links')
      .selectAll()
      .where('ticket_id', '=', ticketId)
      .executeTakeFirstOrThrow();
    expect(link).toMatchObject({
      target_type: 'article',
      target_id: articleId,
      relation: 'filed_from',
    });
    const event = await db
      .selectFrom('events')
      .selectAll()
      .where('type', '=', 'ticket_created')
      .where('ticket_id', '=', ticketId)
      .executeTakeFirstOrThrow();
    expect(event.article_id).toBe(articleId);
    expect(JSON.parse(event.data!)).toEqual({ source: 'article', page: `article:${articleId}` });
  });

  test('bad input keeps what was typed and says what is wrong', async () => {
    const customer = await makeUser();
    const result = await postAs(newRequestAction, '/requests/new', customer.id, {
      subject: 'hm',
      body: 'short',
      categoryId: '',
    });
    expect(statusOf(result)).toBe(400);
    const body = formFailureOf(result);
    expect(body.fieldErrors.subject).toMatch(/at least 5 characters/);
    expect(body.fieldErrors.body).toMatch(/at least 10 characters/);
    expect(body.values).toMatchObject({ subject: 'hm', body: 'short' });
  });
});

describe('who sees what', () => {
  test('members never see internal notes, other customers’ tickets, or the agent desk', async () => {
    const db = getDb();
    const customer = await makeUser();
    const stranger = await makeUser();
    const agent = await makeUser('agent');
    const created = await createTicket(db, customer.id, ticketInput, { source: 'web' });
    if (!created.ok) throw new Error('ticket');
    await addTicketMessage(db, agent, created.id, {
      kind: 'note',
      body: 'Internal: probably the March migration.',
    });
    await addTicketMessage(db, agent, created.id, {
      kind: 'reply',
      body: 'Could you send the export date range?',
    });

    const own = await loaderData(requestLoader, `/requests/${created.id}`, customer.id, {
      id: String(created.id),
    });
    expect(own.messages.map((message) => message.body_html)).toEqual([
      expect.stringContaining('Could you send the export date range?'),
    ]);
    expect(JSON.stringify(own)).not.toContain('March migration');
    expect(own.ticket.status).toBe('pending');

    const theirs = await getAs(requestLoader, `/requests/${created.id}`, stranger.id, {
      id: String(created.id),
    });
    expect(statusOf(theirs)).toBe(404);
    const list = await loaderData(requestsLoader, '/requests', stranger.id);
    expect(list.requests).toEqual([]);
    // A direct POST to someone else's request is refused too.
    const reply = await postAs(
      requestAction,
      `/requests/${created.id}`,
      stranger.id,
      { body: 'Me too' },
      { id: String(created.id) },
    );
    expect(statusOf(reply)).toBe(404);
    // The note cannot be written by a member either.
    expect(
      await addTicketMessage(db, customer, created.id, { kind: 'note', body: 'sneaky' }),
    ).toMatchObject({ ok: false, status: 403 });

    for (const [loader, path, params] of [
      [agentTicketLoader, `/agent/tickets/${created.id}`, { id: String(created.id) }],
      [agentTicketsLoader, '/agent/tickets', {}],
      [orgLoader, '/agent/orgs/1', { id: '1' }],
    ] as const) {
      expect(statusOf(await getAs(loader, path, customer.id, params))).toBe(403);
    }
    const solve = await postAs(
      agentTicketAction,
      `/agent/tickets/${created.id}`,
      customer.id,
      { intent: 'solve', kind: 'none' },
      { id: String(created.id) },
    );
    expect(statusOf(solve)).toBe(403);
    const anonymous = await getAs(agentTicketLoader, `/agent/tickets/${created.id}`, null, {
      id: String(created.id),
    });
    expect(locationOf(anonymous)).toMatch(/^\/login/);
  });

  test('resolution counters show to staff on threads and articles, never to members', async () => {
    const db = getDb();
    const asker = await makeUser();
    const agent = await makeUser('agent');
    const threadId = await makeQuestion(asker, 'Scheduled reports arrive empty on Mondays');
    const answerId = await makeAnswer(agent, threadId);
    const created = await createTicket(db, asker.id, ticketInput, { source: 'web' });
    if (!created.ok) throw new Error('ticket');
    expect(
      await resolveTicket(db, agent, created.id, { kind: 'thread', postId: answerId }),
    ).toEqual({ ok: true });
    expect(await ticketsResolvedBy(db, { threadId })).toBe(1);

    const path = `/questions/${threadId}/scheduled-reports-arrive-empty-on-mondays`;
    const params = { id: String(threadId), slug: 'scheduled-reports-arrive-empty-on-mondays' };
    const staffView = await loaderData(threadLoader, path, agent.id, params);
    expect(staffView.data.ticketsResolved).toBe(1);
    const memberView = await loaderData(threadLoader, path, asker.id, params);
    expect(memberView.data.ticketsResolved).toBeNull();
    const anonymousView = await loaderData(threadLoader, path, null, params);
    expect(anonymousView.data.ticketsResolved).toBeNull();

    const articleId = await publishedArticle('Empty scheduled reports');
    const second = await createTicket(db, asker.id, ticketInput, { source: 'web' });
    if (!second.ok) throw new Error('ticket');
    await resolveTicket(db, agent, second.id, { kind: 'article', articleId });
    const slug = 'empty-scheduled-reports';
    const articleStaff = await loaderData(articleLoader, `/kb/${slug}`, agent.id, { slug });
    expect(articleStaff.data.ticketsResolved).toBe(1);
    const articleMember = await loaderData(articleLoader, `/kb/${slug}`, asker.id, { slug });
    expect(articleMember.data.ticketsResolved).toBeNull();
  });
});

describe('escalation', () => {
  test('the asker escalates an unanswered thread; others cannot; it happens once', async () => {
    const db = getDb();
    const asker = await makeUser();
    const other = await makeUser();
    const threadId = await makeQuestion(asker, 'VAT return shows the wrong period');
    const params = { id: String(threadId), slug: 'vat-return-shows-the-wrong-period' };
    const refused = await postAs(
      threadAction,
      `/questions/${threadId}/${params.slug}`,
      other.id,
      { intent: 'escalate', note: '' },
      params,
    );
    expect(statusOf(refused)).toBe(403);
    const escalated = await postAs(
      threadAction,
      `/questions/${threadId}/${params.slug}`,
      asker.id,
      { intent: 'escalate', note: 'Our filing is due Friday.' },
      params,
    );
    const location = locationOf(escalated);
    expect(location).toMatch(/^\/requests\/\d+\?created=1$/);
    const ticketId = Number(/\/requests\/(\d+)/.exec(location!)![1]);
    const ticket = await db
      .selectFrom('tickets')
      .selectAll()
      .where('id', '=', ticketId)
      .executeTakeFirstOrThrow();
    expect(ticket).toMatchObject({
      requester_id: asker.id,
      source: 'escalation',
      subject: 'VAT return shows the wrong period',
    });
    expect(ticket.body_md).toContain('Our filing is due Friday.');
    const link = await db
      .selectFrom('ticket_links')
      .selectAll()
      .where('ticket_id', '=', ticketId)
      .executeTakeFirstOrThrow();
    expect(link).toMatchObject({
      target_type: 'thread',
      target_id: threadId,
      relation: 'escalated_from',
    });
    expect(await escalateThread(db, asker, threadId, '')).toEqual({ ok: true, id: ticketId });
    const events = await db
      .selectFrom('events')
      .select('type')
      .where('ticket_id', '=', ticketId)
      .execute();
    expect(events.map((event) => event.type).sort()).toEqual(['escalation', 'ticket_created']);

    const agent = await makeUser('agent');
    const staffView = await loaderData(
      threadLoader,
      `/questions/${threadId}/${params.slug}`,
      agent.id,
      params,
    );
    expect(staffView.data.escalation?.id).toBe(ticketId);
  });

  test('a thread with an accepted answer is not escalated', async () => {
    const db = getDb();
    const asker = await makeUser();
    const agent = await makeUser('agent');
    const threadId = await makeQuestion(asker);
    const answerId = await makeAnswer(agent, threadId);
    await db
      .updateTable('threads')
      .set({ accepted_post_id: answerId })
      .where('id', '=', threadId)
      .execute();
    expect(await escalateThread(db, asker, threadId, '')).toMatchObject({ ok: false, status: 400 });
  });
});

describe('the agent desk', () => {
  test('a public reply goes to pending and assigns the agent; the customer’s reply reopens; solving asks what resolved it', async () => {
    const db = getDb();
    const customer = await makeUser();
    const agent = await makeUser('agent');
    const created = await createTicket(db, customer.id, ticketInput, { source: 'web' });
    if (!created.ok) throw new Error('ticket');
    const id = String(created.id);
    const here = `/agent/tickets/${id}`;
    await postAs(
      agentTicketAction,
      here,
      agent.id,
      { intent: 'reply', body: 'Re-run the export from Reports.', status: 'pending' },
      { id },
    );
    let ticket = await db
      .selectFrom('tickets')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(ticket).toMatchObject({ status: 'pending', assignee_id: agent.id });

    const mine = await listTickets(db, { view: 'mine', viewerId: agent.id });
    expect(mine.tickets.map((row) => row.id)).toContain(created.id);

    const other = await postAs(
      agentTicketAction,
      here,
      agent.id,
      { intent: 'solve', kind: 'other' },
      { id },
    );
    expect(statusOf(other)).toBe(400);
    const wrongKind = await postAs(
      agentTicketAction,
      here,
      agent.id,
      { intent: 'solve', kind: 'article', target: 'thread-1' },
      { id },
    );
    expect(statusOf(wrongKind)).toBe(400);

    const solved = await postAs(
      agentTicketAction,
      here,
      agent.id,
      { intent: 'solve', kind: 'none', then: 'nothing' },
      { id },
    );
    expect(locationOf(solved)).toBe(here);
    const resolution = await db
      .selectFrom('resolutions')
      .selectAll()
      .where('ticket_id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(resolution).toMatchObject({ kind: 'none', resolved_by: agent.id });
    const event = await db
      .selectFrom('events')
      .selectAll()
      .where('type', '=', 'ticket_solved')
      .where('ticket_id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(event.data!)).toEqual({ kind: 'none', target: null });

    await postAs(
      requestAction,
      `/requests/${id}`,
      customer.id,
      { body: 'It is empty again today.' },
      { id },
    );
    ticket = await db
      .selectFrom('tickets')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(ticket.status).toBe('open');
    expect(
      await db
        .selectFrom('resolutions')
        .selectAll()
        .where('ticket_id', '=', created.id)
        .executeTakeFirst(),
    ).toBeUndefined();
  });

  test('links by pasted URL, key or answer anchor; unknown targets are refused', async () => {
    const db = getDb();
    const customer = await makeUser();
    const threadId = await makeQuestion(customer);
    const answerId = await makeAnswer(customer, threadId);
    const articleId = await publishedArticle('Linking test article');
    expect(
      await parseLinkReference(
        db,
        `https://help.example.com/questions/${threadId}/slug#answer-${answerId}`,
      ),
    ).toEqual({ type: 'post', id: answerId });
    expect(await parseLinkReference(db, `/questions/${threadId}/slug`)).toEqual({
      type: 'thread',
      id: threadId,
    });
    expect(await parseLinkReference(db, '/kb/linking-test-article')).toEqual({
      type: 'article',
      id: articleId,
    });
    expect(await parseLinkReference(db, `thread-${threadId}`)).toEqual({
      type: 'thread',
      id: threadId,
    });
    expect(await parseLinkReference(db, 'whatever')).toBeNull();
    const created = await createTicket(db, customer.id, ticketInput, { source: 'web' });
    if (!created.ok) throw new Error('ticket');
    expect(await linkTicket(db, null, created.id, { type: 'post', id: 99_999_999 })).toMatchObject({
      ok: false,
      status: 400,
    });
    const agent = await makeUser('agent');
    const result = await postAs(
      agentTicketAction,
      `/agent/tickets/${created.id}`,
      agent.id,
      { intent: 'link', reference: 'nonsense' },
      { id: String(created.id) },
    );
    expect(statusOf(result)).toBe(400);
    expect(formFailureOf(result)).toMatchObject({
      fieldErrors: { reference: 'That is not a link to a question, answer or article here.' },
      values: { reference: 'nonsense' },
    });
  });

  test('from a solved ticket: a public thread without the requester, and an article draft', async () => {
    const db = getDb();
    const customer = await makeUser();
    const agent = await makeUser('agent');
    const created = await createTicket(
      db,
      customer.id,
      {
        subject: 'Cannot add a second company',
        body: `Hi, ${customer.username} here (${customer.username}@example.com). The add button is grey.`,
        categoryId: null,
      },
      { source: 'web' },
    );
    if (!created.ok) throw new Error('ticket');
    await addTicketMessage(db, agent, created.id, {
      kind: 'reply',
      body: 'A second company needs the Plus plan: Settings → Plan → Upgrade.',
    });
    await resolveTicket(db, agent, created.id, { kind: 'none' });
    const posted = await postTicketToCommunity(db, agent, created.id);
    if (!posted.ok) throw new Error(posted.error);
    const thread = await db
      .selectFrom('threads')
      .selectAll()
      .where('id', '=', posted.threadId)
      .executeTakeFirstOrThrow();
    expect(thread.title).toBe('Cannot add a second company');
    expect(thread.author_id).toBe(agent.id);
    expect(thread.body_md).not.toContain(customer.username);
    expect(thread.body_md).toContain('[email removed]');
    expect(thread.accepted_post_id).not.toBeNull();

    const drafted = await draftArticleFromTicket(db, agent, created.id);
    if (!drafted.ok) throw new Error(drafted.error);
    const article = await db
      .selectFrom('articles')
      .selectAll()
      .where('id', '=', drafted.articleId)
      .executeTakeFirstOrThrow();
    expect(article).toMatchObject({ status: 'draft', title: 'Cannot add a second company' });
    expect(article.body_md).toContain('Plus plan');
    // A second draft from the same subject gets its own address.
    const again = await draftArticleFromTicket(db, agent, created.id);
    expect(again.ok).toBe(true);
  });
});

describe('the whole customer', () => {
  test('an organisation’s tickets, threads and searches from the last 90 days, and its problems by tag', async () => {
    const db = getDb();
    const org = await db
      .insertInto('organizations')
      .values({ name: 'Acme Ltd', created_at: new Date().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const alice = await makeUser();
    const bob = await makeUser();
    const outsider = await makeUser();
    await db
      .updateTable('users')
      .set({ organization_id: org.id })
      .where('id', 'in', [alice.id, bob.id])
      .execute();
    const now = new Date();
    const first = await createTicket(db, alice.id, ticketInput, { source: 'web', now });
    const second = await createTicket(
      db,
      bob.id,
      { ...ticketInput, subject: 'Payroll totals are off' },
      { source: 'web', now },
    );
    const old = await createTicket(db, bob.id, ticketInput, {
      source: 'web',
      now: new Date(now.getTime() - 120 * 86_400_000),
    });
    await createTicket(db, outsider.id, ticketInput, { source: 'web', now });
    if (!first.ok || !second.ok || !old.ok) throw new Error('ticket');
    const threadId = await makeQuestion(bob, 'Payroll export misses contractors');
    await db
      .insertInto('tags')
      .values({ name: 'payroll', created_at: now.toISOString() })
      .onConflict((oc) => oc.doNothing())
      .execute();
    const tag = await db
      .selectFrom('tags')
      .select('id')
      .where('name', '=', 'payroll')
      .executeTakeFirstOrThrow();
    await db.insertInto('thread_tags').values({ thread_id: threadId, tag_id: tag.id }).execute();
    await linkTicket(db, null, first.id, { type: 'thread', id: threadId });
    await recordSearch(
      db,
      { userId: alice.id, visitorKey: `u${alice.id}`, staff: false, bot: false },
      { query: 'payroll export', filters: {}, results: 0, engine: 'fts' },
    );

    const activity = await organizationActivity(db, org.id, { excludeTicketId: first.id });
    expect(activity.tickets.map((ticket) => ticket.id)).toEqual([second.id]);
    expect(activity.threads.map((thread) => thread.id)).toEqual([threadId]);
    expect(activity.searches).toEqual([
      expect.objectContaining({ query: 'payroll export', times: 1, results: 0 }),
    ]);

    const overview = await organizationOverview(db, org.id, now);
    expect(overview?.people.map((person) => person.id).sort()).toEqual([alice.id, bob.id].sort());
    expect(overview?.tickets).toHaveLength(3);
    const payroll = overview?.problems.tags.find((row) => row.tag === 'payroll');
    // One linked ticket and one question this month.
    expect(payroll?.counts.at(-1)).toBe(2);
    expect(payroll?.total).toBe(2);
  });
});

describe('ticket notifications', () => {
  test('a public reply notifies the requester; their answer notifies the assignee; notes notify nobody', async () => {
    const db = getDb();
    const customer = await makeUser();
    const agent = await makeUser('agent');
    const created = await createTicket(db, customer.id, ticketInput, { source: 'web' });
    if (!created.ok) throw new Error('ticket');
    await addTicketMessage(db, agent, created.id, { kind: 'note', body: 'Checking the logs.' });
    expect((await listNotifications(db, customer.id)).notifications).toHaveLength(0);
    await addTicketMessage(db, agent, created.id, { kind: 'reply', body: 'Fixed on our side.' });
    const [toCustomer] = (await listNotifications(db, customer.id)).notifications;
    expect(toCustomer).toMatchObject({ type: 'ticket', title: ticketInput.subject });
    expect(await openNotification(db, customer.id, toCustomer!.id)).toBe(`/requests/${created.id}`);

    await addTicketMessage(db, customer, created.id, { kind: 'reply', body: 'Works now, thanks.' });
    const [toAgent] = (await listNotifications(db, agent.id)).notifications;
    expect(toAgent).toMatchObject({ type: 'ticket', ticket_id: created.id });
    expect(await openNotification(db, agent.id, toAgent!.id)).toBe(`/agent/tickets/${created.id}`);
  });
});

describe('deflection', () => {
  test('opening a suggestion from the contact form records a deflection candidate, then goes there', async () => {
    const { loader: goLoader } = await import('~/routes/search.go');
    const customer = await makeUser();
    const articleId = await publishedArticle('Deflection test article');
    const result = await getAs(
      goLoader,
      `/search/go?key=article-${articleId}&pos=1&q=deflection+test&from=ticket`,
      customer.id,
    );
    expect(locationOf(result)).toBe('/kb/deflection-test-article');
    const event = await getDb()
      .selectFrom('events')
      .selectAll()
      .where('type', '=', 'deflection')
      .where('user_id', '=', customer.id)
      .executeTakeFirstOrThrow();
    expect(event.article_id).toBe(articleId);
    expect(JSON.parse(event.data!)).toMatchObject({ source: 'ticket', query: 'deflection test' });
  });
});
