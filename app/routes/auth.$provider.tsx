import type { ActionFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { useActionData } from '@remix-run/react';
import { startProviderSignIn } from '~/auth/oidc.server';
import { GeneralErrorBoundary } from '~/components/error-page';
import { SignInProblem } from '~/components/sign-in-problem';
import { findProvider } from '~/models/sign-in-providers.server';
import { getConfig } from '~/utils/config.server';
import { getDb } from '~/utils/db.server';
import { safeRedirect } from '~/utils/safe-redirect';

export const meta: MetaFunction = () => [{ title: 'Sign-in did not work' }];

/** The sign-in page's provider buttons post here; the browser goes on to the provider. */
export async function action({ request, params }: ActionFunctionArgs) {
  const db = getDb();
  const provider = await findProvider(db, getConfig(), params.provider ?? '');
  if (!provider?.enabled) throw new Response('No such sign-in provider.', { status: 404 });
  const formData = await request.formData();
  const started = await startProviderSignIn(
    db,
    request,
    provider,
    safeRedirect(formData.get('redirectTo')),
  );
  if (!started.ok) return data(started.problem, { status: 502 });
  return redirect(started.url, {
    headers: { 'Set-Cookie': started.cookie, 'Cache-Control': 'no-store' },
  });
}

export function loader() {
  return redirect('/login');
}

export default function ProviderUnavailable() {
  const problem = useActionData<typeof action>();
  return problem ? <SignInProblem {...problem} /> : null;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
