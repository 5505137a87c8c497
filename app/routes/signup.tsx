import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react';
import { createSessionCookie, deviceOf, getUser } from '~/auth/session.server';
import { Field } from '~/components/forms';
import { sendVerificationMail } from '~/models/email-addresses.server';
import { createUser, signUpSchema } from '~/models/users.server';
import { getDb } from '~/utils/db.server';
import { safeRedirect } from '~/utils/safe-redirect';
import { formFailure, formValues, parseForm } from '~/utils/forms.server';

export const meta: MetaFunction = () => [{ title: 'Create an account' }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect('/');
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const parsed = parseForm(formData, signUpSchema);
  if (!parsed.success) return formFailure(parsed);
  const created = await createUser(getDb(), parsed.data);
  if (!created.ok)
    return formFailure({ fieldErrors: created.fieldErrors, values: formValues(formData) });
  // Within the account-mail limits; if they refuse, the banner offers to send it later.
  await sendVerificationMail(getDb(), {
    userId: created.user.id,
    clientAddress: context.clientAddress,
  });
  const cookie = await createSessionCookie(
    created.user.id,
    deviceOf(request, context.clientAddress),
  );
  return redirect(safeRedirect(parsed.data.redirectTo), { headers: { 'Set-Cookie': cookie } });
}

export default function SignUpPage() {
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const busy = useNavigation().state === 'submitting';
  const redirectTo = actionData?.values.redirectTo ?? searchParams.get('redirectTo') ?? '';
  const errors = actionData?.fieldErrors;
  return (
    <div className="auth-page">
      <div className="card auth-card">
        <h1>Create your account</h1>
        <p className="muted">
          Ask the community, follow your support requests and vote on answers.
        </p>
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="redirectTo" value={redirectTo} />
          <Field
            label="Email"
            name="email"
            type="email"
            autoComplete="email"
            defaultValue={actionData?.values.email}
            error={errors?.email}
            hint="We use it to sign you in and to connect you with your company's account."
            required
          />
          <Field
            label="Username"
            name="username"
            autoComplete="username"
            defaultValue={actionData?.values.username}
            error={errors?.username}
            hint="3 to 30 letters, digits, dots, dashes or underscores. Shown next to your posts."
            required
          />
          <Field
            label="Password"
            name="password"
            type="password"
            autoComplete="new-password"
            error={errors?.password}
            hint="At least 10 characters. A few unrelated words make a strong password."
            required
          />
          <button type="submit" className="button button-block" disabled={busy}>
            {busy ? 'Creating your account…' : 'Create account'}
          </button>
        </Form>
        <p className="auth-switch">
          Already have an account?{' '}
          <Link to={redirectTo ? `/login?${new URLSearchParams({ redirectTo })}` : '/login'}>
            Sign in
          </Link>
        </p>
      </div>
    </div>
  );
}

export function headers() {
  return { 'Cache-Control': 'no-store' };
}
