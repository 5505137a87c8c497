import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { clearPendingCookie, finishProviderSignIn } from '~/auth/oidc.server';
import { createSessionCookie, deviceOf } from '~/auth/session.server';
import { GeneralErrorBoundary } from '~/components/error-page';
import { SignInProblem } from '~/components/sign-in-problem';
import { findProvider, logSignIn } from '~/models/sign-in-providers.server';
import { getConfig } from '~/utils/config.server';
import { getDb } from '~/utils/db.server';
import { safeRedirect } from '~/utils/safe-redirect';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title ?? 'Sign-in did not work' },
];

/** The provider sends the browser back here with a code (or an error). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const db = getDb();
  const provider = await findProvider(db, getConfig(), params.provider ?? '');
  if (!provider?.enabled) throw new Response('No such sign-in provider.', { status: 404 });
  const result = await finishProviderSignIn(db, request, provider);
  const headers = new Headers({ 'Cache-Control': 'no-store' });
  if (result.kind === 'prove-account') {
    // The pending cookie stays: the sign-in page links the provider once the password is right.
    return redirect(`/login?${new URLSearchParams({ link: provider.slug })}`, { headers });
  }
  headers.append('Set-Cookie', clearPendingCookie);
  if (result.kind === 'refused') {
    return data(
      { title: result.title, message: result.message },
      { status: result.status, headers },
    );
  }
  headers.append(
    'Set-Cookie',
    await createSessionCookie(
      result.userId,
      deviceOf(request, context.clientAddress),
      provider.slug,
    ),
  );
  await logSignIn(db, result.userId, { provider: provider.slug });
  return redirect(safeRedirect(result.redirectTo), { headers });
}

export default function ProviderSignInProblem() {
  return <SignInProblem {...useLoaderData<typeof loader>()} />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
