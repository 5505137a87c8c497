import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { linkProblem, setPasswordFromLink } from '~/auth/password-links.server';
import { LinkProblem, NewPasswordForm } from '~/components/account-links';
import { GeneralErrorBoundary } from '~/components/error-page';
import { lookUpPasswordLink } from '~/models/account-recovery.server';
import { getDb } from '~/utils/db.server';

export const meta: MetaFunction = () => [{ title: 'Claim your account' }];

export async function loader({ params }: LoaderFunctionArgs) {
  const link = await lookUpPasswordLink(getDb(), 'account_claim', params.token ?? '');
  if (link.state !== 'valid') return linkProblem(link.state);
  const { username, displayName, reputation } = link.account;
  return { problem: null, account: { username, displayName, reputation } };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  return setPasswordFromLink(
    'account_claim',
    request,
    context.clientAddress,
    params.token ?? '',
    '/settings/account?done=claimed',
  );
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
