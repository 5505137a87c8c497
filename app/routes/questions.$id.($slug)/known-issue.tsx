import { Form } from '@remix-run/react';
import type { ProblemState } from '#db/schema';
import { ProblemPicker } from '~/components/problem-picker';

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
  return (
    <ProblemPicker
      open={open}
      label="Reports a known issue?"
      button="Link"
      className="staff-stats inline-controls"
      before={<span className="badge badge-soft">Team</span>}
    />
  );
}
