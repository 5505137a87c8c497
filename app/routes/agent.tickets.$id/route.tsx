import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { getViewer, requireRole } from '~/auth/session.server';
import { GeneralErrorBoundary } from '~/components/error-page';
import { FormError } from '~/components/forms';
import { MarkdownEditor } from '~/components/markdown-editor';
import { TicketConversation } from '~/components/ticket-conversation';
import { agentStatusLabels, resolutionKindLabels } from '~/models/support-labels';
import { macrosFor, prepareMacro } from '~/models/macros/macros.server';
import { agentTicketPage } from '~/models/ticket-desk.server';
import { currentTicketId } from '~/models/ticket-merge.server';
import { reachOf } from '~/models/ticket-links.server';
import { viewerOfUser } from '~/models/visibility.server';
import { formatDay } from '~/utils/dates';
import { getDb } from '~/utils/db.server';
import { requireIdParam } from '~/utils/params';
import {
  assignAction,
  linkAction,
  fieldsAction,
  problemAction,
  macroAction,
  mergeAction,
  messageAction,
  priorityAction,
  refuse,
  solveAction,
  statusAction,
  takeAction,
  unlinkAction,
} from './actions.server';
import { FieldsCard } from './fields-card';
import { ProblemCard } from './problem-card';
import { MacroForm, MacroPicker } from './macro-panel';
import { CustomerCard, LinksCard, PropertiesCard, SimilarCard } from './side-cards';
import { SolvePanel } from './solve-panel';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `#${data.ticket.id} ${data.ticket.subject} · Tickets` : 'Ticket not found' },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = requireIdParam(params.id);
  const user = await requireRole(request, 'agent', 'moderator');
  const db = getDb();
  // A ticket merged into another answers with that one.
  const current = await currentTicketId(db, id);
  if (current !== null && current !== id) throw redirect(`/agent/tickets/${current}`, 301);
  const page = await agentTicketPage(db, id);
  if (!page) throw new Response('Not found', { status: 404 });
  // What the customer can open of what is linked or suggested: the rest goes out as text.
  const reach = await reachOf(
    db,
    await getViewer(request),
    await viewerOfUser(db, page.ticket.requester_id),
    [
      ...page.links.map((link) => `${link.target_type}-${link.target_id}`),
      ...page.similarContent.map((hit) => hit.key),
    ],
  );
  const macroId = Number(new URL(request.url).searchParams.get('macro'));
  const [macros, prepared] = await Promise.all([
    macrosFor(db, user.id),
    Number.isSafeInteger(macroId) && macroId > 0 ? prepareMacro(db, user, macroId, id) : null,
  ]);
  return { ...page, reach, macros, prepared, now: Date.now() };
}

export type AgentTicketData = ReturnType<typeof useLoaderData<typeof loader>>;

export async function action({ request, params }: ActionFunctionArgs) {
  const ticketId = requireIdParam(params.id);
  const user = await requireRole(request, 'agent', 'moderator');
  const formData = await request.formData();
  const intent = String(formData.get('intent') ?? '');
  const args = { db: getDb(), user, ticketId, formData, form: intent };
  switch (intent) {
    case 'reply':
    case 'note':
      return messageAction(args, intent);
    case 'assign':
      return assignAction(args);
    case 'take':
      return takeAction(args);
    case 'status':
      return statusAction(args);
    case 'priority':
      return priorityAction(args);
    case 'macro':
      return macroAction(args);
    case 'merge':
      return mergeAction(args);
    case 'fields':
      return fieldsAction(args);
    case 'problem':
      return problemAction(args);
    case 'link':
      return linkAction(args);
    case 'unlink':
      return unlinkAction(args);
    case 'solve':
      return solveAction(args);
    default:
      return refuse(args, 400, 'That action is not available here.');
  }
}

export default function AgentTicketPage() {
  const page = useLoaderData<typeof loader>();
  const { ticket, messages, links, resolution, answers } = page;
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === 'submitting';
  const finished = ticket.status === 'solved' || ticket.status === 'closed';
  const errorFor = (form: string) => (actionData?.form === form ? actionData : undefined);
  return (
    <div className="ticket-page">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link to="/agent/tickets">Tickets</Link>
      </nav>
      <header className="thread-header">
        <h1>{ticket.subject}</h1>
        <div className="thread-facts">
          <span className={`status status-ticket-${ticket.status}`}>
            {agentStatusLabels[ticket.status]}
          </span>
          <span className="muted">
            #{ticket.id} · {ticket.requester_name}
            {ticket.organization_name ? (
              <>
                {' at '}
                <Link to={`/agent/orgs/${ticket.organization_id}`}>{ticket.organization_name}</Link>
              </>
            ) : null}{' '}
            · opened <time dateTime={ticket.created_at}>{formatDay(ticket.created_at)}</time> via{' '}
            {ticket.source}
          </span>
          {ticket.external_url ? (
            <a href={ticket.external_url} rel="noopener noreferrer" target="_blank">
              Open in{' '}
              {ticket.external_id ? `external helpdesk (${ticket.external_id})` : 'helpdesk'}
            </a>
          ) : null}
        </div>
      </header>
      {actionData?.formError &&
      !['message', 'link', 'solve', 'macro', 'merge'].includes(actionData.form ?? '') ? (
        <FormError>{actionData.formError}</FormError>
      ) : null}
      <div className="ticket-layout">
        <div className="ticket-main">
          {resolution ? (
            <p className="resolution-banner" role="note">
              Solved: {resolutionKindLabels[resolution.kind]}
              {resolution.note ? ` — ${resolution.note}` : ''}
            </p>
          ) : null}
          <TicketConversation ticket={ticket} messages={messages} />

          {ticket.status === 'closed' ? null : <MacroPicker page={page} />}
          {ticket.status !== 'closed' && page.prepared ? (
            <MacroForm page={page} reply={errorFor('macro')} busy={busy} />
          ) : null}
          {ticket.status === 'closed' || page.prepared ? null : (
            <section className="card" aria-labelledby="respond-title">
              <h2 id="respond-title">Respond</h2>
              <FormError>{errorFor('message')?.formError}</FormError>
              <Form
                method="post"
                encType="multipart/form-data"
                className="stack"
                noValidate
                key={messages.length}
              >
                <MarkdownEditor
                  label="Message"
                  defaultValue={errorFor('message')?.values.body}
                  error={errorFor('message')?.fieldErrors.body}
                  attachmentError={errorFor('message')?.fieldErrors.attachments}
                  hint="A public reply goes to the customer; links in it to pages they cannot open (internal articles, restricted content) reach them as plain text. An internal note is seen by the team only."
                  rows={7}
                  required
                />
                <div className="button-row">
                  <label className="inline-field">
                    Then set to{' '}
                    <select name="status" defaultValue="pending">
                      <option value="pending">Pending (waiting on customer)</option>
                      <option value="open">Open</option>
                    </select>
                  </label>
                  <button
                    type="submit"
                    name="intent"
                    value="reply"
                    className="button"
                    disabled={busy}
                  >
                    Send public reply
                  </button>
                  <button
                    type="submit"
                    name="intent"
                    value="note"
                    className="button button-secondary"
                    disabled={busy}
                  >
                    Add internal note
                  </button>
                </div>
              </Form>
            </section>
          )}

          {ticket.status === 'closed' ? null : (
            <SolvePanel
              links={links}
              answers={answers}
              finished={finished}
              missing={page.missingToSolve}
              problem={page.problem}
              reply={errorFor('solve')}
            />
          )}
        </div>

        <aside className="ticket-side">
          <PropertiesCard page={page} reply={errorFor('merge')} />
          <FieldsCard page={page} reply={errorFor('fields')} busy={busy} />
          <ProblemCard page={page} reply={errorFor('problem')} />
          <LinksCard page={page} reply={errorFor('link')} />
          <SimilarCard page={page} />
          <CustomerCard page={page} />
        </aside>
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return (
    <GeneralErrorBoundary
      statusHandlers={{ 404: ({ params }) => <p>No ticket #{params.id}.</p> }}
    />
  );
}
