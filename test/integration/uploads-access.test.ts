import sharp from 'sharp';
import { describe, expect, test } from 'vitest';
import { createArticle, transitionArticle } from '~/models/articles.server';
import { moderateContent } from '~/models/moderation.server';
import { editAnswer } from '~/models/posts.server';
import { removeSpammer } from '~/models/sanctions.server';
import { addTicketMessage, createTicket } from '~/models/tickets.server';
import { storeUpload } from '~/models/uploads/uploads.server';
import { loader as fileLoader } from '~/routes/uploads.$id.$name';
import { getDb } from '~/utils/db.server';
import { makeAnswer, makeQuestion, makeUser } from '../support/community';
import { sessionCookieFor } from '../support/requests';
import { phoneJpeg, pngOf, responseOf } from '../support/uploads';

async function uploadAs(owner: { id: number }, name = 'screenshot.png', bytes?: Buffer) {
  const stored = await storeUpload(getDb(), owner, {
    name,
    bytes: bytes ?? (await pngOf(320 + Math.floor(Math.random() * 200), 180)),
  });
  if (!stored.ok) throw new Error(stored.error);
  return stored.upload;
}

async function statusFor(url: string, userId: number | null) {
  return (await fetchAs(url, userId)).status;
}

async function fetchAs(url: string, userId: number | null) {
  const parsed = new URL(url, 'http://localhost');
  const [, , id = '', name = ''] = parsed.pathname.split('/');
  const headers: Record<string, string> =
    userId === null ? {} : { Cookie: await sessionCookieFor(userId) };
  return responseOf(fileLoader, new Request(parsed.href, { headers }), { id, name });
}

const ticketInput = (body: string) => ({
  subject: 'Export shows an error',
  body,
  categoryId: null,
});

describe('who may read an upload', () => {
  test('a file on a ticket is read by its requester and the team; another member gets 404', async () => {
    const customer = await makeUser();
    const other = await makeUser();
    const agent = await makeUser('agent');
    const shot = await uploadAs(customer);
    const created = await createTicket(
      getDb(),
      customer.id,
      ticketInput(`The export stops with this:\n\n${shot.markdown}`),
      { source: 'web' },
    );
    if (!created.ok) throw new Error('ticket');
    expect(await statusFor(shot.url, customer.id)).toBe(200);
    expect(await statusFor(shot.url, agent.id)).toBe(200);
    expect(await statusFor(shot.url, other.id)).toBe(404);
    expect(await statusFor(shot.url, null)).toBe(404);
    const served = await fetchAs(shot.url, agent.id);
    expect(served.headers.get('Cache-Control')).toBe('private, no-store');
  });

  test("an agent's reply attachment reaches the requester; an internal note's file stays with the team", async () => {
    const customer = await makeUser();
    const agent = await makeUser('agent');
    const created = await createTicket(
      getDb(),
      customer.id,
      ticketInput('Payroll export is empty.'),
      {
        source: 'web',
      },
    );
    if (!created.ok) throw new Error('ticket');
    const forCustomer = await uploadAs(agent, 'where-to-click.png');
    const forTeam = await uploadAs(agent, 'customer-account.png');
    await addTicketMessage(getDb(), agent, created.id, {
      kind: 'reply',
      body: `Press the button shown here:\n\n${forCustomer.markdown}`,
    });
    await addTicketMessage(getDb(), agent, created.id, {
      kind: 'note',
      body: `Their account settings:\n\n${forTeam.markdown}`,
    });
    expect(await statusFor(forCustomer.url, customer.id)).toBe(200);
    expect(await statusFor(forTeam.url, customer.id)).toBe(404);
    const otherAgent = await makeUser('agent');
    expect(await statusFor(forTeam.url, otherAgent.id)).toBe(200);
  });

  test("pasting someone else's private file address into a public post does not make it public", async () => {
    const customer = await makeUser();
    const snoop = await makeUser();
    const secret = await uploadAs(customer, 'invoice.png');
    const thread = await makeQuestion(snoop);
    await makeAnswer(snoop, thread, `Look at this: ${secret.markdown}`);
    expect(await statusFor(secret.url, null)).toBe(404);
    expect(await statusFor(secret.url, snoop.id)).toBe(404);
  });

  test('an image in a visible answer is public and cacheable; hiding the answer hides the image', async () => {
    const author = await makeUser();
    const moderator = await makeUser('moderator');
    const image = await uploadAs(author);
    const thread = await makeQuestion(author);
    const answer = await makeAnswer(author, thread, `Like this:\n\n${image.markdown}`);
    const served = await fetchAs(image.url, null);
    expect(served.status).toBe(200);
    expect(served.headers.get('Cache-Control')).toBe('public, max-age=86400, immutable');

    const hidden = await moderateContent(
      getDb(),
      moderator,
      { type: 'post', id: answer },
      'hide',
      'Personal data in the screenshot',
    );
    expect(hidden.ok).toBe(true);
    expect(await statusFor(image.url, null)).toBe(404);
    expect(await statusFor(image.url, (await makeUser()).id)).toBe(404);
    // The team still sees what moderation took down.
    expect(await statusFor(image.url, moderator.id)).toBe(200);
  });

  test('removing a spammer takes every image of their posts out of public view', async () => {
    const spammer = await makeUser();
    const moderator = await makeUser('moderator');
    const inQuestion = await uploadAs(spammer, 'ad-1.png');
    const inAnswer = await uploadAs(spammer, 'ad-2.png');
    const { askQuestion } = await import('~/models/threads.server');
    const asked = await askQuestion(getDb(), spammer, {
      title: 'Cheap licences for every accounting package',
      body: `Buy now ${inQuestion.markdown}`,
      categoryId: null,
      tags: [],
      journeyStage: null,
    });
    if (!asked.ok) throw new Error('question');
    const honest = await makeQuestion(await makeUser());
    await makeAnswer(spammer, honest, `Better deal here ${inAnswer.markdown}`);
    expect(await statusFor(inQuestion.url, null)).toBe(200);
    expect(await statusFor(inAnswer.url, null)).toBe(200);
    const removed = await removeSpammer(getDb(), moderator, spammer.id, 'Advertising');
    expect(removed.ok).toBe(true);
    expect(await statusFor(inQuestion.url, null)).toBe(404);
    expect(await statusFor(inAnswer.url, null)).toBe(404);
  });

  test('an image edited out of an answer is no longer made public by it', async () => {
    const author = await makeUser();
    const image = await uploadAs(author);
    const thread = await makeQuestion(author);
    const answer = await makeAnswer(author, thread, `Steps:\n\n${image.markdown}`);
    expect(await statusFor(image.url, null)).toBe(200);
    const edited = await editAnswer(getDb(), author, answer, {
      body: 'Steps: open Settings, then Banking.',
    });
    expect(edited.ok).toBe(true);
    expect(await statusFor(image.url, null)).toBe(404);
  });

  test('a draft article keeps its images to the team until it is published', async () => {
    const agent = await makeUser('agent');
    const image = await uploadAs(agent, 'settings-page.png');
    const created = await createArticle(getDb(), agent, {
      title: 'Reconnect a bank feed',
      slug: '',
      body: `Open Banking:\n\n${image.markdown}`,
      categoryId: null,
      tags: [],
      journeyStage: null,
    });
    if (!created.ok) throw new Error('article');
    expect(await statusFor(image.url, null)).toBe(404);
    await transitionArticle(getDb(), agent, created.id, 'published');
    expect(await statusFor(image.url, null)).toBe(200);
  });
});

describe('uploaded images in posts', () => {
  test('show the display version at its width and height, linking to the original', async () => {
    const author = await makeUser();
    const wide = await uploadAs(author, 'dashboard.png', await pngOf(2000, 1000));
    const small = await uploadAs(author, 'button.png', await pngOf(300, 120));
    const thread = await makeQuestion(author);
    const answer = await makeAnswer(author, thread, `${wide.markdown}\n\n${small.markdown}`);
    const { body_html: html } = await getDb()
      .selectFrom('posts')
      .select('body_html')
      .where('id', '=', answer)
      .executeTakeFirstOrThrow();
    expect(html).toContain(
      `<a href="${wide.url}"><img src="${wide.url}?size=display" alt="dashboard.png" width="1200" height="600" loading="lazy" /></a>`,
    );
    expect(html).toContain(
      `<a href="${small.url}"><img src="${small.url}" alt="button.png" width="300" height="120" loading="lazy" /></a>`,
    );
  });

  test("a ticket's images are sized too", async () => {
    const customer = await makeUser();
    const photo = await uploadAs(customer, 'IMG_0042.jpg', await phoneJpeg());
    const created = await createTicket(
      getDb(),
      customer.id,
      ticketInput(`Photo of the screen:\n\n${photo.markdown}`),
      {
        source: 'web',
      },
    );
    if (!created.ok) throw new Error('ticket');
    const { body_html: html } = await getDb()
      .selectFrom('tickets')
      .select('body_html')
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(html).toContain('width="1200" height="675"');
    expect(photo.width).toBe(1600);
    // The stored original still decodes as the photo it was.
    const original = Buffer.from(await (await fetchAs(photo.url, customer.id)).arrayBuffer());
    expect((await sharp(original).metadata()).height).toBe(900);
  });
});
