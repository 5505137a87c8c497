import { Form, Link } from '@remix-run/react';
import type { ReactNode } from 'react';
import { AudienceMarkers } from '~/components/audience-markers';
import { plainText } from '~/components/highlighted';
import { LinkPicker } from '~/components/link-picker';
import { IntentButton } from '~/components/posts';
import { ticketPriorities } from '#db/schema';
import { SlaClocks } from '~/components/sla-clocks';
import { priorityLabels } from '~/models/sla/labels';
import { slaClocks } from '~/models/sla/clocks';
import { agentStatusLabels } from '~/models/support-labels';
import { timeAgo } from '~/utils/dates';
import type { FormReply } from '~/utils/forms.server';
import type { AgentTicketData as Page } from './route';

// The cards beside a ticket: its properties, linked content, similar tickets and the customer.

const relationLabels = {
  filed_from: 'filed from here',
  escalated_from: 'escalated from here',
  related: 'linked',
} as const;

function linkKindLabel(type: 'thread' | 'post' | 'article') {
  return type === 'article' ? 'Article' : type === 'post' ? 'Answer' : 'Thread';
}

/** Who may read a linked or suggested page, and a word when the customer cannot open it. */
function ReachNote({ reach }: { reach: Page['reach'][string] | undefined }) {
  if (!reach) return null;
  return (
    <>
      <AudienceMarkers labels={reach.markers} />
      {reach.hiddenFromRequester ? (
        <span className="muted reach-note">
          {' '}
          · the customer cannot open it: a link to it in a public reply is sent as text
        </span>
      ) : null}
    </>
  );
}

/** One property of the ticket: a choice and a button that sets it. */
function SelectAndSet({
  intent,
  name,
  label,
  value,
  button = 'Set',
  children,
}: {
  intent: string;
  name: string;
  label: string;
  value: string | number;
  button?: string;
  children: ReactNode;
}) {
  return (
    <Form method="post" className="stack-small">
      <input type="hidden" name="intent" value={intent} />
      <label htmlFor={name}>{label}</label>
      <div className="inline-controls">
        <select id={name} name={name} defaultValue={value}>
          {children}
        </select>
        <button type="submit" className="button button-small button-secondary">
          {button}
        </button>
      </div>
    </Form>
  );
}

export function PropertiesCard({ page, reply }: { page: Page; reply?: FormReply }) {
  const { ticket, staff } = page;
  const finished = ticket.status === 'solved' || ticket.status === 'closed';
  return (
    <section className="card side-card" aria-labelledby="properties-title">
      <h2 id="properties-title">Properties</h2>
      <SelectAndSet
        intent="assign"
        name="assigneeId"
        label="Assignee"
        value={ticket.assignee_id ?? ''}
        button="Assign"
      >
        <option value="">Unassigned</option>
        {staff.map((member) => (
          <option key={member.id} value={member.id}>
            {member.display_name}
          </option>
        ))}
      </SelectAndSet>
      <IntentButton intent="take">Take it</IntentButton>
      <SelectAndSet intent="status" name="status" label="Status" value={ticket.status}>
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
      </SelectAndSet>
      <SelectAndSet intent="priority" name="priority" label="Priority" value={ticket.priority}>
        {ticketPriorities.map((priority) => (
          <option key={priority} value={priority}>
            {priorityLabels[priority]}
          </option>
        ))}
      </SelectAndSet>
      <div className="stack-small" aria-label="Service level">
        <h3>Service level</h3>
        <SlaClocks clocks={slaClocks(ticket, new Date(page.now))} />
      </div>
      {ticket.category_name ? <p className="muted">Category: {ticket.category_name}</p> : null}
      {ticket.status === 'closed' ? null : (
        <Form method="post" className="stack-small" aria-label="Merge">
          <input type="hidden" name="intent" value="merge" />
          <label htmlFor="merge-into">Merge into ticket #</label>
          <div className="inline-controls">
            <input
              id="merge-into"
              name="into"
              inputMode="numeric"
              defaultValue={reply?.values.into}
              aria-invalid={reply?.fieldErrors.into ? true : undefined}
              aria-describedby={reply?.fieldErrors.into ? 'merge-error' : 'merge-hint'}
            />
            <button type="submit" className="button button-small button-secondary">
              Merge
            </button>
          </div>
          {reply?.fieldErrors.into ? (
            <p className="field-error" id="merge-error">
              {reply.fieldErrors.into}
            </p>
          ) : (
            <p className="field-hint" id="merge-hint">
              A duplicate of the same requester or organisation: its messages and links move there.
            </p>
          )}
        </Form>
      )}
    </section>
  );
}

export function LinksCard({ page, reply }: { page: Page; reply?: FormReply }) {
  const { links, answers, reach } = page;
  const linkedAnswerIds = new Set(
    links.filter((link) => link.target_type === 'post').map((link) => link.target_id),
  );
  return (
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
              <ReachNote reach={reach[`${link.target_type}-${link.target_id}`]} />
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
                  {answer.accepted ? <span className="badge badge-success">Accepted</span> : null}{' '}
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
      <LinkPicker error={reply?.fieldErrors.reference} value={reply?.values.reference} />
    </section>
  );
}

export function SimilarCard({ page }: { page: Page }) {
  const { similar, similarContent, reach } = page;
  return (
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
              <Link to={hit.url}>{plainText(hit.title)}</Link>
              <ReachNote reach={reach[hit.key]} />{' '}
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
  );
}

export function CustomerCard({ page }: { page: Page }) {
  const { ticket, customer, now } = page;
  return (
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
  );
}
