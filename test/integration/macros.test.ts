import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { createArticle, transitionArticle } from '~/models/articles.server';
import {
  applyMacro,
  macrosFor,
  prepareMacro,
  saveMacro,
  type MacroInput,
} from '~/models/macros/macros.server';
import { ticketsResolvedBy } from '~/models/resolutions.server';
import { createTicket } from '~/models/tickets.server';
import { action as macroAction } from '~/routes/agent.macros.$id';
import { loader as macrosLoader } from '~/routes/agent.macros._index';
import { action as ticketAction, loader as ticketLoader } from '~/routes/agent.tickets.$id/route';
import { getDb } from '~/utils/db.server';
import { makeUser } from '../support/community';
import { getAs, loaderData, locationOf, postAs, statusOf } from '../support/requests';

const blnsFile = path.resolve(import.meta.dirname, '../../../shared/data/naughty/blns.json');

async function publishedArticle(title: string) {
  const agent = await makeUser('agent');
  const created = await createArticle(getDb(), agent, {
    title,
    slug: '',
    body: 'Open Payroll, choose the run and press Resubmit.',
    categoryId: null,
    tags: [],
    journeyStage: null,
  });
  if (!created.ok) throw new Error('article');
  await transitionArticle(getDb(), agent, created.id, 'published');
  return created.id;
}

async function ticketFrom(displayName: string) {
  const requester = await makeUser();
  await getDb()
    .updateTable('users')
    .set({ display_name: displayName })
    .where('id', '=', requester.id)
    .execute();
  const created = await createTicket(
    getDb(),
    requester.id,
    { subject: 'Payroll stuck on Submitting', body: 'Since this morning.', categoryId: null },
    { source: 'web' },
  );
  if (!created.ok) throw new Error('ticket');
  return created.id;
}

const input = (overrides: Partial<MacroInput> = {}): MacroInput => ({
  title: 'Payroll stuck: resubmit',
  body: 'Hi {{requester.first_name}}, this is fixed by {{article:0}}. — {{agent.first_name}}',
  shared: 'on',
  status: '',
  priority: '',
  assign: '',
  link: '',
  solve: undefined,
  ...overrides,
});

describe('macros', () => {
  test('a macro that replies, links an article and solves: the article resolves one more ticket', async () => {
    const db = getDb();
    const agent = await makeUser('agent');
    const articleId = await publishedArticle('Resubmit a stuck payroll run');
    const saved = await saveMacro(
      db,
      agent,
      null,
      input({
        body: `Hi {{requester.first_name}}, {{article:${articleId}}} fixes it. — {{agent.first_name}}`,
        link: `article-${articleId}`,
        solve: 'on',
      }),
    );
    if (!saved.ok) throw new Error(JSON.stringify(saved));
    const ticketId = await ticketFrom('Grace Miller');
    const prepared = await prepareMacro(db, agent, saved.id, ticketId);
    expect(prepared?.body).toMatch(
      /^Hi Grace, \[Resubmit a stuck payroll run\]\(\/kb\/[^)]+\) fixes it\. — /,
    );
    expect(prepared?.actions.map((action) => action.label)).toEqual([
      'Link “Resubmit a stuck payroll run”',
      'Solve it, with the linked article as what resolved it',
    ]);
    const before = await ticketsResolvedBy(db, { articleId });
    const applied = await applyMacro(db, agent, ticketId, saved.id, {
      body: `${prepared?.body ?? ''}\n\nAnd thank you for your patience.`,
      keep: ['0', '1'],
    });
    expect(applied).toEqual({ ok: true });
    expect(await ticketsResolvedBy(db, { articleId })).toBe(before + 1);
    const ticket = await db
      .selectFrom('tickets')
      .select('status')
      .where('id', '=', ticketId)
      .executeTakeFirstOrThrow();
    expect(ticket.status).toBe('solved');
    const reply = await db
      .selectFrom('ticket_messages')
      .select('body_md')
      .where('ticket_id', '=', ticketId)
      .executeTakeFirstOrThrow();
    expect(reply.body_md).toContain('And thank you for your patience.');
    const listed = await macrosFor(db, agent.id);
    expect(listed.find((macro) => macro.id === saved.id)?.uses).toBe(1);
  });

  test('an action left unticked is not run', async () => {
    const db = getDb();
    const agent = await makeUser('agent');
    const saved = await saveMacro(
      db,
      agent,
      null,
      input({ body: 'Looking into it.', solve: 'on' }),
    );
    if (!saved.ok) throw new Error('macro');
    const ticketId = await ticketFrom('Omar Haddad');
    await applyMacro(db, agent, ticketId, saved.id, { body: 'Looking into it.', keep: [] });
    const ticket = await db
      .selectFrom('tickets')
      .select('status')
      .where('id', '=', ticketId)
      .executeTakeFirstOrThrow();
    expect(ticket.status).toBe('pending');
  });

  test('unknown placeholders, missing articles, a member as assignee and a link to nothing are field errors', async () => {
    const agent = await makeUser('agent');
    const member = await makeUser();
    const saved = await saveMacro(
      getDb(),
      agent,
      null,
      input({
        body: 'Hi {{requester.email}}, see {{article:999999}} and {{ticket.id}}',
        assign: String(member.id),
        link: 'https://example.com/not-ours',
      }),
    );
    expect(saved).toMatchObject({
      ok: false,
      fieldErrors: {
        body: expect.stringContaining('Unknown placeholder {{requester.email}}.'),
        assign: 'Choose someone from the list.',
        link: 'Paste the link of an article or question here.',
      },
    });
  });

  test('a personal macro is its owner’s alone; a shared one is changed by its author or an admin', async () => {
    const db = getDb();
    const owner = await makeUser('agent');
    const colleague = await makeUser('agent');
    const admin = await makeUser('admin');
    const personal = await saveMacro(db, owner, null, input({ shared: undefined, body: 'Mine.' }));
    const shared = await saveMacro(db, owner, null, input({ body: 'Ours.' }));
    if (!personal.ok || !shared.ok) throw new Error('macros');
    const ticketId = await ticketFrom('Ana Lima');
    expect(await prepareMacro(db, colleague, personal.id, ticketId)).toBe(null);
    expect(
      await applyMacro(db, colleague, ticketId, personal.id, { body: 'Mine.', keep: [] }),
    ).toMatchObject({ ok: false, status: 404 });
    expect((await macrosFor(db, colleague.id)).map((macro) => macro.id)).not.toContain(personal.id);
    expect(await saveMacro(db, colleague, shared.id, input({ body: 'Changed.' }))).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(await saveMacro(db, admin, shared.id, input({ body: 'Changed.' }))).toMatchObject({
      ok: true,
    });
    const member = await makeUser();
    expect(await saveMacro(db, member, null, input())).toMatchObject({ ok: false, status: 403 });
  });
});

describe('macros through their pages', () => {
  test('an agent writes a macro on its page, applies it from the ticket page and sends it edited', async () => {
    const agent = await makeUser('agent');
    const saved = await postAs(
      macroAction,
      '/agent/macros/new',
      agent.id,
      {
        title: 'Ask for a screenshot',
        body: 'Hi {{requester.first_name}}, could you send a screenshot of #{{ticket.id}}?',
        shared: 'on',
        status: 'pending',
        priority: 'high',
        assign: 'me',
        link: '',
      },
      { id: 'new' },
    );
    expect(locationOf(saved)).toBe('/agent/macros');
    const list = await loaderData(macrosLoader, '/agent/macros', agent.id);
    const macro = list.macros.find((one) => one.title === 'Ask for a screenshot');
    if (!macro) throw new Error('macro not listed');
    const ticketId = await ticketFrom('Noor Shah');
    const page = await loaderData(
      ticketLoader,
      `/agent/tickets/${ticketId}?macro=${macro.id}`,
      agent.id,
      { id: String(ticketId) },
    );
    expect(page.prepared?.body).toBe(`Hi Noor, could you send a screenshot of #${ticketId}?`);
    expect(page.prepared?.actions.map((action) => action.label)).toEqual([
      'Set the status to Pending',
      'Set the priority to high',
      'Assign it to me',
    ]);
    const sent = await postAs(
      ticketAction,
      `/agent/tickets/${ticketId}`,
      agent.id,
      {
        intent: 'macro',
        macroId: String(macro.id),
        body: 'Hi Noor, a screenshot please.',
        keep: '1',
      },
      { id: String(ticketId) },
    );
    expect(locationOf(sent)).toBe(`/agent/tickets/${ticketId}`);
    const ticket = await getDb()
      .selectFrom('tickets')
      .select(['priority', 'assignee_id', 'status'])
      .where('id', '=', ticketId)
      .executeTakeFirstOrThrow();
    // Only the priority was kept; the reply itself takes the first agent as assignee.
    expect(ticket).toEqual({ priority: 'high', assignee_id: agent.id, status: 'pending' });
  });

  test('naughty strings in every field of the macro form are saved or field errors, never a 500', async () => {
    const agent = await makeUser('agent');
    const naughty = JSON.parse(fs.readFileSync(blnsFile, 'utf8')) as string[];
    for (const value of naughty.filter((_, index) => index % 6 === 0)) {
      const result = await postAs(
        macroAction,
        '/agent/macros/new',
        agent.id,
        {
          title: value,
          body: value,
          status: value,
          priority: '',
          assign: value,
          link: value,
        },
        { id: 'new' },
      );
      expect([302, 400], value).toContain(statusOf(result));
    }
    const members = await makeUser();
    expect(statusOf(await getAs(macrosLoader, '/agent/macros', members.id))).toBe(403);
  });
});
