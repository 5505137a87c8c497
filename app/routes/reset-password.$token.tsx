import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { linkProblem, setPasswordFromLink } from '~/auth/password-links.server';
import { LinkProblem, NewPasswordForm } from '~/components/account-links';
import { GeneralErrorBoundary } from '~/components/error-page';
import { lookUpPasswordLink } from '~/models/account-recovery.server';
import { getDb } from '~/utils/db.server';

export const meta: MetaFunction = () => [{ title: 'Choose a new password' }];

export async function loader({ params }: LoaderFunctionArgs) {
  const link = await lookUpPasswordLink(getDb(), 'password_reset', params.token ?? '');
  if (link.state !== 'valid') return linkProblem(link.state);
  return { problem: null, username: link.account.username };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  return setPasswordFromLink(
    'password_reset',
    request,
    context.clientAddress,
    params.token ?? '',
    '/settings/account?done=password',
  );
}

export default function ResetPasswordPage() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const problem =
    (actionData && 'problem' in actionData ? actionData.problem : null) ?? loaded.problem;
  if (problem) return <LinkProblem state={problem} kind="reset" />;
  const failed = actionData && 'fieldErrors' in actionData ? actionData : null;
  return (
    <div className="auth-page">
      <div className="card auth-card">
        <h1>Choose a new password</h1>
        <p className="muted">
          For the account <strong>{'username' in loaded ? loaded.username : ''}</strong>. Saving it
          signs you out on every other device.
        </p>
        <NewPasswordForm submitLabel="Save and sign in" error={failed?.fieldErrors.password} />
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
