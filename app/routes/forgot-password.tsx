import type { ActionFunctionArgs, MetaFunction } from '@remix-run/node';
import { useActionData } from '@remix-run/react';
import { PasswordHelpForm } from '~/components/account-links';
import { passwordHelpSchema, requestPasswordHelp } from '~/models/account-recovery.server';
import { getDb } from '~/utils/db.server';
import { formFailure, formReply, formValues, parseForm } from '~/utils/forms.server';

export const meta: MetaFunction = () => [{ title: 'Forgot your password?' }];

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const parsed = parseForm(formData, passwordHelpSchema);
  if (!parsed.success) return formFailure(parsed);
  const result = await requestPasswordHelp(getDb(), {
    email: parsed.data.email,
    clientAddress: context.clientAddress,
  });
  if (!result.ok) {
    return formFailure(
      {
        fieldErrors: {},
        formError: result.message,
        values: formValues(formData, passwordHelpSchema),
      },
      429,
    );
  }
  // The same answer whether or not the address has an account.
  return formReply(200, { notice: 'sent', values: { email: parsed.data.email } });
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
