import { Form, useFetcher } from '@remix-run/react';

/** A moderator's warning, shown on every page until its reader says they understood. */
export function WarningBanner({ warnings }: { warnings: { id: number; reason: string | null }[] }) {
  return (
    <div className="warning-banner" role="alert">
      <div className="warning-inner">
        <strong>A moderator sent you {warnings.length === 1 ? 'a warning' : 'warnings'}:</strong>
        <ul>
          {warnings.map((warning) => (
            <li key={warning.id}>{warning.reason ?? 'Please follow the community guidelines.'}</li>
          ))}
        </ul>
        <Form method="post" action="/warnings">
          <button type="submit" className="button button-small button-secondary">
            I understand
          </button>
        </Form>
      </div>
    </div>
  );
}

/**
 * Until the account's address is confirmed, no notification mail goes to it: say so on every
 * page, with a button that sends the link again (a plain form post without JavaScript).
 */
export function VerifyEmailBanner({ email }: { email: string }) {
  const fetcher = useFetcher<{ notice?: string; formError?: string }>();
  const answer = fetcher.data?.notice ?? fetcher.data?.formError;
  return (
    <div
      className="warning-banner verify-banner"
      role="region"
      aria-label="Confirm your email address"
    >
      <div className="warning-inner">
        <p className="verify-text">
          Confirm your email address <strong className="break">{email}</strong> to get replies by
          mail: the link is in the mail we sent you.
        </p>
        {answer ? (
          <p role="status">{answer}</p>
        ) : (
          <fetcher.Form method="post" action="/settings/account">
            <input type="hidden" name="intent" value="resend-verification" />
            <button
              type="submit"
              className="button button-small button-secondary"
              disabled={fetcher.state !== 'idle'}
            >
              Send the link again
            </button>
          </fetcher.Form>
        )}
      </div>
    </div>
  );
}
