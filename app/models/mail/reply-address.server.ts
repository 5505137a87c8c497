import crypto from 'node:crypto';
import type { Database } from '#db/client';
import { getConfig, type Config } from '~/utils/config.server';
import { mailHost } from './config.server';
import { storedSecret } from './unsubscribe.server';

/**
 * Reply addresses: a ticket or question mail says Reply-To `reply+<token>@<host>`, where the
 * token names the conversation and the person it was sent to, signed with a secret of this
 * installation, so a reply can be filed where it belongs and nobody can write one for someone
 * else. The token is `t` (ticket), `q` (an answer on a question), `c` (a comment on a question) or
 * `p` (a comment on an answer, by the answer's id), the id and the person's id in base 36,
 * and 96 bits of HMAC-SHA256 in hex: lower-case only, because some mail servers lower-case the
 * local part, and at most 44 characters for ids up to 2^31 (RFC 5321 allows 64).
 */

export type ReplyTarget = { kind: ReplyKind; id: number; userId: number };

export type ReplyKind = 'ticket' | 'thread' | 'thread-comment' | 'post-comment';
const kindOfLetter: Record<string, ReplyKind> = {
  t: 'ticket',
  q: 'thread',
  c: 'thread-comment',
  p: 'post-comment',
};
const letterOfKind: Record<ReplyKind, string> = {
  ticket: 't',
  thread: 'q',
  'thread-comment': 'c',
  'post-comment': 'p',
};

const secretKey = 'mail_reply_secret';
const macLength = 24;
const replyPattern = new RegExp(
  `^reply\\+([tqcp])([0-9a-z]{1,10})-([0-9a-z]{1,10})-([0-9a-f]{${macLength}})@([a-z0-9.-]+)$`,
);

/**
 * Whether mail to reply addresses reaches this server: only then do mails carry one and say that
 * replying works. It does when the SMTP listener runs (INBOUND_SMTP_PORT) or an operator named
 * the domain a forwarder delivers here (REPLY_DOMAIN).
 */
export function repliesReachUs(config: Config = getConfig()): boolean {
  return config.REPLY_DOMAIN !== undefined || config.INBOUND_SMTP_PORT !== undefined;
}

/** The host of reply addresses: REPLY_DOMAIN, else the host of Message-IDs. */
export function replyHost(config: Config = getConfig()): string {
  return config.REPLY_DOMAIN ?? mailHost(config);
}

function isId(value: number): boolean {
  return Number.isSafeInteger(value) && value > 0;
}

function mac(secret: string, signed: string): string {
  return crypto
    .createHmac('sha256', secret)
    .update(`reply:${signed}`)
    .digest('hex')
    .slice(0, macLength);
}

/** The address a reply to a mail about `target.kind` `target.id`, sent to `target.userId`, goes to. */
export async function replyAddress(
  db: Database,
  target: ReplyTarget,
  host = replyHost(),
): Promise<string> {
  if (!isId(target.id) || !isId(target.userId))
    throw new Error(`A reply address needs positive ids, not ${JSON.stringify(target)}`);
  const signed = `${letterOfKind[target.kind]}${target.id.toString(36)}-${target.userId.toString(36)}`;
  const secret = await storedSecret(db, secretKey);
  return `reply+${signed}-${mac(secret, signed)}@${host}`;
}

/**
 * The conversation and person a reply address names, or null when this installation did not make
 * it (forged, altered or cut short). Takes the bare address in any case; the display name and
 * angle brackets are the caller's to remove. Any host is taken: the signature is what counts, and
 * mail may arrive through a forwarder or after REPLY_DOMAIN changed.
 */
export async function readReplyAddress(db: Database, address: string): Promise<ReplyTarget | null> {
  // Only ASCII letters are folded, so no other character can stand in for one of the token's.
  const lowered = address.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
  const match = replyPattern.exec(lowered);
  if (!match) return null;
  const [, letter, id36, user36, given] = match;
  if (!letter || !id36 || !user36 || !given) return null;
  const signed = `${letter}${id36}-${user36}`;
  const expected = Buffer.from(mac(await storedSecret(db, secretKey), signed));
  if (!crypto.timingSafeEqual(Buffer.from(given), expected)) return null;
  const id = parseInt(id36, 36);
  const userId = parseInt(user36, 36);
  if (!isId(id) || !isId(userId)) return null;
  const kind = kindOfLetter[letter];
  return kind ? { kind, id, userId } : null;
}

/** The kinds of reply as outbox rows name them: thread keys, and reply keys for comments. */
const kindOfKey = new Map<string, ReplyKind>([
  ['ticket', 'ticket'],
  ['question', 'thread'],
  ['thread-comment', 'thread-comment'],
  ['post-comment', 'post-comment'],
]);

/**
 * Where replies to an outbox row go, from its reply key or else its thread key: a ticket
 * (`ticket-12`), an answer on a question (`question-34`, the thread keys of notifications.server.ts),
 * a comment on a question (`thread-comment-34`) or on an answer (`post-comment-56`), by the account
 * it was sent to. Other mail (password resets, digests) has no conversation or no person to answer as.
 */
export function replyTargetOf(key: string | null, userId: number | null): ReplyTarget | null {
  const match = key ? /^([a-z-]+)-([1-9][0-9]{0,15})$/.exec(key) : null;
  const kind = match?.[1] ? kindOfKey.get(match[1]) : undefined;
  if (!kind || !match?.[2] || userId === null) return null;
  const id = Number(match[2]);
  if (!isId(id) || !isId(userId)) return null;
  return { kind, id, userId };
}
