import { Form } from '@remix-run/react';
import type { ProblemState } from '#db/schema';

/** For the team: link the question to an open known issue, or unlink it. */
export function ProblemLinkForm({
  linked,
  open,
}: {
  linked: { id: number; title: string } | null;
  open: { id: number; title: string; state: ProblemState }[];
}) {
  if (linked)
    return (
      <Form method="post" className="staff-stats inline-controls" aria-label="Known issue link">
        <input type="hidden" name="intent" value="problem" />
        <span className="badge badge-soft">Team</span>
        <button
          type="submit"
          name="unlink"
          value="1"
          className="button button-small button-secondary"
        >
          Unlink from the known issue
        </button>
      </Form>
    );
  if (open.length === 0) return null;
  return (
    <Form method="post" className="staff-stats inline-controls" aria-label="Known issue link">
      <input type="hidden" name="intent" value="problem" />
      <span className="badge badge-soft">Team</span>
      <label htmlFor="thread-problem">Reports a known issue?</label>
      <select id="thread-problem" name="problemId" defaultValue="">
        <option value="" disabled>
          Choose one…
        </option>
        {open.map((problem) => (
          <option key={problem.id} value={problem.id}>
            {problem.title}
          </option>
        ))}
      </select>
      <button type="submit" className="button button-small button-secondary">
        Link
      </button>
    </Form>
  );
}
