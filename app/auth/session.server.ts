import { redirect } from '@remix-run/node';
import type { Session, User } from 'lucia';
import type { Role } from '#db/schema';
import { getLucia } from './lucia.server';

export type SessionUser = User;

type SessionLookup = { user: User | null; session: Session | null; setCookie: string | null };

// One lookup per request, however many loaders ask who is signed in.
const lookups = new WeakMap<Request, Promise<SessionLookup>>();

function lookUpSession(request: Request): Promise<SessionLookup> {
  let lookup = lookups.get(request);
  if (!lookup) {
    lookup = validateRequestSession(request);
    lookups.set(request, lookup);
  }
  return lookup;
}

function validateRequestSession(request: Request): Promise<SessionLookup> {
  return validateSessionCookie(request.headers.get('Cookie') ?? '');
}

/**
 * Who a Cookie header signs in, and the Set-Cookie to send when the session must be renewed or
 * cleared: for code that runs before Remix (the page cache).
 */
export async function validateSessionCookie(cookieHeader: string): Promise<SessionLookup> {
  const lucia = getLucia();
  const sessionId = lucia.readSessionCookie(cookieHeader);
  if (!sessionId) return { user: null, session: null, setCookie: null };
  const { session, user } = await lucia.validateSession(sessionId);
  if (!session) {
    return { user: null, session: null, setCookie: lucia.createBlankSessionCookie().serialize() };
  }
  const setCookie = session.fresh ? lucia.createSessionCookie(session.id).serialize() : null;
  return { user, session, setCookie };
}

/** The signed-in user, or null. */
export async function getUser(request: Request): Promise<SessionUser | null> {
  const user = (await lookUpSession(request)).user;
  // Suspension ends sessions; a session that slipped through still counts for nothing.
  if (user?.suspendedUntil && user.suspendedUntil > new Date().toISOString()) return null;
  return user;
}

/** A Set-Cookie value when the session cookie must be renewed or cleared, else null. */
export async function getSessionCookieUpdate(request: Request): Promise<string | null> {
  return (await lookUpSession(request)).setCookie;
}

export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getUser(request);
  if (!user) {
    const url = new URL(request.url);
    const redirectTo = `${url.pathname}${url.search}`;
    throw redirect(`/login?${new URLSearchParams({ redirectTo })}`);
  }
  return user;
}

/** Admins may do everything; everyone else needs one of the roles named. */
export function hasRole(user: Pick<SessionUser, 'role'> | null, ...roles: Role[]): boolean {
  return user !== null && (user.role === 'admin' || roles.includes(user.role));
}

export async function requireRole(request: Request, ...roles: Role[]): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!hasRole(user, ...roles)) {
    throw new Response('You do not have permission to see this page.', { status: 403 });
  }
  return user;
}

export async function createSessionCookie(userId: number): Promise<string> {
  const lucia = getLucia();
  const session = await lucia.createSession(userId, {});
  return lucia.createSessionCookie(session.id).serialize();
}

/** Ends the current session; returns the Set-Cookie value that clears the cookie. */
export async function destroySession(request: Request): Promise<string> {
  const lucia = getLucia();
  const { session } = await lookUpSession(request);
  if (session) await lucia.invalidateSession(session.id);
  return lucia.createBlankSessionCookie().serialize();
}
