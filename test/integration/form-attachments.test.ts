import sharp from 'sharp';
import { beforeAll, describe, expect, test } from 'vitest';
import { createArticle } from '~/models/articles.server';
import { createTicket } from '~/models/tickets.server';
import { getDb } from '~/utils/db.server';
import { action as askAction } from '~/routes/questions.ask';
import { action as editQuestionAction } from '~/routes/questions.$id.edit';
import { action as threadAction } from '~/routes/questions.$id.($slug)/route';
import { action as editAnswerAction } from '~/routes/answers.$id.edit';
import { action as newArticleAction } from '~/routes/agent.articles.new';
import { action as editArticleAction } from '~/routes/agent.articles.$id';
import { action as newRequestAction } from '~/routes/requests.new';
import { action as requestAction } from '~/routes/requests.$id';
import { action as agentTicketAction } from '~/routes/agent.tickets.$id/route';
import { liftPostingLimits, makeAnswer, makeQuestion, makeUser } from '../support/community';
import {
  callRoute,
  formReplyOf,
  locationOf,
  sessionCookieFor,
  statusOf,
  type RouteHandler,
} from '../support/requests';

// Every form with a Markdown editor, posted as a browser without JavaScript posts it:
// multipart, with the chosen files in the `attachments` field.

let screenshot: File;

beforeAll(async () => {
  await liftPostingLimits();
  const png = await sharp({
    create: { width: 64, height: 48, channels: 3, background: '#3b5bdb' },
  })
    .png()
    .toBuffer();
  screenshot = new File([new Uint8Array(png)], 'screenshot.png', { type: 'image/png' });
});

const screenshotMarkdown = /!\[screenshot\.png\]\(\/uploads\/[\w-]{16}\/screenshot\.png\)/;

async function postWithFiles(
  action: RouteHandler,
  path: string,
  userId: number,
  fields: Record<string, string>,
  files: File[],
  params: Record<string, string> = {},
) {
  const body = new FormData();
  for (const [key, value] of Object.entries(fields)) body.append(key, value);
  // A file field left alone still posts one empty, nameless file.
  for (const file of files.length ? files : [new File([], '')]) body.append('attachments', file);
  const request = new Request(`http://localhost${path}`, {
    method: 'POST',
    body,
    headers: { Cookie: await sessionCookieFor(userId) },
  });
  return callRoute(action, request, params);
}

type Case = {
  action: RouteHandler;
  path: string;
  userId: number;
  fields: Record<string, string>;
  params?: Record<string, string>;
  /** The body as stored after the post. */
  storedBody: () => Promise<string>;
};

const db = () => getDb();

async function newestTicketMessage(ticketId: number) {
  const row = await db()
    .selectFrom('ticket_messages')
    .select(['body_md', 'kind'])
    .where('ticket_id', '=', ticketId)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  return row;
}

async function customerTicket(customerId: number) {
  const created = await createTicket(
    db(),
    customerId,
    { subject: 'Export is empty', body: 'The CSV export has no rows.', categoryId: null },
    { source: 'web' },
  );
  if (!created.ok) throw new Error('ticket');
  return created.id;
}

const forms: Record<string, () => Promise<Case>> = {
  'asking a question': async () => {
    const member = await makeUser();
    const title = `Invoice PDF shows the wrong logo ${Date.now()}`;
    return {
      action: askAction,
      path: '/questions/ask',
      userId: member.id,
      fields: {
        title,
        body: 'The logo on the PDF is the old one.',
        categoryId: '',
        tags: '',
        journeyStage: '',
      },
      storedBody: async () =>
        (
          await db()
            .selectFrom('threads')
            .select('body_md')
            .where('title', '=', title)
            .executeTakeFirstOrThrow()
        ).body_md,
    };
  },
  'editing a question': async () => {
    const member = await makeUser();
    const id = await makeQuestion(member);
    return {
      action: editQuestionAction,
      path: `/questions/${id}/edit`,
      params: { id: String(id) },
      userId: member.id,
      fields: {
        title: 'How do I reconcile a bank feed?',
        body: 'The bank feed shows every transaction twice.',
        categoryId: '',
        tags: '',
        journeyStage: '',
      },
      storedBody: async () =>
        (
          await db()
            .selectFrom('threads')
            .select('body_md')
            .where('id', '=', id)
            .executeTakeFirstOrThrow()
        ).body_md,
    };
  },
  'answering on the thread page': async () => {
    const asker = await makeUser();
    const answerer = await makeUser();
    const id = await makeQuestion(asker);
    return {
      action: threadAction,
      path: `/questions/${id}`,
      params: { id: String(id) },
      userId: answerer.id,
      fields: { intent: 'answer', body: 'This screen shows where the setting is.' },
      storedBody: async () =>
        (
          await db()
            .selectFrom('posts')
            .select('body_md')
            .where('thread_id', '=', id)
            .where('author_id', '=', answerer.id)
            .executeTakeFirstOrThrow()
        ).body_md,
    };
  },
  'editing an answer': async () => {
    const member = await makeUser();
    const answerId = await makeAnswer(member, await makeQuestion(await makeUser()));
    return {
      action: editAnswerAction,
      path: `/answers/${answerId}/edit`,
      params: { id: String(answerId) },
      userId: member.id,
      fields: { body: 'Disconnect the feed, then import the statement once, as shown.' },
      storedBody: async () =>
        (
          await db()
            .selectFrom('posts')
            .select('body_md')
            .where('id', '=', answerId)
            .executeTakeFirstOrThrow()
        ).body_md,
    };
  },
  'writing a new article': async () => {
    const agent = await makeUser('agent');
    const title = `Change the invoice logo ${Date.now()}`;
    return {
      action: newArticleAction,
      path: '/agent/articles/new',
      userId: agent.id,
      fields: {
        intent: 'save',
        title,
        slug: '',
        body: 'Open Settings, then Branding.',
        categoryId: '',
        tags: '',
        journeyStage: '',
      },
      storedBody: async () =>
        (
          await db()
            .selectFrom('articles')
            .select('body_md')
            .where('title', '=', title)
            .executeTakeFirstOrThrow()
        ).body_md,
    };
  },
  'editing an article': async () => {
    const agent = await makeUser('agent');
    const created = await createArticle(db(), agent, {
      title: 'Reconnect a bank feed',
      slug: '',
      body: 'Open Banking and press Reconnect.',
      categoryId: null,
      tags: [],
      journeyStage: null,
    });
    if (!created.ok) throw new Error('article');
    return {
      action: editArticleAction,
      path: `/agent/articles/${created.id}`,
      params: { id: String(created.id) },
      userId: agent.id,
      fields: {
        intent: 'save',
        title: 'Reconnect a bank feed',
        slug: '',
        body: 'Open Banking and press Reconnect, here:',
        categoryId: '',
        tags: '',
        journeyStage: '',
      },
      storedBody: async () =>
        (
          await db()
            .selectFrom('articles')
            .select('body_md')
            .where('id', '=', created.id)
            .executeTakeFirstOrThrow()
        ).body_md,
    };
  },
  "a customer's new request": async () => {
    const customer = await makeUser();
    const subject = `Payroll export is empty ${Date.now()}`;
    return {
      action: newRequestAction,
      path: '/requests/new',
      userId: customer.id,
      fields: { subject, body: 'The CSV has headers and no rows.', categoryId: '' },
      storedBody: async () =>
        (
          await db()
            .selectFrom('tickets')
            .select('body_md')
            .where('subject', '=', subject)
            .executeTakeFirstOrThrow()
        ).body_md,
    };
  },
  "a customer's reply to their request": async () => {
    const customer = await makeUser();
    const ticketId = await customerTicket(customer.id);
    return {
      action: requestAction,
      path: `/requests/${ticketId}`,
      params: { id: String(ticketId) },
      userId: customer.id,
      fields: { body: 'Here is what I see.' },
      storedBody: async () => (await newestTicketMessage(ticketId)).body_md,
    };
  },
  "an agent's public reply": async () => {
    const agent = await makeUser('agent');
    const ticketId = await customerTicket((await makeUser()).id);
    return {
      action: agentTicketAction,
      path: `/agent/tickets/${ticketId}`,
      params: { id: String(ticketId) },
      userId: agent.id,
      fields: { intent: 'reply', body: 'Press Export here:', status: 'pending' },
      storedBody: async () => (await newestTicketMessage(ticketId)).body_md,
    };
  },
  "an agent's internal note": async () => {
    const agent = await makeUser('agent');
    const ticketId = await customerTicket((await makeUser()).id);
    return {
      action: agentTicketAction,
      path: `/agent/tickets/${ticketId}`,
      params: { id: String(ticketId) },
      userId: agent.id,
      fields: { intent: 'note', body: 'Reproduced it, see:', status: 'open' },
      storedBody: async () => {
        const message = await newestTicketMessage(ticketId);
        expect(message.kind).toBe('note');
        return message.body_md;
      },
    };
  },
};

describe('files posted with a form without JavaScript', () => {
  for (const [name, setUp] of Object.entries(forms)) {
    test(`${name} stores the file and appends its Markdown to the text`, async () => {
      const form = await setUp();
      const result = await postWithFiles(
        form.action,
        form.path,
        form.userId,
        form.fields,
        [screenshot],
        form.params,
      );
      expect(statusOf(result), JSON.stringify(result)).toBe(302);
      const body = await form.storedBody();
      expect(body.startsWith(form.fields.body ?? '')).toBe(true);
      expect(body).toMatch(screenshotMarkdown);
    });
  }

  test('a form posted with its file field left empty stores the text as typed', async () => {
    const form = await forms['answering on the thread page']!();
    const result = await postWithFiles(
      form.action,
      form.path,
      form.userId,
      form.fields,
      [],
      form.params,
    );
    expect(statusOf(result)).toBe(302);
    expect(await form.storedBody()).toBe(form.fields.body);
  });

  test('an 11 MB file is refused beside the file field, and the typed text comes back', async () => {
    const form = await forms["a customer's new request"]!();
    const large = new File([new Uint8Array(11 * 1_048_576).fill(97)], 'server.log', {
      type: 'text/plain',
    });
    const result = await postWithFiles(form.action, form.path, form.userId, form.fields, [large]);
    expect(statusOf(result)).toBe(400);
    const reply = formReplyOf(result);
    expect(reply.fieldErrors.attachments).toMatch(/^server\.log is 11 MB; .*at most 10 MB/);
    expect(reply.values.subject).toBe(form.fields.subject);
    expect(reply.values.body).toBe(form.fields.body);
    const tickets = await db()
      .selectFrom('tickets')
      .select('id')
      .where('subject', '=', form.fields.subject ?? '')
      .execute();
    expect(tickets).toHaveLength(0);
  });

  test('a web page named .png is refused and nothing is posted', async () => {
    const form = await forms['answering on the thread page']!();
    const disguised = new File(['<!doctype html><script>alert(1)</script>'], 'cat.png', {
      type: 'image/png',
    });
    const result = await postWithFiles(
      form.action,
      form.path,
      form.userId,
      form.fields,
      [disguised],
      form.params,
    );
    expect(statusOf(result)).toBe(400);
    const reply = formReplyOf(result);
    expect(reply.fieldErrors.attachments).toMatch(/cat\.png/);
    expect(reply.values.body).toBe(form.fields.body);
    await expect(form.storedBody()).rejects.toThrow();
  });

  test('a form refused for another reason gives back the text with the stored file already in it', async () => {
    const form = await forms['asking a question']!();
    const result = await postWithFiles(
      form.action,
      form.path,
      form.userId,
      { ...form.fields, title: 'Logo?' },
      [screenshot],
    );
    expect(statusOf(result)).toBe(400);
    const reply = formReplyOf(result);
    expect(reply.fieldErrors.title).toBeDefined();
    expect(reply.fieldErrors.attachments).toBeUndefined();
    expect(reply.values.body).toMatch(screenshotMarkdown);
    // Posting that text again (no file this time) keeps the picture.
    const again = await postWithFiles(
      form.action,
      form.path,
      form.userId,
      {
        ...form.fields,
        body: reply.values.body ?? '',
      },
      [],
    );
    expect(locationOf(again)).toMatch(/^\/questions\/\d+\//);
    expect(await form.storedBody()).toMatch(screenshotMarkdown);
  });

  test('a stranger replying to a request that is not theirs gets 404 and stores no file', async () => {
    const form = await forms["a customer's reply to their request"]!();
    const stranger = await makeUser();
    const before = await db().selectFrom('uploads').select('id').execute();
    const result = await postWithFiles(
      form.action,
      form.path,
      stranger.id,
      form.fields,
      [screenshot],
      form.params,
    );
    expect(statusOf(result)).toBe(404);
    const after = await db().selectFrom('uploads').select('id').execute();
    expect(after).toHaveLength(before.length);
  });
});
