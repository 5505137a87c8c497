import { Link } from '@remix-run/react';

const messages: Record<number, { title: string; body: string }> = {
  400: {
    title: 'That request did not make sense',
    body: 'Something in the link or form was not what we expected. Go back and try again.',
  },
  403: {
    title: 'You do not have access to this page',
    body: 'Your account is signed in, but this page is for people with a different role. If you think you should have access, ask an administrator.',
  },
  404: {
    title: 'We could not find that page',
    body: 'The link may be old, or the page may have been moved or removed.',
  },
  405: {
    title: 'That action is not available here',
    body: 'This page does not accept that kind of request.',
  },
  429: {
    title: 'Slow down a little',
    body: 'You have made too many requests in a short time. Wait a minute and try again.',
  },
  500: {
    title: 'Something went wrong on our side',
    body: 'We could not finish showing this page. Try again in a moment; if it keeps happening, let the site owners know.',
  },
};

export function ErrorPage({ status, detail }: { status: number; detail?: string }) {
  const message = messages[status] ?? messages[status >= 500 ? 500 : 400]!;
  return (
    <section className="error-page" aria-labelledby="error-title">
      <p className="error-code">Error {status}</p>
      <h1 id="error-title">{message.title}</h1>
      <p>{status === 403 && detail ? detail : message.body}</p>
      <p className="error-actions">
        <Link className="button" to="/">
          Go to the help center home
        </Link>
      </p>
    </section>
  );
}
