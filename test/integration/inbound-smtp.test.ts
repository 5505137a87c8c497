import fs from 'node:fs';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startInboundSmtp, type InboundListener } from '~/models/mail/inbound/smtp-listener.server';
import { replyAddress } from '~/models/mail/reply-address.server';
import { heldMailText, receivedMailLog } from '~/models/mail/inbound/log.server';
import { releaseHeldMail } from '~/models/mail/inbound/receive.server';
import { createApiToken } from '~/models/api-tokens.server';
import { action as inboundAction } from '~/routes/api.v1.inbound-email';
import { resolveTicket } from '~/models/resolutions.server';
import { addTicketMessage } from '~/models/tickets.server';
import { getDb } from '~/utils/db.server';
import { acceptAnswer } from '~/models/posts.server';
import { loader as goLoader } from '~/routes/search.go';
import { addComment } from '~/models/comments.server';
import { outgoingMessage } from '~/models/mail/sender.server';
import { makeAnswer, makeQuestion, makeUser, makeVerifiedUser } from '../support/community';
import { apiRequest, callApi, testContext } from '../support/requests';

// Where this installation takes mail: new tickets at support@, replies at reply+…@.
process.env.SUPPORT_ADDRESS = 'support@help.example.com, billing@help.example.com';
process.env.REPLY_DOMAIN = 'help.example.com';

const fixtures = path.resolve(import.meta.dirname, '../fixtures/mail');
const fixture = (name: string) => fs.readFileSync(path.join(fixtures, name), 'utf8');
const maxBytes = 300_000;

let listener: InboundListener;
let transport: Transporter;

beforeAll(async () => {
  listener = await startInboundSmtp(getDb(), { port: 0, host: '127.0.0.1', maxBytes });
  transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: listener.port,
    secure: false,
    ignoreTLS: true,
  });
});

afterAll(async () => {
  transport.close();
  await listener.stop();
});

/** Sends a message as written, over SMTP, to these envelope recipients. */
function send(raw: string, to: string[], from = 'sender@customer.example') {
  return transport.sendMail({ envelope: { from, to }, raw });
}

/** The same failure a sending server sees: the SMTP reply code and text. */
async function refusal(sending: Promise<unknown>) {
  const error = (await sending.then(
    () => null,
    (failure: unknown) => failure,
  )) as { responseCode?: number; response?: string } | null;
  return { code: error?.responseCode ?? null, text: error?.response ?? '' };
}

async function inbound(id: number) {
  return getDb()
    .selectFrom('inbound_mail')
    .select(['outcome', 'reason', 'ticket_id', 'thread_id', 'user_id', 'from_address'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

async function latestInbound() {
  const row = await getDb()
    .selectFrom('inbound_mail')
    .select('id')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  return inbound(row.id);
}

/** The newest outbox row's id: mail queued after it is newer. */
async function lastMailId() {
  const row = await getDb()
    .selectFrom('mail_outbox')
    .select((eb) => eb.fn.max('id').as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

async function messagesOf(ticketId: number) {
  return getDb()
    .selectFrom('ticket_messages')
    .select(['author_id', 'kind', 'body_md'])
    .where('ticket_id', '=', ticketId)
    .orderBy('id')
    .execute();
}

describe('a conversation held by mail, over a real SMTP exchange', () => {
  let ticketId = 0;
  let requesterId = 0;
  const agent = { id: 0, role: 'agent' as const };

  test('a new message to the support address becomes a ticket, with its files', async () => {
    // An answered question on the same subject: the confirmation offers it.
    const asker = await makeUser();
    const answered = await makeQuestion(asker, 'Where do I change the VAT number on invoices?');
    const answer = await makeAnswer(
      await makeUser(),
      answered,
      'Settings → Company → Tax: the VAT number there is printed on every new invoice.',
    );
    expect((await acceptAnswer(getDb(), asker, answered, answer)).ok).toBe(true);
    const before = await lastMailId();
    const sent = await send(fixture('new-with-attachments.eml'), ['support@help.example.com']);
    expect(sent.response).toMatch(/^250 .*Received as #\d+/);
    const received = await latestInbound();
    expect(received).toMatchObject({
      outcome: 'ticket',
      from_address: 'maria.lopez@customer.example',
    });
    ticketId = received.ticket_id!;
    const ticket = await getDb()
      .selectFrom('tickets')
      .innerJoin('users', 'users.id', 'tickets.requester_id')
      .select([
        'tickets.subject',
        'tickets.body_md',
        'tickets.source',
        'tickets.status',
        'users.id as requesterId',
        'users.email',
        'users.display_name',
        'users.password_hash',
      ])
      .where('tickets.id', '=', ticketId)
      .executeTakeFirstOrThrow();
    requesterId = ticket.requesterId;
    expect(ticket).toMatchObject({
      subject: 'Invoice shows the wrong VAT number',
      source: 'email',
      status: 'new',
      email: 'maria.lopez@customer.example',
      display_name: 'María López',
      // An account of her own that she can claim; nobody can sign in to it meanwhile.
      password_hash: null,
    });
    expect(ticket.body_md).toContain('shows our old VAT number');
    // Both files are stored as her uploads and linked from the ticket.
    expect(ticket.body_md).toMatch(/\[invoice-2026-11\.pdf\]\(\/uploads\/[\w-]{16}\//);
    expect(ticket.body_md).toMatch(/!\[[^\]]*\]\(\/uploads\/[\w-]{16}\/[^)]+\.png\)/);
    const uses = await getDb()
      .selectFrom('upload_uses')
      .select('upload_id')
      .where('target_type', '=', 'ticket')
      .where('target_id', '=', ticketId)
      .execute();
    expect(uses).toHaveLength(2);
    // She gets the confirmation mail, and the agents' replies will reach her: the account made
    // for her mail takes its address as shown to be hers.
    const confirmation = await getDb()
      .selectFrom('mail_outbox')
      .select(['status', 'kind', 'text_body'])
      .where('to_address', '=', 'maria.lopez@customer.example')
      .where('id', '>', before)
      .execute();
    expect(confirmation).toEqual([expect.objectContaining({ status: 'queued' })]);
    // It lists the answered question, through a link that records a deflection when opened.
    const text = confirmation[0]?.text_body ?? '';
    expect(text).toContain('These may answer it already:');
    const link = /- Where do I change the VAT number on invoices\?: (\S+)/.exec(text)?.[1] ?? '';
    expect(link).toContain('/search/go?');
    const opened = await goLoader({
      request: new Request(link),
      params: {},
      context: testContext,
    });
    expect((opened as Response).headers.get('Location')).toMatch(
      new RegExp(`^/questions/${answered}/`),
    );
    const deflection = await getDb()
      .selectFrom('events')
      .select(['thread_id', 'data'])
      .where('type', '=', 'deflection')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(deflection.thread_id).toBe(answered);
    expect(JSON.parse(deflection.data ?? '{}')).toMatchObject({ source: 'mail' });
    const verified = await getDb()
      .selectFrom('users')
      .select('email_verified_at')
      .where('id', '=', requesterId)
      .executeTakeFirstOrThrow();
    expect(verified.email_verified_at).not.toBeNull();
  });

  test('her reply to the agent’s mail is added to the ticket, quotes left out, and reopens it', async () => {
    agent.id = (await makeUser('agent')).id;
    const answered = await addTicketMessage(getDb(), agent, ticketId, {
      kind: 'reply',
      body: 'We corrected the VAT number; a new invoice is attached.',
    });
    expect(answered.ok).toBe(true);
    expect(
      (await resolveTicket(getDb(), agent, ticketId, { kind: 'other', note: 'New invoice sent.' }))
        .ok,
    ).toBe(true);
    const address = await replyAddress(getDb(), {
      kind: 'ticket',
      id: ticketId,
      userId: requesterId,
    });
    const reply = fixture('gmail-reply.eml')
      .replaceAll('reply+t42.Zx8kQ@help.example.com', address)
      .replaceAll('Dana.Smith@GMAIL.com', 'maria.lopez@customer.example');
    await send(reply, [address]);
    expect(await latestInbound()).toMatchObject({ outcome: 'ticket_reply', ticket_id: ticketId });
    const messages = await messagesOf(ticketId);
    expect(messages.at(-1)).toMatchObject({ author_id: requesterId, kind: 'reply' });
    expect(messages.at(-1)?.body_md).toMatch(/^Restarting the spooler fixed it, thank you!/);
    // What she quoted from our mail is not repeated in the ticket.
    expect(messages.at(-1)?.body_md).not.toContain('wrote:');
    const ticket = await getDb()
      .selectFrom('tickets')
      .select('status')
      .where('id', '=', ticketId)
      .executeTakeFirstOrThrow();
    expect(ticket.status).toBe('open');
  });

  test('an out-of-office reply and a bounce create nothing and send nothing', async () => {
    const address = await replyAddress(getDb(), {
      kind: 'ticket',
      id: ticketId,
      userId: requesterId,
    });
    const before = { mail: await lastMailId(), messages: (await messagesOf(ticketId)).length };
    const tickets = await getDb()
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();

    await send(
      fixture('out-of-office.eml')
        .replaceAll('reply+t42.Zx8kQ@help.example.com', address)
        .replaceAll('priya.natarajan@customer.example', 'maria.lopez@customer.example'),
      [address],
    );
    expect(await latestInbound()).toMatchObject({ outcome: 'ignored' });
    await send(fixture('bounce-report.eml'), ['support@help.example.com'], '');
    expect(await latestInbound()).toMatchObject({
      outcome: 'ignored',
      reason: expect.stringMatching(/delivery failure/i),
    });

    expect(await lastMailId()).toBe(before.mail);
    expect((await messagesOf(ticketId)).length).toBe(before.messages);
    const after = await getDb()
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(tickets.n));
  });

  test('a bounce stops notifications to the address until it is verified again', async () => {
    const former = await makeUser();
    await getDb()
      .updateTable('users')
      .set({ email: 'former.employee@customer.example', email_verified_at: '2026-01-01T00:00:00Z' })
      .where('id', '=', former.id)
      .execute();
    await send(fixture('bounce-report.eml'), ['support@help.example.com'], '');
    expect(await latestInbound()).toMatchObject({
      outcome: 'ignored',
      reason: expect.stringContaining('1 account gets no more notifications'),
    });
    const after = await getDb()
      .selectFrom('users')
      .select(['email_verified_at', 'email_bounced_at'])
      .where('id', '=', former.id)
      .executeTakeFirstOrThrow();
    expect(after.email_verified_at).toBeNull();
    expect(after.email_bounced_at).not.toBeNull();

    // Their next notification is logged as skipped, with the reason.
    const threadId = await makeQuestion(former);
    await makeAnswer(await makeUser(), threadId);
    const skipped = await getDb()
      .selectFrom('mail_outbox')
      .select(['status', 'skip_reason'])
      .where('to_address', '=', 'former.employee@customer.example')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(skipped).toEqual({
      status: 'skipped',
      skip_reason: 'address bounced: waiting for it to be verified again',
    });
  });

  test('a reply from someone other than the address’s person is held, not posted', async () => {
    const address = await replyAddress(getDb(), {
      kind: 'ticket',
      id: ticketId,
      userId: requesterId,
    });
    const before = (await messagesOf(ticketId)).length;
    await send(fixture('gmail-reply.eml').replaceAll('reply+t42.Zx8kQ@help.example.com', address), [
      address,
    ]);
    expect(await latestInbound()).toMatchObject({
      outcome: 'held',
      reason: expect.stringContaining('made for maria.lopez@customer.example'),
      ticket_id: ticketId,
    });
    expect((await messagesOf(ticketId)).length).toBe(before);

    // An admin who reads it and vouches for the sender releases it: it is filed as addressed.
    const held = await getDb()
      .selectFrom('inbound_mail')
      .select('id')
      .where('outcome', '=', 'held')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(await heldMailText(getDb(), held.id)).toMatch(/^Restarting the spooler fixed it/);
    const admin = await makeUser('admin');
    expect(await releaseHeldMail(getDb(), held.id, admin)).toMatchObject({
      outcome: 'ticket_reply',
    });
    expect((await messagesOf(ticketId)).length).toBe(before + 1);
    expect(await releaseHeldMail(getDb(), held.id, admin)).toBeNull();
    const logged = await getDb()
      .selectFrom('moderation_log')
      .select(['actor_id', 'target_id', 'reason'])
      .where('action', '=', 'release_mail')
      .executeTakeFirstOrThrow();
    expect(logged).toMatchObject({ actor_id: admin.id, target_id: held.id });
    expect(logged.reason).toContain('made for maria.lopez@customer.example');
    const listed = await receivedMailLog(getDb(), { outcome: 'ticket_reply', address: 'gmail' });
    expect(listed.messages.map((message) => message.id)).toContain(held.id);
  });

  test('an agent’s mailed reply starting with #note stays internal', async () => {
    const agentEmail = await getDb()
      .selectFrom('users')
      .select('email')
      .where('id', '=', agent.id)
      .executeTakeFirstOrThrow();
    const address = await replyAddress(getDb(), { kind: 'ticket', id: ticketId, userId: agent.id });
    await send(
      [
        `From: Agent <${agentEmail.email}>`,
        `To: ${address}`,
        'Subject: Re: Invoice shows the wrong VAT number',
        'Message-ID: <agent-note-1@help.example.com>',
        '',
        '#note Finance confirmed the old number came from the 2025 import.',
        '',
      ].join('\r\n'),
      [address],
    );
    expect(await latestInbound()).toMatchObject({ outcome: 'ticket_reply' });
    expect((await messagesOf(ticketId)).at(-1)).toEqual({
      author_id: agent.id,
      kind: 'note',
      body_md: 'Finance confirmed the old number came from the 2025 import.',
    });
  });

  test('a reply to a question mail becomes an answer by its person', async () => {
    const asker = await makeUser();
    const helper = await makeUser();
    const helperEmail = await getDb()
      .selectFrom('users')
      .select('email')
      .where('id', '=', helper.id)
      .executeTakeFirstOrThrow();
    const threadId = await makeQuestion(asker);
    const address = await replyAddress(getDb(), {
      kind: 'thread',
      id: threadId,
      userId: helper.id,
    });
    await send(
      [
        `From: ${helperEmail.email}`,
        `To: ${address}`,
        'Subject: Re: a question',
        '',
        'Clear the cache in Settings, then sign in again: that fixed it for me.',
        '',
      ].join('\r\n'),
      [address],
    );
    expect(await latestInbound()).toMatchObject({ outcome: 'answer', thread_id: threadId });
    const answer = await getDb()
      .selectFrom('posts')
      .select(['author_id', 'body_md'])
      .where('thread_id', '=', threadId)
      .executeTakeFirstOrThrow();
    expect(answer).toEqual({
      author_id: helper.id,
      body_md: 'Clear the cache in Settings, then sign in again: that fixed it for me.',
    });
  });
  test('a reply to a comment mail becomes a comment beside the answer; one too long for a comment is held', async () => {
    const asker = await makeUser();
    const helper = await makeVerifiedUser();
    const threadId = await makeQuestion(asker, 'Why does the bank feed skip Fridays?');
    const postId = await makeAnswer(helper, threadId, 'The feed runs on business days only.');
    const asked = await addComment(
      getDb(),
      asker,
      threadId,
      postId,
      'Even when the bank is open on Saturday?',
    );
    expect(asked.ok).toBe(true);
    // The mail the helper got about the comment, as the outbox sends it.
    const row = await getDb()
      .selectFrom('mail_outbox')
      .selectAll()
      .where('user_id', '=', helper.id)
      .where('kind', '=', 'comment')
      .executeTakeFirstOrThrow();
    const notification = await outgoingMessage(getDb(), row);
    const address = String(notification.replyTo);
    const reply = (text: string) =>
      [
        `From: ${helper.email}`,
        `To: ${address}`,
        `Subject: Re: ${row.subject}`,
        `In-Reply-To: ${row.message_id}`,
        '',
        text,
        '',
        `On Sat, 5 Dec 2026 at 10:04, Help Center <${address}> wrote:`,
        '> Even when the bank is open on Saturday?',
        '',
      ].join('\r\n');

    await send(reply('Yes: the feed follows the business days of your region.'), [address]);
    expect(await latestInbound()).toMatchObject({ outcome: 'comment', thread_id: threadId });
    const comments = await getDb()
      .selectFrom('comments')
      .select(['author_id', 'post_id', 'body_md'])
      .where('thread_id', '=', threadId)
      .orderBy('id')
      .execute();
    expect(comments.at(-1)).toEqual({
      author_id: helper.id,
      post_id: postId,
      body_md: 'Yes: the feed follows the business days of your region.',
    });

    // A comment holds 600 characters: a longer reply waits for a person instead of being cut.
    await send(reply('The longer story. '.repeat(40)), [address]);
    expect(await latestInbound()).toMatchObject({
      outcome: 'held',
      reason: expect.stringContaining('600 characters'),
    });
    expect(
      await getDb().selectFrom('comments').select('id').where('thread_id', '=', threadId).execute(),
    ).toHaveLength(comments.length);
  });
});

describe('what the listener refuses, and that it keeps serving', () => {
  test('mail for an address that is not ours is refused at RCPT with 550', async () => {
    const refused = await refusal(
      send(fixture('new-with-attachments.eml'), ['someone@help.example.com']),
    );
    expect(refused.code).toBe(550);
    expect(refused.text).toContain('No mailbox here');
  });

  test('a message over the size limit gets 552; a forged reply address is not ours', async () => {
    const big =
      `From: a@customer.example\r\nTo: support@help.example.com\r\nSubject: big\r\n\r\n${'x'.repeat(76)}\r\n`.repeat(
        1,
      );
    const body = `${big}${`${'y'.repeat(998)}\r\n`.repeat(400)}`;
    const refused = await refusal(send(body, ['support@help.example.com']));
    expect(refused.code).toBe(552);
    const forged = await refusal(
      send(fixture('gmail-reply.eml'), ['reply+t1-1-000000000000000000000000@help.example.com']),
    );
    expect(forged.code).toBe(550);
  });

  test('a cut-off or From-less message is refused with its reason, and mail after it is taken', async () => {
    const truncated = await refusal(send(fixture('truncated.eml'), ['support@help.example.com']));
    expect(truncated.code).toBe(550);
    expect(truncated.text).toMatch(/Message refused: .+/);
    expect(await latestInbound()).toMatchObject({ outcome: 'rejected' });
    const nameless = await refusal(
      send('Subject: who am I\r\nTo: support@help.example.com\r\n\r\nNo sender at all.\r\n', [
        'support@help.example.com',
      ]),
    );
    expect(nameless.code).toBe(550);

    const sent = await send(
      'From: Ken <ken@customer.example>\r\nTo: billing@help.example.com\r\nSubject: Refund for a double charge\r\n\r\nI was charged twice on 3 December.\r\n',
      ['billing@help.example.com'],
    );
    expect(sent.response).toMatch(/^250 /);
    expect(await latestInbound()).toMatchObject({ outcome: 'ticket' });
  });
});

describe('POST /api/v1/inbound-email, for relays that post mail over HTTP', () => {
  test('files the message like the listener, with a token of its own scope', async () => {
    const admin = await makeUser('admin');
    const relay = await createApiToken(getDb(), admin.id, {
      name: 'relay',
      scopes: ['mail:receive'],
    });
    const reader = await createApiToken(getDb(), admin.id, { name: 'reader', scopes: ['read'] });
    const message =
      'From: Lee <lee@customer.example>\r\nTo: support@help.example.com\r\nSubject: Export to CSV fails\r\n\r\nThe export stops at 80% every time.\r\n';
    const post = (token: string, body: string, contentType = 'message/rfc822', query = '') =>
      callApi(
        inboundAction,
        apiRequest(`/inbound-email${query}`, { method: 'POST', token, body, contentType }),
      );

    expect((await post(reader.token, message)).status).toBe(403);
    expect((await post(relay.token, message, 'application/json')).status).toBe(415);
    const filed = await post(
      relay.token,
      message,
      'message/rfc822',
      '?to=support%40help.example.com',
    );
    expect(filed).toMatchObject({ status: 200, body: { outcome: 'ticket', reason: null } });
    const ticket = await getDb()
      .selectFrom('tickets')
      .select(['subject', 'source'])
      .where('id', '=', filed.body.ticket_id)
      .executeTakeFirstOrThrow();
    expect(ticket).toEqual({ subject: 'Export to CSV fails', source: 'email' });
    const unreadable = await post(relay.token, 'Subject: nobody\r\n\r\nno sender\r\n');
    expect(unreadable).toMatchObject({ status: 422, body: { error: { code: 'unreadable_mail' } } });
  });
});

describe('malformed and hostile mail at the default limits', () => {
  let defaults: InboundListener;
  let client: Transporter;

  beforeAll(async () => {
    defaults = await startInboundSmtp(getDb(), {
      port: 0,
      host: '127.0.0.1',
      maxBytes: 26_214_400,
    });
    client = nodemailer.createTransport({
      host: '127.0.0.1',
      port: defaults.port,
      secure: false,
      ignoreTLS: true,
    });
  });

  afterAll(async () => {
    client.close();
    await defaults.stop();
  });

  const deliver = (raw: string | Buffer, from = 'kim@customer.example') =>
    client.sendMail({ envelope: { from, to: ['support@help.example.com'] }, raw });

  async function ticketCount() {
    const row = await getDb()
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  test('30 MB, line breaks hidden in headers, undecodable encodings: refused with the reason, and the listener serves on', async () => {
    const before = await ticketCount();
    const huge = Buffer.concat([
      Buffer.from(
        'From: kim@customer.example\r\nTo: support@help.example.com\r\nSubject: huge\r\n\r\n',
      ),
      Buffer.alloc(30 * 2 ** 20, 'x\r\n'),
    ]);
    expect((await refusal(deliver(huge))).code).toBe(552);

    // A name that decodes to a line break and a second address: which sender would that be?
    const forged = await refusal(
      deliver(
        'From: =?UTF-8?Q?Kim=0D=0ABcc:_all@customer.example?= <kim@customer.example>\r\nTo: support@help.example.com\r\nSubject: hi\r\n\r\nHi.\r\n',
      ),
    );
    expect(forged).toMatchObject({ code: 550, text: expect.stringContaining('one sender') });

    // A subject that decodes to a line break stays on one line.
    await deliver(
      [
        'From: Kim <kim@customer.example>',
        'To: support@help.example.com',
        'Subject: =?UTF-8?Q?Printer_offline=0D=0AX-Injected:_yes?=',
        '',
        'The printer shows offline since the update.',
        '',
      ].join('\r\n'),
    );
    const injected = await latestInbound();
    expect(injected.outcome).toBe('ticket');
    const ticket = await getDb()
      .selectFrom('tickets')
      .select('subject')
      .where('id', '=', injected.ticket_id)
      .executeTakeFirstOrThrow();
    expect(ticket.subject).toMatch(/^Printer offline/);
    expect(ticket.subject).not.toMatch(/[\r\n]/);

    // Base64 that is not base64, text in a charset nobody knows, a header that is not UTF-8:
    // refused with the part and the reason, which the sending server returns to its sender.
    const undecodable: [headers: string, body: string, reason: string][] = [
      [
        'Content-Type: text/plain; charset="utf-8"\r\nContent-Transfer-Encoding: base64',
        'VGhlIGV4cG9ydCBmYWlscw==!!!%%%not base64 at all',
        'says it is base64 but holds characters base64 does not use',
      ],
      [
        'Content-Type: text/plain; charset="x-no-such-charset"',
        'Die Ausfuhr schl\xe4gt fehl.',
        'character set "x-no-such-charset", which is unknown here',
      ],
      ['X-Note: caf\xe9', 'Plain words.', 'X-Note header holds 8-bit bytes that are not UTF-8'],
    ];
    for (const [headers, body, reason] of undecodable) {
      const message = `From: kim@customer.example\r\nTo: support@help.example.com\r\nSubject: Export fails\r\n${headers}\r\n\r\n${body}\r\n`;
      expect(await refusal(deliver(Buffer.from(message, 'latin1')))).toMatchObject({
        code: 550,
        text: expect.stringContaining(reason),
      });
      // The log still says who sent it.
      expect(await latestInbound()).toMatchObject({
        outcome: 'rejected',
        from_address: 'kim@customer.example',
        reason: expect.stringContaining(reason),
      });
    }

    // Everything accepted before is still there, and the next message is taken as usual.
    expect(await ticketCount()).toBe(before + 1);
    const sent = await deliver(
      'From: kim@customer.example\r\nTo: support@help.example.com\r\nSubject: Thanks for the help\r\n\r\nAll good now.\r\n',
    );
    expect(sent.response).toMatch(/^250 /);
    expect(await ticketCount()).toBe(before + 2);
  });

  test('mail from an address whose account never verified it is held, not filed there', async () => {
    const squatter = await makeUser();
    await getDb()
      .updateTable('users')
      .set({ email: 'sam.rivera@customer.example', email_verified_at: null })
      .where('id', '=', squatter.id)
      .execute();
    const before = await ticketCount();
    await deliver(
      'From: Sam Rivera <sam.rivera@customer.example>\r\nTo: support@help.example.com\r\nSubject: Please reset our company plan\r\n\r\nWe want to move to the yearly plan.\r\n',
      'sam.rivera@customer.example',
    );
    const held = await latestInbound();
    expect(held).toMatchObject({
      outcome: 'held',
      reason: expect.stringContaining('has not verified it'),
    });
    expect(await ticketCount()).toBe(before);
  });
});
