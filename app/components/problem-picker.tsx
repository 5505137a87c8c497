import { Form } from '@remix-run/react';
import { useId, type ReactNode } from 'react';

/** A form that links something to one of the open known issues (intent `problem`). */
export function ProblemPicker({
  open,
  label,
  button,
  className = 'inline-controls',
  before,
}: {
  /** Those similar to the page's subject are offered first. */
  open: { id: number; title: string; similar?: boolean }[];
  label: string;
  button: string;
  className?: string;
  /** Shown first in the form (a badge). */
  before?: ReactNode;
}) {
  const id = useId();
  if (open.length === 0) return null;
  const similar = open.filter((problem) => problem.similar);
  const others = open.filter((problem) => !problem.similar);
  return (
    <Form method="post" className={className} aria-label="Known issue link">
      <input type="hidden" name="intent" value="problem" />
      {before}
      <label htmlFor={id}>{label}</label>
      <select id={id} name="problemId" defaultValue="">
        <option value="" disabled>
          Choose a known issue…
        </option>
        {similar.length > 0 ? (
          <optgroup label="Similar">
            {similar.map((problem) => (
              <option key={problem.id} value={problem.id}>
                {problem.title}
              </option>
            ))}
          </optgroup>
        ) : null}
        <optgroup label={similar.length > 0 ? 'Other open known issues' : 'Open known issues'}>
          {others.map((problem) => (
            <option key={problem.id} value={problem.id}>
              {problem.title}
            </option>
          ))}
        </optgroup>
      </select>
      <button type="submit" className="button button-small button-secondary">
        {button}
      </button>
    </Form>
  );
}
