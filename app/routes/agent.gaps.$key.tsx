import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { z } from 'zod';
import { feedbackReasons } from '#db/schema';
import { requireRole } from '~/auth/session.server';
import { GeneralErrorBoundary } from '~/components/error-page';
import { Field, FormError } from '~/components/forms';
import { ScoreExplanation } from '~/components/gap-parts';
import { feedbackReasonLabels } from '~/models/article-workflow';
import { parseRange, rangeQuery } from '~/models/analytics/date-range';
import { refreshForRequest } from '~/models/analytics/rollup.server';
import { gapActionLabels, gapKindLabels, gapStateLabels } from '~/models/analytics/gap-labels';
import {
  dismissGap,
  dismissSchema,
  markGapDone,
  promoteFromGap,
  reopenGap,
  reviewFromGap,
  startArticleFromGap,
} from '~/models/analytics/gap-actions.server';
import { findGap, gapQueue } from '~/models/analytics/gap-queue.server';
import { formatDay } from '~/utils/dates';
import { getDb } from '~/utils/db.server';
import { formError, formReply, parseForm } from '~/utils/forms.server';
import { articlePath, questionPath } from '#lib/content-urls';
import { ProblemPicker } from '~/components/problem-picker';
import { linkToProblem, openProblems } from '~/models/problems/problems.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.gap.title} · Content gaps` : 'Gap not found' },
];

async function loadGap(request: Request, key: string | undefined) {
  const { range } = parseRange(new URL(request.url).searchParams);
  const db = getDb();
  await refreshForRequest(db);
  const gap = key ? findGap(await gapQueue(db, range), key) : null;
  if (!gap) throw new Response('Not found', { status: 404 });
  return { gap, range };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'agent', 'moderator');
  const { gap, range } = await loadGap(request, params.key);
  const done = new URL(request.url).searchParams.get('done');
  const linked = new URL(request.url).searchParams.get('linked');
  return {
    gap,
    query: rangeQuery(range),
    range,
    notice: done ? 'Marked as done.' : linked ? `Linked ${linked} to the known issue.` : null,
    openProblems: await openProblems(getDb(), gap.title),
  };
}

const intentSchema = z.object({
  intent: z.enum(['write', 'promote', 'review', 'done', 'dismiss', 'reopen', 'problem']),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, 'agent', 'moderator');
  const formData = await request.formData();
  const intent = intentSchema.safeParse({ intent: formData.get('intent') });
  if (!intent.success) throw new Response('Bad request', { status: 400 });
  const { gap, range } = await loadGap(request, params.key);
  const db = getDb();
  const here = `/agent/gaps/${encodeURIComponent(gap.key)}?${rangeQuery(range)}`;
  switch (intent.data.intent) {
    case 'write': {
      const started = await startArticleFromGap(db, user, gap);
      if (!started.ok) return formError(started.status, started.error);
      return redirect(`/agent/articles/new?gap=${started.id}`);
    }
    case 'promote': {
      const promoted = await promoteFromGap(db, user, gap);
      if (!promoted.ok) return formError(promoted.status, promoted.error);
      return redirect(`/agent/articles/${promoted.articleId}`);
    }
    case 'review': {
      const review = await reviewFromGap(db, user, gap);
      if (!review.ok) return formError(review.status, review.error);
      return redirect(`/agent/articles/${review.articleId}`);
    }
    case 'done': {
      const done = await markGapDone(db, user, gap);
      if (!done.ok) return formError(done.status, done.error);
      return redirect(`${here}&done=1`);
    }
    case 'dismiss': {
      const parsed = parseForm(formData, dismissSchema);
      if (!parsed.success) return formReply(400, { fieldErrors: parsed.fieldErrors });
      const dismissed = await dismissGap(db, user, gap, parsed.data.reason);
      if (!dismissed.ok) return formError(dismissed.status, dismissed.error);
      return redirect(here);
    }
    case 'problem': {
      // The gap's tickets and questions report one defect: gather them into a known issue.
      const problemId = Number(formData.get('problemId'));
      if (!Number.isSafeInteger(problemId) || problemId < 1)
        return formError(400, 'Choose a known issue from the list.');
      const targets = [
        ...gap.evidence.tickets.map((ticket) => ({ type: 'ticket' as const, id: ticket.id })),
        ...gap.evidence.threads.map((thread) => ({ type: 'thread' as const, id: thread.id })),
      ];
      for (const target of targets) {
        const linked = await linkToProblem(db, user, problemId, target);
        if (!linked.ok) return formError(linked.status, linked.error);
      }
      return redirect(`${here}&linked=${targets.length}`);
    }
    case 'reopen': {
      const reopened = await reopenGap(db, user, gap);
      if (!reopened.ok) return formError(reopened.status, reopened.error);
      return redirect(here);
    }
  }
}

function reasonLabel(reason: string) {
  const known = feedbackReasons.find((candidate) => candidate === reason);
  return known ? feedbackReasonLabels[known] : reason;
}

export default function GapPage() {
  const { gap, query, range, notice, openProblems } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const fieldErrors: Record<string, string> = actionData?.fieldErrors ?? {};
  const { evidence } = gap;
  const settled = gap.state === 'done' || gap.state === 'dismissed';
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link to={`/agent/gaps?${query}`}>Content gaps</Link>
      </nav>
      <header className="page-title-row">
        <div>
          <p className="eyebrow">{gapKindLabels[gap.kind]}</p>
          <h1>{gap.title}</h1>
          <p className="gap-state-line">
            <span className={`status status-gap-${gap.state}`} role="status">
              {gapStateLabels[gap.state]}
            </span>
            {gap.came_back ? <span className="status status-gap-came-back">Came back</span> : null}
            {gap.state === 'done' && gap.done_at ? (
              <span className="muted"> since {formatDay(gap.done_at)}</span>
            ) : null}
            {gap.state === 'dismissed' && gap.reason ? (
              <span className="muted"> · {gap.reason}</span>
            ) : null}
          </p>
        </div>
      </header>
      {notice ? (
        <div className="alert alert-success" role="status">
          {notice}
        </div>
      ) : null}
      <FormError>{actionData?.formError}</FormError>
      <div className="with-sidebar gap-detail">
        <div className="stack">
          <section className="card" aria-labelledby="score-title">
            <h2 id="score-title">
              Score {gap.score}
              <span className="muted gap-range">
                {' '}
                · {formatDay(`${range.from}T00:00:00Z`)} – {formatDay(`${range.to}T00:00:00Z`)}
              </span>
            </h2>
            <p>
              <ScoreExplanation gap={gap} />
              {gap.came_back ? ' — counted since it was done' : ''}
            </p>
            {gap.parts.length > 0 ? (
              <table className="table table-compact">
                <caption className="visually-hidden">How the score adds up</caption>
                <thead>
                  <tr>
                    <th scope="col">Evidence</th>
                    <th scope="col">Count</th>
                    <th scope="col">Weight</th>
                    <th scope="col">Points</th>
                  </tr>
                </thead>
                <tbody>
                  {gap.parts.map((part) => (
                    <tr key={part.label}>
                      <th scope="row">{part.label}</th>
                      <td>{part.count.toLocaleString('en')}</td>
                      <td>{part.weight}</td>
                      <td>{part.points}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
          </section>

          {evidence.queries.length > 0 ? (
            <section className="card" aria-labelledby="queries-title">
              <h2 id="queries-title">What people searched for</h2>
              <table className="table table-compact">
                <thead>
                  <tr>
                    <th scope="col">Query</th>
                    <th scope="col">Searches</th>
                    <th scope="col">Found nothing</th>
                    <th scope="col">Results not opened</th>
                  </tr>
                </thead>
                <tbody>
                  {evidence.queries.slice(0, 20).map((row) => (
                    <tr key={row.query}>
                      <th scope="row">
                        <Link to={`/search?q=${encodeURIComponent(row.query)}`}>{row.query}</Link>
                      </th>
                      <td>{row.searches}</td>
                      <td>{row.zero_results}</td>
                      <td>{row.unclicked}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ) : null}

          {evidence.tickets.length > 0 || evidence.threads.length > 0 ? (
            <ProblemPicker
              open={openProblems}
              label="A defect rather than missing content?"
              button="Link its tickets and questions"
              className="card inline-controls"
            />
          ) : null}

          {evidence.tickets.length > 0 ? (
            <section className="card" aria-labelledby="tickets-title">
              <h2 id="tickets-title">Tickets</h2>
              <ul className="item-list">
                {evidence.tickets.slice(0, 20).map((ticket) => (
                  <li key={ticket.id}>
                    <Link to={`/agent/tickets/${ticket.id}`}>{ticket.subject}</Link>
                    <div className="muted">
                      #{ticket.id} · {ticket.why}
                      {ticket.at ? ` · ${formatDay(ticket.at)}` : ''}
                    </div>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}

          {evidence.threads.length > 0 ? (
            <section className="card" aria-labelledby="threads-title">
              <h2 id="threads-title">
                {gap.kind === 'promote_answer' ? 'The thread' : 'Unanswered questions'}
              </h2>
              <ul className="item-list">
                {evidence.threads.map((thread) => (
                  <li key={thread.id}>
                    <Link to={questionPath(thread)}>{thread.title}</Link>
                    {thread.views ? <div className="muted">{thread.views} views</div> : null}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}

          {evidence.feedback.length > 0 ? (
            <section className="card" aria-labelledby="feedback-title">
              <h2 id="feedback-title">What readers said</h2>
              <ul className="item-list">
                {evidence.feedback.map((item, index) => (
                  <li key={index}>
                    Not helpful
                    {item.reason ? ` — ${reasonLabel(item.reason)}` : ''}
                    {item.comment ? <q className="context-quote">{item.comment}</q> : null}
                    <div className="muted">{formatDay(item.at)}</div>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </div>

        <aside className="sidebar stack" aria-label="What to do">
          <section className="card stack">
            <h2>Fix it</h2>
            {gap.draft ? (
              <p>
                Draft: <Link to={`/agent/articles/${gap.draft.id}`}>{gap.draft.title}</Link>{' '}
                <span className={`status status-${gap.draft.status}`}>
                  {gap.draft.status.replace('_', ' ')}
                </span>
              </p>
            ) : null}
            {evidence.article ? (
              <p>
                Article:{' '}
                <Link to={articlePath(evidence.article.slug)}>{evidence.article.title}</Link>
                {evidence.article.review_due_at ? (
                  <span className="muted">
                    {' '}
                    · review due {formatDay(evidence.article.review_due_at)}
                  </span>
                ) : null}
              </p>
            ) : null}
            {settled ? null : (
              <Form method="post">
                <input
                  type="hidden"
                  name="intent"
                  value={
                    gap.kind === 'missing_content'
                      ? 'write'
                      : gap.kind === 'promote_answer'
                        ? 'promote'
                        : 'review'
                  }
                />
                <button type="submit" className="button button-block" disabled={busy}>
                  {gap.draft && gap.kind === 'missing_content'
                    ? 'Write another draft'
                    : gapActionLabels[gap.kind]}
                </button>
              </Form>
            )}
            {gap.kind === 'missing_content' && !settled ? (
              <p className="muted">
                Opens a new draft with the evidence as a checklist. Publishing it marks this gap as
                done.
              </p>
            ) : null}
            {settled ? (
              <Form method="post">
                <input type="hidden" name="intent" value="reopen" />
                <button
                  type="submit"
                  className="button button-secondary button-block"
                  disabled={busy}
                >
                  Reopen
                </button>
              </Form>
            ) : (
              <Form method="post">
                <input type="hidden" name="intent" value="done" />
                <button
                  type="submit"
                  className="button button-secondary button-block"
                  disabled={busy}
                >
                  Mark as done
                </button>
              </Form>
            )}
          </section>
          {gap.state === 'dismissed' ? null : (
            <section className="card">
              <Form method="post" className="stack">
                <input type="hidden" name="intent" value="dismiss" />
                <Field
                  label="Not a gap? Say why"
                  name="reason"
                  error={fieldErrors.reason}
                  maxLength={300}
                  required
                />
                <button type="submit" className="button button-secondary" disabled={busy}>
                  Dismiss
                </button>
              </Form>
            </section>
          )}
        </aside>
      </div>
    </>
  );
}

export function ErrorBoundary() {
  return (
    <GeneralErrorBoundary
      statusHandlers={{
        404: () => (
          <p>
            This gap has no evidence in the chosen dates and nobody has acted on it. Pick a longer
            range on the dashboard.
          </p>
        ),
      }}
    />
  );
}
