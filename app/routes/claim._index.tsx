import type { ActionFunctionArgs, MetaFunction } from '@remix-run/node';
import { PasswordHelpForm } from '~/components/account-links';
import { requestPasswordLink } from '~/auth/password-links.server';

export const meta: MetaFunction = () => [{ title: 'Claim your account' }];

/** The same request as "Forgot password": an account without a password gets a claim link. */
export async function action({ request, context }: ActionFunctionArgs) {
  return requestPasswordLink(request, context.clientAddress);
}

export default function ClaimRequestPage() {
  return (
    <PasswordHelpForm
      title="Claim your account"
      intro="Your posts came here from another community, or support made an account for you? Enter the address it was made with and we will mail you a link to choose a password. The account keeps its name, reputation and posts."
      submitLabel="Send me a link"
    />
  );
}

export function headers() {
  return { 'Cache-Control': 'no-store' };
}
