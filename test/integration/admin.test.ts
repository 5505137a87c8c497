import { describe, expect, test } from 'vitest';
import { saveCategory } from '~/models/categories.server';
import { saveOrganization } from '~/models/organizations.server';
import { changeRole, createUser } from '~/models/users.server';
import { action as usersAction, loader as usersLoader } from '~/routes/admin.users';
import { loader as categoryLoader } from '~/routes/admin.categories.$id';
import { getDb } from '~/utils/db.server';
import {
  formReplyOf,
  formRequest,
  locationOf,
  sessionCookieFor,
  settle,
  statusOf,
  testContext,
} from '../support/requests';

const password = 'correct horse battery';

async function makeUsers() {
  const db = getDb();
  const admin = await createUser(db, { email: 'boss@example.com', username: 'boss', password });
  const member = await createUser(db, { email: 'mem@example.com', username: 'mem', password });
  if (!admin.ok || !member.ok) throw new Error('users not created');
  return { admin: admin.user, member: member.user };
}

describe('admin pages check roles on the server', async () => {
  const { admin, member } = await makeUsers();

  test('a signed-out visitor is sent to sign in, and back afterwards', async () => {
    const result = await settle(() =>
      usersLoader({
        request: new Request('http://localhost/admin/users?q=x'),
        params: {},
        context: testContext,
      }),
    );
    expect(result).toBeInstanceOf(Response);
    expect(statusOf(result)).toBe(302);
    expect(locationOf(result)).toBe('/login?redirectTo=%2Fadmin%2Fusers%3Fq%3Dx');
  });

  test('a member gets 403 from the page and from its action', async () => {
    const cookie = await sessionCookieFor(member.id);
    const page = await settle(() =>
      usersLoader({
        request: new Request('http://localhost/admin/users', { headers: { Cookie: cookie } }),
        params: {},
        context: testContext,
      }),
    );
    expect(statusOf(page)).toBe(403);
    const promote = formRequest(
      '/admin/users',
      { userId: String(member.id), role: 'admin' },
      { Cookie: cookie },
    );
    expect(
      statusOf(
        await settle(() => usersAction({ request: promote, params: {}, context: testContext })),
      ),
    ).toBe(403);
    const row = await getDb()
      .selectFrom('users')
      .select('role')
      .where('id', '=', member.id)
      .executeTakeFirstOrThrow();
    expect(row.role).toBe('member');
  });

  test('an admin promotes a member to agent', async () => {
    const cookie = await sessionCookieFor(admin.id);
    const request = formRequest(
      '/admin/users',
      { userId: String(member.id), role: 'agent' },
      { Cookie: cookie },
    );
    const result = await usersAction({ request, params: {}, context: testContext });
    expect(formReplyOf(result)).toMatchObject({ notice: 'Role updated to agent.' });
    const row = await getDb()
      .selectFrom('users')
      .select('role')
      .where('id', '=', member.id)
      .executeTakeFirstOrThrow();
    expect(row.role).toBe('agent');
  });

  test('an admin cannot demote themselves, and the last admin keeps the role', async () => {
    const cookie = await sessionCookieFor(admin.id);
    const request = formRequest(
      '/admin/users',
      { userId: String(admin.id), role: 'member' },
      { Cookie: cookie },
    );
    expect(statusOf(await usersAction({ request, params: {}, context: testContext }))).toBe(400);
    expect(await changeRole(getDb(), admin.id, 'member')).toEqual({
      ok: false,
      error: 'The last admin cannot lose the admin role.',
    });
  });

  test('an unknown or malformed id is a 404, not a 500', async () => {
    const cookie = await sessionCookieFor(admin.id);
    for (const id of ['999999', 'abc', '1e3', '-1', '99999999999999999999']) {
      const request = new Request(`http://localhost/admin/categories/${id}`, {
        headers: { Cookie: cookie },
      });
      expect(
        statusOf(
          await settle(() => categoryLoader({ request, params: { id }, context: testContext })),
        ),
      ).toBe(404);
    }
  });
});

describe('organizations and categories', () => {
  test('an email domain belongs to one organization only', async () => {
    const db = getDb();
    expect(
      await saveOrganization(db, { name: 'Globex', domains: ['globex.example'] }),
    ).toMatchObject({ ok: true });
    expect(
      await saveOrganization(db, {
        name: 'Initech',
        domains: ['initech.example', 'globex.example'],
      }),
    ).toEqual({
      ok: false,
      fieldErrors: { domains: 'globex.example already belongs to Globex.' },
    });
    expect(await saveOrganization(db, { name: 'globex', domains: [] })).toEqual({
      ok: false,
      fieldErrors: { name: 'Another organization has this name.' },
    });
  });

  test('category slugs are unique', async () => {
    const db = getDb();
    const input = { name: 'Billing', slug: 'billing', description: '', position: 0 };
    const first = await saveCategory(db, input);
    expect(first).toMatchObject({ ok: true });
    expect(await saveCategory(db, { ...input, name: 'Billing again' })).toEqual({
      ok: false,
      fieldErrors: { slug: 'Another category uses this slug.' },
    });
    if (first.ok)
      expect(
        await saveCategory(db, { ...input, description: 'Plans and invoices' }, first.id),
      ).toEqual(first);
  });
});
