import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { z } from 'zod';
import { currentSession, requireUser } from '~/auth/session.server';
import { GeneralErrorBoundary } from '~/components/error-page';
import { ScopeChoices } from '~/components/scope-choices';
import { SettingsNav } from '~/components/settings-nav';
import { Field, FormError, Notice } from '~/components/forms';
import {
  apiTokenSchema,
  createPersonalApiToken,
  listPersonalApiTokens,
  personalScopesFor,
  personalTokenLimit,
  revokeApiToken,
} from '~/models/api-tokens.server';
import { logModeration } from '~/models/audit-log.server';
import { isStaff } from '~/models/permissions';
import { endOtherSessions, endSession, listSessions } from '~/models/sessions.server';
import { personalScopeLabel } from '~/models/support-labels';
import { formatDate, formatDay, timeAgo } from '~/utils/dates';
import { getDb } from '~/utils/db.server';
import { formValues, parseForm, type FormReply } from '~/utils/forms.server';

export const meta: MetaFunction = () => [{ title: 'Where you are signed in' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const session = await currentSession(request);
  const db = getDb();
  const [sessions, tokens] = await Promise.all([
    listSessions(db, user.id, session?.id ?? null),
    listPersonalApiTokens(db, user.id),
  ]);
  return {
    sessions,
    tokens,
    tokenLimit: personalTokenLimit,
    scopes: personalScopesFor(user.role).map((scope) => ({
      scope,
      label: personalScopeLabel(scope, isStaff(user)),
    })),
  };
}

/** What every form on this page answers: the shared form reply, plus a token made just now. */
type SecurityReply = FormReply & {
  createdToken: { name: string; token: string } | null;
  checkedScopes: string[] | null;
};

function reply(status: number, fields: Partial<SecurityReply>) {
  return data<SecurityReply>(
    {
      form: null,
      formError: null,
      notice: null,
      fieldErrors: {},
      values: {},
      createdToken: null,
      checkedScopes: null,
      ...fields,
    },
    { status },
  );
}

const sessionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('end'), session: z.string().min(1).max(128) }),
  z.object({ intent: z.literal('end-others') }),
]);

const revokeSchema = z.object({
  tokenId: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31),
});

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await request.formData();
  const db = getDb();
  const intent = formData.get('intent');

  if (intent === 'create-token') {
    const parsed = parseForm(formData, apiTokenSchema);
    const checkedScopes = formData.getAll('scopes').filter((value) => typeof value === 'string');
    if (!parsed.success)
      return reply(400, {
        form: 'token',
        fieldErrors: parsed.fieldErrors,
        values: parsed.values,
        checkedScopes,
      });
    const created = await createPersonalApiToken(db, user, parsed.data);
    if (!created.ok)
      return reply(400, {
        form: 'token',
        formError: created.fieldErrors.form ?? null,
        fieldErrors: created.fieldErrors,
        values: formValues(formData, apiTokenSchema),
        checkedScopes,
      });
    await logModeration(db, {
      actorId: user.id,
      action: 'api_token_created',
      targetType: 'api_token',
      targetId: created.id,
      data: { name: parsed.data.name, prefix: created.prefix, scopes: parsed.data.scopes },
    });
    return reply(201, {
      form: 'token',
      createdToken: { name: parsed.data.name, token: created.token },
    });
  }

  if (intent === 'revoke-token') {
    const parsed = revokeSchema.safeParse({ tokenId: formData.get('tokenId') });
    const revoked = parsed.success
      ? await revokeApiToken(db, { id: parsed.data.tokenId, ownerId: user.id })
      : null;
    if (!revoked)
      return reply(404, {
        form: 'token',
        formError: 'You have no token in use with that id; it may be revoked already.',
      });
    await logModeration(db, {
      actorId: user.id,
      action: 'api_token_revoked',
      targetType: 'api_token',
      targetId: revoked.id,
      data: { name: revoked.name, prefix: revoked.prefix },
    });
    return reply(200, {
      form: 'token',
      notice: `Revoked “${revoked.name}”: it no longer works.`,
    });
  }

  const session = await currentSession(request);
  const parsed = sessionSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success || !session)
    return reply(400, { formError: 'Choose a session to sign out of.' });
  if (parsed.data.intent === 'end-others') {
    const ended = await endOtherSessions(db, { userId: user.id, currentToken: session.id });
    return reply(200, {
      notice:
        ended === 0
          ? 'You were signed in nowhere else.'
          : `Signed out of ${ended === 1 ? 'one other session' : `${ended} other sessions`}.`,
    });
  }
  const device = await endSession(db, {
    userId: user.id,
    key: parsed.data.session,
    currentToken: session.id,
  });
  return reply(200, {
    notice: device ? `Signed out of ${device}.` : 'That session had already ended.',
  });
}

export default function SecuritySettings() {
  const { sessions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const others = sessions.filter((session) => !session.current).length;
  const aboutSessions = actionData?.form === 'token' ? null : actionData;
  return (
    <div className="page narrow stack">
      <h1>Where you are signed in</h1>
      <SettingsNav />
      <Notice>{aboutSessions?.notice}</Notice>
      <FormError>{aboutSessions?.formError}</FormError>
      <section className="card stack settings-card" aria-labelledby="sessions-heading">
        <div>
          <h2 id="sessions-heading">Sessions</h2>
          <p className="muted">
            If you do not recognise one, sign out of it and{' '}
            <Link to="/forgot-password">choose a new password</Link>: a new password signs out every
            other session too.
          </p>
        </div>
        <ul className="session-list" aria-label="Sessions">
          {sessions.map((session) => (
            <li key={session.key} className="session-row">
              <div className="session-what">
                <strong className="break">{session.device}</strong>
                <span className="muted">
                  {session.address ? <span className="break">{session.address}</span> : null}
                  {session.address ? ' · ' : null}
                  {session.current
                    ? 'active now'
                    : session.lastSeenAt
                      ? `last seen ${timeAgo(session.lastSeenAt)}`
                      : 'signed in before devices were recorded'}
                  {session.startedAt ? ` · signed in ${formatDate(session.startedAt)}` : null}
                </span>
              </div>
              {session.current ? (
                <span className="badge badge-success">This browser</span>
              ) : (
                <Form method="post">
                  <input type="hidden" name="intent" value="end" />
                  <input type="hidden" name="session" value={session.key} />
                  <button
                    type="submit"
                    className="button button-secondary button-small"
                    aria-label={`Sign out of ${session.device}`}
                    disabled={busy}
                  >
                    Sign out
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ul>
        {others > 0 ? (
          <Form method="post">
            <input type="hidden" name="intent" value="end-others" />
            <button type="submit" className="button" disabled={busy}>
              Sign out everywhere else
            </button>
          </Form>
        ) : (
          <p className="muted">You are signed in only here.</p>
        )}
      </section>
      <ApiTokens />
    </div>
  );
}

/** The person's own API tokens: make one (shown once), see them, revoke them. */
function ApiTokens() {
  const { tokens, scopes, tokenLimit } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const reply = actionData?.form === 'token' ? actionData : null;
  const checked = reply?.checkedScopes ?? ['read'];
  return (
    <section className="card stack settings-card" aria-labelledby="tokens-heading">
      <div>
        <h2 id="tokens-heading">API tokens</h2>
        <p className="muted">
          Your own scripts and integrations call <a href="/api/v1/openapi.json">API v1</a> as you
          with a token, sent as <code>Authorization: Bearer …</code>. A token can do only what you
          can do here, and stops working as soon as you revoke it.
        </p>
      </div>
      {reply?.createdToken ? (
        <div className="alert alert-success token-reveal" role="status">
          <p>
            <strong>Copy your new token “{reply.createdToken.name}” now.</strong> It is shown only
            this once; we keep just a fingerprint of it.
          </p>
          <code className="token" data-testid="new-token">
            {reply.createdToken.token}
          </code>
        </div>
      ) : null}
      <Notice>{reply?.notice}</Notice>
      <FormError>{reply?.formError}</FormError>
      {tokens.length === 0 ? (
        <p className="muted">You have no tokens.</p>
      ) : (
        <ul className="session-list" aria-label="Your API tokens">
          {tokens.map((token) => (
            <li key={token.id} className="session-row">
              <div className="session-what">
                <strong className="break">{token.name}</strong>
                <span className="muted">
                  <code>{token.prefix}…</code> · {token.scopes.split(' ').join(', ')} · created{' '}
                  {formatDay(token.created_at)} ·{' '}
                  {token.last_used_at ? `last used ${timeAgo(token.last_used_at)}` : 'never used'}
                </span>
              </div>
              <Form method="post">
                <input type="hidden" name="intent" value="revoke-token" />
                <input type="hidden" name="tokenId" value={token.id} />
                <button
                  type="submit"
                  className="button button-danger button-small"
                  aria-label={`Revoke ${token.name}`}
                  disabled={busy}
                >
                  Revoke
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
      {tokens.length >= tokenLimit ? (
        <p className="muted">
          You have {tokenLimit} tokens, the most one person may have. Revoke one to make another.
        </p>
      ) : (
        // A new key once a token is made: the form starts empty again for the next one.
        <Form
          method="post"
          className="stack"
          noValidate
          key={reply?.createdToken?.token ?? 'new-token'}
        >
          <input type="hidden" name="intent" value="create-token" />
          <h3>New token</h3>
          <Field
            label="Name"
            name="name"
            defaultValue={reply?.values.name}
            error={reply?.fieldErrors.name}
            hint="What uses it, e.g. “Status spreadsheet”."
            maxLength={80}
          />
          <ScopeChoices scopes={scopes} checked={checked} error={reply?.fieldErrors.scopes} />
          <div>
            <button type="submit" className="button" disabled={busy}>
              Create token
            </button>
          </div>
        </Form>
      )}
    </section>
  );
}

export function headers() {
  return { 'Cache-Control': 'no-store' };
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
