import crypto from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '#db/client';
import { notify } from '#db/notify';
import { webhookEvents, type Visibility, type WebhookEvent } from '#db/schema';
import type { FieldErrors } from '~/utils/forms.server';
import {
  attemptOutcome,
  claimDue,
  maxAttempts,
  startOutboxWorker,
  type OutboxWorker,
  type WorkerLog,
} from './outbox.server';

/**
 * Outgoing webhooks, following the Standard Webhooks convention (standardwebhooks.com): each
 * message carries `webhook-id`, `webhook-timestamp` and `webhook-signature`, where the signature is
 * `v1,` + base64(HMAC-SHA256(secret, `${id}.${timestamp}.${body}`)) and the secret is the base64
 * part of `whsec_…`.
 */

/**
 * Who may see the content an event is about, added to every payload that names a thread or an
 * article, so a receiver that passes things on (a chat channel, a customer newsletter) can tell
 * internal or restricted content from public: `thread.visibility` is its category's ("public"
 * without one); `article.visibility` is its own and `article.category_visibility` its
 * category's (null without one); a resolution that credits an article carries
 * `article_visibility` beside `article_id`. Endpoints are the site's own systems (an admin adds
 * them), so titles stay in; ticket events name content by id only, never by title.
 */
async function withVisibility(
  db: Database,
  data: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const result = { ...data };
  const thread = fieldsOf(data.thread);
  const article = fieldsOf(data.article);
  const resolution = fieldsOf(data.resolution);
  if (typeof thread?.id === 'number')
    result.thread = { ...thread, visibility: await threadVisibility(db, thread.id) };
  if (typeof article?.id === 'number')
    result.article = { ...article, ...(await articleVisibility(db, article.id)) };
  if (typeof resolution?.article_id === 'number')
    result.resolution = {
      ...resolution,
      article_visibility: (await articleVisibility(db, resolution.article_id)).visibility,
    };
  return result;
}

function fieldsOf(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null ? { ...value } : null;
}

async function threadVisibility(db: Database, threadId: number): Promise<Visibility> {
  const row = await db
    .selectFrom('threads')
    .leftJoin('categories', 'categories.id', 'threads.category_id')
    .select('categories.visibility')
    .where('threads.id', '=', threadId)
    .executeTakeFirst();
  return row?.visibility ?? 'public';
}

async function articleVisibility(
  db: Database,
  articleId: number,
): Promise<{ visibility: Visibility | null; category_visibility: Visibility | null }> {
  const row = await db
    .selectFrom('articles')
    .leftJoin('categories', 'categories.id', 'articles.category_id')
    .select(['articles.visibility', 'categories.visibility as category_visibility'])
    .where('articles.id', '=', articleId)
    .executeTakeFirst();
  return {
    visibility: row?.visibility ?? null,
    category_visibility: row?.category_visibility ?? null,
  };
}

/** Failed deliveries are retried on the shared outbox schedule (outbox.server.ts). */
export { maxAttempts };

export const webhookSchema = z.object({
  url: z
    .string('Enter the endpoint’s URL.')
    .trim()
    .max(2000, 'Keep the URL under 2000 characters.')
    .pipe(z.url({ protocol: /^https?$/, error: 'Enter an http:// or https:// URL.' })),
  description: z.string().trim().max(200, 'Keep the description under 200 characters.').default(''),
  events: z
    .union([z.enum(webhookEvents), z.array(z.enum(webhookEvents))], 'Choose at least one event.')
    .transform((value) => (Array.isArray(value) ? value : [value])),
});

export function newWebhookSecret(): string {
  return `whsec_${crypto.randomBytes(24).toString('base64')}`;
}

export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const digest = crypto.createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return `v1,${digest.toString('base64')}`;
}

export async function createWebhook(
  db: Database,
  actorId: number,
  input: z.infer<typeof webhookSchema>,
  now = new Date(),
): Promise<{ ok: true; id: number } | { ok: false; fieldErrors: FieldErrors }> {
  if (input.events.length === 0)
    return { ok: false, fieldErrors: { events: 'Choose at least one event.' } };
  const row = await db
    .insertInto('webhooks')
    .values({
      url: input.url,
      description: input.description,
      secret: newWebhookSecret(),
      events: [...new Set(input.events)].join(' '),
      created_by: actorId,
      created_at: now.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { ok: true, id: row.id };
}

export async function listWebhooks(db: Database) {
  return db
    .selectFrom('webhooks')
    .select((eb) => [
      'webhooks.id',
      'webhooks.url',
      'webhooks.description',
      'webhooks.events',
      'webhooks.active',
      'webhooks.created_at',
      eb
        .selectFrom('webhook_deliveries')
        .select((inner) => inner.fn.countAll<number>().as('n'))
        .whereRef('webhook_deliveries.webhook_id', '=', 'webhooks.id')
        .where('webhook_deliveries.status', '=', 'failed')
        .as('failed'),
      eb
        .selectFrom('webhook_deliveries')
        .select((inner) => inner.fn.countAll<number>().as('n'))
        .whereRef('webhook_deliveries.webhook_id', '=', 'webhooks.id')
        .where('webhook_deliveries.status', '=', 'pending')
        .as('pending'),
    ])
    .orderBy('webhooks.id')
    .execute();
}

export async function getWebhook(db: Database, id: number) {
  const webhook = await db
    .selectFrom('webhooks')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!webhook) return null;
  const deliveries = await db
    .selectFrom('webhook_deliveries')
    .select([
      'id',
      'message_id',
      'event_type',
      'status',
      'attempts',
      'next_attempt_at',
      'created_at',
      'delivered_at',
    ])
    .where('webhook_id', '=', id)
    .orderBy('id', 'desc')
    .limit(50)
    .execute();
  const attempts = deliveries.length
    ? await db
        .selectFrom('webhook_attempts')
        .selectAll()
        .where(
          'delivery_id',
          'in',
          deliveries.map((delivery) => delivery.id),
        )
        .orderBy('id')
        .execute()
    : [];
  return {
    webhook: { ...webhook, events: webhook.events.split(' ') as WebhookEvent[] },
    deliveries: deliveries.map((delivery) => ({
      ...delivery,
      log: attempts.filter((attempt) => attempt.delivery_id === delivery.id),
    })),
  };
}

export async function setWebhookActive(db: Database, id: number, active: boolean) {
  await db
    .updateTable('webhooks')
    .set({ active: active ? 1 : 0 })
    .where('id', '=', id)
    .execute();
}

export async function deleteWebhook(db: Database, id: number) {
  await db.deleteFrom('webhooks').where('id', '=', id).execute();
}

/** Sends a delivery again from its first attempt (its past attempts stay in the log). */
export async function redeliver(
  db: Database,
  webhookId: number,
  deliveryId: number,
  now = new Date(),
) {
  const result = await db
    .updateTable('webhook_deliveries')
    .set({
      status: 'pending',
      attempts: 0,
      next_attempt_at: now.toISOString(),
      claimed_until: null,
      delivered_at: null,
    })
    .where('id', '=', deliveryId)
    .where('webhook_id', '=', webhookId)
    .executeTakeFirst();
  if (result.numUpdatedRows > 0n) await notify(db, 'webhook_deliveries');
  return result.numUpdatedRows > 0n;
}

/**
 * Queues one message for every active endpoint that asked for this event. Call it inside the
 * transaction that made the change, so a message exists exactly when the change does.
 */
export async function emitWebhook(
  db: Database,
  event: WebhookEvent,
  data: Record<string, unknown>,
  now = new Date(),
): Promise<void> {
  const endpoints = await db
    .selectFrom('webhooks')
    .select(['id', 'events'])
    .where('active', '=', 1)
    .execute();
  const subscribed = endpoints.filter((endpoint) => endpoint.events.split(' ').includes(event));
  if (subscribed.length === 0) return;
  const at = now.toISOString();
  const messageId = `msg_${crypto.randomUUID().replaceAll('-', '')}`;
  const payload = JSON.stringify({
    type: event,
    timestamp: at,
    data: await withVisibility(db, data),
  });
  await db
    .insertInto('webhook_deliveries')
    .values(
      subscribed.map((endpoint) => ({
        webhook_id: endpoint.id,
        message_id: messageId,
        event_type: event,
        payload,
        next_attempt_at: at,
        created_at: at,
      })),
    )
    .execute();
  await notify(db, 'webhook_deliveries');
}

export type SendResult = { statusCode: number | null; error: string | null };
export type Sender = (
  url: string,
  headers: Record<string, string>,
  body: string,
) => Promise<SendResult>;

const timeoutMs = 10_000;

async function httpSend(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<SendResult> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    return { statusCode: response.status, error: null };
  } catch (error) {
    const message =
      error instanceof Error
        ? error.cause instanceof Error
          ? error.cause.message
          : error.message
        : String(error);
    return { statusCode: null, error: message.slice(0, 300) };
  }
}

/**
 * Sends every delivery that is due, once each, and records the attempt. A 2xx answer delivers it;
 * anything else schedules the next attempt after a longer pause, until the attempts run out.
 */
export async function deliverDue(
  db: Database,
  options: { now?: Date; send?: Sender; limit?: number } = {},
): Promise<number> {
  const now = options.now ?? new Date();
  const send = options.send ?? httpSend;
  // Deliveries to a paused endpoint wait, unclaimed, until it is active again.
  const ids = await claimDue(db, 'webhook_deliveries', 'pending', {
    now,
    limit: options.limit ?? 50,
    extraCondition: sql`webhook_id in (select id from webhooks where active = 1)`,
  });
  if (ids.length === 0) return 0;
  const due = await db
    .selectFrom('webhook_deliveries')
    .innerJoin('webhooks', 'webhooks.id', 'webhook_deliveries.webhook_id')
    .select([
      'webhook_deliveries.id',
      'webhook_deliveries.message_id',
      'webhook_deliveries.payload',
      'webhook_deliveries.attempts',
      'webhooks.url',
      'webhooks.secret',
    ])
    .where('webhook_deliveries.id', 'in', ids)
    .orderBy('webhook_deliveries.id')
    .execute();
  for (const delivery of due) {
    const timestamp = Math.floor(now.getTime() / 1000);
    const started = performance.now();
    const result = await send(
      delivery.url,
      {
        'content-type': 'application/json',
        'user-agent': 'Commons-Webhooks/1',
        'webhook-id': delivery.message_id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signWebhook(
          delivery.secret,
          delivery.message_id,
          timestamp,
          delivery.payload,
        ),
      },
      delivery.payload,
    );
    const durationMs = Math.round(performance.now() - started);
    const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    const next = attemptOutcome(ok, delivery.attempts, now);
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('webhook_attempts')
        .values({
          delivery_id: delivery.id,
          status_code: result.statusCode,
          error: result.error,
          duration_ms: durationMs,
          created_at: now.toISOString(),
        })
        .execute();
      await trx
        .updateTable('webhook_deliveries')
        .set({
          status: next.done ? 'delivered' : next.failed ? 'failed' : 'pending',
          attempts: next.attempts,
          next_attempt_at: next.next_attempt_at,
          claimed_until: null,
          delivered_at: next.done ? now.toISOString() : null,
        })
        .where('id', '=', delivery.id)
        .execute();
    });
  }
  return due.length;
}

export type WebhookWorker = OutboxWorker;

/** Sends due deliveries in the background: woken when a message is queued, else every few seconds. */
export function startWebhookWorker(db: Database, log?: WorkerLog, pollMs = 5_000): WebhookWorker {
  return startOutboxWorker(db, {
    name: 'webhook delivery',
    table: 'webhook_deliveries',
    drain: () => deliverDue(db),
    log,
    pollMs,
  });
}
