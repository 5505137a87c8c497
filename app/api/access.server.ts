import type { Database } from '#db/client';
import type { ApiScope, Role } from '#db/schema';
import { authenticateToken, claimApiRequest, type ApiClient } from '~/models/api-tokens.server';
import { isStaff } from '~/models/permissions';
import { viewerOfUser, type Viewer } from '~/models/visibility.server';
import { accountAddress, findOrCreateRequester } from '~/models/users.server';
import { getConfig } from '~/utils/config.server';
import { getDb } from '~/utils/db.server';
import { apiError } from './respond.server';

/*
 * The one rule for who may do what through API v1 (decision 025).
 *
 * A site token (made by an admin) acts with its scopes alone, as it always has. A personal token
 * acts as its owner and can never do more than the owner can in the browser: the owner's role and
 * standing are read on every request, so a suspension or a lowered role applies to the very next
 * call. Every /api/v1 route names one of the actions below; none decides for itself.
 */

const everyone: readonly Role[] = ['member', 'agent', 'moderator', 'admin'];
const supportTeam: readonly Role[] = ['agent', 'moderator', 'admin'];

type ActionRule = {
  scope: ApiScope;
  /** The owner roles whose personal tokens may do this (site tokens need the scope only). */
  roles: readonly Role[];
  /** What a personal token of any other role is told (403). */
  refusal: string;
};

export const apiActions = {
  /** Threads, published articles and search: what the owner sees (a site token: all). */
  readContent: {
    scope: 'read',
    roles: everyone,
    refusal: 'This token may not read content.',
  },
  /** Tickets: a customer's token sees only the tickets its owner requested (others are 404). */
  readTickets: {
    scope: 'read',
    roles: everyone,
    refusal: 'This token may not read tickets.',
  },
  readAnalytics: {
    scope: 'read',
    roles: supportTeam,
    refusal: 'Analytics are for the support team; this token’s owner is not on it.',
  },
  /** A customer's token files tickets for its owner only. */
  fileTickets: {
    scope: 'tickets:write',
    roles: everyone,
    refusal: 'This token may not file tickets.',
  },
  /** Linking content to tickets and resolving them: the agent desk's work. */
  workTickets: {
    scope: 'tickets:write',
    roles: supportTeam,
    refusal: 'Only the support team links and resolves tickets; this token’s owner is not on it.',
  },
  receiveMail: {
    scope: 'mail:receive',
    roles: ['admin'],
    refusal: 'Only an admin’s token may deliver mail.',
  },
} as const satisfies Record<string, ActionRule>;

export type ApiAction = keyof typeof apiActions;

/** Who an API request acts as, and what it may see. */
export type ApiCaller = ApiClient & {
  /** The person a personal token acts as, null for a site token. */
  personal: { id: number; role: Role } | null;
  /**
   * Whose tickets the caller sees: null for every ticket (site tokens, the support team), else
   * only tickets this person requested (a customer's token).
   */
  ticketsOf: number | null;
  /**
   * Whose eyes content is read with (visibility.server.ts): a personal token's owner's, so it
   * never shows what the owner could not open in the browser; everything for a site token.
   */
  viewer: Viewer;
};

/**
 * A site token is made by an admin for the site's own systems, and reads as the team does.
 * NOTE: id 0 is nobody; the viewer only answers "who may see what", never "whose is this".
 */
const siteViewer: Viewer = { id: 0, role: 'admin', groupIds: [], organizationId: null };

/** What a personal token of this owner may see of tickets, as in the browser. */
function ticketsVisibleTo(owner: { id: number; role: Role } | null): number | null {
  if (owner === null || isStaff(owner)) return null;
  return owner.id;
}

/**
 * The caller a request's bearer token names, if it may do this action; otherwise throws the JSON
 * error: 401 without a valid token, 403 for a suspended owner, a missing scope or an action the
 * owner's role does not allow, 429 over the rate limit.
 */
export async function requireApiAccess(
  request: Request,
  action: ApiAction,
  now = new Date(),
): Promise<ApiCaller> {
  const rule: ActionRule = apiActions[action];
  const header = request.headers.get('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  const challenge = { 'WWW-Authenticate': 'Bearer realm="commons"' };
  if (!match?.[1])
    throw apiError(401, 'unauthorized', 'Send a token: Authorization: Bearer <token>.', challenge);
  const db = getDb();
  const client = await authenticateToken(db, match[1], now);
  if (!client)
    throw apiError(401, 'invalid_token', 'This token is unknown or was revoked.', challenge);
  const owner = client.owner;
  if (owner?.suspendedUntil && owner.suspendedUntil > now.toISOString())
    throw apiError(
      403,
      'owner_suspended',
      'The account this token belongs to is suspended; its tokens work again when the suspension ends.',
    );
  const limited = await claimApiRequest(db, client.tokenId, getConfig().API_RATE_LIMIT, now);
  if (!limited.allowed)
    throw apiError(429, 'rate_limited', 'Too many requests for this token; slow down.', {
      'Retry-After': String(limited.retryAfterSeconds),
    });
  if (!client.scopes.includes(rule.scope))
    throw apiError(403, 'insufficient_scope', `This token lacks the "${rule.scope}" scope.`);
  const personal = owner ? { id: owner.id, role: owner.role } : null;
  // NOTE: checked by role, not only by scope: an admin who became an agent keeps a token with
  // mail:receive, and the role is what must refuse it now.
  if (personal && !rule.roles.includes(personal.role))
    throw apiError(403, 'forbidden', rule.refusal);
  const viewer = personal ? await viewerOfUser(db, personal.id) : siteViewer;
  return { ...client, personal, ticketsOf: ticketsVisibleTo(personal), viewer };
}

/**
 * Whom a ticket filed through the API is for. A site token names the requester (400 without
 * one); a personal token files for its owner unless it names someone else, which only the support
 * team may do. A customer's token files only for its owner and does not mirror other helpdesks.
 */
export async function ticketRequester(
  db: Database,
  caller: ApiCaller,
  body: { requester?: { email: string; name?: string }; external_id?: string },
): Promise<number> {
  if (caller.ticketsOf !== null) {
    if (body.external_id)
      throw apiError(
        403,
        'forbidden',
        'Mirroring tickets from another helpdesk takes a site token or a support team member’s token.',
      );
    if (body.requester) {
      const own = await accountAddress(db, caller.ticketsOf);
      if (own.email !== body.requester.email.toLowerCase())
        throw apiError(
          403,
          'forbidden',
          'This token files tickets for its owner only: leave out requester, or give your own address.',
        );
    }
    return caller.ticketsOf;
  }
  if (body.requester) return findOrCreateRequester(db, body.requester);
  if (caller.personal) return caller.personal.id;
  throw apiError(400, 'invalid_request', 'requester: Say whom the ticket is for.');
}
