import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  useSearchParams,
} from '@remix-run/react';
import { getViewer, requireUser } from '~/auth/session.server';
import { GeneralErrorBoundary } from '~/components/error-page';
import { FormError, Notice } from '~/components/forms';
import { MarkdownEditor } from '~/components/markdown-editor';
import { TicketConversation } from '~/components/ticket-conversation';
import { isStaff } from '~/models/permissions';
import { ratingOf, ratingUrl } from '~/models/satisfaction.server';
import { currentTicketId } from '~/models/ticket-merge.server';
import {
  addTicketMessage,
  getRequest,
  markSolvedByRequester,
  messageSchema,
} from '~/models/tickets.server';
import { formatDay } from '~/utils/dates';
import { ticketStatusLabels } from '~/models/support-labels';
import { appendAttachments } from '~/models/uploads/body-attachments.server';
import { getDb } from '~/utils/db.server';
import { formFailure, formReply, formValues, parseForm } from '~/utils/forms.server';
import { requireIdParam } from '~/utils/params';
import { customerDetails } from '~/models/ticket-fields/ticket-fields.server';
import { KnownIssueBanner } from '~/components/known-issue-banner';
import { problemBanner } from '~/models/problems/problem-page.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.ticket.subject} · Your requests` : 'Request not found' },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = requireIdParam(params.id);
  const user = await requireUser(request);
  const viewer = await getViewer(request);
  const found = viewer && (await getRequest(getDb(), id, viewer));
  // Their request merged into another answers with that one.
  const current = found ? await currentTicketId(getDb(), id) : null;
  if (current !== null && current !== id) throw redirect(`/requests/${current}`, 301);
  if (!found) {
    // Staff work tickets at the desk; anyone else gets the same 404 as for a missing ticket.
    if (isStaff(user)) throw redirect(`/agent/tickets/${id}`);
    throw new Response('Not found', { status: 404 });
  }
  // Solved by the team: the requester may say how it went, as from the solved mail.
  const rating = await ratingOf(getDb(), id);
  const rateUrls =
    rating && found.ticket.status === 'solved'
      ? {
          good: relative(await ratingUrl(getDb(), id, 'good')),
          bad: relative(await ratingUrl(getDb(), id, 'bad')),
        }
      : null;
  const [details, knownIssue] = await Promise.all([
    customerDetails(getDb(), id),
    problemBanner(getDb(), [{ type: 'ticket', ids: [id] }], false),
  ]);
  return { ...found, rating: rating ?? null, rateUrls, details, knownIssue };
}

const relative = (url: string) => {
  const { pathname, search } = new URL(url);
  return `${pathname}${search}`;
};

export async function action({ request, params }: ActionFunctionArgs) {
  const id = requireIdParam(params.id);
  const user = await requireUser(request);
  const db = getDb();
  const formData = await request.formData();
  const here = `/requests/${id}`;
  if (formData.get('intent') === 'solved') {
    const result = await markSolvedByRequester(db, user, id);
    if (!result.ok) throw new Response('Not found', { status: result.status });
    return redirect(here);
  }
  const viewer = await getViewer(request);
  const owned = viewer && (await getRequest(db, id, viewer));
  if (!owned) throw new Response('Not found', { status: 404 });
  const attached = await appendAttachments(db, user, formData);
  if (!attached.ok) return formFailure(attached.failure);
  const parsed = parseForm(formData, messageSchema);
  if (!parsed.success) return formFailure(parsed);
  const result = await addTicketMessage(db, user, id, { kind: 'reply', body: parsed.data.body });
  if (!result.ok)
    return formReply(result.status, { formError: result.error, values: formValues(formData) });
  return redirect(`${here}#message-${result.id}`);
}

export default function RequestPage() {
  const { ticket, messages, links, rating, rateUrls, details, knownIssue } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const busy = useNavigation().state === 'submitting';
  const finished = ticket.status === 'solved' || ticket.status === 'closed';
  return (
    <div className="page narrow">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link to="/requests">Your requests</Link>
      </nav>
      <header className="thread-header">
        <h1>{ticket.subject}</h1>
        <div className="thread-facts">
          <span className={`status status-ticket-${ticket.status}`}>
            {ticketStatusLabels[ticket.status]}
          </span>
          <span className="muted">
            Request #{ticket.id} · opened{' '}
            <time dateTime={ticket.created_at}>{formatDay(ticket.created_at)}</time>
            {details.map((detail) => ` · ${detail.label}: ${detail.value}`).join('')}
          </span>
        </div>
      </header>
      {searchParams.get('created') ? (
        <Notice>
          We have your request. You will find our reply here, and we will let you know when there is
          one.
        </Notice>
      ) : null}
      {links.length > 0 ? (
        <p className="source-note">
          About:{' '}
          {links.map((link, index) => (
            <span key={link.id}>
              {index > 0 ? ', ' : ''}
              <Link to={link.url}>{link.title}</Link>
            </span>
          ))}
        </p>
      ) : null}
      {knownIssue ? <KnownIssueBanner issue={knownIssue} /> : null}
      <TicketConversation ticket={ticket} messages={messages} />
      {rateUrls ? (
        <section className="card rating-card" aria-labelledby="rating-title">
          <h2 id="rating-title">How did we do?</h2>
          <p>
            {rating?.rating
              ? `You said “${rating.rating === 'good' ? 'Good' : 'Not good'}”. Changed your mind?`
              : 'Tell us whether your request was solved well.'}{' '}
            <Link to={rateUrls.good}>Good, thanks</Link> · <Link to={rateUrls.bad}>Not good</Link>
          </p>
        </section>
      ) : null}
      <FormError>{actionData?.formError}</FormError>
      {ticket.status === 'closed' ? (
        <p className="muted">
          This request is closed. <Link to="/requests/new">Open a new request</Link> if you still
          need help.
        </p>
      ) : (
        <section className="card" aria-labelledby="reply-title">
          <h2 id="reply-title">{finished ? 'Still a problem? Reply to reopen' : 'Reply'}</h2>
          <Form
            method="post"
            encType="multipart/form-data"
            className="stack"
            noValidate
            key={messages.length}
          >
            <MarkdownEditor
              label="Your message"
              defaultValue={actionData?.values.body}
              error={actionData?.fieldErrors.body}
              attachmentError={actionData?.fieldErrors.attachments}
              rows={6}
              required
            />
            <div className="button-row">
              <button type="submit" className="button" disabled={busy}>
                Send reply
              </button>
            </div>
          </Form>
          {finished ? null : (
            <Form method="post" className="solved-form">
              <input type="hidden" name="intent" value="solved" />
              <button type="submit" className="button button-secondary">
                My problem is solved
              </button>
            </Form>
          )}
        </section>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return (
    <GeneralErrorBoundary
      statusHandlers={{ 404: ({ params }) => <p>No request #{params.id} in your account.</p> }}
    />
  );
}
