import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { z } from 'zod';
import { apiScopes } from '#db/schema';
import { requireRole } from '~/auth/session.server';
import { Field, FormError } from '~/components/forms';
import { IntentButton } from '~/components/posts';
import {
  apiTokenSchema,
  createApiToken,
  listApiTokens,
  revokeApiToken,
} from '~/models/api-tokens.server';
import { formatDay } from '~/utils/dates';
import { apiScopeLabels } from '~/models/support-labels';
import { ScopeChoices } from '~/components/scope-choices';
import { logModeration } from '~/models/audit-log.server';
import { getDb } from '~/utils/db.server';
import { parseForm } from '~/utils/forms.server';

export const meta: MetaFunction = () => [{ title: 'API tokens · Administration' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin');
  return { tokens: await listApiTokens(getDb()) };
}

type Reply = {
  token: string | null;
  fieldErrors: Record<string, string>;
  values: Record<string, string>;
};

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, 'admin');
  const db = getDb();
  const formData = await request.formData();
  const reply = (status: number, fields: Partial<Reply>) =>
    data<Reply>({ token: null, fieldErrors: {}, values: {}, ...fields }, { status });
  if (formData.get('intent') === 'revoke') {
    const id = z.coerce.number().int().positive().safeParse(formData.get('tokenId'));
    if (!id.success) return reply(400, { fieldErrors: { form: 'Choose a token to revoke.' } });
    const revoked = await revokeApiToken(db, { id: id.data });
    if (!revoked)
      return reply(404, {
        fieldErrors: { form: 'No token in use has that id; it may be revoked already.' },
      });
    await logModeration(db, {
      actorId: user.id,
      action: 'api_token_revoked',
      targetType: 'api_token',
      targetId: revoked.id,
      // A personal token's owner finds its revocation under their name in the log.
      targetUserId: revoked.ownerId,
      data: { name: revoked.name, prefix: revoked.prefix, personal: revoked.ownerId !== null },
    });
    return reply(200, {});
  }
  const parsed = parseForm(formData, apiTokenSchema);
  if (!parsed.success)
    return reply(400, { fieldErrors: parsed.fieldErrors, values: parsed.values });
  const created = await createApiToken(db, user.id, parsed.data);
  await logModeration(db, {
    actorId: user.id,
    action: 'api_token_created',
    targetType: 'api_token',
    targetId: created.id,
    data: { name: parsed.data.name, prefix: created.prefix, scopes: parsed.data.scopes },
  });
  return reply(201, { token: created.token });
}

export default function ApiTokens() {
  const { tokens } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  return (
    <>
      <h1>API tokens</h1>
      <p className="muted">
        Other systems (your helpdesk, a status page, scripts) use a site token to call{' '}
        <a href="/api/v1/openapi.json">API v1</a> with <code>Authorization: Bearer …</code>; it acts
        with its scopes alone. Personal tokens, which people make for themselves under{' '}
        <em>Settings → Sessions</em>, are listed here too so that you can revoke a leaked one: they
        act as their owner and can do no more than the owner can.
      </p>
      {actionData?.token ? (
        <div className="alert alert-success token-reveal" role="status">
          <p>
            <strong>Copy this token now.</strong> It is shown once; only its fingerprint is kept.
          </p>
          <code className="token" data-testid="new-token">
            {actionData.token}
          </code>
        </div>
      ) : null}
      <FormError>{actionData?.fieldErrors.form}</FormError>
      <section className="card form-card" aria-labelledby="new-token-title">
        <h2 id="new-token-title">New token</h2>
        <Form method="post" className="stack" noValidate>
          <Field
            label="Name"
            name="name"
            defaultValue={actionData?.values.name}
            error={actionData?.fieldErrors.name}
            hint="What uses it, e.g. “Zendesk mirror”."
            maxLength={80}
          />
          <ScopeChoices
            scopes={apiScopes.map((scope) => ({ scope, label: apiScopeLabels[scope] }))}
            checked={['read']}
            error={actionData?.fieldErrors.scopes}
          />
          <div>
            <button type="submit" className="button" disabled={busy}>
              Create token
            </button>
          </div>
        </Form>
      </section>
      {tokens.length === 0 ? null : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Token</th>
                <th scope="col">Scopes</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => (
                <tr key={token.id} className={token.revoked_at ? 'row-muted' : undefined}>
                  <td>
                    <span className="break">{token.name}</span>{' '}
                    {token.owner_username ? (
                      <span className="badge badge-soft">Personal</span>
                    ) : (
                      <span className="badge">Site</span>
                    )}
                    <div className="muted">
                      {token.owner_username ? (
                        <>
                          of <Link to={`/users/${token.owner_username}`}>{token.owner_name}</Link> (
                          {token.owner_role}), {formatDay(token.created_at)}
                        </>
                      ) : (
                        <>
                          by {token.created_by_name}, {formatDay(token.created_at)}
                        </>
                      )}
                    </div>
                  </td>
                  <td>
                    <code>{token.prefix}…</code>
                  </td>
                  <td>{token.scopes.split(' ').join(', ')}</td>
                  <td>{token.last_used_at ? formatDay(token.last_used_at) : 'never'}</td>
                  <td>
                    {token.revoked_at ? (
                      <span className="muted">Revoked {formatDay(token.revoked_at)}</span>
                    ) : (
                      <IntentButton intent="revoke" fields={{ tokenId: token.id }} danger>
                        Revoke
                      </IntentButton>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
