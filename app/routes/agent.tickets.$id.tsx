import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import {
  Form,
  Link,
  isRouteErrorResponse,
  useActionData,
  useLoaderData,
  useNavigation,
  useRouteError,
} from '@remix-run/react';
import { useState } from 'react';
import { z } from 'zod';
import { ticketStatuses } from '../../db/schema';
import { requireRole } from '~/auth/session.server';
import { ErrorPage } from '~/components/error-page';
import { FormError } from '~/components/forms';
import { MarkdownEditor } from '~/components/markdown-editor';
import { plainText } from '~/components/highlighted';
import { IntentButton } from '~/components/posts';
import { LinkPicker } from '~/components/link-picker';
import { TicketConversation } from '~/components/ticket-conversation';
import { staffMembers } from '~/models/articles.server';
import { organizationActivity } from '~/models/customers.server';
import {
  draftArticleFromTicket,
  postTicketToCommunity,
  resolutionSchema,
  resolveTicket,
} from '~/models/resolutions.server';
import {
  addTicketMessage,
  assignTicket,
  getTicket,
  messageSchema,
  setTicketStatus,
} from '~/models/tickets.server';
import {
  answersOfLinkedThreads,
  linkTicket,
  parseLinkReference,
  unlinkTicket,
} from '~/models/ticket-links.server';
import { requestsOf } from '~/models/ticket-lists.server';
import { similarTickets } from '~/models/ticket-similar.server';
import { formatDay, timeAgo } from '~/utils/dates';
import { agentStatusLabels, resolutionKindLabels } from '~/models/support-labels';
import { getDb } from '~/utils/db.server';
import { formValues, parseForm } from '~/utils/forms.server';
import { requireIdParam } from '~/utils/params';
import { searchContent } from '../../search/engine';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `#${data.ticket.id} ${data.ticket.subject} · Tickets` : 'Ticket not found' },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = requireIdParam(params.id);
  await requireRole(request, 'agent', 'moderator');
  const db = getDb();
  const found = await getTicket(db, id);
  if (!found) throw new Response('Not found', { status: 404 });
  const { ticket, links } = found;
  const threadIds = [
    ...new Set(links.map((link) => link.threadId).filter((value) => value !== null)),
  ];
  const [answers, staff, similar, similarContent, customer] = await Promise.all([
    answersOfLinkedThreads(db, threadIds),
    staffMembers(db),
    similarTickets(db, id, ticket.subject),
    searchContent(db, { q: ticket.subject.slice(0, 200), limit: 6, offset: 0, facets: false })
      .then((results) => results.hits)
      .catch(() => []),
    ticket.organization_id
      ? organizationActivity(db, ticket.organization_id, { excludeTicketId: id })
      : requestsOf(db, ticket.requester_id).then((tickets) => ({
          tickets: tickets
            .filter((other) => other.id !== id)
            .map((other) => ({ ...other, requester_name: ticket.requester_name })),
          threads: [],
          searches: [],
          since: null,
        })),
  ]);
  const linkedKeys = new Set(links.map((link) => `${link.target_type}-${link.target_id}`));
  return {
    ...found,
    answers,
    staff,
    similar,
    similarContent: similarContent
      .filter((hit) => !linkedKeys.has(hit.key))
      .map((hit) => ({
        key: hit.key,
        type: hit.type,
        title: plainText(hit.title),
        url: hit.url,
      })),
    customer,
    now: Date.now(),
  };
}

const idField = z.coerce
  .number()
  .int()
  .positive()
  .max(2 ** 40);
const schemas = {
  assign: z.object({ assigneeId: z.union([z.literal(''), idField]) }),
  status: z.object({ status: z.enum(['open', 'pending', 'closed']) }),
  link: z.object({ reference: z.string().trim().min(1, 'Paste a link or choose a suggestion.') }),
  unlink: z.object({ linkId: idField }),
  reply: messageSchema.extend({
    status: z.enum(ticketStatuses).optional(),
  }),
  solve: resolutionSchema.extend({
    target: z.string().trim().max(2000).optional(),
    then: z.enum(['nothing', 'community', 'article']).catch('nothing'),
  }),
};

type ActionReply = {
  error: string | null;
  form: string | null;
  fieldErrors: Record<string, string>;
  values: Record<string, string>;
};

function reply(status: number, fields: Partial<ActionReply> = {}) {
  const body: ActionReply = { error: null, form: null, fieldErrors: {}, values: {}, ...fields };
  return data(body, { status });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const id = requireIdParam(params.id);
  const user = await requireRole(request, 'agent', 'moderator');
  const db = getDb();
  const formData = await request.formData();
  const intent = String(formData.get('intent') ?? '');
  const here = `/agent/tickets/${id}`;
  const fail = (status: number, error: string, form = intent) =>
    reply(status, { error, form, values: formValues(formData) });

  switch (intent) {
    case 'reply':
    case 'note': {
      const parsed = parseForm(formData, schemas.reply);
      if (!parsed.success)
        return reply(400, {
          form: 'message',
          fieldErrors: parsed.fieldErrors,
          values: parsed.values,
        });
      const result = await addTicketMessage(db, user, id, {
        kind: intent,
        body: parsed.data.body,
        status: parsed.data.status,
      });
      if (!result.ok) return fail(result.status, result.error, 'message');
      return redirect(`${here}#message-${result.id}`);
    }
    case 'assign': {
      const parsed = schemas.assign.safeParse(Object.fromEntries(formData));
      if (!parsed.success) return fail(400, 'Choose someone from the team.');
      const result = await assignTicket(db, user, id, parsed.data.assigneeId || null);
      return result.ok ? redirect(here) : fail(result.status, result.error);
    }
    case 'take': {
      const result = await assignTicket(db, user, id, user.id);
      return result.ok ? redirect(here) : fail(result.status, result.error);
    }
    case 'status': {
      const parsed = schemas.status.safeParse(Object.fromEntries(formData));
      if (!parsed.success) return fail(400, 'Choose a status.');
      const result = await setTicketStatus(db, user, id, parsed.data.status);
      return result.ok ? redirect(here) : fail(result.status, result.error);
    }
    case 'link': {
      const parsed = parseForm(formData, schemas.link);
      if (!parsed.success)
        return reply(400, { form: 'link', fieldErrors: parsed.fieldErrors, values: parsed.values });
      const target = await parseLinkReference(db, parsed.data.reference);
      if (!target)
        return reply(400, {
          form: 'link',
          fieldErrors: {
            reference: 'That is not a link to a question, answer or article here.',
          },
          values: formValues(formData),
        });
      const result = await linkTicket(db, user.id, id, target);
      if (!result.ok)
        return reply(result.status, {
          form: 'link',
          fieldErrors: { reference: result.error },
          values: formValues(formData),
        });
      return redirect(here);
    }
    case 'unlink': {
      const parsed = schemas.unlink.safeParse(Object.fromEntries(formData));
      if (!parsed.success) return fail(400, 'Choose a link to remove.');
      await unlinkTicket(db, id, parsed.data.linkId);
      return redirect(here);
    }
    case 'solve': {
      const parsed = parseForm(formData, schemas.solve);
      if (!parsed.success)
        return reply(400, {
          form: 'solve',
          fieldErrors: parsed.fieldErrors,
          values: parsed.values,
        });
      const { target: reference, then, ...input } = parsed.data;
      if ((input.kind === 'article' || input.kind === 'thread') && reference) {
        const target = await parseLinkReference(db, reference);
        const fits =
          target &&
          (input.kind === 'article' ? target.type === 'article' : target.type !== 'article');
        if (!target || !fits)
          return reply(400, {
            form: 'solve',
            fieldErrors: {
              target:
                input.kind === 'article'
                  ? 'Choose the article that resolved it.'
                  : 'Choose the thread or answer that resolved it.',
            },
            values: formValues(formData),
          });
        if (target.type === 'article') input.articleId = target.id;
        else if (target.type === 'post') input.postId = target.id;
        else input.threadId = target.id;
      }
      const solved = await resolveTicket(db, user, id, input);
      if (!solved.ok)
        return reply(solved.status, {
          form: 'solve',
          fieldErrors: { [input.kind === 'other' ? 'note' : 'target']: solved.error },
          values: formValues(formData),
        });
      if (then === 'article') {
        const drafted = await draftArticleFromTicket(db, user, id);
        if (!drafted.ok) return fail(drafted.status, `Solved. ${drafted.error}`, 'solve');
        return redirect(`/agent/articles/${drafted.articleId}?fromTicket=${id}`);
      }
      if (then === 'community') {
        const posted = await postTicketToCommunity(db, user, id);
        if (!posted.ok) return fail(posted.status, `Solved. ${posted.error}`, 'solve');
        return redirect(`/questions/${posted.threadId}/${posted.slug}`);
      }
      return redirect(here);
    }
    default:
      return fail(400, 'That action is not available here.');
  }
}

export default function AgentTicketPage() {
  const {
    ticket,
    messages,
    links,
    resolution,
    answers,
    staff,
    similar,
    similarContent,
    customer,
    now,
  } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === 'submitting';
  const finished = ticket.status === 'solved' || ticket.status === 'closed';
  const errorFor = (form: string) => (actionData?.form === form ? actionData : undefined);
  const linkedAnswerIds = new Set(
    links.filter((link) => link.target_type === 'post').map((link) => link.target_id),
  );
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
      {actionData?.error && !['message', 'link', 'solve'].includes(actionData.form ?? '') ? (
        <FormError>{actionData.error}</FormError>
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

          {ticket.status === 'closed' ? null : (
            <section className="card" aria-labelledby="respond-title">
              <h2 id="respond-title">Respond</h2>
              <FormError>{errorFor('message')?.error}</FormError>
              <Form method="post" className="stack" noValidate key={messages.length}>
                <MarkdownEditor
                  label="Message"
                  defaultValue={errorFor('message')?.values.body}
                  error={errorFor('message')?.fieldErrors.body}
                  hint="A public reply goes to the customer. An internal note is seen by the team only."
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
              reply={errorFor('solve')}
            />
          )}
        </div>

        <aside className="ticket-side">
          <section className="card side-card" aria-labelledby="properties-title">
            <h2 id="properties-title">Properties</h2>
            <Form method="post" className="stack-small">
              <input type="hidden" name="intent" value="assign" />
              <label htmlFor="assignee">Assignee</label>
              <div className="inline-controls">
                <select id="assignee" name="assigneeId" defaultValue={ticket.assignee_id ?? ''}>
                  <option value="">Unassigned</option>
                  {staff.map((member) => (
                    <option key={member.id} value={member.id}>
                      {member.display_name}
                    </option>
                  ))}
                </select>
                <button type="submit" className="button button-small button-secondary">
                  Assign
                </button>
              </div>
            </Form>
            <IntentButton intent="take">Take it</IntentButton>
            <Form method="post" className="stack-small">
              <input type="hidden" name="intent" value="status" />
              <label htmlFor="status">Status</label>
              <div className="inline-controls">
                <select id="status" name="status" defaultValue={ticket.status}>
                  {ticket.status === 'new' ? (
                    <option value="new" disabled>
                      New
                    </option>
                  ) : null}
                  <option value="open">Open</option>
                  <option value="pending">Pending</option>
                  {finished ? (
                    <option value="solved" disabled>
                      Solved
                    </option>
                  ) : null}
                  <option value="closed" disabled={ticket.status !== 'solved'}>
                    Closed
                  </option>
                </select>
                <button type="submit" className="button button-small button-secondary">
                  Set
                </button>
              </div>
            </Form>
            {ticket.category_name ? (
              <p className="muted">Category: {ticket.category_name}</p>
            ) : null}
          </section>

          <section className="card side-card" aria-labelledby="links-title">
            <h2 id="links-title">Linked content</h2>
            {links.length === 0 ? (
              <p className="muted">Nothing linked yet.</p>
            ) : (
              <ul className="link-list">
                {links.map((link) => (
                  <li key={link.id}>
                    <span className="suggestion-kind">{linkKindLabel(link.target_type)}</span>
                    <Link to={link.url}>{link.title}</Link>
                    <span className="muted"> · {relationLabels[link.relation]}</span>
                    {link.relation === 'related' ? (
                      <IntentButton intent="unlink" fields={{ linkId: link.id }} danger>
                        Unlink
                      </IntentButton>
                    ) : null}
                  </li>
                ))}
              </ul>
            )}
            {answers.length > 0 ? (
              <details className="answers-picker">
                <summary>Answers in linked threads ({answers.length})</summary>
                <ul className="link-list">
                  {answers.map((answer) => (
                    <li key={answer.id}>
                      <p>
                        {answer.accepted ? (
                          <span className="badge badge-success">Accepted</span>
                        ) : null}{' '}
                        <strong>{answer.author_name}</strong>: {answer.excerpt}
                      </p>
                      {linkedAnswerIds.has(answer.id) ? (
                        <span className="muted">Linked</span>
                      ) : (
                        <IntentButton intent="link" fields={{ reference: `post-${answer.id}` }}>
                          Link this answer
                        </IntentButton>
                      )}
                    </li>
                  ))}
                </ul>
              </details>
            ) : null}
            <LinkPicker
              error={errorFor('link')?.fieldErrors.reference}
              value={errorFor('link')?.values.reference}
            />
          </section>

          <section className="card side-card" aria-labelledby="similar-title">
            <h2 id="similar-title">Similar tickets and threads</h2>
            {similarContent.length === 0 && similar.length === 0 ? (
              <p className="muted">Nothing similar found.</p>
            ) : null}
            {similarContent.length > 0 ? (
              <ul className="link-list">
                {similarContent.map((hit) => (
                  <li key={hit.key}>
                    <span className="suggestion-kind">
                      {hit.type === 'article' ? 'Article' : 'Thread'}
                    </span>
                    <Link to={hit.url}>{hit.title}</Link>{' '}
                    <IntentButton intent="link" fields={{ reference: hit.key }}>
                      Link
                    </IntentButton>
                  </li>
                ))}
              </ul>
            ) : null}
            {similar.length > 0 ? (
              <ul className="link-list">
                {similar.map((other) => (
                  <li key={other.id}>
                    <span className="suggestion-kind">Ticket</span>
                    <Link to={`/agent/tickets/${other.id}`}>
                      #{other.id} {other.subject}
                    </Link>
                    <span className="muted"> · {agentStatusLabels[other.status]}</span>
                  </li>
                ))}
              </ul>
            ) : null}
          </section>

          <section className="card side-card" aria-labelledby="customer-title">
            <h2 id="customer-title">
              {ticket.organization_name
                ? `${ticket.organization_name}, last 90 days`
                : `${ticket.requester_name}’s other requests`}
            </h2>
            {customer.tickets.length === 0 &&
            customer.threads.length === 0 &&
            customer.searches.length === 0 ? (
              <p className="muted">Nothing else from this customer.</p>
            ) : null}
            {customer.tickets.length > 0 ? (
              <>
                <h3>Tickets</h3>
                <ul className="link-list">
                  {customer.tickets.map((other) => (
                    <li key={other.id}>
                      <Link to={`/agent/tickets/${other.id}`}>{other.subject}</Link>
                      <span className="muted">
                        {' '}
                        · {other.requester_name} · {agentStatusLabels[other.status]} ·{' '}
                        {timeAgo(other.created_at, now)}
                      </span>
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            {customer.threads.length > 0 ? (
              <>
                <h3>Community questions</h3>
                <ul className="link-list">
                  {customer.threads.map((thread) => (
                    <li key={thread.id}>
                      <Link to={`/questions/${thread.id}/${thread.slug}`}>{thread.title}</Link>
                      <span className="muted">
                        {' '}
                        · {thread.author_name} · {timeAgo(thread.created_at, now)}
                      </span>
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            {customer.searches.length > 0 ? (
              <>
                <h3>Searches</h3>
                <ul className="link-list">
                  {customer.searches.map((search) => (
                    <li key={search.query}>
                      “{search.query}”
                      <span className="muted">
                        {' '}
                        · {search.times}× ·{' '}
                        {Number(search.results) === 0 ? 'no results' : `${search.results} results`}
                      </span>
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            {ticket.organization_id ? (
              <p>
                <Link to={`/agent/orgs/${ticket.organization_id}`}>
                  Everything from {ticket.organization_name}
                </Link>
              </p>
            ) : null}
          </section>
        </aside>
      </div>
    </div>
  );
}

const relationLabels = {
  filed_from: 'filed from here',
  escalated_from: 'escalated from here',
  related: 'linked',
} as const;

function linkKindLabel(type: 'thread' | 'post' | 'article') {
  return type === 'article' ? 'Article' : type === 'post' ? 'Answer' : 'Thread';
}

type LinkRow = {
  id: number;
  target_type: 'thread' | 'post' | 'article';
  target_id: number;
  title: string;
};

/** "What resolved it?": asked every time a ticket is solved, with what to do next. */
function SolvePanel({
  links,
  answers,
  finished,
  reply,
}: {
  links: LinkRow[];
  answers: { id: number; author_name: string; excerpt: string }[];
  finished: boolean;
  reply?: ActionReply;
}) {
  const [kind, setKind] = useState(reply?.values.kind ?? '');
  const articleOptions = links.filter((link) => link.target_type === 'article');
  const threadOptions = [
    ...links
      .filter((link) => link.target_type !== 'article')
      .map((link) => ({ key: `${link.target_type}-${link.target_id}`, title: link.title })),
    ...answers
      .filter(
        (answer) =>
          !links.some((link) => link.target_type === 'post' && link.target_id === answer.id),
      )
      .map((answer) => ({
        key: `post-${answer.id}`,
        title: `Answer by ${answer.author_name}: ${answer.excerpt.slice(0, 60)}`,
      })),
  ];
  const options =
    kind === 'article'
      ? articleOptions.map((link) => ({ key: `article-${link.target_id}`, title: link.title }))
      : threadOptions;
  return (
    <section className="card solve-panel" aria-labelledby="solve-title">
      <h2 id="solve-title">{finished ? 'Change what resolved it' : 'Solve this ticket'}</h2>
      <FormError>{reply?.error}</FormError>
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="intent" value="solve" />
        <fieldset className="choices">
          <legend>What resolved it?</legend>
          {(Object.keys(resolutionKindLabels) as (keyof typeof resolutionKindLabels)[]).map(
            (option) => (
              <label key={option} className="choice">
                <input
                  type="radio"
                  name="kind"
                  value={option}
                  defaultChecked={kind === option}
                  onChange={() => setKind(option)}
                />{' '}
                {resolutionKindLabels[option]}
              </label>
            ),
          )}
          {reply?.fieldErrors.kind ? <p className="field-error">{reply.fieldErrors.kind}</p> : null}
        </fieldset>
        {kind === 'article' || kind === 'thread' || kind === '' ? (
          <div className={reply?.fieldErrors.target ? 'field field-invalid' : 'field'}>
            <label htmlFor="solve-target">
              {kind === 'article' ? 'Which article?' : 'Which thread or answer?'}
            </label>
            {options.length > 0 ? (
              <select id="solve-target" name="target" defaultValue={reply?.values.target ?? ''}>
                <option value="">Choose from the linked content…</option>
                {options.map((option) => (
                  <option key={option.key} value={option.key}>
                    {option.title}
                  </option>
                ))}
              </select>
            ) : (
              <input
                id="solve-target"
                name="target"
                defaultValue={reply?.values.target}
                placeholder="Paste its link, e.g. /kb/connect-your-bank"
              />
            )}
            {reply?.fieldErrors.target ? (
              <p className="field-error">{reply.fieldErrors.target}</p>
            ) : (
              <p className="field-hint">Link more content on the right to choose it here.</p>
            )}
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="solve-note">Note {kind === 'other' ? '' : '(optional)'}</label>
          <textarea id="solve-note" name="note" rows={2} defaultValue={reply?.values.note} />
          {reply?.fieldErrors.note ? <p className="field-error">{reply.fieldErrors.note}</p> : null}
        </div>
        <fieldset className="choices">
          <legend>Then</legend>
          <label className="choice">
            <input type="radio" name="then" value="nothing" defaultChecked /> Nothing more
          </label>
          <label className="choice">
            <input type="radio" name="then" value="community" /> Post my answer to the community as
            a new public thread (the customer is left out)
          </label>
          <label className="choice">
            <input type="radio" name="then" value="article" /> Start an article draft from my answer
          </label>
        </fieldset>
        <div>
          <button type="submit" className="button">
            {finished ? 'Save resolution' : 'Solve ticket'}
          </button>
        </div>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  return <ErrorPage status={isRouteErrorResponse(error) ? error.status : 500} />;
}
