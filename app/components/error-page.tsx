import type { Params } from '@remix-run/react';
import type { ReactNode } from 'react';
import {
  Link,
  isRouteErrorResponse,
  useParams,
  useRouteError,
  type ErrorResponse,
} from '@remix-run/react';

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

/** The error page: a plain title for the status, then `detail` (what went wrong) or a general line. */
export function ErrorPage({ status, detail }: { status: number; detail?: ReactNode }) {
  const message = messages[status] ?? messages[status >= 500 ? 500 : 400]!;
  return (
    <section className="error-page" aria-labelledby="error-title">
      <p className="error-code">Error {status}</p>
      <h1 id="error-title">{message.title}</h1>
      {detail ?? <p>{message.body}</p>}
      <p className="error-actions">
        <Link className="button" to="/">
          Go to the help center home
        </Link>
      </p>
    </section>
  );
}

export type StatusHandler = (info: { error: ErrorResponse; params: Params }) => ReactNode;

/**
 * Every route's ErrorBoundary: a thrown Response shows the error page for its status, with the
 * words of `statusHandlers[status]` when the route has them, e.g.
 * `{ 404: ({ params }) => <p>No question #{params.id}.</p> }`. A 403 thrown with a sentence
 * shows that sentence; anything else is a 500.
 */
export function GeneralErrorBoundary({
  statusHandlers = {},
}: {
  statusHandlers?: Partial<Record<number, StatusHandler>>;
}) {
  const error = useRouteError();
  const params = useParams();
  if (!isRouteErrorResponse(error)) {
    console.error(error);
    return <ErrorPage status={500} />;
  }
  const handler = statusHandlers[error.status] ?? defaultDetail;
  return <ErrorPage status={error.status} detail={handler({ error, params })} />;
}

function defaultDetail({ error }: { error: ErrorResponse }): ReactNode {
  // NOTE: only 403 sentences are written for people ("Only the author … can edit this answer");
  // other statuses carry terse text such as "Not found".
  if (error.status === 403 && typeof error.data === 'string' && error.data) {
    return <p>{error.data}</p>;
  }
  return undefined;
}
