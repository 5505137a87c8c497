import crypto from 'node:crypto';
import type { Database } from '#db/client';
import type { MailDelivery } from '#db/schema';
import { notify } from '#db/notify';
import { mailHost } from './config.server';

/**
 * The mail outbox: each message is a row written in the transaction of the change that causes it
 * (so a message exists exactly when the change does); the mail worker sends the rows.
 */

export type MailMessage = {
  /** e.g. 'ticket_reply', 'password_reset' (transactional kinds have no unsubscribe). */
  kind: string;
  to: string;
  toName?: string | null;
  /** The recipient's account, when there is one. */
  userId?: number | null;
  subject: string;
  /** Plain-text body. */
  text: string;
  /** Safe HTML body (already sanitized or built from escaped parts). */
  html: string;
  /** e.g. 'ticket-12': Message-ID/In-Reply-To/References thread one conversation's mails. */
  threadKey?: string | null;
  /** Where a reply goes, when not to the thread key's conversation (reply-address.server.ts). */
  replyKey?: string | null;
  /** The preference a one-click unsubscribe turns off; null for transactional mail. */
  unsubscribe?: { userId: number; kind: string } | null;
};

const longestSubject = 200;
const longestName = 100;

/**
 * One line of header text: every control character (CR and LF above all, which would start a new
 * header) becomes a space, runs of space collapse, and the result is cut to `max` characters.
 */
export function headerText(value: string, max: number): string {
  return Array.from(
    // eslint-disable-next-line no-control-regex -- control characters are what this removes
    value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' '),
  )
    .slice(0, max)
    .join('')
    .trim();
}

/** A plain address: one @, no spaces, quotes, brackets, commas or control characters. */
export function isPlainAddress(address: string): boolean {
  return (
    address.length <= 254 &&
    // eslint-disable-next-line no-control-regex -- control characters make an address unusable
    /^[^\s@<>()[\]\\,;:"\u0000-\u001f\u007f]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/.test(
      address,
    )
  );
}

/** The conversation's root id: every mail of one thread refers to it, so clients group them. */
export function threadRootId(threadKey: string, host = mailHost()): string {
  return `<${threadKey}@${host}>`;
}

function safeKey(value: string): string {
  return value.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 80) || 'mail';
}

/** Why a notification is not sent to this person, or null to send it. */
async function skipReason(db: Database, message: MailMessage): Promise<string | null> {
  if (!isPlainAddress(message.to)) return 'not a usable address';
  const preference = message.unsubscribe;
  if (!preference) return null;
  const row = await db
    .selectFrom('users')
    .leftJoin('notification_preferences as preference', (join) =>
      join.onRef('preference.user_id', '=', 'users.id').on('preference.kind', '=', preference.kind),
    )
    .select(['users.email_verified_at', 'users.email_bounced_at', 'preference.delivery'])
    .where('users.id', '=', preference.userId)
    .executeTakeFirst();
  const delivery: MailDelivery = row?.delivery ?? 'instant';
  if (delivery === 'never') return 'turned off by the recipient';
  // Transactional mail (it has no unsubscribe) is how an address gets verified, so only
  // notifications wait for a verified address.
  if (row && row.email_verified_at === null)
    return row.email_bounced_at
      ? 'address bounced: waiting for it to be verified again'
      : 'address not verified';
  return null;
}

/**
 * Queues a message in the same transaction as the change that causes it; returns its id. A
 * message that must not go out (its kind turned off, an unusable address) is kept as `skipped`
 * with the reason, so the email log says why nothing was sent.
 */
export async function queueMail(
  db: Database,
  message: MailMessage,
  now = new Date(),
): Promise<number> {
  const host = mailHost();
  const threadKey = message.threadKey ? safeKey(message.threadKey) : null;
  const to = message.to.trim();
  const reason = await skipReason(db, { ...message, to });
  const previous = threadKey
    ? await db
        .selectFrom('mail_outbox')
        .select('message_id')
        .where('thread_key', '=', threadKey)
        .where('to_address', '=', to)
        .where('status', '=', 'sent')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst()
    : undefined;
  const at = now.toISOString();
  const row = await db
    .insertInto('mail_outbox')
    .values({
      kind: safeKey(message.kind),
      to_address: to.slice(0, 254),
      to_name: message.toName ? headerText(message.toName, longestName) || null : null,
      user_id: message.userId ?? null,
      subject: headerText(message.subject, longestSubject) || '(no subject)',
      text_body: message.text,
      html_body: message.html,
      thread_key: threadKey,
      reply_key: message.replyKey ? safeKey(message.replyKey) : null,
      message_id: `<pending.${crypto.randomUUID()}@${host}>`,
      in_reply_to: threadKey ? (previous?.message_id ?? threadRootId(threadKey, host)) : null,
      unsubscribe_user_id: message.unsubscribe?.userId ?? null,
      unsubscribe_kind: message.unsubscribe ? safeKey(message.unsubscribe.kind) : null,
      status: reason ? 'skipped' : 'queued',
      skip_reason: reason,
      last_error: null,
      next_attempt_at: reason ? null : at,
      claimed_until: null,
      created_at: at,
      sent_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .updateTable('mail_outbox')
    .set({ message_id: `<${threadKey ?? 'mail'}.msg-${row.id}@${host}>` })
    .where('id', '=', row.id)
    .execute();
  if (!reason) await notify(db, 'mail_outbox');
  return row.id;
}
