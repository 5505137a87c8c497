import crypto from 'node:crypto';
import { isHttpsSite } from './config.server';

const cookieName = 'commons_visitor';
const oneYear = 60 * 60 * 24 * 365;

/**
 * An anonymous, random visitor id kept in a cookie, so views and "this solved my problem" count
 * once per person without an account. Signed-in readers are counted by their account instead.
 */
export function getVisitor(request: Request): { id: string; setCookie: string | null } {
  const cookies = request.headers.get('Cookie') ?? '';
  const existing = /(?:^|;\s*)commons_visitor=([A-Za-z0-9-]{36})(?:;|$)/.exec(cookies)?.[1];
  if (existing) return { id: existing, setCookie: null };
  const id = crypto.randomUUID();
  const secure = isHttpsSite() ? '; Secure' : '';
  return {
    id,
    setCookie: `${cookieName}=${id}; Path=/; Max-Age=${oneYear}; HttpOnly; SameSite=Lax${secure}`,
  };
}

/** The key one reader is counted by: their account when signed in, else the visitor cookie. */
export function readerKey(userId: number | null | undefined, visitorId: string): string {
  return userId ? `user:${userId}` : `visitor:${visitorId}`;
}
