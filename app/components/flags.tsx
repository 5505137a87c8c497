import { Form, useLocation } from '@remix-run/react';
import { useId } from 'react';
import type { FlagTarget } from '#db/schema';
import { flagReasonLabels } from '~/models/moderation-labels';

/** "Flag": a small form that sends a flag to the moderators and comes back to this spot. */
export function FlagControl({
  targetType,
  targetId,
  anchor,
}: {
  targetType: FlagTarget;
  targetId: number;
  anchor?: string;
}) {
  const id = useId();
  const location = useLocation();
  const params = new URLSearchParams(location.search);
  params.delete('flagged');
  params.delete('flagError');
  const query = params.toString();
  const returnTo = `${location.pathname}${query ? `?${query}` : ''}${anchor ? `#${anchor}` : ''}`;
  return (
    <details className="flag-control">
      <summary>Flag</summary>
      <Form method="post" action="/flags" className="flag-form">
        <input type="hidden" name="targetType" value={targetType} />
        <input type="hidden" name="targetId" value={targetId} />
        <input type="hidden" name="returnTo" value={returnTo} />
        <fieldset className="choices">
          <legend>What is wrong with it?</legend>
          {(Object.keys(flagReasonLabels) as (keyof typeof flagReasonLabels)[]).map((reason) => (
            <label key={reason} className="choice">
              <input type="radio" name="reason" value={reason} required />{' '}
              {flagReasonLabels[reason]}
            </label>
          ))}
        </fieldset>
        <label htmlFor={`${id}-text`} className="visually-hidden">
          Details
        </label>
        <textarea
          id={`${id}-text`}
          name="text"
          rows={2}
          maxLength={500}
          placeholder="Details for the moderators (needed for “Something else”)"
        />
        <button type="submit" className="button button-small button-secondary">
          Flag for moderators
        </button>
      </Form>
    </details>
  );
}
