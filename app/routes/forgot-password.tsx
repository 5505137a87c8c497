import type { ActionFunctionArgs, MetaFunction } from '@remix-run/node';
import { useActionData } from '@remix-run/react';
import { PasswordHelpForm } from '~/components/account-links';
import { requestPasswordLink } from '~/auth/password-links.server';

export const meta: MetaFunction = () => [{ title: 'Forgot your password?' }];

export async function action({ request, context }: ActionFunctionArgs) {
  return requestPasswordLink(request, context.clientAddress);
}

export default function ForgotPasswordPage() {
  const actionData = useActionData<typeof action>();
  return (
    <PasswordHelpForm
      title="Forgot your password?"
      intro="Enter the address of your account and we will mail you a link to choose a new password. An imported account that never had a password gets a link to claim it."
      submitLabel="Send me a link"
      sentTo={actionData?.notice ? (actionData.values.email ?? '') : null}
      formError={actionData?.formError ?? undefined}
      emailError={actionData?.fieldErrors.email}
      email={actionData?.values.email}
    />
  );
}

export function headers() {
  return { 'Cache-Control': 'no-store' };
}
