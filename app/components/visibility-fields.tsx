import { useId, useRef } from 'react';
import { visibilities } from '#db/schema';
import { visibilityHints, visibilityLabels } from '~/models/visibility-form';

type Option = { id: number; name: string };

/**
 * Who may see a category or an article: four choices, and the groups and organisations to list.
 * The lists sit in a <details> so the form works without JavaScript; choosing "listed" opens it.
 */
export function VisibilityFields({
  values,
  error,
  groups,
  organizations,
  subject,
}: {
  values: { visibility?: string; groupIds?: string; organizationIds?: string };
  error?: string;
  groups: Option[];
  organizations: Option[];
  subject: 'category' | 'article';
}) {
  const details = useRef<HTMLDetailsElement>(null);
  const errorId = `${useId()}-error`;
  const chosen = values.visibility || 'public';
  return (
    <fieldset className={error ? 'choices field-invalid' : 'choices'}>
      <legend>Who may see this {subject}</legend>
      {visibilities.map((visibility) => (
        <label className="choice" key={visibility}>
          <input
            type="radio"
            name="visibility"
            value={visibility}
            defaultChecked={chosen === visibility}
            aria-describedby={error ? errorId : undefined}
            onChange={() => {
              if (visibility === 'audience' && details.current) details.current.open = true;
            }}
          />
          <span>
            {visibilityLabels[visibility]}{' '}
            <span className="muted">— {visibilityHints[visibility]}</span>
          </span>
        </label>
      ))}
      {error ? (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      ) : null}
      <details ref={details} open={chosen === 'audience'}>
        <summary>Groups and organisations to list</summary>
        <div className="field-row">
          <Checklist
            legend="Groups"
            name="groupIds"
            options={groups}
            chosen={values.groupIds}
            empty="No groups yet."
          />
          <Checklist
            legend="Organisations"
            name="organizationIds"
            options={organizations}
            chosen={values.organizationIds}
            empty="No organisations yet."
          />
        </div>
      </details>
    </fieldset>
  );
}

/** Checkboxes for some of these options; `chosen` holds the ids ticked, space-separated. */
function Checklist({
  legend,
  name,
  options,
  chosen,
  empty,
}: {
  legend: string;
  name: string;
  options: Option[];
  chosen: string | undefined;
  empty: string;
}) {
  const ticked = new Set((chosen ?? '').split(' '));
  return (
    <fieldset className="choices">
      <legend>{legend}</legend>
      {options.length === 0 ? <p className="muted">{empty}</p> : null}
      {options.map((option) => (
        <label className="choice" key={option.id}>
          <input
            type="checkbox"
            name={name}
            value={option.id}
            defaultChecked={ticked.has(String(option.id))}
          />
          {option.name}
        </label>
      ))}
    </fieldset>
  );
}
