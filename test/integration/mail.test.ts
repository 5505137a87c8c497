import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { claimLeaseMs, retryDelaysMs } from '~/models/outbox.server';
import { queueMail } from '~/models/mail/outbox.server';
import { interruptedError, resendMail, sendDueMail } from '~/models/mail/sender.server';
import { smtpTransport, type MailTransport } from '~/models/mail/transport.server';
import { renderMail } from '~/models/mail/templates.server';
import { addTicketMessage, createTicket } from '~/models/tickets.server';
import { getDb } from '~/utils/db.server';
import { threadSlug } from '~/models/threads.server';
import {
  action as questionAction,
  loader as questionLoader,
} from '~/routes/questions.$id.($slug)/route';
import { action as unsubscribeAction } from '~/routes/unsubscribe';
import { makeAnswer, makeQuestion, makeUser, makeVerifiedUser } from '../support/community';
import { callRoute, formRequest, loaderData, postAs, statusOf } from '../support/requests';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

let smtp: SmtpTestServer;
let transport: MailTransport;

beforeAll(async () => {
  smtp = await startSmtpServer();
  transport = smtpTransport(smtp.url);
});

afterAll(async () => {
  transport.close();
  await smtp.stop();
});

beforeEach(async () => {
  smtp.refuse(null);
  smtp.hold(null);
  await smtp.start();
  // Each test sends only its own mail.
  await getDb()
    .updateTable('mail_outbox')
    .set({ status: 'skipped', skip_reason: 'earlier test' })
    .where('status', 'in', ['queued', 'sending'])
    .execute();
});

async function fileTicket(
  requesterId: number,
  subject = 'The bank feed shows every payment twice',
) {
  const created = await createTicket(
    getDb(),
    requesterId,
    { subject, body: 'Since yesterday each payment appears twice.', categoryId: null },
    { source: 'web' },
  );
  if (!created.ok) throw new Error(JSON.stringify(created.fieldErrors));
  return created.id;
}

function receivedBy(address: string) {
  return smtp.received.filter((mail) => mail.envelopeTo.includes(address));
}

/** A header as it arrived (unfolded), or null. */
function header(mail: { raw: string }, name: string): string | null {
  const head = (mail.raw.split(/\r?\n\r?\n/)[0] ?? '').replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((each) => each.toLowerCase().startsWith(`${name}:`));
  return line ? line.slice(name.length + 1).trim() : null;
}

async function mailRows(address: string) {
  return getDb()
    .selectFrom('mail_outbox')
    .select(['id', 'kind', 'status', 'skip_reason', 'attempts', 'next_attempt_at', 'last_error'])
    .where('to_address', '=', address)
    .orderBy('id')
    .execute();
}

describe('mail to a customer about their request', () => {
  test('filing a ticket sends the customer a confirmation through the SMTP server', async () => {
    const customer = await makeVerifiedUser();
    const ticketId = await fileTicket(customer.id);
    expect(receivedBy(customer.email)).toHaveLength(0);
    await sendDueMail(getDb(), { transport });
    const [confirmation] = receivedBy(customer.email);
    expect(confirmation?.parsed.subject).toBe(
      `[Request #${ticketId}] The bank feed shows every payment twice`,
    );
    expect(confirmation?.parsed.text).toContain('Since yesterday each payment appears twice.');
    expect(confirmation?.parsed.html).toContain(`/requests/${ticketId}`);
    expect(confirmation?.parsed.messageId).toMatch(new RegExp(`^<ticket-${ticketId}\\.msg-\\d+@`));
    expect((await mailRows(customer.email)).map((row) => row.status)).toEqual(['sent']);
  });

  test("an agent's public reply reaches the customer with its text, threading headers and a one-click unsubscribe; an internal note sends nothing", async () => {
    const customer = await makeVerifiedUser();
    const agent = await makeVerifiedUser('agent');
    const ticketId = await fileTicket(customer.id);
    await sendDueMail(getDb(), { transport });
    const confirmation = receivedBy(customer.email)[0];

    const note = await addTicketMessage(getDb(), agent, ticketId, {
      kind: 'note',
      body: 'Internal: the customer is on the legacy bank connector.',
    });
    expect(note.ok).toBe(true);
    await sendDueMail(getDb(), { transport });
    expect(receivedBy(customer.email)).toHaveLength(1);

    await addTicketMessage(getDb(), agent, ticketId, {
      kind: 'reply',
      body: 'Please **disconnect** the feed and import the statement once.',
    });
    await sendDueMail(getDb(), { transport });
    const mails = receivedBy(customer.email);
    expect(mails).toHaveLength(2);
    const reply = mails[1]!;
    expect(reply.parsed.text).toContain(
      'Please **disconnect** the feed and import the statement once.',
    );
    expect(reply.parsed.html).toContain('<strong>disconnect</strong>');
    expect(reply.raw).not.toContain('legacy bank connector');
    expect(reply.parsed.inReplyTo).toBe(confirmation?.parsed.messageId);
    const references = [reply.parsed.references].flat();
    expect(references).toContain(`<ticket-${ticketId}@localhost>`);
    expect(references).toContain(confirmation?.parsed.messageId);
    expect(header(reply, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(header(reply, 'list-unsubscribe')).toMatch(/^<http:\/\/localhost:\d+\/unsubscribe\?/);
  });

  test('the one-click unsubscribe POST turns off exactly that kind, without signing in, and the next reply sends nothing', async () => {
    const customer = await makeVerifiedUser();
    const agent = await makeVerifiedUser('agent');
    const ticketId = await fileTicket(customer.id);
    await addTicketMessage(getDb(), agent, ticketId, { kind: 'reply', body: 'First reply.' });
    await sendDueMail(getDb(), { transport });
    const reply = receivedBy(customer.email)[1]!;
    const link = (header(reply, 'list-unsubscribe') ?? '').replace(/^<|>$/g, '');
    const unsubscribeUrl = new URL(link);
    // The same link is in the body, for mail clients that do not show List-Unsubscribe.
    expect(reply.parsed.text).toContain(`Unsubscribe from these mails: ${link}`);
    expect(reply.parsed.html).toContain(`href="${link.replaceAll('&', '&amp;')}"`);

    const forged = new URL(unsubscribeUrl);
    forged.searchParams.set('kind', 'ticket_received');
    const refused = await callRoute(
      unsubscribeAction,
      new Request(forged, { method: 'POST', body: 'List-Unsubscribe=One-Click' }),
    );
    expect(statusOf(refused)).toBe(404);

    const done = await callRoute(
      unsubscribeAction,
      new Request(unsubscribeUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      }),
    );
    expect(done).toMatchObject({ done: true });

    await addTicketMessage(getDb(), agent, ticketId, { kind: 'reply', body: 'Second reply.' });
    await sendDueMail(getDb(), { transport });
    expect(receivedBy(customer.email)).toHaveLength(2);
    const rows = await mailRows(customer.email);
    expect(rows.at(-1)).toMatchObject({
      kind: 'ticket_reply',
      status: 'skipped',
      skip_reason: 'turned off by the recipient',
    });
    // Nor can an admin's resend overrule the recipient's choice.
    expect(await resendMail(getDb(), rows.at(-1)!.id)).toBe(false);
    // Only replies were turned off: a new request is still confirmed.
    await fileTicket(customer.id, 'Another problem with invoices');
    await sendDueMail(getDb(), { transport });
    expect(receivedBy(customer.email).at(-1)?.parsed.subject).toContain('Another problem');
  });

  test('an unverified address receives no notification mail, and the log says why', async () => {
    const customer = await makeUser();
    await getDb()
      .updateTable('users')
      .set({ email_verified_at: null })
      .where('id', '=', customer.id)
      .execute();
    await fileTicket(customer.id);
    await sendDueMail(getDb(), { transport });
    const email = `${customer.username}@example.com`;
    expect(receivedBy(email)).toHaveLength(0);
    expect(await mailRows(email)).toMatchObject([
      { status: 'skipped', skip_reason: 'address not verified' },
    ]);
  });
});

describe('watching a question', () => {
  const title = 'Where do I set the fiscal year end?';

  async function watchingOf(threadId: number, userId: number) {
    const page = await loaderData(questionLoader, `/questions/${threadId}`, userId, {
      id: String(threadId),
      slug: threadSlug(title),
    });
    return page.data.viewer?.watching;
  }

  test('a member who presses Watch on the page gets the next answer by mail; pressing Watching stops it', async () => {
    const asker = await makeVerifiedUser();
    const reader = await makeVerifiedUser();
    const helper = await makeVerifiedUser();
    const threadId = await makeQuestion(asker, title);
    const path = `/questions/${threadId}/${threadSlug(title)}`;
    const params = { id: String(threadId) };
    expect(await watchingOf(threadId, reader.id)).toBe(false);

    const watched = await postAs(
      questionAction,
      path,
      reader.id,
      { intent: 'watch', watching: 'on' },
      params,
    );
    expect(statusOf(watched)).toBe(200);
    expect(watched).toMatchObject({
      data: { form: 'watch', notice: expect.stringContaining('watching') },
    });
    expect(await watchingOf(threadId, reader.id)).toBe(true);

    await makeAnswer(
      helper,
      threadId,
      'Settings → Financial year end, then the lock dates follow.',
    );
    await sendDueMail(getDb(), { transport });
    const [mail] = receivedBy(reader.email);
    expect(mail?.parsed.subject).toBe(`Re: ${title}`);
    expect(mail?.parsed.text).toContain('answered a question you watch');
    expect(mail?.parsed.text).toContain('Financial year end');
    // The answerer now watches by default, and is not mailed their own answer.
    expect(receivedBy(helper.email)).toHaveLength(0);
    expect(await watchingOf(threadId, helper.id)).toBe(true);

    await postAs(questionAction, path, reader.id, { intent: 'watch', watching: 'off' }, params);
    expect(await watchingOf(threadId, reader.id)).toBe(false);
    await makeAnswer(helper, threadId, 'Or ask support to change it for you.');
    await sendDueMail(getDb(), { transport });
    expect(receivedBy(reader.email)).toHaveLength(1);
  });

  test('the asker watches by default, and stopping ends the answer mails about that question', async () => {
    const asker = await makeVerifiedUser();
    const helper = await makeVerifiedUser();
    const threadId = await makeQuestion(asker, title);
    const path = `/questions/${threadId}/${threadSlug(title)}`;
    const params = { id: String(threadId) };
    expect(await watchingOf(threadId, asker.id)).toBe(true);

    await makeAnswer(helper, threadId, 'First answer.');
    await sendDueMail(getDb(), { transport });
    expect(receivedBy(asker.email)).toHaveLength(1);

    await postAs(questionAction, path, asker.id, { intent: 'watch', watching: 'off' }, params);
    expect(await watchingOf(threadId, asker.id)).toBe(false);
    await makeAnswer(helper, threadId, 'Second answer.');
    await sendDueMail(getDb(), { transport });
    expect(receivedBy(asker.email)).toHaveLength(1);
  });

  test('watching needs an account, a clear choice and a question that exists; a visitor is sent to sign in', async () => {
    const asker = await makeVerifiedUser();
    const reader = await makeVerifiedUser();
    const threadId = await makeQuestion(asker, title);
    const path = `/questions/${threadId}/${threadSlug(title)}`;
    const params = { id: String(threadId) };
    const visitor = await callRoute(
      questionAction,
      formRequest(path, { intent: 'watch', watching: 'on' }),
      params,
    );
    expect(statusOf(visitor)).toBe(302);
    const unreadable = await postAs(
      questionAction,
      path,
      reader.id,
      { intent: 'watch', watching: 'yes' },
      params,
    );
    expect(statusOf(unreadable)).toBe(400);
    const missing = await postAs(
      questionAction,
      '/questions/999999/gone',
      reader.id,
      { intent: 'watch', watching: 'on' },
      { id: '999999' },
    );
    expect(statusOf(missing)).toBe(404);
    expect(await watchingOf(threadId, reader.id)).toBe(false);
  });
});

describe('delivery that fails', () => {
  test('a refusing (5xx) or absent server gets retries with growing delays, shows failed with its answer, then the mail goes when the server is back', async () => {
    const customer = await makeVerifiedUser();
    await fileTicket(customer.id);
    const [row] = await mailRows(customer.email);
    const id = row!.id;
    let now = new Date(Date.now() + 1_000);
    smtp.refuse('5.7.1 Relaying denied for this test');

    await sendDueMail(getDb(), { transport, now });
    let [after] = await mailRows(customer.email);
    expect(after).toMatchObject({ status: 'queued', attempts: 1 });
    expect(after?.last_error).toContain('Relaying denied');
    const firstDelay = Date.parse(after!.next_attempt_at!) - now.getTime();
    expect(firstDelay).toBe(retryDelaysMs[0]);

    // Not due yet: nothing is tried.
    await sendDueMail(getDb(), { transport, now: new Date(now.getTime() + firstDelay - 1) });
    expect((await mailRows(customer.email))[0]?.attempts).toBe(1);

    await smtp.stop();
    now = new Date(now.getTime() + firstDelay);
    await sendDueMail(getDb(), { transport, now });
    [after] = await mailRows(customer.email);
    expect(after).toMatchObject({ status: 'queued', attempts: 2 });
    expect(after?.last_error).toMatch(/ECONNREFUSED|connect/i);
    const secondDelay = Date.parse(after!.next_attempt_at!) - now.getTime();
    expect(secondDelay).toBeGreaterThan(firstDelay);

    const { emailLog } = await import('~/models/mail/log.server');
    const log = await emailLog(getDb(), { address: customer.email, status: 'failed' });
    expect(log.mails.map((mail) => mail.id)).toContain(id);

    smtp.refuse(null);
    await smtp.start();
    now = new Date(now.getTime() + secondDelay);
    await sendDueMail(getDb(), { transport, now });
    expect((await mailRows(customer.email))[0]).toMatchObject({ status: 'sent', attempts: 3 });
    expect(receivedBy(customer.email)).toHaveLength(1);
  });

  test('a worker stopped mid-batch leaves the rest queued, and they are sent once when it runs again', async () => {
    const customer = await makeVerifiedUser();
    for (let n = 1; n <= 5; n++) await fileTicket(customer.id, `Problem number ${n} with the feed`);
    await sendDueMail(getDb(), {
      transport,
      shouldStop: () => receivedBy(customer.email).length >= 2,
    });
    expect(receivedBy(customer.email)).toHaveLength(2);
    expect((await mailRows(customer.email)).map((row) => row.status)).toEqual([
      'sent',
      'sent',
      'queued',
      'queued',
      'queued',
    ]);
    await sendDueMail(getDb(), { transport });
    const subjects = receivedBy(customer.email).map((mail) => mail.parsed.subject);
    expect(subjects).toHaveLength(5);
    expect(new Set(subjects).size).toBe(5);
  });

  test('killing the app mid-send loses nothing and sends nothing twice', async () => {
    const customer = await makeVerifiedUser();
    for (let n = 1; n <= 6; n++) await fileTicket(customer.id, `Crash problem ${n} with the feed`);
    // The third message reaches the server, which never answers: the app dies waiting.
    const isThird = (raw: string) =>
      raw.includes(customer.email) && raw.includes('Crash problem 3');
    smtp.hold(isThird);
    const third = new Promise<void>((resolve) => {
      const check = () =>
        void smtp.nextArrival().then((mail) => {
          if (isThird(mail.raw)) resolve();
          else check();
        });
      check();
    });
    let child: ChildProcess | null = null;
    try {
      child = spawn(
        process.execPath,
        ['--import', 'tsx', path.join(root, 'test/support/mail-worker-child.ts')],
        { cwd: root, env: { ...process.env, SMTP_URL: smtp.url }, stdio: 'ignore' },
      );
      await third;
      child.kill('SIGKILL');
      await new Promise((resolve) => child?.once('exit', resolve));
    } finally {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    expect(receivedBy(customer.email)).toHaveLength(3);

    // The app starts again; once the dead worker's claim has run out its rows are handled.
    smtp.hold(null);
    await sendDueMail(getDb(), { transport });
    expect(receivedBy(customer.email)).toHaveLength(3);
    await sendDueMail(getDb(), { transport, now: new Date(Date.now() + claimLeaseMs + 1_000) });

    const subjects = receivedBy(customer.email).map((mail) => mail.parsed.subject);
    expect(subjects).toHaveLength(6);
    expect(new Set(subjects).size).toBe(6);
    const rows = await mailRows(customer.email);
    expect(rows.map((row) => row.status)).toEqual([
      'sent',
      'sent',
      'failed',
      'sent',
      'sent',
      'sent',
    ]);
    expect(rows[2]?.last_error).toBe(interruptedError);
  });
});

describe('header safety', () => {
  test('a CR/LF in a subject or a name never adds a header', async () => {
    const customer = await makeVerifiedUser();
    await queueMail(getDb(), {
      kind: 'test',
      to: customer.email,
      toName: 'Eve\r\nBcc: victim@example.com',
      subject: 'Hello\r\nBcc: victim@example.com\r\nX-Injected: yes',
      ...renderMail({ title: 'Hello', paragraphs: ['Body'] }),
    });
    await queueMail(getDb(), {
      kind: 'test',
      to: 'someone@example.com\r\nBcc: victim@example.com',
      subject: 'Bad address',
      text: 'x',
      html: 'x',
    });
    await sendDueMail(getDb(), { transport });
    const [mail] = receivedBy(customer.email);
    expect(mail?.envelopeTo).toEqual([customer.email]);
    expect(mail?.parsed.headers.has('bcc')).toBe(false);
    expect(mail?.parsed.headers.has('x-injected')).toBe(false);
    expect(mail?.parsed.subject).toBe('Hello Bcc: victim@example.com X-Injected: yes');
    expect(smtp.received.some((each) => each.envelopeTo.includes('victim@example.com'))).toBe(
      false,
    );
    expect(await mailRows('someone@example.com\r\nBcc: victim@example.com')).toMatchObject([
      { status: 'skipped', skip_reason: 'not a usable address' },
    ]);
  });
});
