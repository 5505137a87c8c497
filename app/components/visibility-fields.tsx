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
  const checked = (list: string | undefined, id: number) =>
    (list ?? '').split(' ').includes(String(id));
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
          <fieldset className="choices">
            <legend>Groups</legend>
            {groups.length === 0 ? <p className="muted">No groups yet.</p> : null}
            {groups.map((group) => (
              <label className="choice" key={group.id}>
                <input
                  type="checkbox"
                  name="groupIds"
                  value={group.id}
                  defaultChecked={checked(values.groupIds, group.id)}
                />
                {group.name}
              </label>
            ))}
          </fieldset>
          <fieldset className="choices">
            <legend>Organisations</legend>
            {organizations.length === 0 ? <p className="muted">No organisations yet.</p> : null}
            {organizations.map((organization) => (
              <label className="choice" key={organization.id}>
                <input
                  type="checkbox"
                  name="organizationIds"
                  value={organization.id}
                  defaultChecked={checked(values.organizationIds, organization.id)}
                />
                {organization.name}
              </label>
            ))}
          </fieldset>
        </div>
      </details>
    </fieldset>
  );
}
