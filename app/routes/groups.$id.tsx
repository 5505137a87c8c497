import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { z } from 'zod';
import { requireUser, type SessionUser } from '~/auth/session.server';
import { GeneralErrorBoundary } from '~/components/error-page';
import { FormError, Notice, TextAreaField } from '~/components/forms';
import { joinMessageMaxLength, membershipLabels } from '~/models/group-words';
import { findGroup, groupsOfUser } from '~/models/groups.server';
import {
  decideJoinRequest,
  joinRequestSchema,
  mayManageGroup,
  pendingJoinRequests,
  pendingRequestOf,
  requestToJoin,
} from '~/models/group-join-requests.server';
import { formatDate } from '~/utils/dates';
import { getDb } from '~/utils/db.server';
import { formError, formReply, parseForm } from '~/utils/forms.server';
import { requireIdParam } from '~/utils/params';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.group.name} · Groups` : 'Group' },
];

/**
 * The group as this person may see it: a closed group is private to its members and staff (404
 * for everyone else); a group that takes requests is open to every signed-in person.
 */
async function groupFor(user: SessionUser, id: number) {
  const db = getDb();
  const group = await findGroup(db, id);
  if (!group) throw new Response('Not found', { status: 404 });
  const mine = (await groupsOfUser(db, user.id)).find((candidate) => candidate.id === id);
  const staff = user.role !== 'member';
  if (group.join_policy === 'closed' && !mine && !staff)
    throw new Response('Not found', { status: 404 });
  return { group, ways: mine?.ways ?? [] };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = requireIdParam(params.id);
  const db = getDb();
  const { group, ways } = await groupFor(user, id);
  const manages = await mayManageGroup(db, user, id);
  const [requests, ownRequest] = await Promise.all([
    manages ? pendingJoinRequests(db, id) : [],
    pendingRequestOf(db, user.id, id),
  ]);
  return { group, ways, manages, requests, ownRequest };
}

const decisionSchema = z.object({
  requestId: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = requireIdParam(params.id);
  const db = getDb();
  await groupFor(user, id);
  const formData = await request.formData();
  const intent = formData.get('intent');
  if (intent === 'ask') {
    const parsed = parseForm(formData, joinRequestSchema);
    if (!parsed.success)
      return formReply(400, {
        form: 'ask',
        fieldErrors: parsed.fieldErrors,
        values: parsed.values,
      });
    const asked = await requestToJoin(db, user, id, parsed.data.message);
    if (!asked.ok) {
      if (asked.status === 404) throw new Response('Not found', { status: 404 });
      return formError(asked.status, asked.error, 'ask');
    }
    return redirect(`/groups/${id}?done=asked`);
  }
  if (intent === 'approve' || intent === 'decline') {
    const parsed = parseForm(formData, decisionSchema);
    if (!parsed.success) return formError(400, 'Choose a request from the list.');
    const decided = await decideJoinRequest(
      db,
      user,
      id,
      parsed.data.requestId,
      intent === 'approve' ? 'approved' : 'declined',
    );
    if (!decided.ok) {
      if (decided.status === 403)
        throw new Response('Only the group’s managers may answer requests.', { status: 403 });
      return formError(decided.status, decided.error);
    }
    return redirect(`/groups/${id}?done=${intent === 'approve' ? 'approved' : 'declined'}`);
  }
  return formError(400, 'Choose what to do.');
}

const notices: Record<string, string> = {
  asked: 'Your request is on its way. A manager of the group will answer it.',
  approved: 'Approved: they are in the group now.',
  declined: 'Declined.',
};

export default function GroupPage() {
  const { group, ways, manages, requests, ownRequest } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const asked = actionData?.form === 'ask' ? actionData : undefined;
  return (
    <div className="page narrow stack">
      <p className="breadcrumbs">
        <Link to="/groups">Groups</Link> / {group.name}
      </p>
      <h1>{group.name}</h1>
      {group.description ? <p>{group.description}</p> : null}
      <Notice>{notices[searchParams.get('done') ?? '']}</Notice>
      <FormError>{actionData?.formError}</FormError>
      {ways.length > 0 ? (
        <p>
          <span className="badge badge-success">You belong</span>{' '}
          <span className="muted">{ways.map((way) => membershipLabels[way]).join(', ')}</span>
        </p>
      ) : ownRequest ? (
        <p className="muted">
          You asked to join on {formatDate(ownRequest.created_at)}. A manager will answer.
        </p>
      ) : manages ? null : group.join_policy === 'request' ? (
        <section className="card" aria-labelledby="ask-title">
          <h2 id="ask-title">Ask to join</h2>
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="ask" />
            <TextAreaField
              label="Message to the managers (optional)"
              name="message"
              rows={3}
              defaultValue={asked?.values.message}
              error={asked?.fieldErrors.message}
              hint="Why you would like to join, in a sentence or two."
              maxLength={joinMessageMaxLength}
            />
            <div>
              <button type="submit" className="button">
                Ask to join
              </button>
            </div>
          </Form>
        </section>
      ) : (
        <p className="muted">People join this group when an admin or a manager adds them.</p>
      )}
      {manages ? (
        <section className="card" aria-labelledby="requests-title">
          <h2 id="requests-title">Requests to join</h2>
          {requests.length === 0 ? (
            <p className="empty-state">No requests are waiting.</p>
          ) : (
            <ul className="item-list">
              {requests.map((joinRequest) => (
                <li key={joinRequest.id} className="stack-small">
                  <div>
                    <strong>{joinRequest.display_name}</strong>{' '}
                    <span className="muted">
                      @{joinRequest.username} · {formatDate(joinRequest.created_at)}
                    </span>
                  </div>
                  {joinRequest.message ? (
                    <blockquote className="context-quote break">{joinRequest.message}</blockquote>
                  ) : null}
                  <Form method="post" className="row-actions">
                    <input type="hidden" name="requestId" value={joinRequest.id} />
                    <button type="submit" name="intent" value="approve" className="button">
                      Approve
                    </button>
                    <button
                      type="submit"
                      name="intent"
                      value="decline"
                      className="button button-secondary"
                    >
                      Decline
                    </button>
                  </Form>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return (
    <GeneralErrorBoundary statusHandlers={{ 404: ({ params }) => <p>No group #{params.id}.</p> }} />
  );
}
