import fs from 'node:fs';
import path from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, test } from 'vitest';
import { openDatabase } from '#db/client';
import { claimApiRequest, createApiToken, revokeApiToken } from '~/models/api-tokens.server';
import { createArticle, transitionArticle } from '~/models/articles.server';
import { getDb } from '~/utils/db.server';
import { loader as articleLoader } from '~/routes/api.v1.articles.$slug';
import { loader as openApiLoader } from '~/routes/api.v1.openapi[.]json';
import { loader as searchLoader } from '~/routes/api.v1.search';
import { loader as threadLoader } from '~/routes/api.v1.threads.$id';
import { loader as ticketLoader } from '~/routes/api.v1.tickets.$id._index';
import { action as linksAction } from '~/routes/api.v1.tickets.$id.links';
import { action as resolveAction } from '~/routes/api.v1.tickets.$id.resolve';
import { action as createAction } from '~/routes/api.v1.tickets._index';
import { makeAnswer, makeQuestion, makeUser } from '../support/community';
import { apiRequest, callApi, testContext } from '../support/requests';

async function token(scopes: ('read' | 'tickets:write')[]) {
  const admin = await makeUser('admin');
  const created = await createApiToken(getDb(), admin.id, { name: 'test', scopes });
  return { ...created, adminId: admin.id };
}

const ticketBody = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    subject: 'Bank feed stopped importing',
    body: 'Since Monday no transactions arrive from the bank.',
    requester: {
      email: `buyer${Math.random().toString(36).slice(2, 8)}@example.com`,
      name: 'Pat Buyer',
    },
    ...overrides,
  });

describe('API v1 authentication', () => {
  test('no token and a revoked token get 401; a token without tickets:write gets 403 on POST', async () => {
    const reader = await token(['read']);
    const none = await callApi(
      createAction,
      apiRequest('/tickets', { method: 'POST', body: ticketBody() }),
    );
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('unauthorized');

    const forbidden = await callApi(
      createAction,
      apiRequest('/tickets', { method: 'POST', token: reader.token, body: ticketBody() }),
    );
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error).toEqual({
      code: 'insufficient_scope',
      message: 'This token lacks the "tickets:write" scope.',
    });

    await revokeApiToken(getDb(), { id: reader.id });
    const revoked = await callApi(ticketLoader, apiRequest('/tickets/1', { token: reader.token }), {
      id: '1',
    });
    expect(revoked.status).toBe(401);
    expect(revoked.body.error.code).toBe('invalid_token');

    const unknown = await callApi(ticketLoader, apiRequest('/tickets/1', { token: 'cmns_nope' }), {
      id: '1',
    });
    expect(unknown.status).toBe(401);
  });

  test('tokens are stored hashed: the database never holds the secret', async () => {
    const created = await token(['read']);
    const row = await getDb()
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(created.token.slice(9));
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  test('the rate limit allows the limit per minute, says when to retry, and is kept in the database', async () => {
    const start = new Date('2026-12-05T10:00:00.000Z');
    const at = (ms: number) => new Date(start.getTime() + ms);
    const db = getDb();
    const claims = await Promise.all([1, 2, 3].map(() => claimApiRequest(db, 7, 3, at(0))));
    expect(claims.map((claim) => claim.allowed)).toEqual([true, true, true]);
    // Another app server's connection sees the same counter.
    const other = openDatabase(process.env.DATABASE_URL ?? '');
    try {
      expect(await claimApiRequest(other, 7, 3, at(1_000))).toMatchObject({
        allowed: false,
        retryAfterSeconds: 59,
      });
    } finally {
      await other.destroy();
    }
    expect((await claimApiRequest(db, 8, 3, at(1_000))).allowed).toBe(true);
    expect((await claimApiRequest(db, 7, 3, at(60_000))).allowed).toBe(true);
  });
});

describe('API v1 tickets', () => {
  test('malformed JSON and bodies that break the schema get 400 with a code', async () => {
    const writer = await token(['tickets:write']);
    const broken = await callApi(
      createAction,
      apiRequest('/tickets', { method: 'POST', token: writer.token, body: '{"subject": "x",' }),
    );
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('invalid_json');
    const invalid = await callApi(
      createAction,
      apiRequest('/tickets', {
        method: 'POST',
        token: writer.token,
        body: ticketBody({ subject: 'hi' }),
      }),
    );
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('invalid_request');
    expect(invalid.body.error.message).toMatch(/^subject:/);
    const unknownField = await callApi(
      createAction,
      apiRequest('/tickets', {
        method: 'POST',
        token: writer.token,
        body: ticketBody({ urgency: 'high' }),
      }),
    );
    expect(unknownField.status).toBe(400);
    const badPriority = await callApi(
      createAction,
      apiRequest('/tickets', {
        method: 'POST',
        token: writer.token,
        body: ticketBody({ priority: 'asap' }),
      }),
    );
    expect(badPriority.status).toBe(400);
    const notJson = await callApi(
      createAction,
      apiRequest('/tickets', {
        method: 'POST',
        token: writer.token,
        body: 'subject=x',
        contentType: 'text/plain',
      }),
    );
    expect(notJson.status).toBe(415);
  });

  test('an external helpdesk mirrors a ticket, links content, resolves it, and reads it back', async () => {
    const db = getDb();
    const writer = await token(['tickets:write', 'read']);
    const externalId = `ZD-${Date.now()}`;
    const body = ticketBody({
      external_id: externalId,
      external_url: 'https://help.example.com/tickets/77',
    });
    const created = await callApi(
      createAction,
      apiRequest('/tickets', { method: 'POST', token: writer.token, body }),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      subject: 'Bank feed stopped importing',
      status: 'new',
      source: 'api',
      external_id: externalId,
      external_url: 'https://help.example.com/tickets/77',
    });
    // Mirroring the same external ticket again updates it instead of duplicating it.
    const again = await callApi(
      createAction,
      apiRequest('/tickets', {
        method: 'POST',
        token: writer.token,
        body: ticketBody({
          external_id: externalId,
          subject: 'Bank feed stopped importing (updated)',
        }),
      }),
    );
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(created.body.id);
    expect(again.body.subject).toBe('Bank feed stopped importing (updated)');
    const count = await db
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('external_id', '=', externalId)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);

    const member = await makeUser();
    const threadId = await makeQuestion(member, 'Bank feed duplicates after reconnecting');
    const answerId = await makeAnswer(member, threadId);
    const id = String(created.body.id);
    const linked = await callApi(
      linksAction,
      apiRequest(`/tickets/${id}/links`, {
        method: 'POST',
        token: writer.token,
        body: JSON.stringify({ type: 'post', id: answerId }),
      }),
      { id },
    );
    expect(linked.status).toBe(201);
    expect(linked.body.links).toEqual([
      expect.objectContaining({ type: 'post', id: answerId, relation: 'related' }),
    ]);
    const missing = await callApi(
      linksAction,
      apiRequest(`/tickets/${id}/links`, {
        method: 'POST',
        token: writer.token,
        body: JSON.stringify({ type: 'article', id: 999_999 }),
      }),
      { id },
    );
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('invalid_target');

    const noTarget = await callApi(
      resolveAction,
      apiRequest(`/tickets/${id}/resolve`, {
        method: 'POST',
        token: writer.token,
        body: '{"kind":"article"}',
      }),
      { id },
    );
    expect(noTarget.status).toBe(400);
    expect(noTarget.body.error.code).toBe('invalid_resolution');
    const resolved = await callApi(
      resolveAction,
      apiRequest(`/tickets/${id}/resolve`, {
        method: 'POST',
        token: writer.token,
        body: JSON.stringify({ kind: 'thread', post_id: answerId }),
      }),
      { id },
    );
    expect(resolved.status).toBe(200);
    expect(resolved.body.status).toBe('solved');
    expect(resolved.body.resolution).toMatchObject({
      kind: 'thread',
      thread_id: threadId,
      post_id: answerId,
    });

    const read = await callApi(
      ticketLoader,
      apiRequest(`/tickets/${id}`, { token: writer.token }),
      {
        id,
      },
    );
    expect(read.status).toBe(200);
    expect(read.body.requester.name).toBe('Pat Buyer');
    const notFound = await callApi(
      ticketLoader,
      apiRequest('/tickets/99999999', { token: writer.token }),
      {
        id: '99999999',
      },
    );
    expect(notFound.status).toBe(404);
    expect(notFound.body.error.code).toBe('not_found');
  });

  test('threads, articles and search are readable with the read scope; drafts are not', async () => {
    const reader = await token(['read']);
    const member = await makeUser();
    const agent = await makeUser('agent');
    const threadId = await makeQuestion(member, 'Which currencies does invoicing support?');
    await makeAnswer(agent, threadId, 'Every ISO currency; set it per customer.');
    const thread = await callApi(
      threadLoader,
      apiRequest(`/threads/${threadId}`, { token: reader.token }),
      {
        id: String(threadId),
      },
    );
    expect(thread.status).toBe(200);
    expect(thread.body.title).toBe('Which currencies does invoicing support?');
    expect(thread.body.answers).toHaveLength(1);

    const db = getDb();
    const draft = await createArticle(db, agent, {
      title: 'Invoice currencies explained',
      slug: 'invoice-currencies-explained',
      body: 'Choose the currency on the customer record before the first invoice.',
      categoryId: null,
      tags: [],
      journeyStage: null,
    });
    if (!draft.ok) throw new Error('no draft');
    const hidden = await callApi(
      articleLoader,
      apiRequest('/articles/invoice-currencies-explained', { token: reader.token }),
      { slug: 'invoice-currencies-explained' },
    );
    expect(hidden.status).toBe(404);
    await transitionArticle(db, agent, draft.id, 'published');
    const shown = await callApi(
      articleLoader,
      apiRequest('/articles/invoice-currencies-explained', { token: reader.token }),
      { slug: 'invoice-currencies-explained' },
    );
    expect(shown.status).toBe(200);
    expect(shown.body.title).toBe('Invoice currencies explained');

    const search = await callApi(
      searchLoader,
      apiRequest('/search?q=currencies', { token: reader.token }),
    );
    expect(search.status).toBe(200);
    expect(
      search.body.hits.map((hit: { id: number; type: string }) => `${hit.type}-${hit.id}`),
    ).toContain(`thread-${threadId}`);
    const empty = await callApi(searchLoader, apiRequest('/search', { token: reader.token }));
    expect(empty.status).toBe(400);
  });
});

describe('OpenAPI document', () => {
  test('validates as OpenAPI 3.1 and lists every API route', async () => {
    const response = await openApiLoader({
      request: new Request('http://localhost/api/v1/openapi.json'),
      params: {},
      context: testContext,
    });
    const document = await response.json();
    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');

    // Every route file under /api/v1 (but the JSON 404) is a path of the document, and back.
    const routes = fs
      .readdirSync(path.resolve('app/routes'))
      .filter((file) => file.startsWith('api.v1.') && file !== 'api.v1.$.ts')
      .map((file) =>
        `/${file
          .replace(/^api\.v1\./, '')
          .replace(/\.tsx?$/, '')
          .replace(/\[\.\]/g, '~')
          .split('.')
          .filter((part) => part !== '_index')
          .map((part) => (part.startsWith('$') ? `{${part.slice(1)}}` : part))
          .join('/')}`.replace('~', '.'),
      )
      .sort();
    expect(Object.keys(document.paths).sort()).toEqual(routes);
  });

  test('the documented request schema is the one the route enforces', async () => {
    const response = await openApiLoader({
      request: new Request('http://localhost/api/v1/openapi.json'),
      params: {},
      context: testContext,
    });
    const document = await response.json();
    const create = document.components.schemas.CreateTicket;
    // requester is optional in the schema: a personal token files for its owner; a site token
    // without one gets 400 (personal-api-tokens.test.ts).
    expect(create.required.sort()).toEqual(['body', 'subject']);
    expect(create.additionalProperties).toBe(false);
    expect(create.properties.subject).toMatchObject({ minLength: 5, maxLength: 150 });
    expect(document.components.schemas.Resolve.properties.kind.enum).toEqual([
      'article',
      'thread',
      'none',
      'other',
      'known_issue',
    ]);
  });
});
