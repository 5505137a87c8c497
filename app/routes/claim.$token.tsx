import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { createSessionCookie } from '~/auth/session.server';
import { LinkProblem, NewPasswordForm } from '~/components/account-links';
import { GeneralErrorBoundary } from '~/components/error-page';
import {
  lookUpPasswordLink,
  newPasswordSchema,
  setPasswordWithLink,
} from '~/models/account-recovery.server';
import { getDb } from '~/utils/db.server';
import { formFailure, parseForm } from '~/utils/forms.server';

export const meta: MetaFunction = () => [{ title: 'Claim your account' }];

function linkProblem(state: 'used' | 'expired' | 'unknown') {
  return data({ problem: state } as const, { status: state === 'unknown' ? 400 : 410 });
}

export async function loader({ params }: LoaderFunctionArgs) {
  const link = await lookUpPasswordLink(getDb(), 'account_claim', params.token ?? '');
  if (link.state !== 'valid') return linkProblem(link.state);
  const { username, displayName, reputation } = link.account;
  return { problem: null, account: { username, displayName, reputation } };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const parsed = parseForm(await request.formData(), newPasswordSchema);
  if (!parsed.success) return formFailure(parsed);
  const result = await setPasswordWithLink(getDb(), 'account_claim', {
    token: params.token ?? '',
    password: parsed.data.password,
  });
  if (!result.ok && result.state === 'valid') {
    return formFailure({ fieldErrors: result.fieldErrors, values: {} });
  }
  if (!result.ok) return linkProblem(result.state);
  const cookie = await createSessionCookie(result.userId);
  return redirect('/settings/account?done=claimed', { headers: { 'Set-Cookie': cookie } });
}

export default function ClaimAccountPage() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const problem =
    (actionData && 'problem' in actionData ? actionData.problem : null) ?? loaded.problem;
  if (problem || !('account' in loaded))
    return <LinkProblem state={problem ?? 'unknown'} kind="claim" />;
  const failed = actionData && 'fieldErrors' in actionData ? actionData : null;
  const { account } = loaded;
  return (
    <div className="auth-page">
      <div className="card auth-card">
        <h1>Claim your account</h1>
        <p>
          <strong>{account.displayName}</strong> <span className="muted">@{account.username}</span>
          {' · '}
          {account.reputation.toLocaleString('en')} reputation
        </p>
        <p className="muted">
          Choose a password to sign in. The account keeps its name, its reputation and everything
          written under it.
        </p>
        <NewPasswordForm submitLabel="Claim and sign in" error={failed?.fieldErrors.password} />
      </div>
    </div>
  );
}

export function headers() {
  return { 'Cache-Control': 'no-store' };
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
