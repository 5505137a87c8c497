import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { ticketFigures } from '~/models/analytics/ticket-figures.server';
import { parseRange } from '~/models/analytics/date-range';
import { postUpdate } from '~/models/problems/problem-updates.server';
import { linkToProblem, openProblems, saveProblem } from '~/models/problems/problems.server';
import { createTicket } from '~/models/tickets.server';
import {
  action as problemAction,
  loader as problemLoader,
} from '~/routes/agent.problems.$id/route';
import { loader as orgLoader } from '~/routes/agent.orgs.$id';
import { action as publicAction, loader as publicLoader } from '~/routes/known-issues.$id';
import { loader as publicListLoader } from '~/routes/known-issues._index';
import { loader as questionLoader } from '~/routes/questions.$id.($slug)/route';
import { loader as requestLoader } from '~/routes/requests.$id';
import { createPersonalApiToken } from '~/models/api-tokens.server';
import { loader as listApi } from '~/routes/api.v1.problems._index';
import { loader as getApi } from '~/routes/api.v1.problems.$id._index';
import { action as updateApi } from '~/routes/api.v1.problems.$id.updates';
import { action as problemsAction, loader as problemsLoader } from '~/routes/agent.problems._index';
import { loader as goLoader } from '~/routes/search.go';
import { loader as suggestLoader } from '~/routes/search.suggest';
import { createWebhook } from '~/models/webhooks.server';
import { getDb } from '~/utils/db.server';
import { makeQuestion, makeUser, makeVerifiedUser } from '../support/community';
import {
  apiRequest,
  callApi,
  formReplyOf,
  getAs,
  loaderData,
  locationOf,
  postAs,
  sessionCookieFor,
  statusOf,
  testContext,
} from '../support/requests';

const blnsFile = path.resolve(import.meta.dirname, '../../../shared/data/naughty/blns.json');

type Person = Awaited<ReturnType<typeof makeVerifiedUser>>;
let agent: Person;
let northfield: Person[];
let brightside: Person;
let follower: Person;
let asker: Person;

async function organization(name: string, people: Person[]) {
  const db = getDb();
  const org = await db
    .insertInto('organizations')
    .values({ name, created_at: new Date().toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .updateTable('users')
    .set({ organization_id: org.id })
    .where(
      'id',
      'in',
      people.map((person) => person.id),
    )
    .execute();
  return org.id;
}

async function ticketBy(person: Person, subject: string) {
  const created = await createTicket(
    getDb(),
    person.id,
    { subject, body: 'Direct deposit failed with R03 for one employee.', categoryId: null },
    { source: 'web' },
  );
  if (!created.ok) throw new Error('ticket');
  return created.id;
}

async function mailsOfKind(kind: string) {
  return getDb()
    .selectFrom('mail_outbox')
    .select(['to_address', 'subject', 'text_body'])
    .where('kind', '=', kind)
    .execute();
}

/** A question page's loader data (the loader answers with data()). */
async function questionPageAs(userId: number | null, threadId: number) {
  const { slug } = await getDb()
    .selectFrom('threads')
    .select('slug')
    .where('id', '=', threadId)
    .executeTakeFirstOrThrow();
  const result = (await loaderData(questionLoader, `/questions/${threadId}/${slug}`, userId, {
    id: String(threadId),
    slug,
  })) as unknown as { data: { knownIssue: { id: number; title: string } | null } };
  return result.data;
}

const problemForm = (overrides: Record<string, string> = {}) => ({
  intent: 'save',
  title: 'Direct deposits fail with R03 for new employees',
  state: 'investigating',
  description: 'The bank file puts the routing number in the account field.',
  publicSummary: 'Some direct deposits to new employees fail with R03.',
  categoryId: '',
  public: 'on',
  workaround: '',
  trackerUrl: 'https://tracker.example/PAY-812',
  trackerId: 'PAY-812',
  ...overrides,
});

beforeAll(async () => {
  agent = await makeVerifiedUser('agent');
  northfield = [await makeVerifiedUser(), await makeVerifiedUser()];
  brightside = await makeVerifiedUser();
  follower = await makeVerifiedUser();
  asker = await makeVerifiedUser();
  await organization('Northfield Family Clinic', northfield);
  await organization('Brightside Bakery', [brightside]);
});

describe('known issues', () => {
  test('an agent gathers three tickets from two organisations and a thread; a customer follows; fixed mails everyone once and solves the tickets', async () => {
    const db = getDb();
    const first = await ticketBy(northfield[0]!, 'R03 on a new nurse’s deposit');
    // Started from the first ticket: it is linked when the issue is saved.
    const created = await postAs(
      problemAction,
      `/agent/problems/new?ticket=${first}`,
      agent.id,
      { ...problemForm(), ticketId: String(first) },
      { id: 'new' },
    );
    const problemId = Number(/\/agent\/problems\/(\d+)$/.exec(locationOf(created) ?? '')?.[1]);
    expect(problemId).toBeGreaterThan(0);
    const second = await ticketBy(northfield[1]!, 'Payroll deposit bounced R03');
    const third = await ticketBy(brightside, 'Deposit returned: no account/unable to locate');
    const threadId = await makeQuestion(asker, 'Direct deposit failed R03 for a new hire');
    const page = `/agent/problems/${problemId}`;
    for (const reference of [
      `#${second}`,
      String(third),
      `/questions/${threadId}/direct-deposit`,
    ]) {
      const linked = await postAs(
        problemAction,
        page,
        agent.id,
        { intent: 'link', reference },
        {
          id: String(problemId),
        },
      );
      expect(locationOf(linked)).toBe(page);
    }
    const bad = await postAs(
      problemAction,
      page,
      agent.id,
      { intent: 'link', reference: 'https://example.com/nothing' },
      { id: String(problemId) },
    );
    expect(formReplyOf(bad).fieldErrors.reference).toMatch(/ticket number/);

    // The customer who asked sees the banner on the question; a follower follows it.
    expect((await questionPageAs(asker.id, threadId)).knownIssue?.id).toBe(problemId);
    const followed = await postAs(
      publicAction,
      `/known-issues/${problemId}`,
      follower.id,
      {
        follow: 'on',
      },
      { id: String(problemId) },
    );
    expect(locationOf(followed)).toBe(`/known-issues/${problemId}`);
    const publicPage = await loaderData(publicLoader, `/known-issues/${problemId}`, follower.id, {
      id: String(problemId),
    });
    expect(publicPage.following).toBe(true);
    expect(publicPage.affected).toBe(5);

    const team = await loaderData(problemLoader, page, agent.id, { id: String(problemId) });
    expect(team.page?.tickets.map((ticket) => ticket.id)).toEqual([first, second, third]);
    expect(team.page?.organizations.map((org) => [org.name, org.people])).toEqual([
      ['Northfield Family Clinic', 2],
      ['Brightside Bakery', 1],
    ]);

    const fixed = await postAs(
      problemAction,
      page,
      agent.id,
      {
        intent: 'update',
        state: 'fixed',
        note: 'The bank file is fixed: resend the run.',
        public: 'on',
        solveLinked: 'on',
      },
      { id: String(problemId) },
    );
    expect(locationOf(fixed)).toContain('mailed=5&solved=3');

    // One mail per person: three requesters, the follower and the asker.
    const mails = await mailsOfKind('known_issue');
    const addresses = [...northfield, brightside, follower, asker].map((person) => person.email);
    expect(mails.map((mail) => mail.to_address).sort()).toEqual([...addresses].sort());
    expect(mails[0]?.subject).toBe('Fixed: Direct deposits fail with R03 for new employees');
    expect(mails[0]?.text_body).toContain('The bank file is fixed: resend the run.');
    // The quiet solve sends no "solved" mail of its own.
    const solvedMails = (await mailsOfKind('ticket_solved')).filter((mail) =>
      addresses.includes(mail.to_address),
    );
    expect(solvedMails).toEqual([]);

    const resolutions = await db
      .selectFrom('resolutions')
      .select(['ticket_id', 'kind', 'problem_id'])
      .where('ticket_id', 'in', [first, second, third])
      .orderBy('ticket_id')
      .execute();
    expect(resolutions).toEqual(
      [first, second, third].map((ticket_id) => ({
        ticket_id,
        kind: 'known_issue',
        problem_id: problemId,
      })),
    );
    const comment = await db
      .selectFrom('comments')
      .select('body_md')
      .where('thread_id', '=', threadId)
      .executeTakeFirstOrThrow();
    expect(comment.body_md).toContain('is fixed');

    // The gap dashboard counts them.
    const { range } = parseRange(new URLSearchParams('range=7d'));
    expect((await ticketFigures(db, range)).resolutions.known_issue).toBe(3);

    // Posting "fixed" again tells nobody twice.
    const again = await postUpdate(db, agent, problemId, {
      state: 'fixed',
      note: 'Still fixed.',
      public: 1,
      solveLinked: true,
    });
    expect(again).toMatchObject({ ok: true, mailed: 0 });
    // Nor does reopening it and fixing it again.
    for (const state of ['investigating', 'fixed'] as const)
      expect(
        await postUpdate(db, agent, problemId, { state, note: '', public: 1, solveLinked: false }),
      ).toMatchObject({ ok: true, mailed: 0 });
    expect(await mailsOfKind('known_issue')).toHaveLength(5);

    // The organisation page names it with its people there.
    const orgId = (
      await db
        .selectFrom('users')
        .select('organization_id')
        .where('id', '=', brightside.id)
        .executeTakeFirstOrThrow()
    ).organization_id!;
    const org = await loaderData(orgLoader, `/agent/orgs/${orgId}`, agent.id, {
      id: String(orgId),
    });
    expect(org.knownIssues).toEqual([
      expect.objectContaining({ id: problemId, people: [brightside.display_name] }),
    ]);
  });

  test('a known issue that is not public is never shown to customers', async () => {
    const db = getDb();
    const saved = await saveProblem(
      db,
      agent,
      null,
      problemForm({ public: '', title: 'Internal: ledger lock contention' }),
    );
    if (!saved.ok) throw new Error('problem');
    const member = await makeUser();
    const threadId = await makeQuestion(member, 'Saving an invoice hangs for a minute');
    const ticketId = await ticketBy(brightside, 'Saving hangs');
    await linkToProblem(db, agent, saved.id, { type: 'thread', id: threadId });
    await linkToProblem(db, agent, saved.id, { type: 'ticket', id: ticketId });

    expect(
      statusOf(
        await getAs(publicLoader, `/known-issues/${saved.id}`, member.id, { id: String(saved.id) }),
      ),
    ).toBe(404);
    expect(
      statusOf(
        await getAs(publicLoader, `/known-issues/${saved.id}`, null, { id: String(saved.id) }),
      ),
    ).toBe(404);
    const follow = await postAs(
      publicAction,
      `/known-issues/${saved.id}`,
      member.id,
      { follow: 'on' },
      { id: String(saved.id) },
    ).catch((thrown: unknown) => thrown);
    expect(statusOf(follow)).toBe(404);
    const list = await loaderData(publicListLoader, '/known-issues', member.id);
    expect([...list.open, ...list.fixed].map((problem) => problem.id)).not.toContain(saved.id);
    expect((await questionPageAs(member.id, threadId)).knownIssue).toBe(null);
    expect((await questionPageAs(null, threadId)).knownIssue).toBe(null);
    const request = await loaderData(requestLoader, `/requests/${ticketId}`, brightside.id, {
      id: String(ticketId),
    });
    expect(request.knownIssue).toBe(null);
    // Staff see it, marked as theirs.
    expect((await questionPageAs(agent.id, threadId)).knownIssue).toMatchObject({ id: saved.id });
    // Agents only: a customer cannot open the team's page.
    const customerTry = await getAs(problemLoader, `/agent/problems/${saved.id}`, member.id, {
      id: String(saved.id),
    }).catch((thrown: unknown) => thrown);
    expect(statusOf(customerTry)).toBe(403);
  });

  test('linking a thread throws its page out of the page cache', async () => {
    const db = getDb();
    const saved = await saveProblem(
      db,
      agent,
      null,
      problemForm({ title: 'Bank feed stops nightly' }),
    );
    if (!saved.ok) throw new Error('problem');
    const threadId = await makeQuestion(asker, 'Bank feed stopped overnight again');
    const version = async () =>
      (
        await db
          .selectFrom('page_versions')
          .select('version')
          .where('page', '=', `thread:${threadId}`)
          .executeTakeFirst()
      )?.version ?? 0;
    // Saving its details keeps its state: states change through updates only.
    const resaved = await saveProblem(
      db,
      agent,
      saved.id,
      problemForm({ title: 'Bank feed stops nightly', state: 'fixed' }),
    );
    expect(resaved).toEqual({ ok: true, id: saved.id });
    expect(
      (
        await db
          .selectFrom('problems')
          .select('state')
          .where('id', '=', saved.id)
          .executeTakeFirstOrThrow()
      ).state,
    ).toBe('investigating');
    const before = await version();
    await linkToProblem(db, agent, saved.id, { type: 'thread', id: threadId });
    const linked = await version();
    expect(linked).toBeGreaterThan(before);
    await postUpdate(db, agent, saved.id, {
      state: 'identified',
      note: '',
      public: 1,
      solveLinked: false,
    });
    expect(await version()).toBeGreaterThan(linked);
  });

  test('blns titles, summaries and tracker ids are saved or refused with a message; only http(s) tracker links', async () => {
    const strings = (JSON.parse(fs.readFileSync(blnsFile, 'utf8')) as string[]).filter(
      (text) => !text.includes('\0'),
    );
    for (const text of strings) {
      const result = await postAs(
        problemAction,
        '/agent/problems/new',
        agent.id,
        problemForm({ title: text, publicSummary: text, trackerId: text.slice(0, 100) }),
        { id: 'new' },
      );
      if (locationOf(result)) continue;
      const reply = formReplyOf(result);
      expect(Object.keys(reply.fieldErrors)).toEqual(['title']);
      expect(reply.values.title).toBe(text);
    }
    for (const trackerUrl of [
      'javascript:alert(1)',
      'ftp://tracker.example/1',
      'tracker.example/1',
    ]) {
      const refused = await postAs(
        problemAction,
        '/agent/problems/new',
        agent.id,
        problemForm({ trackerUrl }),
        { id: 'new' },
      );
      expect(formReplyOf(refused).fieldErrors.trackerUrl).toBe(
        'Use an address starting with https://.',
      );
    }
  });

  test("API v1: a customer's token reads public known issues only, without the team's part; the team's token posts an update", async () => {
    const db = getDb();
    const shown = await saveProblem(
      db,
      agent,
      null,
      problemForm({ title: 'Payslips show last month' }),
    );
    const hidden = await saveProblem(
      db,
      agent,
      null,
      problemForm({ public: '', title: 'Internal: slow ledger' }),
    );
    if (!shown.ok || !hidden.ok) throw new Error('problems');
    const hook = await createWebhook(db, agent.id, {
      url: 'http://127.0.0.1:9/tracker',
      description: 'engineering tracker',
      events: ['problem.updated'],
    });
    if (!hook.ok) throw new Error('webhook');
    const ticketId = await ticketBy(brightside, 'Payslip shows last month');
    await linkToProblem(db, agent, shown.id, { type: 'ticket', id: ticketId });
    const customerToken = await createPersonalApiToken(db, brightside, {
      name: 'mine',
      scopes: ['read', 'tickets:write'],
    });
    const agentToken = await createPersonalApiToken(db, agent, {
      name: 'tracker',
      scopes: ['read', 'tickets:write'],
    });
    if (!customerToken.ok || !agentToken.ok) throw new Error('tokens');

    const list = await callApi(listApi, apiRequest('/problems', { token: customerToken.token }));
    const ids = list.body.problems.map((problem: { id: number }) => problem.id);
    expect(ids).toContain(shown.id);
    expect(ids).not.toContain(hidden.id);
    expect(list.body.problems.find((problem: { id: number }) => problem.id === shown.id).team).toBe(
      null,
    );
    const one = (token: string, id: number) =>
      callApi(getApi, apiRequest(`/problems/${id}`, { token }), { id: String(id) });
    expect((await one(customerToken.token, hidden.id)).status).toBe(404);
    expect((await one(agentToken.token, hidden.id)).status).toBe(200);
    expect((await one(agentToken.token, shown.id)).body.team).toMatchObject({
      tracker_id: 'PAY-812',
      ticket_ids: [ticketId],
    });

    const post = (token: string, body: unknown) =>
      callApi(
        updateApi,
        apiRequest(`/problems/${shown.id}/updates`, {
          method: 'POST',
          token,
          body: JSON.stringify(body),
        }),
        { id: String(shown.id) },
      );
    expect((await post(customerToken.token, { state: 'fixed' })).status).toBe(403);
    expect((await post(agentToken.token, { state: 'mended' })).status).toBe(400);
    const fixed = await post(agentToken.token, {
      state: 'fixed',
      note: 'Payslips are right again.',
      solve_linked: true,
    });
    expect(fixed.status).toBe(200);
    expect(fixed.body).toMatchObject({ state: 'fixed', affected_people: 1 });
    // The engineering tracker hears of it by webhook.
    const payloads = (
      await db
        .selectFrom('webhook_deliveries')
        .select('payload')
        .where('webhook_id', '=', hook.id)
        .execute()
    ).map((row) => JSON.parse(row.payload));
    expect(payloads.at(-1)).toMatchObject({
      type: 'problem.updated',
      data: {
        problem: { id: shown.id, state: 'fixed', tracker_id: 'PAY-812', ticket_ids: [ticketId] },
      },
    });
    const ticket = await db
      .selectFrom('tickets')
      .select('status')
      .where('id', '=', ticketId)
      .executeTakeFirstOrThrow();
    expect(ticket.status).toBe('solved');
  });

  test('pickers offer similar open known issues first; the contact form suggests public ones only', async () => {
    const db = getDb();
    const feed = await saveProblem(
      db,
      agent,
      null,
      problemForm({
        title: 'Bank feed stops every week with BF-401',
        publicSummary: 'Reconnect the bank feed.',
      }),
    );
    const secret = await saveProblem(
      db,
      agent,
      null,
      problemForm({ public: '', title: 'Bank feed importer crashes on BF-401 payloads' }),
    );
    if (!feed.ok || !secret.ok) throw new Error('problems');
    const picked = await openProblems(db, 'Our bank feed stopped again (BF-401)');
    expect(picked.slice(0, 2).map((problem) => problem.similar)).toEqual([true, true]);
    expect(picked.find((problem) => problem.title.startsWith('Internal'))?.similar).toBe(false);

    const suggest = async (q: string) =>
      (await loaderData(
        suggestLoader,
        `/search/suggest?known=1&q=${encodeURIComponent(q)}`,
        brightside.id,
      )) as unknown as Response;
    const body = await (await suggest('bank feed stopped BF-401')).json();
    const ids = body.problems.map((problem: { id: number }) => problem.id);
    expect(ids).toContain(feed.id);
    expect(ids).not.toContain(secret.id);
    // Opening it counts as a deflection, like an article suggested on the contact form.
    const opened = await getAs(
      goLoader,
      `/search/go?key=problem-${feed.id}&pos=1&q=bank+feed&from=ticket`,
      brightside.id,
    );
    expect(locationOf(opened)).toBe(`/known-issues/${feed.id}`);
    const hidden = await getAs(
      goLoader,
      `/search/go?key=problem-${secret.id}&pos=1&q=bank+feed&from=ticket`,
      brightside.id,
    );
    expect(statusOf(hidden)).toBe(404);
    const deflection = await db
      .selectFrom('events')
      .select('data')
      .where('type', '=', 'deflection')
      .where('user_id', '=', brightside.id)
      .execute();
    expect(deflection.map((event) => JSON.parse(String(event.data)).key)).toEqual([
      `problem-${feed.id}`,
    ]);
  });

  test('the suggestion panel groups recent tickets with one error code from several people; one click makes them a known issue', async () => {
    const db = getDb();
    const people = [northfield[0]!, northfield[1]!, brightside];
    const ids = [];
    for (const [index, person] of people.entries())
      ids.push(await ticketBy(person, `Invoice export stops with EXP-7731 again (${index + 1})`));
    const page = await loaderData(problemsLoader, '/agent/problems', agent.id);
    const group = page.groups.find(
      (candidate) => candidate.reason === 'The same error code: EXP7731',
    );
    expect(group?.items.map((item) => item.id).sort()).toEqual([...ids].sort());
    expect(group?.organizations).toBe(2);
    // "Start a known issue from these" sends every item: each one is linked.
    const form = new URLSearchParams({ title: 'Invoice export stops with EXP-7731' });
    for (const item of group!.items) form.append('item', item.key);
    const request = new Request('http://localhost/agent/problems', {
      method: 'POST',
      body: form,
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Cookie: await sessionCookieFor(agent.id),
      },
    });
    const created = (await problemsAction({
      request,
      params: {},
      context: testContext,
    })) as Response;
    const problemId = Number(/\/agent\/problems\/(\d+)$/.exec(locationOf(created) ?? '')?.[1]);
    const linked = await db
      .selectFrom('problem_links')
      .select('target_id')
      .where('problem_id', '=', problemId)
      .where('target_type', '=', 'ticket')
      .execute();
    expect(linked.map((row) => row.target_id).sort()).toEqual([...ids].sort());
    // Linked now, they are no longer suggested.
    const after = await loaderData(problemsLoader, '/agent/problems', agent.id);
    expect(
      after.groups.some((candidate) => candidate.reason === 'The same error code: EXP7731'),
    ).toBe(false);
  });
});
