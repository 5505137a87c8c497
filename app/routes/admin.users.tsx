import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { z } from 'zod';
import { roles } from '#db/schema';
import { requireRole } from '~/auth/session.server';
import { Field, FormError, Notice } from '~/components/forms';
import { inviteByEmail, inviteSchema } from '~/models/account-recovery.server';
import { changeRole, roleSchema, searchUsers } from '~/models/users.server';
import { logModeration } from '~/models/audit-log.server';
import {
  resetTwoFactor,
  setStaffTwoFactorRequired,
  staffTwoFactorRequired,
  usersWithTwoFactor,
} from '~/models/two-factor.server';
import { getDb } from '~/utils/db.server';
import { formError, formReply, formValues, parseForm } from '~/utils/forms.server';

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin');
  const url = new URL(request.url);
  const query = (url.searchParams.get('q') ?? '').slice(0, 200);
  const page = Math.min(
    Math.max(Number.parseInt(url.searchParams.get('page') ?? '1', 10) || 1, 1),
    10_000,
  );
  const db = getDb();
  const result = await searchUsers(db, query, page);
  const [withTwoFactor, staffTwoFactor] = await Promise.all([
    usersWithTwoFactor(
      db,
      result.users.map((user) => user.id),
    ),
    staffTwoFactorRequired(db),
  ]);
  const users = result.users.map((user) => ({ ...user, two_factor: withTwoFactor.has(user.id) }));
  return { ...result, users, query, page, staffTwoFactor };
}

const staffTwoFactorSchema = z.object({ required: z.enum(['on', 'off']) });
// NOTE: at most the largest id PostgreSQL's integer holds; a larger one was a server error there.
const userIdSchema = z.coerce.number().int().positive().max(2_147_483_647);

const resetTwoFactorSchema = z.object({ userId: userIdSchema });

const changeRoleSchema = z.object({
  userId: userIdSchema,
  role: roleSchema,
});

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, 'admin');
  const formData = await request.formData();
  if (formData.get('intent') === 'invite') {
    const invite = parseForm(formData, inviteSchema);
    if (!invite.success)
      return formReply(400, {
        form: 'invite',
        fieldErrors: invite.fieldErrors,
        values: invite.values,
      });
    const result = await inviteByEmail(getDb(), admin, invite.data);
    if (!result.ok) {
      return formReply(400, {
        form: 'invite',
        fieldErrors: result.fieldErrors,
        values: formValues(formData, inviteSchema),
      });
    }
    return formReply(200, {
      notice: result.created
        ? `Invitation sent to ${invite.data.email}: a new account, ${result.username}, waits to be claimed.`
        : `Invitation sent to ${invite.data.email} to claim ${result.username}.`,
    });
  }
  if (formData.get('intent') === 'staff-two-factor') {
    const parsed = parseForm(formData, staffTwoFactorSchema);
    if (!parsed.success) return formError(400, 'Choose whether staff must use two-factor.');
    const required = parsed.data.required === 'on';
    const result = await setStaffTwoFactorRequired(getDb(), { adminId: admin.id, required });
    if (!result.ok) return formError(400, result.error);
    return formReply(200, {
      notice: required
        ? 'Staff must now use two-factor: those without it are asked to set it up.'
        : 'Staff no longer have to use two-factor.',
    });
  }
  if (formData.get('intent') === 'reset-two-factor') {
    const parsed = parseForm(formData, resetTwoFactorSchema);
    if (!parsed.success) return formError(400, 'Choose whose two-factor to reset.');
    if (parsed.data.userId === admin.id) {
      return formError(400, 'Turn your own two-factor off on your settings page.');
    }
    const username = await resetTwoFactor(getDb(), {
      adminId: admin.id,
      userId: parsed.data.userId,
    });
    if (!username) return formError(400, 'That person has no two-factor to reset.');
    return formReply(200, {
      notice: `Two-factor of ${username} is reset and they are signed out everywhere. They sign in with their password alone and can set it up again.`,
    });
  }
  const parsed = parseForm(formData, changeRoleSchema);
  if (!parsed.success) return formError(400, 'Choose a user and one of the roles.');
  const { userId, role } = parsed.data;
  if (userId === admin.id && role !== 'admin') {
    return formError(400, 'You cannot take away your own admin role. Ask another admin.');
  }
  const result = await changeRole(getDb(), userId, role);
  if (!result.ok) return formError(400, result.error);
  await logModeration(getDb(), {
    actorId: admin.id,
    action: 'role',
    targetType: 'user',
    targetId: userId,
    targetUserId: userId,
    data: { role },
  });
  return formReply(200, { notice: `Role updated to ${role}.` });
}

export default function AdminUsers() {
  const { users, hasMore, query, page, staffTwoFactor } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const invite = actionData?.form === 'invite' ? actionData : null;
  const pageLink = (to: number) =>
    `?${new URLSearchParams({ ...(query ? { q: query } : {}), page: String(to) })}`;
  return (
    <>
      <h1>Users</h1>
      <Form method="post" className="card staff-two-factor">
        <input type="hidden" name="intent" value="staff-two-factor" />
        <input type="hidden" name="required" value={staffTwoFactor ? 'off' : 'on'} />
        <div>
          <strong>Staff must use two-factor</strong>{' '}
          {staffTwoFactor ? (
            <span className="badge badge-success">on</span>
          ) : (
            <span className="badge">off</span>
          )}
          <p className="muted">
            When on, agents, moderators and admins without two-factor are sent to set it up before
            they can use the staff pages.
          </p>
        </div>
        <button
          type="submit"
          className="button button-secondary"
          disabled={navigation.state === 'submitting'}
        >
          {staffTwoFactor ? 'Stop requiring it' : 'Require it'}
        </button>
      </Form>
      <Form method="get" className="search-row" role="search">
        <label htmlFor="user-search" className="visually-hidden">
          Search users
        </label>
        <input
          id="user-search"
          type="search"
          name="q"
          defaultValue={query}
          placeholder="Search by name, username or email"
        />
        <button type="submit" className="button button-secondary">
          Search
        </button>
      </Form>
      <FormError>{actionData?.formError}</FormError>
      <Notice>{actionData?.notice}</Notice>
      <details className="card invite-card" open={invite ? true : undefined}>
        <summary>Invite someone by email</summary>
        <p className="muted">
          They get a link to choose a password. Name an imported account without a password to give
          it to them with its name, reputation and posts; leave it empty to make a new account.
        </p>
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="intent" value="invite" />
          <Field
            label="Their email address"
            name="email"
            type="email"
            defaultValue={invite?.values.email}
            error={invite?.fieldErrors.email}
            required
          />
          <Field
            label="Existing account (username, optional)"
            name="username"
            defaultValue={invite?.values.username}
            error={invite?.fieldErrors.username}
          />
          <div>
            <button type="submit" className="button" disabled={navigation.state === 'submitting'}>
              Send invitation
            </button>
          </div>
        </Form>
      </details>
      {users.length === 0 ? (
        <p className="empty-state">{query ? `No one matches “${query}”.` : 'No users yet.'}</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Organization</th>
                <th scope="col">Joined</th>
                <th scope="col">Role</th>
                <th scope="col">Two-factor</th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <tr key={user.id}>
                  <td>
                    <strong>{user.display_name}</strong>
                    <div className="muted break">
                      @{user.username} · {user.email}
                    </div>
                    {user.without_password ? (
                      <span className="badge">no password yet</span>
                    ) : user.email_verified_at ? null : (
                      <span className="badge">address not confirmed</span>
                    )}
                  </td>
                  <td>{user.organization_name ?? <span className="muted">—</span>}</td>
                  <td>
                    <time dateTime={user.created_at}>{user.created_at.slice(0, 10)}</time>
                  </td>
                  <td>
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="userId" value={user.id} />
                      <label htmlFor={`role-${user.id}`} className="visually-hidden">
                        Role of {user.username}
                      </label>
                      <select
                        id={`role-${user.id}`}
                        name="role"
                        defaultValue={user.role}
                        key={user.role}
                      >
                        {roles.map((role) => (
                          <option key={role} value={role}>
                            {role}
                          </option>
                        ))}
                      </select>
                      <button
                        type="submit"
                        className="button button-small button-secondary"
                        disabled={navigation.state === 'submitting'}
                        aria-label={`Save role of ${user.username}`}
                      >
                        Save
                      </button>
                    </Form>
                  </td>
                  <td>
                    {user.two_factor ? (
                      <details className="confirm-reset">
                        <summary>
                          <span className="badge badge-success">on</span> Reset two-factor
                        </summary>
                        <Form method="post" className="stack-small">
                          <input type="hidden" name="intent" value="reset-two-factor" />
                          <input type="hidden" name="userId" value={user.id} />
                          <p className="muted">
                            For someone who lost their phone and recovery codes: it removes their
                            two-factor and signs them out everywhere.
                          </p>
                          <button
                            type="submit"
                            className="button button-danger button-small"
                            disabled={navigation.state === 'submitting'}
                            aria-label={`Reset two-factor of ${user.username}`}
                          >
                            Reset it
                          </button>
                        </Form>
                      </details>
                    ) : (
                      <span className="muted">off</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav className="pager" aria-label="Pages">
        {page > 1 ? <Link to={pageLink(page - 1)}>← Previous</Link> : <span />}
        {hasMore ? <Link to={pageLink(page + 1)}>Next →</Link> : null}
      </nav>
    </>
  );
}
