import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { roles } from '#db/schema';
import { checkIssuer } from '~/auth/oidc.server';
import { requireRole } from '~/auth/session.server';
import { Field, FormError, Notice, SelectField } from '~/components/forms';
import {
  deleteProvider,
  findProvider,
  listProviders,
  providerSchema,
  saveProvider,
  setStaffProviderRequired,
  staffProviderOnly,
  type SignInProvider,
} from '~/models/sign-in-providers.server';
import { getConfig } from '~/utils/config.server';
import { publicOrigin } from '~/utils/public-url.server';
import { getDb } from '~/utils/db.server';
import { formError, formFailure, formReply, formValues, parseForm } from '~/utils/forms.server';

export const meta: MetaFunction = () => [{ title: 'Sign-in · Administration' }];

const roleLabels: Record<(typeof roles)[number], string> = {
  member: 'Members (customers)',
  agent: 'Agents',
  moderator: 'Moderators',
  admin: 'Admins',
};

function publicProvider(provider: SignInProvider) {
  const { clientSecret: _secret, ...shown } = provider;
  return { ...shown, hasSecret: Boolean(_secret) };
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin');
  const db = getDb();
  const url = new URL(request.url);
  const providers = await listProviders(db, getConfig());
  const editing = providers.find(
    (provider) => provider.slug === url.searchParams.get('edit') && !provider.fromEnvironment,
  );
  return {
    providers: providers.map(publicProvider),
    editing: editing ? publicProvider(editing) : null,
    staffProviderOnly: await staffProviderOnly(db),
    origin: publicOrigin(request),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, 'admin');
  const db = getDb();
  const formData = await request.formData();
  const intent = formData.get('intent');
  if (intent === 'staff-policy') {
    const required = formData.get('providerOnly') === 'on';
    const providers = await listProviders(db, getConfig());
    if (
      required &&
      !providers.some((provider) => provider.enabled && provider.roles.includes('admin'))
    )
      return formError(
        400,
        'First add and enable a provider that admins may sign in with, or nobody could sign in as staff.',
        'staff-policy',
      );
    await setStaffProviderRequired(db, admin.id, required);
    return formReply(200, {
      form: 'staff-policy',
      notice: required
        ? 'Staff now sign in with a provider only.'
        : 'Staff may sign in with a password again.',
    });
  }
  const existing = await findProvider(db, getConfig(), String(formData.get('provider') ?? ''));
  if (intent === 'delete') {
    if (!existing?.id) return formError(404, 'That provider is already gone.');
    await deleteProvider(db, admin.id, existing);
    return formReply(200, { notice: `${existing.label} was removed.` });
  }
  if (existing?.fromEnvironment)
    return formError(400, 'This provider comes from OIDC_* settings; change it there.');
  const values = { ...formValues(formData), roles: formData.getAll('roles').join(' ') };
  // A slug is chosen once: it is part of the address registered at the provider.
  if (existing) formData.set('slug', existing.slug);
  const parsed = parseForm(formData, providerSchema);
  if (!parsed.success) return formFailure({ ...parsed, values });
  const secret = parsed.data.clientSecret || existing?.clientSecret || '';
  if (!secret)
    return formFailure({ fieldErrors: { clientSecret: 'Enter the client secret.' }, values });
  const problem = await checkIssuer({ ...parsed.data, clientSecret: secret });
  if (problem) return formFailure({ fieldErrors: { issuer: problem }, values });
  const saved = await saveProvider(
    db,
    admin.id,
    { ...parsed.data, clientSecret: secret },
    existing,
  );
  if (!saved.ok) return formFailure({ fieldErrors: saved.fieldErrors, values });
  return redirect('/admin/sign-in?saved=1');
}

export default function SignInSettings() {
  const { providers, editing, staffProviderOnly, origin } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const values = actionData?.values ?? {};
  const failedHere = actionData && !actionData.form && Object.keys(actionData.fieldErrors).length;
  const typed = (name: string, stored?: string) => (failedHere ? values[name] : stored);
  const checkedRoles = failedHere
    ? (values.roles ?? '').split(' ')
    : (editing?.roles ?? ['member']);
  return (
    <>
      <h1>Sign-in</h1>
      <p className="muted">
        Let people sign in with an OpenID Connect provider (Okta, Microsoft Entra ID, Google
        Workspace, Keycloak, Auth0…). Register Commons at the provider as a web application with the
        callback address shown for each provider below.
      </p>
      <Notice>{actionData?.notice}</Notice>
      {actionData?.form === 'staff-policy' ? null : (
        <FormError>{failedHere ? null : actionData?.formError}</FormError>
      )}
      {providers.length === 0 ? (
        <p>No providers yet: people sign in with a password.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Provider</th>
                <th scope="col">Who may sign in</th>
                <th scope="col">Callback address</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {providers.map((provider) => (
                <tr key={provider.slug} className={provider.enabled ? undefined : 'row-muted'}>
                  <td>
                    <strong>{provider.label}</strong>
                    <div className="muted">
                      {provider.enabled ? '' : 'Off · '}
                      {provider.issuer}
                    </div>
                    {provider.fromEnvironment ? (
                      <div className="muted">From the OIDC_* settings</div>
                    ) : null}
                  </td>
                  <td>
                    {provider.roles.map((role) => roleLabels[role]).join(', ')}
                    <div className="muted">
                      {provider.createAccounts
                        ? `New accounts: ${roleLabels[provider.newAccountRole].toLowerCase()}`
                        : 'Existing accounts only'}
                      {provider.emailDomains.length > 0
                        ? ` · only ${provider.emailDomains.join(', ')}`
                        : ''}
                    </div>
                  </td>
                  <td>
                    <code>{`${origin}/auth/${provider.slug}/callback`}</code>
                  </td>
                  <td>
                    {provider.fromEnvironment ? null : (
                      <div className="row-actions">
                        <Link className="button button-secondary" to={`?edit=${provider.slug}`}>
                          Edit
                        </Link>
                        <Form method="post">
                          <input type="hidden" name="intent" value="delete" />
                          <input type="hidden" name="provider" value={provider.slug} />
                          <button
                            type="submit"
                            className="button button-danger"
                            aria-label={`Remove ${provider.label}`}
                          >
                            Remove
                          </button>
                        </Form>
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <section className="card form-card" aria-labelledby="provider-form-title">
        <h2 id="provider-form-title">{editing ? `Edit ${editing.label}` : 'Add a provider'}</h2>
        {failedHere ? <FormError>{actionData?.formError}</FormError> : null}
        <Form method="post" className="stack" noValidate key={editing?.slug ?? 'new'}>
          <input type="hidden" name="intent" value="save" />
          {editing ? <input type="hidden" name="provider" value={editing.slug} /> : null}
          <Field
            label="Button label"
            name="label"
            defaultValue={typed('label', editing?.label)}
            error={actionData?.fieldErrors.label}
            placeholder="Sign in with Okta"
            maxLength={60}
          />
          {editing ? null : (
            <Field
              label="Short name"
              name="slug"
              defaultValue={typed('slug')}
              error={actionData?.fieldErrors.slug}
              placeholder="okta"
              hint="Part of the callback address; it cannot change later."
            />
          )}
          <Field
            label="Issuer URL"
            name="issuer"
            type="url"
            defaultValue={typed('issuer', editing?.issuer)}
            error={actionData?.fieldErrors.issuer}
            placeholder="https://example.okta.com"
            hint="Commons reads its discovery document when you save."
          />
          <Field
            label="Client id"
            name="clientId"
            defaultValue={typed('clientId', editing?.clientId)}
            error={actionData?.fieldErrors.clientId}
          />
          <Field
            label="Client secret"
            name="clientSecret"
            type="password"
            autoComplete="off"
            error={actionData?.fieldErrors.clientSecret}
            hint={editing ? 'Leave empty to keep the stored secret.' : undefined}
          />
          <fieldset className="choices">
            <legend>Who may sign in with it</legend>
            {roles.map((role) => (
              <label className="choice" key={role}>
                <input
                  type="checkbox"
                  name="roles"
                  value={role}
                  defaultChecked={checkedRoles.includes(role)}
                />{' '}
                {roleLabels[role]}
              </label>
            ))}
            {actionData?.fieldErrors.roles ? (
              <p className="field-error">{actionData.fieldErrors.roles}</p>
            ) : null}
          </fieldset>
          <label className="choice">
            <input
              type="checkbox"
              name="createAccounts"
              defaultChecked={
                failedHere ? values.createAccounts === 'on' : (editing?.createAccounts ?? true)
              }
            />{' '}
            Create an account on first sign-in
          </label>
          <SelectField
            label="Role of new accounts"
            name="newAccountRole"
            defaultValue={typed('newAccountRole', editing?.newAccountRole) ?? 'member'}
            error={actionData?.fieldErrors.newAccountRole}
          >
            {roles.map((role) => (
              <option key={role} value={role}>
                {roleLabels[role]}
              </option>
            ))}
          </SelectField>
          <Field
            label="Allowed email domains (optional)"
            name="emailDomains"
            defaultValue={typed('emailDomains', editing?.emailDomains.join(' '))}
            error={actionData?.fieldErrors.emailDomains}
            placeholder="example.com example.org"
            hint="Only people whose verified email is at one of these may sign in. Empty: anyone the provider vouches for."
          />
          <label className="choice">
            <input
              type="checkbox"
              name="enabled"
              defaultChecked={failedHere ? values.enabled === 'on' : (editing?.enabled ?? true)}
            />{' '}
            Show it on the sign-in page
          </label>
          <div className="row-actions">
            <button type="submit" className="button" disabled={busy}>
              {editing ? 'Save provider' : 'Add provider'}
            </button>
            {editing ? (
              <Link className="button button-secondary" to="/admin/sign-in">
                Cancel
              </Link>
            ) : null}
          </div>
        </Form>
      </section>

      <section className="card form-card" aria-labelledby="staff-policy-title">
        <h2 id="staff-policy-title">Staff sign-in</h2>
        {actionData?.form === 'staff-policy' ? <FormError>{actionData.formError}</FormError> : null}
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="staff-policy" />
          <label className="choice">
            <input type="checkbox" name="providerOnly" defaultChecked={staffProviderOnly} /> Agents,
            moderators and admins sign in with a provider only, never with a password
          </label>
          <p className="muted">
            While no enabled provider lets a role in, people with that role may still use their
            password, so nobody is locked out.
          </p>
          <div>
            <button type="submit" className="button button-secondary" disabled={busy}>
              Save staff sign-in
            </button>
          </div>
        </Form>
      </section>
    </>
  );
}
