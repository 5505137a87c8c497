import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { z } from 'zod';
import { requireUser } from '~/auth/session.server';
import { GeneralErrorBoundary } from '~/components/error-page';
import { SettingsNav } from '~/components/settings-nav';
import { Field, FormError, Notice } from '~/components/forms';
import {
  emailChangeSchema,
  pendingEmailChange,
  requestEmailChange,
  sendVerificationMail,
} from '~/models/email-addresses.server';
import { GroupMemberships } from '~/components/group-memberships';
import { groupsOfUser } from '~/models/groups.server';
import { accountAddress } from '~/models/users.server';
import { getDb } from '~/utils/db.server';
import { formatDate } from '~/utils/dates';
import { formFailure, formReply, formValues, parseForm } from '~/utils/forms.server';

export const meta: MetaFunction = () => [{ title: 'Your account' }];

const doneNotices: Record<string, string> = {
  password: 'Your new password is saved. Every other session was signed out.',
  claimed: 'Your account is yours: its name, reputation and posts came with it.',
};

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const done = new URL(request.url).searchParams.get('done') ?? '';
  const db = getDb();
  const [account, pending, groups] = await Promise.all([
    accountAddress(db, user.id),
    pendingEmailChange(db, user.id),
    groupsOfUser(db, user.id),
  ]);
  return {
    email: account.email,
    verifiedAt: account.email_verified_at,
    pendingEmail: pending?.email ?? null,
    groups,
    done: doneNotices[done] ?? null,
  };
}

const intentSchema = z.object({ intent: z.enum(['resend-verification', 'change-email']) });

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await request.formData();
  const intent = intentSchema.safeParse({ intent: formData.get('intent') });
  if (!intent.success) {
    return formFailure({ fieldErrors: {}, formError: 'Choose what to do.', values: {} });
  }
  if (intent.data.intent === 'resend-verification') {
    const sent = await sendVerificationMail(getDb(), {
      userId: user.id,
      clientAddress: context.clientAddress,
    });
    if (!sent.ok) {
      return formFailure({ fieldErrors: {}, formError: sent.message, values: {} }, 429);
    }
    return formReply(200, {
      form: 'resend-verification',
      notice: sent.alreadyVerified
        ? 'Your address is already confirmed.'
        : `We sent a new link to ${user.email}. It works for 48 hours.`,
    });
  }
  const parsed = parseForm(formData, emailChangeSchema);
  if (!parsed.success) return formFailure(parsed);
  const result = await requestEmailChange(getDb(), {
    userId: user.id,
    email: parsed.data.email,
    currentPassword: parsed.data.currentPassword,
    clientAddress: context.clientAddress,
  });
  if (!result.ok) {
    return formFailure(
      {
        fieldErrors: result.fieldErrors,
        formError: result.formError,
        values: formValues(formData, emailChangeSchema),
      },
      result.status,
    );
  }
  return formReply(200, {
    form: 'change-email',
    notice: `We sent a link to ${result.email}. Your account keeps its current address until you open it.`,
  });
}

export default function AccountSettings() {
  const { email, verifiedAt, pendingEmail, groups, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const notice = actionData?.notice ?? done;
  return (
    <div className="page narrow stack">
      <h1>Your account</h1>
      <SettingsNav />
      <Notice>{notice}</Notice>
      <FormError>{actionData?.formError}</FormError>
      <section className="card" aria-labelledby="address-heading">
        <h2 id="address-heading">Email address</h2>
        <p>
          <strong className="break">{email}</strong>{' '}
          {verifiedAt ? (
            <span className="badge badge-success">confirmed {formatDate(verifiedAt)}</span>
          ) : (
            <span className="badge">not confirmed</span>
          )}
        </p>
        {verifiedAt ? null : (
          <Form method="post" className="stack">
            <p className="muted">
              Until you confirm it, we send no mail about replies and requests. The link is in the
              mail we sent when you signed up.
            </p>
            <input type="hidden" name="intent" value="resend-verification" />
            <div>
              <button type="submit" className="button button-secondary" disabled={busy}>
                Send the link again
              </button>
            </div>
          </Form>
        )}
        {pendingEmail ? (
          <p className="muted">
            Waiting for you to confirm <strong className="break">{pendingEmail}</strong> with the
            link we sent there.
          </p>
        ) : null}
      </section>
      <section className="card" aria-labelledby="change-heading">
        <h2 id="change-heading">Change your email address</h2>
        <p className="muted">
          We send a link to the new address; your account uses it once you open the link, and we
          tell the old address.
        </p>
        <Form method="post" className="stack" noValidate key={actionData?.notice ?? 'change'}>
          <input type="hidden" name="intent" value="change-email" />
          <Field
            label="New email address"
            name="email"
            type="email"
            autoComplete="email"
            defaultValue={actionData?.values.email}
            error={actionData?.fieldErrors.email}
            required
          />
          <Field
            label="Current password"
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            error={actionData?.fieldErrors.currentPassword}
            required
          />
          <div>
            <button type="submit" className="button" disabled={busy}>
              Send a confirmation link
            </button>
          </div>
        </Form>
      </section>
      <section className="card" aria-labelledby="groups-heading">
        <h2 id="groups-heading">Your groups</h2>
        <p className="muted">
          Groups open private categories and articles to you.{' '}
          <Link to="/groups">See all groups</Link>
        </p>
        <GroupMemberships
          groups={groups}
          empty="You are not in any group."
          linkTo={(id) => `/groups/${id}`}
        />
      </section>
    </div>
  );
}

export function headers() {
  return { 'Cache-Control': 'no-store' };
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
