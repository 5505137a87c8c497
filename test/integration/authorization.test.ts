import { describe, expect, test } from 'vitest';
import * as adminHome from '~/routes/admin._index';
import * as adminApiTokens from '~/routes/admin.api-tokens';
import * as adminCategories from '~/routes/admin.categories._index';
import * as adminModeration from '~/routes/admin.moderation';
import * as adminOrganizations from '~/routes/admin.organizations._index';
import * as adminSearch from '~/routes/admin.search';
import * as adminUsers from '~/routes/admin.users';
import * as adminWebhooks from '~/routes/admin.webhooks._index';
import * as modLog from '~/routes/mod.log';
import * as modQueue from '~/routes/mod.queue';
import * as modThreads from '~/routes/mod.threads.$id';
import * as modUsers from '~/routes/mod.users.$id';
import * as flags from '~/routes/flags';
import { makeQuestion, makeUser } from '../support/community';
import { callRoute, formRequest, sessionCookieFor, type RouteHandler } from '../support/requests';

type Role = 'anonymous' | 'member' | 'agent' | 'moderator' | 'admin';
const roles: Role[] = ['anonymous', 'member', 'agent', 'moderator', 'admin'];

type Check = {
  name: string;
  method: 'GET' | 'POST';
  handler: RouteHandler;
  path: string;
  params?: Record<string, string>;
  fields?: (n: number) => Record<string, string>;
  allowed: Role[];
};

async function run(check: Check, role: Role, n: number) {
  const headers: Record<string, string> = {};
  if (role !== 'anonymous') {
    const user = await makeUser(role);
    headers.Cookie = await sessionCookieFor(user.id);
  }
  const request =
    check.method === 'GET'
      ? new Request(`http://localhost${check.path}`, { headers })
      : formRequest(check.path, check.fields?.(n) ?? {}, headers);
  return callRoute(check.handler, request, check.params);
}

/** Denied: a redirect to sign in (anonymous) or 403. Allowed: anything else. */
function outcome(result: unknown): 'login' | 'forbidden' | 'allowed' {
  if (result instanceof Response) {
    if (result.status === 403) return 'forbidden';
    if (result.status === 302 && (result.headers.get('Location') ?? '').startsWith('/login'))
      return 'login';
  }
  return 'allowed';
}

describe('who may do what: every moderation and admin action, by page and by direct POST', async () => {
  const target = await makeUser();
  const threadId = await makeQuestion(await makeUser(), 'A question for the authorization walk');
  const moderators: Role[] = ['moderator', 'admin'];
  const admins: Role[] = ['admin'];
  const checks: Check[] = [
    {
      name: 'review queue',
      method: 'GET',
      handler: modQueue.loader,
      path: '/mod/queue',
      allowed: moderators,
    },
    {
      name: 'dismiss flags',
      method: 'POST',
      handler: modQueue.action,
      path: '/mod/queue',
      fields: () => ({
        intent: 'dismiss',
        targetType: 'thread',
        targetId: String(threadId),
        reason: '',
      }),
      allowed: moderators,
    },
    {
      name: 'hide content',
      method: 'POST',
      handler: modQueue.action,
      path: '/mod/queue',
      fields: () => ({
        intent: 'hide',
        targetType: 'thread',
        targetId: String(threadId),
        reason: 'walk',
      }),
      allowed: moderators,
    },
    {
      name: 'restore content',
      method: 'POST',
      handler: modQueue.action,
      path: '/mod/queue',
      fields: () => ({
        intent: 'restore',
        targetType: 'thread',
        targetId: String(threadId),
        reason: 'walk',
      }),
      allowed: moderators,
    },
    {
      name: 'audit log',
      method: 'GET',
      handler: modLog.loader,
      path: '/mod/log',
      allowed: moderators,
    },
    {
      name: 'a person’s moderation page',
      method: 'GET',
      handler: modUsers.loader,
      path: `/mod/users/${target.id}`,
      params: { id: String(target.id) },
      allowed: moderators,
    },
    {
      name: 'warn a person',
      method: 'POST',
      handler: modUsers.action,
      path: `/mod/users/${target.id}`,
      params: { id: String(target.id) },
      fields: () => ({ intent: 'warn', reason: 'walk' }),
      allowed: moderators,
    },
    {
      name: 'silence a person',
      method: 'POST',
      handler: modUsers.action,
      path: `/mod/users/${target.id}`,
      params: { id: String(target.id) },
      fields: () => ({ intent: 'silence', days: '1', reason: 'walk' }),
      allowed: moderators,
    },
    {
      name: 'suspend a person',
      method: 'POST',
      handler: modUsers.action,
      path: `/mod/users/${target.id}`,
      params: { id: String(target.id) },
      fields: () => ({ intent: 'suspend', days: '1', reason: 'walk' }),
      allowed: moderators,
    },
    {
      name: 'remove a spammer',
      method: 'POST',
      handler: modUsers.action,
      path: `/mod/users/${target.id}`,
      params: { id: String(target.id) },
      fields: () => ({ intent: 'remove-spammer', reason: 'walk' }),
      allowed: moderators,
    },
    ...(['lock', 'close', 'pin', 'move'] as const).map((intent): Check => ({
      name: `${intent} a thread`,
      method: 'POST',
      handler: modThreads.action,
      path: `/mod/threads/${threadId}`,
      params: { id: String(threadId) },
      fields: () => ({ intent, reason: 'walk', target: '', categoryId: '' }),
      allowed: moderators,
    })),
    {
      name: 'flag content',
      method: 'POST',
      handler: flags.action,
      path: '/flags',
      fields: () => ({
        targetType: 'thread',
        targetId: String(threadId),
        reason: 'off_topic',
        returnTo: '/',
      }),
      allowed: ['member', 'agent', 'moderator', 'admin'],
    },
    {
      name: 'admin home',
      method: 'GET',
      handler: adminHome.loader,
      path: '/admin',
      allowed: admins,
    },
    {
      name: 'users and roles',
      method: 'GET',
      handler: adminUsers.loader,
      path: '/admin/users',
      allowed: admins,
    },
    {
      name: 'change a role',
      method: 'POST',
      handler: adminUsers.action,
      path: '/admin/users',
      fields: () => ({ userId: String(target.id), role: 'member' }),
      allowed: admins,
    },
    {
      name: 'organizations',
      method: 'GET',
      handler: adminOrganizations.loader,
      path: '/admin/organizations',
      allowed: admins,
    },
    {
      name: 'create an organization',
      method: 'POST',
      handler: adminOrganizations.action,
      path: '/admin/organizations',
      fields: (n) => ({ name: `Walk Org ${n}`, domains: '' }),
      allowed: admins,
    },
    {
      name: 'categories',
      method: 'GET',
      handler: adminCategories.loader,
      path: '/admin/categories',
      allowed: admins,
    },
    {
      name: 'create a category',
      method: 'POST',
      handler: adminCategories.action,
      path: '/admin/categories',
      fields: (n) => ({ name: `Walk category ${n}`, slug: `walk-category-${n}`, description: '' }),
      allowed: admins,
    },
    {
      name: 'search settings',
      method: 'GET',
      handler: adminSearch.loader,
      path: '/admin/search',
      allowed: admins,
    },
    {
      name: 'save synonyms',
      method: 'POST',
      handler: adminSearch.action,
      path: '/admin/search',
      fields: () => ({ synonyms: '' }),
      allowed: admins,
    },
    {
      name: 'API tokens',
      method: 'GET',
      handler: adminApiTokens.loader,
      path: '/admin/api-tokens',
      allowed: admins,
    },
    {
      name: 'create an API token',
      method: 'POST',
      handler: adminApiTokens.action,
      path: '/admin/api-tokens',
      fields: () => ({ name: 'walk', scopes: 'read' }),
      allowed: admins,
    },
    {
      name: 'webhooks',
      method: 'GET',
      handler: adminWebhooks.loader,
      path: '/admin/webhooks',
      allowed: admins,
    },
    {
      name: 'add a webhook',
      method: 'POST',
      handler: adminWebhooks.action,
      path: '/admin/webhooks',
      fields: () => ({
        url: 'https://example.com/hook',
        events: 'ticket.created',
        description: '',
      }),
      allowed: admins,
    },
    {
      name: 'moderation settings',
      method: 'GET',
      handler: adminModeration.loader,
      path: '/admin/moderation',
      allowed: admins,
    },
    {
      name: 'save moderation settings',
      method: 'POST',
      handler: adminModeration.action,
      path: '/admin/moderation',
      fields: () => ({
        flagThreshold: '3',
        watchedWords: '',
        posts: '6',
        comments: '12',
        newPosts: '2',
        newComments: '4',
      }),
      allowed: admins,
    },
  ];

  let n = 0;
  for (const check of checks) {
    test(`${check.method} ${check.name}`, async () => {
      const seen: Record<string, string> = {};
      for (const role of roles) {
        n += 1;
        seen[role] = outcome(await run(check, role, n));
      }
      const expected = Object.fromEntries(
        roles.map((role) => [
          role,
          check.allowed.includes(role) ? 'allowed' : role === 'anonymous' ? 'login' : 'forbidden',
        ]),
      );
      expect(seen).toEqual(expected);
    });
  }
});
