import { Form, Link } from '@remix-run/react';
import { FormError } from '~/components/forms';
import { ProblemPicker } from '~/components/problem-picker';
import { ProblemState } from '~/components/problem-state';
import type { FormReply } from '~/utils/forms.server';
import type { AgentTicketData as Page } from './route';

/** The known issue this ticket reports: linked, or a choice of the open ones and a new one. */
export function ProblemCard({ page, reply }: { page: Page; reply?: FormReply }) {
  const { problem, openProblems, ticket } = page;
  return (
    <section className="card side-card" aria-labelledby="problem-title">
      <h2 id="problem-title">Known issue</h2>
      <FormError>{reply?.formError}</FormError>
      {problem ? (
        <Form method="post" className="stack-small">
          <input type="hidden" name="intent" value="problem" />
          <p>
            <Link to={`/agent/problems/${problem.id}`}>{problem.title}</Link>{' '}
            <ProblemState state={problem.state} />
          </p>
          <div>
            <button
              type="submit"
              name="unlink"
              value="1"
              className="button button-small button-secondary"
            >
              Unlink
            </button>
          </div>
        </Form>
      ) : (
        <>
          {openProblems.length > 0 ? (
            <ProblemPicker
              open={openProblems}
              label="Part of a known issue?"
              button="Link"
              className="stack-small"
            />
          ) : (
            <p className="muted">No open known issues.</p>
          )}
          <p>
            <Link to={`/agent/problems/new?ticket=${ticket.id}`}>
              New known issue from this ticket
            </Link>
          </p>
        </>
      )}
    </section>
  );
}
