import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { ApiScope, Role } from '#db/schema';
import { createApiToken, personalTokenLimit } from '~/models/api-tokens.server';
import { createArticle, transitionArticle } from '~/models/articles.server';
import { saveProblem } from '~/models/problems/problems.server';
import { removeSpammer, suspendUser, unsuspendUser } from '~/models/sanctions.server';
import { addTicketMessage, createTicket } from '~/models/tickets.server';
import { changeRole } from '~/models/users.server';
import * as adminTokens from '~/routes/admin.api-tokens';
import * as catchAll from '~/routes/api.v1.$';
import * as analyticsArticles from '~/routes/api.v1.analytics.articles';
import * as analyticsGaps from '~/routes/api.v1.analytics.gaps';
import * as analyticsSearch from '~/routes/api.v1.analytics.search';
import * as analyticsSelfService from '~/routes/api.v1.analytics.self-service';
import * as analyticsStages from '~/routes/api.v1.analytics.stages';
import * as analyticsSummary from '~/routes/api.v1.analytics.summary';
import * as analyticsThreads from '~/routes/api.v1.analytics.threads';
import * as analyticsTickets from '~/routes/api.v1.analytics.tickets';
import * as article from '~/routes/api.v1.articles.$slug';
import * as inboundEmail from '~/routes/api.v1.inbound-email';
import * as openApi from '~/routes/api.v1.openapi[.]json';
import * as problem from '~/routes/api.v1.problems.$id._index';
import * as problemUpdates from '~/routes/api.v1.problems.$id.updates';
import * as problems from '~/routes/api.v1.problems._index';
import * as reportsAgents from '~/routes/api.v1.reports.agents';
import * as reportsOrganizations from '~/routes/api.v1.reports.organizations';
import * as reportsSatisfaction from '~/routes/api.v1.reports.satisfaction';
import * as reportsSummary from '~/routes/api.v1.reports.summary';
import * as reportsVolume from '~/routes/api.v1.reports.volume';
import * as search from '~/routes/api.v1.search';
import * as thread from '~/routes/api.v1.threads.$id';
import * as ticket from '~/routes/api.v1.tickets.$id._index';
import * as ticketLinks from '~/routes/api.v1.tickets.$id.links';
import * as ticketResolve from '~/routes/api.v1.tickets.$id.resolve';
import * as tickets from '~/routes/api.v1.tickets._index';
import * as security from '~/routes/settings.security';
import { getDb } from '~/utils/db.server';
import { makeQuestion, makeUser } from '../support/community';
import {
  apiRequest,
  callApi,
  callRoute,
  type RouteHandler,
  sessionCookieFor,
  statusOf,
  formRequest,
} from '../support/requests';

/*
 * Personal API tokens act as their owner and never do more than the owner can in the browser
 * (docs/decisions/025-personal-api-tokens.md); site tokens keep acting with their scopes alone.
 */

type Person = { id: number; username: string; role: Role };
type Caller = 'member' | 'agent' | 'moderator' | 'admin' | 'site';
const callers: Caller[] = ['member', 'agent', 'moderator', 'admin', 'site'];

/** A form post to /settings/security as this person. */
async function securityPost(person: { id: number }, fields: Record<string, string | string[]>) {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(fields))
    for (const one of [value].flat()) body.append(key, one);
  const request = new Request('http://localhost/settings/security', {
    method: 'POST',
    body,
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Cookie: await sessionCookieFor(person.id),
    },
  });
  return callRoute(security.action as RouteHandler, request);
}

type SecurityReply = {
  formError: string | null;
  notice: string | null;
  fieldErrors: Record<string, string>;
  createdToken: { name: string; token: string } | null;
};

function replyOf(result: unknown): SecurityReply {
  if (typeof result === 'object' && result !== null && 'data' in result)
    return result.data as SecurityReply;
  throw new Error(`not a form reply: ${String(result)}`);
}

/** Makes a personal token the way a person does, on /settings/security; returns its secret. */
async function personalToken(person: Person, scopes: ApiScope[], name = 'my script') {
  const result = await securityPost(person, { intent: 'create-token', name, scopes });
  expect(statusOf(result)).toBe(201);
  const created = replyOf(result).createdToken;
  if (!created) throw new Error('no token was shown');
  const row = await getDb()
    .selectFrom('api_tokens')
    .select(['id', 'owner_id'])
    .where('prefix', '=', created.token.slice(0, 9))
    .executeTakeFirstOrThrow();
  expect(row.owner_id).toBe(person.id);
  return { id: row.id, token: created.token };
}

async function fileTicket(requesterId: number, subject: string) {
  const created = await createTicket(
    getDb(),
    requesterId,
    { subject, body: 'The export stops halfway every single time.', categoryId: null },
    { source: 'web' },
  );
  if (!created.ok) throw new Error(JSON.stringify(created.fieldErrors));
  return created.id;
}

const listTickets = (token: string, query = '') =>
  callApi(tickets.loader as RouteHandler, apiRequest(`/tickets${query}`, { token }));
const getTicket = (token: string, id: number) =>
  callApi(ticket.loader as RouteHandler, apiRequest(`/tickets/${id}`, { token }), {
    id: String(id),
  });
const analytics = (token: string) =>
  callApi(analyticsSummary.loader as RouteHandler, apiRequest('/analytics/summary', { token }));

const mail =
  'From: Lee <lee@customer.example>\r\nTo: support@help.example.com\r\nSubject: Export to CSV fails\r\n\r\nThe export stops at 80% every time.\r\n';

describe('what each token may do on every /api/v1 endpoint', () => {
  type World = {
    people: Record<Exclude<Caller, 'site'>, Person>;
    tokens: Record<Caller, string>;
    stranger: Person;
    strangersTicket: number;
    /** A known issue customers may not see. */
    privateProblem: number;
    threadId: number;
    slug: string;
  };
  let world: World;

  beforeAll(async () => {
    const db = getDb();
    const people = {
      member: await makeUser('member'),
      agent: await makeUser('agent'),
      moderator: await makeUser('moderator'),
      admin: await makeUser('admin'),
    };
    const stranger = await makeUser('member');
    const threadId = await makeQuestion(stranger, 'How do I export invoices to CSV files?');
    const slug = `csv-export-${Date.now()}`;
    const draft = await createArticle(db, people.agent, {
      title: 'Exporting invoices to CSV',
      slug,
      body: 'Open the invoice list and choose Export, then CSV.',
      categoryId: null,
      tags: [],
      journeyStage: null,
    });
    if (!draft.ok) throw new Error('no article');
    await transitionArticle(db, people.agent, draft.id, 'published');
    const site = await createApiToken(db, people.admin.id, {
      name: 'helpdesk',
      scopes: ['read', 'tickets:write', 'mail:receive'],
    });
    const problem = await saveProblem(db, people.agent, null, {
      title: 'Exports stop at 80 percent',
      state: 'investigating',
    });
    if (!problem.ok) throw new Error('no known issue');
    world = {
      people,
      stranger,
      privateProblem: problem.id,
      strangersTicket: await fileTicket(stranger.id, 'A stranger’s export problem'),
      threadId,
      slug,
      tokens: {
        member: (await personalToken(people.member, ['read', 'tickets:write'])).token,
        agent: (await personalToken(people.agent, ['read', 'tickets:write'])).token,
        moderator: (await personalToken(people.moderator, ['read', 'tickets:write'])).token,
        admin: (await personalToken(people.admin, ['read', 'tickets:write', 'mail:receive'])).token,
        site: site.token,
      },
    };
  });

  type Endpoint = {
    /** The route file under app/routes. */
    file: string;
    name: string;
    handler: RouteHandler;
    request: (token: string, caller: Caller) => Promise<{ request: Request; params?: object }>;
    expected: Record<Caller, number>;
  };

  const all = (status: number): Record<Caller, number> => ({
    member: status,
    agent: status,
    moderator: status,
    admin: status,
    site: status,
  });
  const staffOnly = (status: number): Record<Caller, number> => ({
    ...all(status),
    member: 403,
  });
  const analyticsRoute = (
    file: string,
    module: { loader: unknown },
    name: string,
    prefix = 'analytics',
  ): Endpoint => ({
    file,
    name: `GET /${prefix}/${name}`,
    handler: module.loader as RouteHandler,
    request: async (token) => ({ request: apiRequest(`/${prefix}/${name}`, { token }) }),
    expected: staffOnly(200),
  });

  const endpoints: Endpoint[] = [
    {
      file: 'api.v1.$.ts',
      name: 'GET /nowhere',
      handler: catchAll.loader as RouteHandler,
      request: async (token) => ({ request: apiRequest('/nowhere', { token }) }),
      expected: all(404),
    },
    analyticsRoute('api.v1.analytics.articles.ts', analyticsArticles, 'articles'),
    analyticsRoute('api.v1.analytics.gaps.ts', analyticsGaps, 'gaps'),
    analyticsRoute('api.v1.analytics.search.ts', analyticsSearch, 'search'),
    analyticsRoute('api.v1.analytics.self-service.ts', analyticsSelfService, 'self-service'),
    analyticsRoute('api.v1.analytics.stages.ts', analyticsStages, 'stages'),
    analyticsRoute('api.v1.analytics.summary.ts', analyticsSummary, 'summary'),
    analyticsRoute('api.v1.analytics.threads.ts', analyticsThreads, 'threads'),
    analyticsRoute('api.v1.analytics.tickets.ts', analyticsTickets, 'tickets'),
    {
      file: 'api.v1.articles.$slug.ts',
      name: 'GET /articles/:slug',
      handler: article.loader as RouteHandler,
      request: async (token) => ({
        request: apiRequest(`/articles/${world.slug}`, { token }),
        params: { slug: world.slug },
      }),
      expected: all(200),
    },
    {
      file: 'api.v1.inbound-email.ts',
      name: 'POST /inbound-email',
      handler: inboundEmail.action as RouteHandler,
      request: async (token) => ({
        request: apiRequest('/inbound-email?to=support%40help.example.com', {
          method: 'POST',
          token,
          body: mail,
          contentType: 'message/rfc822',
        }),
      }),
      // Only an admin may give a token mail:receive: the others' tokens lack the scope.
      expected: { member: 403, agent: 403, moderator: 403, admin: 200, site: 200 },
    },
    {
      file: 'api.v1.openapi[.]json.ts',
      name: 'GET /openapi.json',
      handler: openApi.loader as RouteHandler,
      request: async (token) => ({ request: apiRequest('/openapi.json', { token }) }),
      expected: all(200),
    },
    {
      file: 'api.v1.problems._index.ts',
      name: 'GET /problems',
      handler: problems.loader as RouteHandler,
      request: async (token) => ({ request: apiRequest('/problems', { token }) }),
      expected: all(200),
    },
    {
      file: 'api.v1.problems.$id._index.ts',
      name: 'GET /problems/:id (one customers may not see)',
      handler: problem.loader as RouteHandler,
      request: async (token) => ({
        request: apiRequest(`/problems/${world.privateProblem}`, { token }),
        params: { id: String(world.privateProblem) },
      }),
      // A customer's token does not learn that it exists.
      expected: { ...all(200), member: 404 },
    },
    {
      file: 'api.v1.problems.$id.updates.ts',
      name: 'POST /problems/:id/updates',
      handler: problemUpdates.action as RouteHandler,
      request: async (token) => ({
        request: apiRequest(`/problems/${world.privateProblem}/updates`, {
          method: 'POST',
          token,
          body: JSON.stringify({ state: 'identified', note: 'Reproduced.' }),
        }),
        params: { id: String(world.privateProblem) },
      }),
      expected: staffOnly(200),
    },
    analyticsRoute('api.v1.reports.agents.ts', reportsAgents, 'agents', 'reports'),
    analyticsRoute(
      'api.v1.reports.organizations.ts',
      reportsOrganizations,
      'organizations',
      'reports',
    ),
    analyticsRoute(
      'api.v1.reports.satisfaction.ts',
      reportsSatisfaction,
      'satisfaction',
      'reports',
    ),
    analyticsRoute('api.v1.reports.summary.ts', reportsSummary, 'summary', 'reports'),
    analyticsRoute('api.v1.reports.volume.ts', reportsVolume, 'volume', 'reports'),
    {
      file: 'api.v1.search.ts',
      name: 'GET /search',
      handler: search.loader as RouteHandler,
      request: async (token) => ({ request: apiRequest('/search?q=export', { token }) }),
      expected: all(200),
    },
    {
      file: 'api.v1.threads.$id.ts',
      name: 'GET /threads/:id',
      handler: thread.loader as RouteHandler,
      request: async (token) => ({
        request: apiRequest(`/threads/${world.threadId}`, { token }),
        params: { id: String(world.threadId) },
      }),
      expected: all(200),
    },
    {
      file: 'api.v1.tickets.$id._index.ts',
      name: 'GET /tickets/:id (someone else’s)',
      handler: ticket.loader as RouteHandler,
      request: async (token) => ({
        request: apiRequest(`/tickets/${world.strangersTicket}`, { token }),
        params: { id: String(world.strangersTicket) },
      }),
      // A customer's token does not learn that the ticket exists.
      expected: { ...all(200), member: 404 },
    },
    {
      file: 'api.v1.tickets.$id.links.ts',
      name: 'POST /tickets/:id/links',
      handler: ticketLinks.action as RouteHandler,
      request: async (token) => ({
        request: apiRequest(`/tickets/${world.strangersTicket}/links`, {
          method: 'POST',
          token,
          body: JSON.stringify({ type: 'thread', id: world.threadId }),
        }),
        params: { id: String(world.strangersTicket) },
      }),
      expected: staffOnly(201),
    },
    {
      file: 'api.v1.tickets.$id.resolve.ts',
      name: 'POST /tickets/:id/resolve',
      handler: ticketResolve.action as RouteHandler,
      request: async (token) => {
        const id = await fileTicket(world.stranger.id, 'Another export problem');
        return {
          request: apiRequest(`/tickets/${id}/resolve`, {
            method: 'POST',
            token,
            body: JSON.stringify({ kind: 'other', note: 'Explained on the phone.' }),
          }),
          params: { id: String(id) },
        };
      },
      expected: staffOnly(200),
    },
    {
      file: 'api.v1.tickets._index.ts',
      name: 'GET /tickets',
      handler: tickets.loader as RouteHandler,
      request: async (token) => ({ request: apiRequest('/tickets', { token }) }),
      expected: all(200),
    },
    {
      file: 'api.v1.tickets._index.ts',
      name: 'POST /tickets',
      handler: tickets.action as RouteHandler,
      request: async (token, caller) => ({
        request: apiRequest('/tickets', {
          method: 'POST',
          token,
          body: JSON.stringify({
            subject: 'The CSV export stops halfway',
            body: 'It stops at 80% every time I try it.',
            // A site token says whom the ticket is for; a personal one files for its owner.
            ...(caller === 'site' ? { requester: { email: 'pat@customer.example' } } : {}),
          }),
        }),
      }),
      expected: all(201),
    },
  ];

  test('every route file under app/routes/api.v1.* is in the table (add new ones to it)', () => {
    const files = fs
      .readdirSync(path.resolve('app/routes'))
      .filter((file) => file.startsWith('api.v1.'))
      .sort();
    expect(files.length).toBeGreaterThanOrEqual(18);
    expect([...new Set(endpoints.map((endpoint) => endpoint.file))].sort()).toEqual(files);
  });

  for (const endpoint of endpoints) {
    test(`${endpoint.name}: ${callers.map((caller) => `${caller} ${endpoint.expected[caller]}`).join(', ')}`, async () => {
      const outcomes: Record<string, number> = {};
      for (const caller of callers) {
        const { request, params } = await endpoint.request(world.tokens[caller], caller);
        const result = await callApi(
          endpoint.handler,
          request,
          (params ?? {}) as Record<string, string>,
        );
        outcomes[caller] = result.status;
        if (result.status === 403 && caller === 'member' && endpoint.expected.member === 403)
          // A refusal says why, in the one error shape.
          expect(result.body.error.code).toMatch(/^(forbidden|insufficient_scope)$/);
      }
      expect(outcomes).toEqual(endpoint.expected);
    });
  }

  test('a customer’s token lists only their own tickets and reads them as their requests page does', async () => {
    const { member, agent } = world.people;
    const own = await fileTicket(member.id, 'My own export problem');
    await addTicketMessage(getDb(), agent, own, {
      kind: 'note',
      body: 'Internal: this customer is on the legacy plan.',
    });
    await addTicketMessage(getDb(), agent, own, {
      kind: 'reply',
      body: 'Could you send us the file?',
      status: 'pending',
    });

    const listed = await listTickets(world.tokens.member);
    expect(listed.status).toBe(200);
    const requesters = listed.body.tickets.map(
      (row: { requester: { id: number } }) => row.requester.id,
    );
    expect(listed.body.tickets.map((row: { id: number }) => row.id)).toContain(own);
    expect(new Set(requesters)).toEqual(new Set([member.id]));
    const byStatus = await listTickets(world.tokens.member, '?status=pending');
    expect(byStatus.body.tickets.map((row: { id: number }) => row.id)).toEqual([own]);

    const read = await getTicket(world.tokens.member, own);
    expect(read.status).toBe(200);
    expect(read.body.messages.map((message: { body: string }) => message.body)).toEqual([
      'Could you send us the file?',
    ]);
    expect(JSON.stringify(read.body)).not.toContain('legacy plan');
    expect(read.body.assignee).toBeNull();

    const other = await getTicket(world.tokens.member, world.strangersTicket);
    expect(other).toEqual({
      status: 404,
      body: { error: { code: 'not_found', message: 'No ticket has that id.' } },
    });
    // The support team's tokens see every ticket, notes included.
    const asAgent = await getTicket(world.tokens.agent, own);
    expect(JSON.stringify(asAgent.body)).toContain('legacy plan');
    const agentList = await listTickets(world.tokens.agent);
    expect(agentList.body.tickets.map((row: { id: number }) => row.id)).toContain(
      world.strangersTicket,
    );
  });

  test('a customer’s token files tickets for its owner only and cannot mirror other helpdesks', async () => {
    const { member } = world.people;
    const post = (body: object) =>
      callApi(
        tickets.action as RouteHandler,
        apiRequest('/tickets', {
          method: 'POST',
          token: world.tokens.member,
          body: JSON.stringify({
            subject: 'Invoices show the wrong VAT',
            body: 'The VAT line shows 0% on every invoice.',
            ...body,
          }),
        }),
      );
    const filed = await post({});
    expect(filed.status).toBe(201);
    expect(filed.body.requester.id).toBe(member.id);
    const row = await getDb()
      .selectFrom('tickets')
      .select(['requester_id', 'source'])
      .where('id', '=', filed.body.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ requester_id: member.id, source: 'api' });

    const ownAddress = await post({ requester: { email: `${member.username}@EXAMPLE.com` } });
    expect(ownAddress.status).toBe(201);
    const forSomeoneElse = await post({ requester: { email: 'victim@customer.example' } });
    expect(forSomeoneElse.status).toBe(403);
    expect(forSomeoneElse.body.error.code).toBe('forbidden');
    const mirror = await post({ external_id: 'ZD-1' });
    expect(mirror.status).toBe(403);
    const nobody = await getDb()
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'victim@customer.example')
      .executeTakeFirst();
    expect(nobody).toBeUndefined();

    // A site token must still say whom the ticket is for.
    const site = await callApi(
      tickets.action as RouteHandler,
      apiRequest('/tickets', {
        method: 'POST',
        token: world.tokens.site,
        body: JSON.stringify({ subject: 'No requester here', body: 'Nobody is named at all.' }),
      }),
    );
    expect(site.status).toBe(400);
    expect(site.body.error.code).toBe('invalid_request');
  });

  test('search answers a customer’s token with public content only', async () => {
    const db = getDb();
    const word = `zeppelin${Date.now()}`;
    const draft = await createArticle(db, world.people.agent, {
      title: `Draft about ${word}`,
      slug: `draft-${word}`,
      body: `Not yet published: ${word} settings.`,
      categoryId: null,
      tags: [],
      journeyStage: null,
    });
    if (!draft.ok) throw new Error('no draft');
    await fileTicket(world.people.member.id, `Ticket about ${word}`);
    const found = await callApi(
      search.loader as RouteHandler,
      apiRequest(`/search?q=${word}`, { token: world.tokens.member }),
    );
    expect(found.status).toBe(200);
    expect(found.body.hits).toEqual([]);
    const generic = await callApi(
      search.loader as RouteHandler,
      apiRequest('/search?q=export', { token: world.tokens.member }),
    );
    for (const hit of generic.body.hits as { type: string }[])
      expect(['thread', 'article']).toContain(hit.type);
  });
});

describe('a personal token follows its owner on every request', () => {
  test('suspension refuses the token at once, and lifting it brings it back', async () => {
    const owner = await makeUser('agent');
    const moderator = await makeUser('admin');
    const { token } = await personalToken(owner, ['read']);
    expect((await listTickets(token)).status).toBe(200);
    const suspended = await suspendUser(getDb(), moderator, owner.id, {
      days: 3,
      reason: 'Shared the account.',
    });
    expect(suspended.ok).toBe(true);
    const refused = await listTickets(token);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('owner_suspended');
    expect(refused.body.error.message).toMatch(/suspended/);
    await unsuspendUser(getDb(), moderator, owner.id, 'Sorted out.');
    expect((await listTickets(token)).status).toBe(200);
  });

  test('a lowered role takes effect on the next request: an agent become a customer sees only their own', async () => {
    const owner = await makeUser('agent');
    const someone = await makeUser('member');
    const theirs = await fileTicket(someone.id, 'Someone else’s payroll problem');
    const { token } = await personalToken(owner, ['read', 'tickets:write']);
    expect((await analytics(token)).status).toBe(200);
    expect((await getTicket(token, theirs)).status).toBe(200);

    expect(await changeRole(getDb(), owner.id, 'member')).toEqual({ ok: true });
    const refused = await analytics(token);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/support team/);
    expect((await getTicket(token, theirs)).status).toBe(404);
    const listed = await listTickets(token);
    expect(listed.body.tickets).toEqual([]);
  });

  test('an admin become an agent keeps a token with mail:receive that no longer delivers mail', async () => {
    const owner = await makeUser('admin');
    await makeUser('admin'); // so the owner is not the last admin
    const { token } = await personalToken(owner, ['mail:receive']);
    expect(await changeRole(getDb(), owner.id, 'agent')).toEqual({ ok: true });
    const refused = await callApi(
      inboundEmail.action as RouteHandler,
      apiRequest('/inbound-email', {
        method: 'POST',
        token,
        body: mail,
        contentType: 'message/rfc822',
      }),
    );
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
  });

  // Commons never deletes an account (the audit log keeps referring to it): a person is removed
  // by suspension or as a spammer, and their tokens stop with them.
  test('an owner removed as a spammer: their token answers 403 from the next request on', async () => {
    const owner = await makeUser('member');
    const moderator = await makeUser('moderator');
    const { token } = await personalToken(owner, ['read', 'tickets:write']);
    expect((await listTickets(token)).status).toBe(200);
    const removed = await removeSpammer(getDb(), moderator, owner.id, 'Link spam.');
    expect(removed.ok).toBe(true);
    const refused = await listTickets(token);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('owner_suspended');
  });
});

describe('making and revoking personal tokens on /settings/security', () => {
  test('the page lists the person’s own tokens; revoking one makes the next call 401, and both are in the audit log', async () => {
    const owner = await makeUser('member');
    const { id, token } = await personalToken(owner, ['read'], 'Status sheet');
    const page = await callRoute(
      security.loader as RouteHandler,
      new Request('http://localhost/settings/security', {
        headers: { Cookie: await sessionCookieFor(owner.id) },
      }),
    );
    const loaded = page as Awaited<ReturnType<typeof security.loader>>;
    expect(loaded.tokens.map((row) => row.name)).toEqual(['Status sheet']);
    expect(loaded.scopes.map((row) => row.scope)).toEqual(['read', 'tickets:write']);
    expect(JSON.stringify(loaded)).not.toContain(token.slice(9));

    expect((await listTickets(token)).status).toBe(200);
    const revoked = await securityPost(owner, { intent: 'revoke-token', tokenId: String(id) });
    expect(statusOf(revoked)).toBe(200);
    expect(replyOf(revoked).notice).toMatch(/Status sheet/);
    const after = await listTickets(token);
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('invalid_token');

    const log = await getDb()
      .selectFrom('moderation_log')
      .select(['action', 'actor_id', 'target_id', 'data'])
      .where('target_type', '=', 'api_token')
      .where('target_id', '=', id)
      .orderBy('id')
      .execute();
    expect(log.map((entry) => [entry.action, entry.actor_id])).toEqual([
      ['api_token_created', owner.id],
      ['api_token_revoked', owner.id],
    ]);
    for (const entry of log) {
      expect(JSON.parse(entry.data ?? '{}')).toMatchObject({
        name: 'Status sheet',
        prefix: token.slice(0, 9),
      });
      expect(entry.data).not.toContain(token.slice(9));
    }
  });

  test('another person cannot revoke your token: 404, and it keeps working', async () => {
    const owner = await makeUser('member');
    const other = await makeUser('moderator');
    const { id, token } = await personalToken(owner, ['read']);
    const attempt = await securityPost(other, { intent: 'revoke-token', tokenId: String(id) });
    expect(statusOf(attempt)).toBe(404);
    expect((await listTickets(token)).status).toBe(200);
    const nonsense = await securityPost(other, { intent: 'revoke-token', tokenId: 'abc' });
    expect(statusOf(nonsense)).toBe(404);
  });

  test('scopes beyond the person’s role are refused with a field error', async () => {
    for (const role of ['member', 'agent', 'moderator'] as const) {
      const person = await makeUser(role);
      const result = await securityPost(person, {
        intent: 'create-token',
        name: 'relay',
        scopes: ['read', 'mail:receive'],
      });
      expect(statusOf(result)).toBe(400);
      expect(replyOf(result).fieldErrors.scopes).toMatch(/mail:receive/);
    }
    const noScope = await securityPost(await makeUser('member'), {
      intent: 'create-token',
      name: 'nothing',
    });
    expect(statusOf(noScope)).toBe(400);
    expect(replyOf(noScope).fieldErrors.scopes).toBe('Choose at least one scope.');
    const unknown = await securityPost(await makeUser('admin'), {
      intent: 'create-token',
      name: 'root',
      scopes: 'admin:everything',
    });
    expect(statusOf(unknown)).toBe(400);
    const admin = await makeUser('admin');
    await personalToken(admin, ['mail:receive']);
  });

  test(`a person may have ${personalTokenLimit} tokens in use, and gets a clear message past that`, async () => {
    const person = await makeUser('member');
    const made = [];
    for (let index = 0; index < personalTokenLimit; index += 1)
      made.push(await personalToken(person, ['read'], `script ${index}`));
    const over = await securityPost(person, {
      intent: 'create-token',
      name: 'one too many',
      scopes: 'read',
    });
    expect(statusOf(over)).toBe(400);
    expect(replyOf(over).formError).toMatch(/Revoke one/);
    const first = made[0];
    if (!first) throw new Error('no token');
    await securityPost(person, { intent: 'revoke-token', tokenId: String(first.id) });
    await personalToken(person, ['read'], 'in its place');
  });
});

describe('the admin page and personal tokens', () => {
  test('an admin sees personal tokens with their owner and revokes a leaked one, logged under the owner', async () => {
    const owner = await makeUser('member');
    const admin = await makeUser('admin');
    const { id, token } = await personalToken(owner, ['read'], 'Leaked in a gist');
    const cookie = await sessionCookieFor(admin.id);
    const page = (await callRoute(
      adminTokens.loader as RouteHandler,
      new Request('http://localhost/admin/api-tokens', { headers: { Cookie: cookie } }),
    )) as Awaited<ReturnType<typeof adminTokens.loader>>;
    const listed = page.tokens.find((row) => row.id === id);
    expect(listed).toMatchObject({ owner_username: owner.username, owner_role: 'member' });

    const revoked = await callRoute(
      adminTokens.action as RouteHandler,
      formRequest(
        '/admin/api-tokens',
        { intent: 'revoke', tokenId: String(id) },
        { Cookie: cookie },
      ),
    );
    expect(statusOf(revoked)).toBe(200);
    expect((await listTickets(token)).status).toBe(401);
    const entry = await getDb()
      .selectFrom('moderation_log')
      .select(['actor_id', 'target_user_id', 'data'])
      .where('action', '=', 'api_token_revoked')
      .where('target_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ actor_id: admin.id, target_user_id: owner.id });
    expect(JSON.parse(entry.data ?? '{}')).toMatchObject({ name: 'Leaked in a gist' });

    // A site token made there keeps acting with its scopes alone.
    const made = await callRoute(
      adminTokens.action as RouteHandler,
      formRequest('/admin/api-tokens', { name: 'Zendesk', scopes: 'read' }, { Cookie: cookie }),
    );
    expect(statusOf(made)).toBe(201);
    const created = await getDb()
      .selectFrom('moderation_log')
      .select('data')
      .where('action', '=', 'api_token_created')
      .where('actor_id', '=', admin.id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(created.data ?? '{}')).toMatchObject({ name: 'Zendesk' });
  });
});

const blnsFile = path.resolve(import.meta.dirname, '../../../shared/data/naughty/blns.json');
const naughtyStrings: string[] = JSON.parse(fs.readFileSync(blnsFile, 'utf8'));

describe('token names survive the Big List of Naughty Strings', () => {
  test('every string as a name gives a field error or a saved row, never a server error', async () => {
    const person = await makeUser('member');
    const outcomes = { saved: 0, refused: 0 };
    for (const naughty of naughtyStrings) {
      const result = await securityPost(person, {
        intent: 'create-token',
        name: naughty,
        scopes: 'read',
      });
      const status = statusOf(result);
      expect([201, 400], JSON.stringify(naughty)).toContain(status);
      if (status === 400) {
        expect(replyOf(result).fieldErrors.name, JSON.stringify(naughty)).toBeTruthy();
        outcomes.refused++;
        continue;
      }
      outcomes.saved++;
      const created = replyOf(result).createdToken;
      const row = await getDb()
        .selectFrom('api_tokens')
        .select(['id', 'name'])
        .where('prefix', '=', created?.token.slice(0, 9) ?? '')
        // Prefixes are 4 random characters: among 500 tokens two may share one, and ours is newest.
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow();
      expect(row.name).toBe(naughty.trim());
      // Revoked at once so the limit of tokens in use never decides the outcome.
      expect(
        statusOf(await securityPost(person, { intent: 'revoke-token', tokenId: String(row.id) })),
      ).toBe(200);
    }
    expect(outcomes.saved).toBeGreaterThan(400);
    expect(outcomes.refused).toBeGreaterThan(0);
  }, 180_000);
});
