import { sql } from 'kysely';
import type { Database } from '#db/client';
import type { InboundOutcome, Role } from '#db/schema';
import { getConfig } from '~/utils/config.server';
import { logModeration } from '../../audit-log.server';
import { addComment, commentSchema } from '../../comments.server';
import { isStaff } from '../../permissions';
import { postingCheck } from '../../posting-rules.server';
import { postAnswer } from '../../posts.server';
import { addTicketMessage, createTicket } from '../../tickets.server';
import { storeUpload } from '../../uploads/uploads.server';
import { findOrCreateRequester } from '../../users.server';
import { readReplyAddress, replyHost, type ReplyTarget } from '../reply-address.server';
import { parseInboundMail, type InboundAttachment, type ParsedMail } from './parse.server';
import { checkSender, type DNSResolver, type SmtpClient } from './sender-check.server';

/** How a message reached us, as the SMTP envelope or the relay's request says. */
export type Delivery = {
  via: 'smtp' | 'http';
  /** MAIL FROM (empty for bounces, which are sent from the null sender). */
  envelopeFrom: string | null;
  /** RCPT TO: who the mail was delivered to, which the headers need not say (Bcc, forwarding). */
  recipients: string[];
  /** The SMTP client that handed it over (the listener's mail only). */
  client?: SmtpClient;
};

export type Received = {
  id: number;
  outcome: InboundOutcome;
  /** Why it was held, ignored or rejected, in words an admin can act on. */
  reason: string | null;
  ticketId: number | null;
};

// An agent's reply by mail is public unless its first line is this marker.
const internalNoteMarker = /^\s*#note\b[:\s]*/i;
const maxTicketBody = 30_000;

/**
 * Files one received message where it belongs, and keeps it with what became of it: mail to a
 * reply address becomes a reply on that ticket, an answer on that question or a comment beside
 * the post it answers, from the person
 * the address was made for; mail to a support address becomes a ticket. Auto-replies and bounces
 * become nothing (so mail never answers mail); a sender who is not the address's person, or whose
 * domain's checks failed, is held for review.
 */
export async function receiveMail(
  db: Database,
  raw: Buffer,
  delivery: Delivery,
  options: {
    now?: Date;
    /** DNS for the sender checks; the system's by default. */
    resolver?: DNSResolver;
    /** Clients whose Authentication-Results are kept; INBOUND_TRUSTED_RELAYS by default. */
    trustedRelays?: string[];
  } = {},
): Promise<Received> {
  const now = options.now ?? new Date();
  const read = await parseInboundMail(raw);
  const client = delivery.client;
  const parsed =
    read.ok && client
      ? {
          ...read,
          authentication: await senderChecks(raw, read, client, delivery, options),
        }
      : read;
  const recipients = [...new Set(delivery.recipients.map((address) => address.toLowerCase()))];
  const { id } = await db
    .insertInto('inbound_mail')
    .values({
      received_via: delivery.via,
      envelope_from: delivery.envelopeFrom,
      recipients: JSON.stringify(recipients),
      from_address: parsed.ok ? parsed.from.address : (parsed.from ?? null),
      subject: parsed.ok ? parsed.subject : (parsed.subject ?? ''),
      message_id: parsed.ok ? parsed.messageId : null,
      size: raw.length,
      raw,
      outcome: 'received',
      spf: parsed.ok ? parsed.authentication.spf : null,
      dkim: parsed.ok ? parsed.authentication.dkim : null,
      dmarc: parsed.ok ? parsed.authentication.dmarc : null,
      received_at: now.toISOString(),
      client_ip: delivery.client?.ip ?? null,
      client_helo: delivery.client?.helo ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const routed: Routed = parsed.ok
    ? await route(db, parsed, recipients, now, false)
    : { outcome: 'rejected', reason: parsed.reason };
  return recordOutcome(db, id, routed);
}

/**
 * The SPF, DKIM and DMARC results of mail the listener took: a trusted relay's own (its
 * Authentication-Results, as the parser read them), else our checks of the client that sent it.
 * Mail posted over HTTP keeps the results its relay wrote: the relay's token vouches for them.
 */
async function senderChecks(
  raw: Buffer,
  mail: ParsedMail,
  client: SmtpClient,
  delivery: Delivery,
  options: { resolver?: DNSResolver; trustedRelays?: string[] },
) {
  const ip = client.ip.replace(/^::ffff:/i, '').toLowerCase();
  const trusted = options.trustedRelays ?? getConfig().INBOUND_TRUSTED_RELAYS;
  if (trusted.includes(ip)) return mail.authentication;
  return checkSender(raw, client, delivery.envelopeFrom, {
    mta: replyHost(),
    ...(options.resolver ? { resolver: options.resolver } : {}),
  });
}

async function recordOutcome(db: Database, id: number, routed: Routed): Promise<Received> {
  await db
    .updateTable('inbound_mail')
    .set({
      outcome: routed.outcome,
      reason: routed.reason ?? null,
      user_id: routed.userId ?? null,
      ticket_id: routed.ticketId ?? null,
      thread_id: routed.threadId ?? null,
    })
    .where('id', '=', id)
    .execute();
  return {
    id,
    outcome: routed.outcome,
    reason: routed.reason ?? null,
    ticketId: routed.ticketId ?? null,
  };
}

/**
 * Files a held message as if it had passed the checks that held it (an admin read it and vouches
 * for the sender): the reply is posted as the address's person, the ticket is opened.
 */
export async function releaseHeldMail(
  db: Database,
  id: number,
  admin: { id: number },
  now = new Date(),
): Promise<Received | null> {
  const held = await db
    .selectFrom('inbound_mail')
    .select(['raw', 'recipients', 'reason'])
    .where('id', '=', id)
    .where('outcome', '=', 'held')
    .executeTakeFirst();
  if (!held) return null;
  const parsed = await parseInboundMail(held.raw);
  if (!parsed.ok) return recordOutcome(db, id, { outcome: 'rejected', reason: parsed.reason });
  const routed = await route(db, parsed, JSON.parse(held.recipients) as string[], now, true);
  await logModeration(
    db,
    {
      actorId: admin.id,
      action: 'release_mail',
      targetType: 'inbound_mail',
      targetId: id,
      reason: held.reason,
      data: { outcome: routed.outcome },
    },
    now,
  );
  return recordOutcome(db, id, routed);
}

type Routed = {
  outcome: InboundOutcome;
  reason?: string;
  userId?: number;
  ticketId?: number;
  threadId?: number;
};

/** Whether mail to this address is ours to take: a support address or a reply address. */
export async function isOurAddress(db: Database, address: string): Promise<boolean> {
  const lowered = address.toLowerCase();
  return (
    (getConfig().SUPPORT_ADDRESS ?? []).includes(lowered) ||
    (await readReplyAddress(db, lowered)) !== null
  );
}

/** Where a message goes; `trusted` (released by an admin) skips the checks that hold mail. */
async function route(
  db: Database,
  mail: ParsedMail,
  recipients: string[],
  now: Date,
  trusted: boolean,
): Promise<Routed> {
  if (mail.kind === 'auto-reply')
    return { outcome: 'ignored', reason: 'An automatic reply (out of office or similar).' };
  if (mail.kind === 'bounce') {
    const failing = await markBounced(db, mail.bouncedAddresses, now);
    return {
      outcome: 'ignored',
      reason: `A delivery failure report${mail.bouncedAddresses.length ? ` for ${mail.bouncedAddresses.join(', ')}` : ''}${failing ? `: ${failing === 1 ? '1 account gets' : `${failing} accounts get`} no more notifications until the address is verified again` : ''}.`,
    };
  }
  const addressed = [...new Set([...recipients, ...mail.to, ...mail.cc])];
  for (const address of addressed) {
    const target = await readReplyAddress(db, address);
    if (target) return routeReply(db, mail, target, now, trusted);
  }
  const support = getConfig().SUPPORT_ADDRESS ?? [];
  if (addressed.some((address) => support.includes(address)))
    return routeNewTicket(db, mail, now, trusted);
  return { outcome: 'ignored', reason: 'Not addressed to a support or reply address of ours.' };
}

/**
 * Addresses that bounced count as unverified from now on, which stops notifications to them
 * until their owner verifies the address again (mail that verifies it still goes).
 */
async function markBounced(db: Database, addresses: string[], now: Date): Promise<number> {
  if (addresses.length === 0) return 0;
  const result = await db
    .updateTable('users')
    .set({ email_verified_at: null, email_bounced_at: now.toISOString() })
    .where(
      sql<string>`lower(email)`,
      'in',
      addresses.map((address) => address.toLowerCase()),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Why the sender's domain disowns this mail, if it does (DMARC, else SPF failing unsigned). */
function failedAuthentication(mail: ParsedMail): string | null {
  const { spf, dkim, dmarc } = mail.authentication;
  if (dmarc === 'fail')
    return `The sender's domain failed DMARC (SPF ${spf ?? 'none'}, DKIM ${dkim ?? 'none'}).`;
  if (spf === 'fail' && dkim !== 'pass')
    return `The sender failed SPF and the mail is not signed (DKIM ${dkim ?? 'none'}).`;
  return null;
}

async function routeReply(
  db: Database,
  mail: ParsedMail,
  target: ReplyTarget,
  now: Date,
  trusted: boolean,
): Promise<Routed> {
  const person = await db
    .selectFrom('users')
    .select(['id', 'role', 'email'])
    .where('id', '=', target.userId)
    .executeTakeFirst();
  const on = await conversationOf(db, target);
  if (!person)
    return {
      outcome: 'held',
      reason: 'The reply address belongs to an account that no longer exists.',
      ...on,
    };
  if (!trusted && person.email.toLowerCase() !== mail.from.address)
    return {
      outcome: 'held',
      reason: `Sent from ${mail.from.address}, but this reply address was made for ${person.email}.`,
      userId: person.id,
      ...on,
    };
  const failed = trusted ? null : failedAuthentication(mail);
  if (failed) return { outcome: 'held', reason: failed, userId: person.id, ...on };
  const actor = { id: person.id, role: person.role };
  const text = mail.newText.trim() || mail.text.trim();
  if (!text)
    return {
      outcome: 'held',
      reason: 'The reply has no text of its own.',
      userId: person.id,
      ...on,
    };
  const posted = await postReply(db, actor, target, on, text, mail.attachments, now);
  return { ...posted, userId: person.id, ...on };
}

/** The ticket or thread a reply address is about (a comment's thread, by its answer). */
async function conversationOf(
  db: Database,
  target: ReplyTarget,
): Promise<{ ticketId?: number; threadId?: number }> {
  if (target.kind === 'ticket') return { ticketId: target.id };
  if (target.kind !== 'post-comment') return { threadId: target.id };
  const post = await db
    .selectFrom('posts')
    .select('thread_id')
    .where('id', '=', target.id)
    .executeTakeFirst();
  return post ? { threadId: post.thread_id } : {};
}

/** Posts the reply's text where its address points, as the person it was made for. */
async function postReply(
  db: Database,
  actor: { id: number; role: Role },
  target: ReplyTarget,
  on: { threadId?: number },
  text: string,
  attachments: InboundAttachment[],
  now: Date,
): Promise<Routed> {
  if (target.kind === 'ticket') {
    const note = isStaff(actor) && internalNoteMarker.test(text);
    const body = await withAttachments(
      db,
      actor,
      note ? text.replace(internalNoteMarker, '') : text,
      attachments,
      now,
    );
    const result = await addTicketMessage(
      db,
      actor,
      target.id,
      { kind: note ? 'note' : 'reply', body },
      now,
    );
    return result.ok ? { outcome: 'ticket_reply' } : { outcome: 'held', reason: result.error };
  }
  if (on.threadId === undefined)
    return { outcome: 'held', reason: 'The answer this reply comments on no longer exists.' };
  const body = await withAttachments(db, actor, text, attachments, now);
  if (target.kind === 'thread') {
    const allowed = await postingCheck(db, actor, 'post', body, now);
    if (!allowed.ok) return { outcome: 'held', reason: allowed.error };
    const result = await postAnswer(db, actor, on.threadId, body, now, {
      awaitingReview: allowed.awaitingReview,
    });
    return result.ok ? { outcome: 'answer' } : { outcome: 'held', reason: result.error };
  }
  const valid = commentSchema.safeParse({ body });
  if (!valid.success)
    return {
      outcome: 'held',
      reason: `${valid.error.issues[0]?.message ?? 'Not a valid comment.'} (A reply to a comment becomes a comment.)`,
    };
  const allowed = await postingCheck(db, actor, 'comment', valid.data.body, now);
  if (!allowed.ok) return { outcome: 'held', reason: allowed.error };
  const postId = target.kind === 'post-comment' ? target.id : null;
  const result = await addComment(db, actor, on.threadId, postId, valid.data.body, now, {
    awaitingReview: allowed.awaitingReview,
  });
  return result.ok ? { outcome: 'comment' } : { outcome: 'held', reason: result.error };
}

async function routeNewTicket(
  db: Database,
  mail: ParsedMail,
  now: Date,
  trusted: boolean,
): Promise<Routed> {
  const failed = trusted ? null : failedAuthentication(mail);
  if (failed) return { outcome: 'held', reason: failed };
  // NOTE: anyone can sign up with an address they do not own; until its owner verifies it, mail
  // from that address must not land in that account, where whoever signed up would read it.
  const unverified = await db
    .selectFrom('users')
    .select('id')
    .where('email', '=', mail.from.address)
    .where('password_hash', 'is not', null)
    .where('email_verified_at', 'is', null)
    .executeTakeFirst();
  if (unverified && !trusted)
    return {
      outcome: 'held',
      reason: `${mail.from.address} belongs to an account that has not verified it: released, the ticket goes to that account.`,
      userId: unverified.id,
    };
  const requesterId = await findOrCreateRequester(
    db,
    { email: mail.from.address, ...(mail.from.name ? { name: mail.from.name } : {}) },
    now,
  );
  const requester = await db
    .selectFrom('users')
    .select(['id', 'role'])
    .where('id', '=', requesterId)
    .executeTakeFirstOrThrow();
  await answerableByMail(db, requesterId, now);
  const subject = ticketSubject(mail);
  let text = mail.text.trim() || '(The mail had no text.)';
  if (text.length > maxTicketBody)
    text = `${text.slice(0, maxTicketBody - 80)}\n\n(The rest of the mail was cut: it was longer than 30,000 characters.)`;
  const body = await withAttachments(db, requester, text, mail.attachments, now);
  const created = await createTicket(
    db,
    requesterId,
    { subject, body, categoryId: null },
    { source: 'email', now },
  );
  if (!created.ok)
    return {
      outcome: 'held',
      reason: Object.values(created.fieldErrors).join(' '),
      userId: requesterId,
    };
  return { outcome: 'ticket', userId: requesterId, ticketId: created.id };
}

/**
 * A person who wrote to us gets our answers by mail: an account made for their mail (no password,
 * so nobody else holds it) counts its address as verified, which notifications wait for. An
 * account someone signed up for keeps waiting for its own verification link.
 */
async function answerableByMail(db: Database, userId: number, now: Date) {
  await db
    .updateTable('users')
    .set({ email_verified_at: now.toISOString(), email_bounced_at: null })
    .where('id', '=', userId)
    .where('email_verified_at', 'is', null)
    .where('password_hash', 'is', null)
    .execute();
}

function ticketSubject(mail: ParsedMail): string {
  const subject = mail.subject.replace(/^(?:\s*(?:re|fwd?|aw|sv|wg)\s*:\s*)+/i, '').trim();
  if (subject.length >= 5 && /[\p{L}\p{N}]/u.test(subject)) return subject.slice(0, 150);
  return `Request by mail from ${mail.from.name ?? mail.from.address}`.slice(0, 150);
}

/**
 * The text with the mail's files stored as uploads and linked at its end; a file we do not take
 * (its type, its size) is named with the reason instead, so nobody wonders where it went.
 */
async function withAttachments(
  db: Database,
  owner: { id: number },
  text: string,
  attachments: InboundAttachment[],
  now: Date,
): Promise<string> {
  const lines: string[] = [];
  for (const attachment of attachments) {
    const stored = await storeUpload(
      db,
      owner,
      { name: attachment.filename, bytes: attachment.content },
      { now },
    );
    lines.push(stored.ok ? stored.upload.markdown : `(Attachment not kept: ${stored.error})`);
  }
  return lines.length ? `${text}\n\n${lines.join('\n')}` : text;
}
