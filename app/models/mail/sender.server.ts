import type { SendMailOptions } from 'nodemailer';
import type { Database } from '#db/client';
import { onOneServer } from '#db/dialect';
import { notify } from '#db/notify';
import {
  attemptOutcome,
  claimDue,
  startOutboxWorker,
  type OutboxWorker,
  type WorkerLog,
} from '../outbox.server';
import { mailFrom } from './config.server';
import { queueDueDigests } from './digest.server';
import { threadRootId } from './outbox.server';
import {
  replyAddress,
  repliesReachUs,
  replyTargetOf,
  type ReplyTarget,
} from './reply-address.server';
import { escapeHtml } from './templates.server';
import { configuredTransport, type MailTransport } from './transport.server';
import { unsubscribeUrl } from './unsubscribe.server';

/**
 * The mail worker: claims due rows, sends each once, records the SMTP answer and reschedules
 * failures with the shared backoff. A row is marked `sending` just before its SMTP transaction
 * and `sent` just after; a row still `sending` when its claim runs out was cut off by a crash
 * and is marked failed rather than sent again (docs/decisions/011-mail-outbox.md).
 */

export const interruptedError =
  'The app stopped while this message was being handed to the mail server, so it may have arrived. It is not retried on its own, so it is never sent twice: resend it if the recipient did not get it.';

type MailRow = {
  id: number;
  kind: string;
  to_address: string;
  to_name: string | null;
  subject: string;
  text_body: string;
  html_body: string;
  thread_key: string | null;
  reply_key: string | null;
  message_id: string;
  in_reply_to: string | null;
  user_id: number | null;
  unsubscribe_user_id: number | null;
  unsubscribe_kind: string | null;
  attempts: number;
};

/** What replying does, said once at the end of a mail that has a reply address. */
function replyLine(kind: string, target: ReplyTarget): string {
  // A requester's reply adds to their request; an agent's (agent_* mails) answers the requester.
  if (target.kind === 'ticket' && !kind.startsWith('agent_'))
    return 'Reply to this email to add to your request.';
  return target.kind === 'ticket' || target.kind === 'thread'
    ? 'Reply to this email to answer.'
    : 'Reply to this email to comment.';
}

function withReplyLine(row: MailRow, line: string): { text: string; html: string } {
  const paragraph = `<p style="max-width:560px;margin:12px auto 0;font-size:12px;color:#5b6475;font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif">${escapeHtml(line)}</p>`;
  const bodyEnd = row.html_body.lastIndexOf('</body>');
  return {
    text: `${row.text_body.trimEnd()}\n\n${line}`,
    html:
      bodyEnd === -1
        ? `${row.html_body}${paragraph}`
        : `${row.html_body.slice(0, bodyEnd)}${paragraph}${row.html_body.slice(bodyEnd)}`,
  };
}

/** The message as the transport sends it: headers are built by nodemailer from single lines. */
export async function outgoingMessage(db: Database, row: MailRow): Promise<SendMailOptions> {
  const headers: Record<string, string> = { 'Auto-Submitted': 'auto-generated' };
  if (row.unsubscribe_user_id !== null && row.unsubscribe_kind !== null) {
    const url = await unsubscribeUrl(db, row.unsubscribe_user_id, row.unsubscribe_kind);
    headers['List-Unsubscribe'] = `<${url}>`;
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  const root = row.thread_key ? threadRootId(row.thread_key) : null;
  const references = [root, row.in_reply_to].filter(
    (id, index, all): id is string => id !== null && all.indexOf(id) === index,
  );
  const replyTarget = repliesReachUs()
    ? replyTargetOf(row.reply_key ?? row.thread_key, row.user_id)
    : null;
  const body = replyTarget
    ? withReplyLine(row, replyLine(row.kind, replyTarget))
    : { text: row.text_body, html: row.html_body };
  return {
    from: mailFrom(),
    to: row.to_name ? { name: row.to_name, address: row.to_address } : row.to_address,
    ...(replyTarget ? { replyTo: await replyAddress(db, replyTarget) } : {}),
    subject: row.subject,
    text: body.text,
    html: body.html,
    messageId: row.message_id,
    ...(row.in_reply_to ? { inReplyTo: row.in_reply_to } : {}),
    ...(references.length ? { references } : {}),
    headers,
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

/** Rows left `sending` by a process that stopped mid-send: failed, for a person to resend. */
async function failInterrupted(db: Database, now: Date) {
  await db
    .updateTable('mail_outbox')
    .set({
      status: 'failed',
      last_error: interruptedError,
      next_attempt_at: null,
      claimed_until: null,
    })
    .where('status', '=', 'sending')
    .where('claimed_until', '<=', now.toISOString())
    .execute();
}

/**
 * Sends the mail that is due, each message once, and returns how many rows it handled.
 * `shouldStop` is asked between messages: the claimed rows not yet sent are released.
 */
export async function sendDueMail(
  db: Database,
  options: {
    now?: Date;
    transport: MailTransport;
    limit?: number;
    shouldStop?: () => boolean;
  },
): Promise<number> {
  const now = options.now ?? new Date();
  await failInterrupted(db, now);
  const ids = await claimDue(db, 'mail_outbox', 'queued', { now, limit: options.limit ?? 50 });
  let handled = 0;
  for (const id of ids) {
    if (options.shouldStop?.()) {
      await db
        .updateTable('mail_outbox')
        .set({ claimed_until: null })
        .where('id', 'in', ids.slice(handled))
        .where('status', '=', 'queued')
        .execute();
      break;
    }
    handled += 1;
    const started = await db
      .updateTable('mail_outbox')
      .set({ status: 'sending' })
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .returningAll()
      .executeTakeFirst();
    if (!started) continue;
    const message = await outgoingMessage(db, started);
    const began = performance.now();
    const outcome = await options.transport.send(
      message,
      `${String(id).padStart(6, '0')}-${started.attempts + 1}.eml`,
    );
    const durationMs = Math.round(performance.now() - began);
    const next = attemptOutcome(outcome.ok, started.attempts, now);
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('mail_attempts')
        .values({
          mail_id: id,
          ok: outcome.ok ? 1 : 0,
          response: outcome.response,
          duration_ms: durationMs,
          created_at: now.toISOString(),
        })
        .execute();
      await trx
        .updateTable('mail_outbox')
        .set({
          status: next.done ? 'sent' : next.failed ? 'failed' : 'queued',
          attempts: next.attempts,
          next_attempt_at: next.next_attempt_at,
          claimed_until: null,
          last_error: next.done ? null : outcome.response,
          sent_at: next.done ? now.toISOString() : null,
        })
        .where('id', '=', id)
        .execute();
    });
  }
  return handled;
}

/**
 * Sends one message again from its first attempt, with the same Message-ID. A skipped message is
 * never sent this way: it was held back by its recipient's choice or an unconfirmed address.
 */
export async function resendMail(db: Database, id: number, now = new Date()): Promise<boolean> {
  const result = await db
    .updateTable('mail_outbox')
    .set({
      status: 'queued',
      attempts: 0,
      next_attempt_at: now.toISOString(),
      claimed_until: null,
      skip_reason: null,
      sent_at: null,
    })
    .where('id', '=', id)
    .where('status', 'not in', ['sending', 'skipped'])
    .executeTakeFirst();
  const resent = result.numUpdatedRows > 0n;
  if (resent) await notify(db, 'mail_outbox');
  return resent;
}

/** Sends queued mail in the background beside the web server. */
export function startMailWorker(
  db: Database,
  log?: WorkerLog,
  options: { transport?: MailTransport; pollMs?: number } = {},
): OutboxWorker {
  const transport = options.transport ?? configuredTransport();
  log?.('info', 'mail worker started', { transport: transport.describe });
  let stopping = false;
  const worker = startOutboxWorker(db, {
    name: 'mail delivery',
    table: 'mail_outbox',
    drain: async () => {
      // Two servers queuing digests at once could each send someone the same one.
      await onOneServer(db, 'mail digests', () => queueDueDigests(db));
      return sendDueMail(db, { transport, shouldStop: () => stopping });
    },
    log,
    pollMs: options.pollMs,
  });
  return {
    async stop() {
      stopping = true;
      await worker.stop();
      if (!options.transport) transport.close();
    },
  };
}
