import { Form, Link } from '@remix-run/react';
import { StackedBarChart, type Series } from '~/components/charts';
import { problemStates } from '#db/schema';
import { CheckboxField, Field, FormError, SelectField, TextAreaField } from '~/components/forms';
import { ProblemState } from '~/components/problem-state';
import { isFinished, problemStateLabels } from '~/models/problems/labels';
import { formatDay } from '~/utils/dates';
import type { FormReply } from '~/utils/forms.server';
import type { ProblemPageData } from './route';
import { RequesterCell, TicketStatusCell } from '~/components/ticket-cells';

// The cards of a known issue's page for the team.

type Page = NonNullable<ProblemPageData['page']>;

export function DetailsForm({ data, reply }: { data: ProblemPageData; reply?: FormReply }) {
  const problem = data.page?.problem;
  const workaround = data.page?.workaround;
  const saved: Record<string, string> = problem
    ? {
        title: problem.title,
        description: problem.description_md,
        publicSummary: problem.public_summary_md,
        categoryId: problem.category_id ? String(problem.category_id) : '',
        public: problem.public ? 'on' : '',
        workaround: workaround ? `/kb/${workaround.slug}` : '',
        trackerUrl: problem.tracker_url ?? '',
        trackerId: problem.tracker_id ?? '',
      }
    : { title: data.fromTicket?.subject ?? '', state: 'investigating' };
  const values = reply?.values ?? saved;
  const errors = reply?.fieldErrors ?? {};
  return (
    <section
      className={problem ? 'card side-card' : 'card form-card'}
      aria-labelledby="details-title"
    >
      <h2 id="details-title">{problem ? 'Details' : 'What is broken?'}</h2>
      <FormError>{reply?.formError}</FormError>
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="intent" value="save" />
        {data.fromTicket ? (
          <input type="hidden" name="ticketId" value={data.fromTicket.id} />
        ) : null}
        {data.fromTicket ? (
          <p className="source-note">Ticket #{data.fromTicket.id} is linked once you save.</p>
        ) : null}
        <Field
          label="Title"
          name="title"
          defaultValue={values.title}
          error={errors.title}
          maxLength={150}
        />
        {problem ? null : (
          <SelectField label="State" name="state" defaultValue={values.state} error={errors.state}>
            {problemStates
              .filter((state) => !isFinished(state))
              .map((state) => (
                <option key={state} value={state}>
                  {problemStateLabels[state]}
                </option>
              ))}
          </SelectField>
        )}
        <SelectField
          label="Product area (optional)"
          name="categoryId"
          defaultValue={values.categoryId ?? ''}
          error={errors.categoryId}
        >
          <option value="">None</option>
          {data.categories.map((category) => (
            <option key={category.id} value={category.id}>
              {category.name}
            </option>
          ))}
        </SelectField>
        <TextAreaField
          label="For the team (optional)"
          name="description"
          rows={4}
          defaultValue={values.description}
          error={errors.description}
          hint="What is known: cause, reproduction, who is on it. Customers never see it."
        />
        <TextAreaField
          label="For customers (optional)"
          name="publicSummary"
          rows={4}
          defaultValue={values.publicSummary}
          error={errors.publicSummary}
          hint="What customers read on the public page and in banners. Markdown."
        />
        <CheckboxField
          label="Public: customers see it at /known-issues, on linked questions and their requests"
          name="public"
          defaultChecked={values.public === 'on'}
          error={errors.public}
        />
        <Field
          label="Workaround article (optional)"
          name="workaround"
          defaultValue={values.workaround}
          error={errors.workaround}
          hint="Its address, like /kb/resubmit-a-payroll-run."
        />
        <Field
          label="Tracker link (optional)"
          name="trackerUrl"
          defaultValue={values.trackerUrl}
          error={errors.trackerUrl}
          hint="The engineering issue, https://…"
        />
        <Field
          label="Tracker id (optional)"
          name="trackerId"
          defaultValue={values.trackerId}
          error={errors.trackerId}
          maxLength={100}
        />
        <div>
          <button type="submit" className="button">
            {problem ? 'Save details' : 'Create known issue'}
          </button>
        </div>
      </Form>
    </section>
  );
}

export function UpdateForm({ page, reply }: { page: Page; reply?: FormReply }) {
  const { problem } = page;
  const errors = reply?.fieldErrors ?? {};
  const open = page.tickets.filter((ticket) => !['solved', 'closed'].includes(ticket.status));
  return (
    <section className="card" aria-labelledby="update-title">
      <h2 id="update-title">Post an update</h2>
      {isFinished(problem.state) ? (
        <p className="muted">
          It is {problemStateLabels[problem.state].toLowerCase()}: the people it affects were told.
          Reopening it and closing it again does not mail them twice.
        </p>
      ) : (
        <p className="muted">
          Marking it fixed (or won’t fix) mails everyone it affects, once: {page.people.length}{' '}
          {page.people.length === 1 ? 'person' : 'people'} now.
        </p>
      )}
      <FormError>{reply?.formError}</FormError>
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="intent" value="update" />
        <SelectField
          label="State"
          name="state"
          defaultValue={reply?.values.state ?? problem.state}
          error={errors.state}
        >
          {problemStates.map((state) => (
            <option key={state} value={state}>
              {problemStateLabels[state]}
            </option>
          ))}
        </SelectField>
        <TextAreaField
          label="Note (optional)"
          name="note"
          rows={3}
          defaultValue={reply?.values.note}
          error={errors.note}
          hint="Written for customers: it goes in the mail when it is fixed. Markdown."
        />
        <CheckboxField label="Show this update on the public page" name="public" defaultChecked />
        {open.length > 0 ? (
          <CheckboxField
            label={`When fixed, solve the ${open.length} open linked ${open.length === 1 ? 'ticket' : 'tickets'} with “known issue”`}
            name="solveLinked"
            defaultChecked
          />
        ) : null}
        <div>
          <button type="submit" className="button">
            Post update
          </button>
        </div>
      </Form>
    </section>
  );
}

function UnlinkButton({ type, id }: { type: string; id: number }) {
  return (
    <Form method="post" className="inline-form">
      <input type="hidden" name="intent" value="unlink" />
      <input type="hidden" name="type" value={type} />
      <input type="hidden" name="targetId" value={id} />
      <button type="submit" className="button button-small button-secondary">
        Unlink
      </button>
    </Form>
  );
}

export function LinkedCard({ page, reply }: { page: Page; reply?: FormReply }) {
  return (
    <section className="card" aria-labelledby="linked-title">
      <h2 id="linked-title">What reports it</h2>
      {page.tickets.length === 0 && page.threads.length === 0 ? (
        <p className="muted">Nothing linked yet: link tickets and questions that report it.</p>
      ) : null}
      {page.tickets.length > 0 ? (
        <div className="table-wrap">
          <table className="table" aria-label="Linked tickets">
            <thead>
              <tr>
                <th scope="col">Ticket</th>
                <th scope="col">Requester</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Unlink</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {page.tickets.map((ticket) => (
                <tr key={ticket.id}>
                  <td>
                    <Link to={`/agent/tickets/${ticket.id}`}>{ticket.subject}</Link>
                    <div className="muted">
                      #{ticket.id} · {formatDay(ticket.created_at)}
                    </div>
                  </td>
                  <RequesterCell ticket={ticket} />
                  <TicketStatusCell status={ticket.status} />
                  <td>
                    <UnlinkButton type="ticket" id={ticket.id} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {page.threads.length > 0 ? (
        <ul className="plain-list" aria-label="Linked questions and answers">
          {page.threads.map((thread) => (
            <li key={`${thread.type}-${thread.id}`} className="inline-controls">
              <Link to={thread.url}>{thread.title}</Link>
              <UnlinkButton type={thread.type} id={thread.id} />
            </li>
          ))}
        </ul>
      ) : null}
      {/* A new link remounts the form, so the field is empty for the next one. */}
      <Form
        method="post"
        className="stack-small"
        noValidate
        key={page.tickets.length + page.threads.length}
      >
        <input type="hidden" name="intent" value="link" />
        <Field
          label="Link a ticket, question or answer"
          name="reference"
          defaultValue={reply?.values.reference}
          error={reply?.fieldErrors.reference}
          placeholder="#12, or /questions/34/… or its answer’s link"
        />
        <div>
          <button type="submit" className="button button-small button-secondary">
            Link
          </button>
        </div>
      </Form>
    </section>
  );
}

export function AffectedCard({ page }: { page: Page }) {
  const reasonWords: Record<string, string> = {
    requester: 'filed a ticket',
    asked: 'asked',
    answered: 'answered',
    follows: 'follows',
  };
  return (
    <section className="card side-card" aria-labelledby="affected-title">
      <h2 id="affected-title">Who it affects</h2>
      <p>
        <strong>{page.people.length}</strong> {page.people.length === 1 ? 'person' : 'people'} ·{' '}
        <strong>{page.organizations.length}</strong>{' '}
        {page.organizations.length === 1 ? 'organisation' : 'organisations'}
      </p>
      {page.organizations.length > 0 ? (
        <ul className="plain-list" aria-label="Organisations affected">
          {page.organizations.map((organization) => (
            <li key={organization.id}>
              <Link to={`/agent/orgs/${organization.id}`}>{organization.name}</Link>{' '}
              <span className="muted">· {organization.people}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {page.people.length > 0 ? (
        <ul className="plain-list" aria-label="People affected">
          {page.people.map((person) => (
            <li key={person.id}>
              {person.display_name}{' '}
              <span className="muted">
                · {person.reasons.map((reason) => reasonWords[reason]).join(', ')}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

export function TimelineCard({ timeline }: { timeline: Page['timeline'] }) {
  return (
    <section className="card" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Updates</h2>
      <ol className="plain-list timeline">
        {timeline.map((update) => (
          <li key={update.id}>
            <ProblemState state={update.state} />{' '}
            <span className="muted">
              {formatDay(update.created_at)}
              {update.author_name ? ` · ${update.author_name}` : ''}
              {update.public ? '' : ' · team only'}
            </span>
            {update.note_md ? (
              <div className="prose" dangerouslySetInnerHTML={{ __html: update.note_html }} />
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

const trendSeries: Series[] = [
  { key: 'tickets', label: 'By a ticket', tone: 'accent' },
  { key: 'community', label: 'By a question, answer or follow', tone: 'success' },
];

export function TrendCard({ page }: { page: Page }) {
  const { weeks, avoided } = page.trend;
  return (
    <section className="card" aria-labelledby="trend-title">
      <h2 id="trend-title">Over time</h2>
      {avoided ? (
        <p>
          Since the workaround was published on {formatDay(avoided.since)}:{' '}
          <strong>{avoided.after}</strong> {avoided.after === 1 ? 'ticket' : 'tickets'}, against{' '}
          {avoided.before} a week before it: about <strong>{avoided.estimate}</strong>{' '}
          {avoided.estimate === 1 ? 'ticket' : 'tickets'} avoided.
        </p>
      ) : (
        <p className="muted">
          {page.trend.workaroundFirst
            ? 'The workaround article was published before the first ticket: there is no before and after to compare.'
            : 'With a workaround article published, this shows the tickets it avoided.'}
        </p>
      )}
      <StackedBarChart
        title="People newly affected, by week"
        series={trendSeries}
        bars={weeks.map((week) => ({
          label: week.week.slice(5),
          values: { tickets: week.tickets, community: week.community },
        }))}
        table={{
          caption: 'People newly affected, by week',
          columns: [
            'Week of',
            'By a ticket',
            'By a question, answer or follow',
            'Organisations so far',
          ],
          rows: weeks.map((week) => [week.week, week.tickets, week.community, week.organizations]),
        }}
      />
    </section>
  );
}
