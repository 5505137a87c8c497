import type { ActionFunctionArgs, MetaFunction } from '@remix-run/node';
import { PasswordHelpForm } from '~/components/account-links';
import { requestPasswordLink } from '~/auth/password-links.server';

export const meta: MetaFunction = () => [{ title: 'Forgot your password?' }];

export async function action({ request, context }: ActionFunctionArgs) {
  return requestPasswordLink(request, context.clientAddress);
}

export default function ForgotPasswordPage() {
  return (
    <PasswordHelpForm
      title="Forgot your password?"
      intro="Enter the address of your account and we will mail you a link to choose a new password. An imported account that never had a password gets a link to claim it."
      submitLabel="Send me a link"
    />
  );
}

export function headers() {
  return { 'Cache-Control': 'no-store' };
}
