import crypto from 'node:crypto';
import { isHttpsSite } from './config.server';

const cookieName = 'commons_visitor';
const oneYear = 60 * 60 * 24 * 365;

export type Visitor = { id: string; setCookie: string | null };

/**
 * A pseudonymous id for a reader who has no cookie: a hash of their address and browser, salted
 * with the day, so views, searches and clicks of one person count once that day without a cookie
 * on every plain read (a page that sets no cookie can be served from the page cache).
 */
export function passingVisitorId(userAgent: string, clientAddress: string, now: Date): string {
  const day = now.toISOString().slice(0, 10);
  const digest = crypto.createHash('sha256').update(`${day}\n${clientAddress}\n${userAgent}`);
  return `p-${digest.digest('hex').slice(0, 32)}`;
}

/** The visitor id from the `commons_visitor` cookie, if the request carries one. */
export function visitorCookieId(cookieHeader: string | null | undefined): string | null {
  return (
    /(?:^|;\s*)commons_visitor=([A-Za-z0-9-]{36})(?:;|$)/.exec(cookieHeader ?? '')?.[1] ?? null
  );
}

/**
 * Who an anonymous reader is: the `commons_visitor` cookie when they have one, else a
 * pseudonymous id of the day (see passingVisitorId). Reads never set the cookie; an action that
 * must remember the reader for longer ("this solved my problem") asks for `{ remember: true }`,
 * which sets a random id for a year. Signed-in readers are counted by their account instead.
 */
export function getVisitor(
  request: Request,
  clientAddress: string,
  options: { remember?: boolean; now?: Date } = {},
): Visitor {
  const existing = visitorCookieId(request.headers.get('Cookie'));
  if (existing) return { id: existing, setCookie: null };
  if (!options.remember)
    return {
      id: passingVisitorId(
        request.headers.get('user-agent') ?? '',
        clientAddress,
        options.now ?? new Date(),
      ),
      setCookie: null,
    };
  const id = crypto.randomUUID();
  const secure = isHttpsSite() ? '; Secure' : '';
  return {
    id,
    setCookie: `${cookieName}=${id}; Path=/; Max-Age=${oneYear}; HttpOnly; SameSite=Lax${secure}`,
  };
}

/** The key one reader is counted by: their account when signed in, else the visitor id. */
export function readerKey(userId: number | null | undefined, visitorId: string): string {
  return userId ? `user:${userId}` : `visitor:${visitorId}`;
}
