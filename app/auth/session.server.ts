import { redirect } from '@remix-run/node';
import type { Session, User } from 'lucia';
import type { Role } from '#db/schema';
import { getDb } from '~/utils/db.server';
import { storedSessionId } from '~/models/sessions.server';
import { mustSetUpTwoFactor } from '~/models/two-factor-policy.server';
import { viewerOf, type Viewer } from '~/models/visibility.server';
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
  await noteSeen(session);
  return { user, session, setCookie };
}

/** "Last seen" on the sessions page is kept to within this, so most requests write nothing. */
const seenResolutionMs = 5 * 60_000;

async function noteSeen(session: Session, now = new Date()) {
  const lastSeen = session.lastSeenAt ? Date.parse(session.lastSeenAt) : 0;
  if (now.getTime() - lastSeen < seenResolutionMs) return;
  await getDb()
    .updateTable('sessions')
    .set({ last_seen_at: now.toISOString() })
    .where('id', '=', storedSessionId(session.id))
    .execute();
}

/** The session this request is signed in with (its cookie's token), or null. */
export async function currentSession(request: Request): Promise<Session | null> {
  return (await lookUpSession(request)).session;
}

/** The signed-in user, or null. */
export async function getUser(request: Request): Promise<SessionUser | null> {
  const user = (await lookUpSession(request)).user;
  // Suspension ends sessions; a session that slipped through still counts for nothing.
  if (user?.suspendedUntil && user.suspendedUntil > new Date().toISOString()) return null;
  return user;
}

const viewers = new WeakMap<Request, Promise<Viewer>>();

/** Who is asking, for the visibility rule: null for an anonymous visitor. One lookup per request. */
export function getViewer(request: Request): Promise<Viewer> {
  let viewer = viewers.get(request);
  if (!viewer) {
    viewer = getUser(request).then((user) => viewerOf(getDb(), user));
    viewers.set(request, viewer);
  }
  return viewer;
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

/**
 * The signed-in user when they have one of these roles; else a 403. Staff who must use
 * two-factor (the admin's setting) and have not set it up are sent to set it up first.
 */
export async function requireRole(request: Request, ...roles: Role[]): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!hasRole(user, ...roles)) {
    throw new Response('You do not have permission to see this page.', { status: 403 });
  }
  // A provider's sign-in is its own second factor (decision 023): only password sessions are sent.
  const { session } = await lookUpSession(request);
  if (!session?.signInProvider && (await mustSetUpTwoFactor(getDb(), user)))
    throw redirect('/settings/two-factor');
  return user;
}

/** Where a session is started, as its owner sees it on the sessions page. */
export type SignInDevice = { userAgent: string; address: string };

/** The browser and address of a sign-in request. */
export function deviceOf(request: Request, clientAddress: string): SignInDevice {
  return { userAgent: request.headers.get('user-agent') ?? '', address: clientAddress };
}

/** A new session for this person; `provider` names the OpenID provider that vouched for them. */
export async function createSessionCookie(
  userId: number,
  device?: SignInDevice,
  provider?: string,
): Promise<string> {
  const lucia = getLucia();
  const session = await lucia.createSession(userId, {
    // A header can be long; what a person needs to recognise the device fits in 512 characters.
    user_agent: device?.userAgent.slice(0, 512) || null,
    ip_address: device?.address.slice(0, 64) || null,
    sign_in_provider: provider ?? null,
  });
  return lucia.createSessionCookie(session.id).serialize();
}

/** Ends the current session; returns the Set-Cookie value that clears the cookie. */
export async function destroySession(request: Request): Promise<string> {
  const lucia = getLucia();
  const { session } = await lookUpSession(request);
  if (session) await lucia.invalidateSession(session.id);
  return lucia.createBlankSessionCookie().serialize();
}
