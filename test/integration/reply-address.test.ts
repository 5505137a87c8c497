import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { requestPasswordHelp } from '~/models/account-recovery.server';
import { mailHost } from '~/models/mail/config.server';
import {
  readReplyAddress,
  replyAddress,
  repliesReachUs,
  replyHost,
  type ReplyTarget,
} from '~/models/mail/reply-address.server';
import { outgoingMessage, sendDueMail } from '~/models/mail/sender.server';
import { smtpTransport, type MailTransport } from '~/models/mail/transport.server';
import { addComment } from '~/models/comments.server';
import { addTicketMessage, createTicket } from '~/models/tickets.server';
import { parseConfig } from '~/utils/config.server';
import { getDb } from '~/utils/db.server';
import { makeAnswer, makeQuestion, makeUser, makeVerifiedUser } from '../support/community';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp';

const naughtyStrings: string[] = JSON.parse(
  fs.readFileSync(
    path.resolve(import.meta.dirname, '../../../shared/data/naughty/blns.json'),
    'utf8',
  ),
);

// Mails carry reply addresses only where an operator says replies reach this server.
process.env.REPLY_DOMAIN = 'reply.example.test';

const largestId = 2 ** 31;

/** The token's parts: `reply+<t|q|c|p><id>-<userId>-<mac>@host`, numbers in base 36. */
function parts(address: string) {
  const match = /^reply\+([tqcp])([0-9a-z]+)-([0-9a-z]+)-([0-9a-f]+)@(.+)$/.exec(address);
  if (!match) throw new Error(`not a reply address: ${address}`);
  const [, letter = '', id = '', user = '', mac = '', host = ''] = match;
  return { letter, id, user, mac, host };
}

const read = (address: string) => readReplyAddress(getDb(), address);
const make = (target: ReplyTarget) => replyAddress(getDb(), target);

describe('reply addresses', () => {
  test('an address made for a ticket or a thread reads back as that conversation and person', async () => {
    const targets: ReplyTarget[] = [
      { kind: 'ticket', id: 1, userId: 1 },
      { kind: 'ticket', id: 4821, userId: 77 },
      { kind: 'thread', id: 4821, userId: 77 },
      { kind: 'thread', id: largestId, userId: largestId },
      { kind: 'ticket', id: largestId - 1, userId: 3 },
      { kind: 'thread-comment', id: 4821, userId: 77 },
      { kind: 'post-comment', id: 4821, userId: 77 },
    ];
    const addresses = await Promise.all(targets.map(make));
    expect(new Set(addresses).size).toBe(targets.length);
    for (const [index, address] of addresses.entries()) {
      expect(address).toMatch(/^reply\+[0-9a-z-]+@/);
      expect(address.endsWith(`@${replyHost()}`)).toBe(true);
      expect(await read(address)).toEqual(targets[index]);
    }
  });

  test('the local part stays within 64 characters and lower case for ids up to 2^31', async () => {
    for (const kind of ['ticket', 'thread', 'thread-comment', 'post-comment'] as const) {
      const address = await make({ kind, id: largestId, userId: largestId });
      const local = address.slice(0, address.lastIndexOf('@'));
      expect(local.length).toBeLessThanOrEqual(64);
      expect(local).toBe(local.toLowerCase());
      // At least 80 bits of signature.
      expect(parts(address).mac.length * 4).toBeGreaterThanOrEqual(80);
    }
  });

  test('an address a mail server wrote in upper case still reads', async () => {
    const target: ReplyTarget = { kind: 'ticket', id: 90210, userId: 4242 };
    const address = await make(target);
    expect(await read(address.toUpperCase())).toEqual(target);
    const { host } = parts(address);
    const local = address.slice(0, -host.length - 1);
    expect(await read(`${local.toUpperCase()}@${host}`)).toEqual(target);
    expect(await read(`Reply+${local.slice('reply+'.length)}@${host.toUpperCase()}`)).toEqual(
      target,
    );
  });

  test('changing any one character of the token makes the address read as nobody', async () => {
    const address = await make({ kind: 'thread', id: 31337, userId: 1024 });
    const start = 'reply+'.length;
    const end = address.lastIndexOf('@');
    const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz-';
    let tried = 0;
    for (let at = start; at < end; at++) {
      for (const replacement of alphabet) {
        if (replacement === address[at]) continue;
        const altered = `${address.slice(0, at)}${replacement}${address.slice(at + 1)}`;
        expect(await read(altered), altered).toBeNull();
        tried++;
      }
    }
    expect(tried).toBeGreaterThan(1_000);
  });

  test("a token with another person's id, or the kind switched, reads as nobody", async () => {
    const mine = await make({ kind: 'ticket', id: 512, userId: 20 });
    const theirs = await make({ kind: 'ticket', id: 512, userId: 21 });
    const { letter, id, mac, host } = parts(mine);
    expect(await read(`reply+${letter}${id}-${(21).toString(36)}-${mac}@${host}`)).toBeNull();
    expect(await read(`reply+${letter}${id}-${(0).toString(36)}-${mac}@${host}`)).toBeNull();
    for (const other of 'qcp')
      expect(await read(`reply+${other}${id}-${parts(mine).user}-${mac}@${host}`)).toBeNull();
    expect(
      await read(`reply+${letter}${id}-${parts(mine).user}-${parts(theirs).mac}@${host}`),
    ).toBeNull();
    expect(await read(theirs)).toEqual({ kind: 'ticket', id: 512, userId: 21 });
  });

  test('a truncated address reads as nobody', async () => {
    const address = await make({ kind: 'ticket', id: 65535, userId: 9001 });
    const { host } = parts(address);
    const local = address.slice(0, -host.length - 1);
    for (let length = 0; length < local.length; length++) {
      expect(await read(`${local.slice(0, length)}@${host}`)).toBeNull();
      expect(await read(address.slice(0, length))).toBeNull();
    }
    expect(await read(local)).toBeNull();
  });

  test("an address signed with another installation's secret reads as nobody", async () => {
    const target: ReplyTarget = { kind: 'thread', id: 808, userId: 17 };
    const before = await make(target);
    const kept = await getDb()
      .selectFrom('settings')
      .select('value')
      .where('key', '=', 'mail_reply_secret')
      .executeTakeFirstOrThrow();
    try {
      await getDb()
        .updateTable('settings')
        .set({ value: 'a-different-installation-secret' })
        .where('key', '=', 'mail_reply_secret')
        .execute();
      const after = await make(target);
      expect(after).not.toBe(before);
      expect(await read(before)).toBeNull();
      expect(await read(after)).toEqual(target);
    } finally {
      await getDb()
        .updateTable('settings')
        .set({ value: kept.value })
        .where('key', '=', 'mail_reply_secret')
        .execute();
    }
    expect(await read(before)).toEqual(target);
  });

  test('garbage and every naughty string read as nobody, with or without the reply+ prefix', async () => {
    const host = replyHost();
    const garbage = [
      '',
      ' ',
      '@',
      'reply+@example.com',
      'reply+t1-1-@example.com',
      'reply+t1-1-000000000000000000000000@example.com',
      'reply+t0-0-000000000000000000000000@example.com',
      'reply+x1-1-000000000000000000000000@example.com',
      `reply+t1-1-${'f'.repeat(24)}`,
      'support@example.com',
      'reply@example.com',
      '<reply+t1-1-000000000000000000000000@example.com>',
      'reply+t1-1-000000000000000000000000@',
      'reply+t1-1-000000000000000000000000@exa mple.com',
      `reply+t${'z'.repeat(11)}-1-000000000000000000000000@example.com`,
    ];
    expect(naughtyStrings.length).toBeGreaterThan(500);
    for (const candidate of [
      ...garbage,
      ...naughtyStrings,
      ...naughtyStrings.map((naughty) => `reply+${naughty}@${host}`),
      ...naughtyStrings.map((naughty) => `reply+t1-1-${naughty}@${host}`),
    ])
      expect(await read(candidate), JSON.stringify(candidate)).toBeNull();
  });

  test('mails carry a reply address only when REPLY_DOMAIN says replies reach this server', () => {
    expect(repliesReachUs(parseConfig({}))).toBe(false);
    expect(repliesReachUs(parseConfig({ REPLY_DOMAIN: 'reply.example.com' }))).toBe(true);
  });

  test('REPLY_DOMAIN sets the host, must be a domain name, and defaults to the mail host', () => {
    expect(replyHost(parseConfig({ REPLY_DOMAIN: 'Reply.Example.com' }))).toBe('reply.example.com');
    const plain = parseConfig({ MAIL_FROM: 'Help <help@ledgerly.example>' });
    expect(replyHost(plain)).toBe(mailHost(plain));
    expect(replyHost(plain)).toBe('ledgerly.example');
    for (const bad of ['not a domain', 'example', '-bad.example.com', 'a@b.example', 'x.com\n'])
      expect(() => parseConfig({ REPLY_DOMAIN: bad })).toThrow(/REPLY_DOMAIN/);
  });
});

describe('outgoing mail carries a reply address', () => {
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

  async function queued(address: string, kind: string) {
    return getDb()
      .selectFrom('mail_outbox')
      .selectAll()
      .where('to_address', '=', address)
      .where('kind', '=', kind)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
  }

  function replyToOf(message: { replyTo?: unknown }): string {
    const replyTo = message.replyTo;
    if (typeof replyTo !== 'string') throw new Error(`Reply-To is ${JSON.stringify(replyTo)}`);
    return replyTo;
  }

  test("a ticket reply's Reply-To names that ticket and its requester, and the text says what replying does", async () => {
    const customer = await makeVerifiedUser();
    const agent = await makeVerifiedUser('agent');
    const created = await createTicket(
      getDb(),
      customer.id,
      {
        subject: 'Invoices lose their logo',
        body: 'Since Monday the PDF has no logo.',
        categoryId: null,
      },
      { source: 'web' },
    );
    if (!created.ok) throw new Error(JSON.stringify(created.fieldErrors));
    const replied = await addTicketMessage(getDb(), agent, created.id, {
      kind: 'reply',
      body: 'Upload the logo again under Settings, please.',
    });
    expect(replied.ok).toBe(true);

    const row = await queued(customer.email, 'ticket_reply');
    const message = await outgoingMessage(getDb(), row);
    expect(await readReplyAddress(getDb(), replyToOf(message))).toEqual({
      kind: 'ticket',
      id: created.id,
      userId: customer.id,
    });
    expect(String(message.text).trimEnd().split('\n').at(-1)).toBe(
      'Reply to this email to add to your request.',
    );
    expect(String(message.html)).toContain(
      'Reply to this email to add to your request.</p></body>',
    );
    // The threading headers stay as they were.
    expect(message.messageId).toBe(row.message_id);
    expect(message.references).toContain(`<ticket-${created.id}@${mailHost()}>`);

    // And it survives a real SMTP exchange as a Reply-To header.
    await sendDueMail(getDb(), { transport });
    const arrived = smtp.received.find(
      (mail) =>
        mail.envelopeTo.includes(customer.email) && mail.parsed.messageId === row.message_id,
    );
    const header = arrived?.parsed.replyTo?.value[0]?.address ?? '';
    expect(await readReplyAddress(getDb(), header)).toEqual({
      kind: 'ticket',
      id: created.id,
      userId: customer.id,
    });
  });

  test('an answer to a question carries a reply address for the asker and the thread', async () => {
    const asker = await makeVerifiedUser();
    const answerer = await makeUser();
    const threadId = await makeQuestion(asker, 'Can a bank rule split a payment?');
    await makeAnswer(answerer, threadId, 'Yes: add a split line to the rule.');
    const message = await outgoingMessage(getDb(), await queued(asker.email, 'answer'));
    expect(await readReplyAddress(getDb(), replyToOf(message))).toEqual({
      kind: 'thread',
      id: threadId,
      userId: asker.id,
    });
    expect(String(message.text).trimEnd().endsWith('Reply to this email to answer.')).toBe(true);
  });

  test('a comment notification carries a reply address that comments beside the answer', async () => {
    const asker = await makeUser();
    const answerer = await makeVerifiedUser();
    const commenter = await makeUser();
    const threadId = await makeQuestion(asker, 'Why does the bank feed skip Fridays?');
    const postId = await makeAnswer(answerer, threadId, 'The feed runs on business days only.');
    const commented = await addComment(
      getDb(),
      commenter,
      threadId,
      postId,
      'Even for banks open on Saturday?',
    );
    expect(commented.ok).toBe(true);
    const row = await queued(answerer.email, 'comment');
    expect(row.thread_key).toBe(`question-${threadId}`);
    const message = await outgoingMessage(getDb(), row);
    expect(await readReplyAddress(getDb(), replyToOf(message))).toEqual({
      kind: 'post-comment',
      id: postId,
      userId: answerer.id,
    });
    expect(String(message.text).trimEnd().endsWith('Reply to this email to comment.')).toBe(true);
  });

  test('a password-reset mail has no Reply-To and says nothing about replying', async () => {
    const person = await makeVerifiedUser();
    const asked = await requestPasswordHelp(getDb(), {
      email: person.email,
      clientAddress: '192.0.2.44',
    });
    expect(asked.ok).toBe(true);
    const message = await outgoingMessage(getDb(), await queued(person.email, 'password_reset'));
    expect(message.replyTo).toBeUndefined();
    expect(String(message.text)).not.toContain('Reply to this email');
    expect(String(message.html)).not.toContain('Reply to this email');
  });
});
