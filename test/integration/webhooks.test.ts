import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  createWebhook,
  deliverDue,
  getWebhook,
  maxAttempts,
  redeliver,
} from '~/models/webhooks.server';
import { createTicket } from '~/models/tickets.server';
import { getDb } from '~/utils/db.server';
import { makeAnswer, makeQuestion, makeUser } from '../support/community';

type Received = { headers: http.IncomingHttpHeaders; body: string };

/** A real HTTP receiver on a free local port: it records requests and answers `status`. */
function startReceiver() {
  const received: Received[] = [];
  let status = 200;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(status).end();
    });
  });
  return {
    received,
    answer(code: number) {
      status = code;
    },
    async listen() {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Verification as a receiver would write it from the Standard Webhooks spec, not our code. */
function verify(secret: string, received: Received): boolean {
  const id = String(received.headers['webhook-id']);
  const timestamp = String(received.headers['webhook-timestamp']);
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = crypto
    .createHmac('sha256', key)
    .update(`${id}.${timestamp}.${received.body}`)
    .digest('base64');
  return String(received.headers['webhook-signature'])
    .split(' ')
    .some((signature) => signature === `v1,${expected}`);
}

const receiver = startReceiver();
let url = '';
beforeAll(async () => {
  url = await receiver.listen();
});
afterAll(() => receiver.close());

describe('webhooks', () => {
  test('a ticket.created message reaches a real server, signed so the published scheme verifies it', async () => {
    const db = getDb();
    const admin = await makeUser('admin');
    const customer = await makeUser();
    const created = await createWebhook(db, admin.id, {
      url,
      description: 'test',
      events: ['ticket.created', 'thread.answered'],
    });
    if (!created.ok) throw new Error('webhook not created');
    const ticket = await createTicket(
      db,
      customer.id,
      {
        subject: 'Export to CSV fails',
        body: 'The export button spins forever.',
        categoryId: null,
      },
      { source: 'web' },
    );
    if (!ticket.ok) throw new Error('ticket not created');
    const threadId = await makeQuestion(customer);
    await makeAnswer(admin, threadId);

    receiver.answer(204);
    const before = receiver.received.length;
    expect(await deliverDue(db)).toBe(2);
    const messages = receiver.received.slice(before);
    expect(messages).toHaveLength(2);
    const { webhook } = (await getWebhook(db, created.id))!;
    for (const message of messages) {
      expect(verify(webhook.secret, message)).toBe(true);
      expect(message.headers['content-type']).toBe('application/json');
      expect(Number(message.headers['webhook-timestamp'])).toBeGreaterThan(1_700_000_000);
    }
    const payloads = messages.map((message) => JSON.parse(message.body));
    expect(payloads.map((payload) => payload.type).sort()).toEqual([
      'thread.answered',
      'ticket.created',
    ]);
    expect(payloads.find((p) => p.type === 'ticket.created').data.ticket.id).toBe(ticket.id);
    // A tampered body no longer verifies.
    expect(verify(webhook.secret, { ...messages[0]!, body: `${messages[0]!.body} ` })).toBe(false);
    // Delivered messages are not sent again.
    expect(await deliverDue(db)).toBe(0);
  });

  test('a receiver answering 500 gets retries with growing delays for more than 24 hours, each attempt logged', async () => {
    const db = getDb();
    const admin = await makeUser('admin');
    const customer = await makeUser();
    const created = await createWebhook(db, admin.id, {
      url,
      description: '',
      events: ['ticket.created'],
    });
    if (!created.ok) throw new Error('webhook not created');
    // Other tests' endpoints must not take this message: only this webhook listens from now on.
    await db.updateTable('webhooks').set({ active: 0 }).where('id', '!=', created.id).execute();
    const start = new Date('2026-11-23T10:00:00Z');
    await createTicket(
      db,
      customer.id,
      {
        subject: 'Receipts are missing',
        body: 'No receipt arrived for last month.',
        categoryId: null,
      },
      { source: 'web', now: start },
    );
    receiver.answer(500);
    const before = receiver.received.length;
    let now = start;
    const attemptTimes: number[] = [];
    for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
      // Nothing is sent before the delivery is due.
      expect(await deliverDue(db, { now: new Date(now.getTime() - 1) })).toBe(0);
      expect(await deliverDue(db, { now })).toBe(1);
      attemptTimes.push(now.getTime());
      const { deliveries } = (await getWebhook(db, created.id))!;
      const delivery = deliveries[0]!;
      expect(delivery.attempts).toBe(attempt + 1);
      expect(delivery.log).toHaveLength(attempt + 1);
      expect(delivery.log.at(-1)?.status_code).toBe(500);
      if (attempt < maxAttempts - 1) {
        expect(delivery.status).toBe('pending');
        now = new Date(delivery.next_attempt_at!);
      } else {
        expect(delivery.status).toBe('failed');
        expect(delivery.next_attempt_at).toBeNull();
      }
    }
    expect(receiver.received.length - before).toBe(maxAttempts);
    const gaps = attemptTimes.slice(1).map((time, index) => time - attemptTimes[index]!);
    for (let index = 1; index < gaps.length; index += 1)
      expect(gaps[index]!).toBeGreaterThanOrEqual(gaps[index - 1]!);
    expect(gaps[0]!).toBeLessThan(gaps.at(-1)!);
    expect(attemptTimes.at(-1)! - attemptTimes[0]!).toBeGreaterThan(24 * 3_600_000);
    // The same message id every time, so the receiver can drop duplicates.
    const ids = new Set(receiver.received.slice(before).map((r) => r.headers['webhook-id']));
    expect(ids.size).toBe(1);

    // An admin redelivers the failed message once the receiver is fixed.
    receiver.answer(200);
    const { deliveries } = (await getWebhook(db, created.id))!;
    expect(await redeliver(db, created.id, deliveries[0]!.id, now)).toBe(true);
    expect(await deliverDue(db, { now })).toBe(1);
    const after = (await getWebhook(db, created.id))!.deliveries[0]!;
    expect(after.status).toBe('delivered');
    expect(after.log.map((entry) => entry.status_code)).toEqual([
      ...Array(maxAttempts).fill(500),
      200,
    ]);
  });

  test('an unreachable endpoint is logged as an error and retried', async () => {
    const db = getDb();
    const admin = await makeUser('admin');
    const created = await createWebhook(db, admin.id, {
      url: 'http://127.0.0.1:9/nothing-listens-here',
      description: '',
      events: ['ticket.created'],
    });
    if (!created.ok) throw new Error('webhook not created');
    await db.updateTable('webhooks').set({ active: 0 }).where('id', '!=', created.id).execute();
    const customer = await makeUser();
    await createTicket(
      db,
      customer.id,
      {
        subject: 'Cannot log in at all',
        body: 'The page reloads after I press sign in.',
        categoryId: null,
      },
      { source: 'web' },
    );
    expect(await deliverDue(db)).toBe(1);
    const delivery = (await getWebhook(db, created.id))!.deliveries[0]!;
    expect(delivery.status).toBe('pending');
    expect(delivery.log[0]?.status_code).toBeNull();
    expect(delivery.log[0]?.error).toBeTruthy();
  });
});
