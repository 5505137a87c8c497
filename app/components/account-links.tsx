import { Form, Link, useActionData, useNavigation } from '@remix-run/react';
import type { FormReply } from '~/utils/forms.server';
import { Field, FormError } from './forms';

export type LinkProblemState = 'used' | 'expired' | 'unknown' | 'stale' | 'taken';

type LinkKind = 'reset' | 'claim' | 'address';

const nextStep: Record<LinkKind, { to: string; label: string }> = {
  reset: { to: '/forgot-password', label: 'Send me a new link' },
  claim: { to: '/claim', label: 'Send me a new link' },
  address: { to: '/settings/account', label: 'Go to your account settings' },
};

function problemText(state: LinkProblemState, kind: LinkKind): { title: string; body: string } {
  switch (state) {
    case 'used':
      return {
        title: 'This link was already used',
        body:
          kind === 'address'
            ? 'Each link works once. If your address is not confirmed yet, ask for a new link from your account settings.'
            : 'Each link works once. If you did not finish, ask for a new link: it comes by mail in a minute.',
      };
    case 'expired':
      return {
        title: 'This link has expired',
        body:
          kind === 'reset'
            ? 'Links to reset a password work for 1 hour. Ask for a new one: it comes by mail in a minute.'
            : 'Links work for a limited time. Ask for a new one: it comes by mail in a minute.',
      };
    case 'stale':
      return {
        title: 'This link is for an address your account no longer uses',
        body: 'Your account moved to another address after this link was sent. Confirm the current address from your account settings.',
      };
    case 'taken':
      return {
        title: 'Another account uses this address now',
        body: 'Someone signed up with this address after you asked to use it, so your account keeps its current address.',
      };
    case 'unknown':
      return {
        title: 'We do not recognise this link',
        body: 'It may have been copied incompletely, or a newer link replaced it. Use the latest mail, or ask for a new link.',
      };
  }
}

/** The page for a link that cannot be used: what happened, and the way forward. */
export function LinkProblem({ state, kind }: { state: LinkProblemState; kind: LinkKind }) {
  const { title, body } = problemText(state, kind);
  const step = nextStep[kind];
  return (
    <div className="auth-page">
      <section className="card auth-card" aria-labelledby="link-problem-title">
        <h1 id="link-problem-title">{title}</h1>
        <p>{body}</p>
        <p>
          <Link className="button button-block" to={step.to}>
            {step.label}
          </Link>
        </p>
        <p className="auth-switch">
          <Link to="/login">Sign in</Link> · <Link to="/">Help center home</Link>
        </p>
      </section>
    </div>
  );
}

type PasswordHelpProps = { title: string; intro: string; submitLabel: string };

/**
 * "Forgot password" and "Claim your account": one address in, the same answer for every address.
 * Both pages post to the same action (requestPasswordLink), so the form reads its reply itself.
 */
export function PasswordHelpForm(props: PasswordHelpProps) {
  const busy = useNavigation().state === 'submitting';
  const reply = useActionData<FormReply>();
  const sentTo = reply?.notice ? (reply.values.email ?? '') : null;
  return (
    <div className="auth-page">
      <div className="card auth-card">
        <h1>{props.title}</h1>
        {sentTo ? (
          <div role="status" className="stack">
            <p>
              If an account uses <strong className="break">{sentTo}</strong>, a link is on its way
              there. It works once; a link to reset a password works for 1 hour.
            </p>
            <p className="muted">
              Nothing after a few minutes? Check the spam folder, and that the address is the one
              you signed up with.
            </p>
          </div>
        ) : (
          <>
            <p className="muted">{props.intro}</p>
            <FormError>{reply?.formError}</FormError>
            <Form method="post" className="stack" noValidate>
              <Field
                label="Email"
                name="email"
                type="email"
                autoComplete="email"
                defaultValue={reply?.values.email}
                error={reply?.fieldErrors.email}
                required
              />
              <button type="submit" className="button button-block" disabled={busy}>
                {busy ? 'Sending…' : props.submitLabel}
              </button>
            </Form>
          </>
        )}
        <p className="auth-switch">
          Remembered it? <Link to="/login">Sign in</Link>
        </p>
      </div>
    </div>
  );
}

/** The new-password form of a reset or claim link. */
export function NewPasswordForm({
  submitLabel,
  error,
  formError,
}: {
  submitLabel: string;
  error?: string;
  formError?: string;
}) {
  const busy = useNavigation().state === 'submitting';
  return (
    <>
      <FormError>{formError}</FormError>
      <Form method="post" className="stack" noValidate>
        <Field
          label="New password"
          name="password"
          type="password"
          autoComplete="new-password"
          error={error}
          hint="At least 10 characters. A few unrelated words make a strong password."
          required
        />
        <button type="submit" className="button button-block" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
      </Form>
    </>
  );
}
