/** The scopes a new API token may get, as checkboxes with what each allows. */
export function ScopeChoices({
  scopes,
  checked,
  error,
}: {
  scopes: Array<{ scope: string; label: string }>;
  checked: string[];
  error?: string | null;
}) {
  return (
    <fieldset className="choices">
      <legend>Scopes</legend>
      {scopes.map(({ scope, label }) => (
        <label className="choice" key={scope}>
          <input
            type="checkbox"
            name="scopes"
            value={scope}
            defaultChecked={checked.includes(scope)}
          />{' '}
          <code>{scope}</code> — {label}
        </label>
      ))}
      {error ? <p className="field-error">{error}</p> : null}
    </fieldset>
  );
}
