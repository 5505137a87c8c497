import crypto from 'node:crypto';
import type { Database } from '#db/client';
import { logModeration } from './audit-log.server';

/**
 * The session token in the cookie is stored only as its SHA-256, so a copy of the database (or
 * of a backup) holds no live sessions. The token is 25 random characters from lucia: a fast hash
 * is enough, as nothing can be guessed from it.
 */
export function storedSessionId(sessionToken: string): string {
  return crypto.createHash('sha256').update(sessionToken).digest('hex');
}

/** A browser where a person is signed in, as the sessions page shows it. */
export type SignedInDevice = {
  /** The stored id (the SHA-256 of the cookie's token): naming a session, never usable as one. */
  key: string;
  device: string;
  address: string | null;
  startedAt: string | null;
  lastSeenAt: string | null;
  current: boolean;
};

const browsers: [RegExp, string][] = [
  [/\bEdg(e|A|iOS)?\//, 'Edge'],
  [/\b(OPR|Opera)\//, 'Opera'],
  [/\bFirefox\/|\bFxiOS\//, 'Firefox'],
  // HeadlessChrome and Chromium too.
  [/Chrom(e|ium)\/|\bCriOS\//, 'Chrome'],
  [/\bSafari\//, 'Safari'],
];

const systems: [RegExp, string][] = [
  [/\b(iPhone|iPad|iPod)\b/, 'iOS'],
  [/\bAndroid\b/, 'Android'],
  [/\bWindows\b/, 'Windows'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bLinux\b/, 'Linux'],
];

/** "Firefox on Windows" from a User-Agent; the header itself, shortened, when it names neither. */
export function describeDevice(userAgent: string | null): string {
  const agent = userAgent?.trim() ?? '';
  if (!agent) return 'Unknown browser';
  const browser = browsers.find(([pattern]) => pattern.test(agent))?.[1];
  const system = systems.find(([pattern]) => pattern.test(agent))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  if (browser ?? system) return (browser ?? system)!;
  return agent.length > 60 ? `${agent.slice(0, 60)}…` : agent;
}

/** Every session of this person that has not expired, the current one first, then by last use. */
export async function listSessions(
  db: Database,
  userId: number,
  currentToken: string | null,
  now = new Date(),
): Promise<SignedInDevice[]> {
  const current = currentToken ? storedSessionId(currentToken) : null;
  const rows = await db
    .selectFrom('sessions')
    .select(['id', 'user_agent', 'ip_address', 'created_at', 'last_seen_at'])
    .where('user_id', '=', userId)
    .where('expires_at', '>', now.toISOString())
    .execute();
  return rows
    .map((row) => ({
      key: row.id,
      device: describeDevice(row.user_agent),
      // An IPv4 client of a dual-stack server shows as ::ffff:192.0.2.1.
      address: row.ip_address?.replace(/^::ffff:(?=\d+\.)/, '') ?? null,
      startedAt: row.created_at,
      lastSeenAt: row.last_seen_at,
      current: row.id === current,
    }))
    .sort(
      (a, b) =>
        Number(b.current) - Number(a.current) ||
        (b.lastSeenAt ?? '').localeCompare(a.lastSeenAt ?? ''),
    );
}

/**
 * Signs this person out of one of their other sessions; its cookie is refused from the next
 * request. Returns the device it was, or null when no such session of theirs exists (already
 * ended, or someone else's: both look the same from here).
 */
export async function endSession(
  db: Database,
  input: { userId: number; key: string; currentToken: string | null },
): Promise<string | null> {
  if (input.currentToken && storedSessionId(input.currentToken) === input.key) return null;
  return db.transaction().execute(async (trx) => {
    const ended = await trx
      .deleteFrom('sessions')
      .where('id', '=', input.key)
      .where('user_id', '=', input.userId)
      .returning('user_agent')
      .executeTakeFirst();
    if (!ended) return null;
    const device = describeDevice(ended.user_agent);
    await logModeration(trx, {
      actorId: input.userId,
      action: 'session_end',
      targetType: 'user',
      targetId: input.userId,
      targetUserId: input.userId,
      // NOTE: not the address: moderators read this log, and a member's address is theirs alone.
      data: { device },
    });
    return device;
  });
}

/** Signs this person out everywhere but here; returns how many sessions ended. */
export async function endOtherSessions(
  db: Database,
  input: { userId: number; currentToken: string },
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const ended = await trx
      .deleteFrom('sessions')
      .where('user_id', '=', input.userId)
      .where('id', '!=', storedSessionId(input.currentToken))
      .returning('id')
      .execute();
    if (ended.length > 0) {
      await logModeration(trx, {
        actorId: input.userId,
        action: 'session_end_others',
        targetType: 'user',
        targetId: input.userId,
        targetUserId: input.userId,
        data: { sessions: ended.length },
      });
    }
    return ended.length;
  });
}
