import {
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';
import type { PageNotice } from '~/models/moderation-notices.server';

type FieldFrame = { label: string; name: string; error?: string; hint?: ReactNode; id?: string };

type ControlProps = {
  id: string;
  name: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
};

/** A field's error and hint under its control, with the ids its control points to. */
function FieldNotes({
  error,
  errorId,
  hint,
  hintId,
}: {
  error?: string;
  errorId?: string;
  hint?: ReactNode;
  hintId?: string;
}) {
  return (
    <>
      {error ? (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      ) : null}
      {hint ? (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      ) : null}
    </>
  );
}

/** Label, control, error and hint, wired so screen readers announce the error with the control. */
function FieldLayout({
  label,
  name,
  error,
  hint,
  id,
  control,
}: FieldFrame & { control: (props: ControlProps) => ReactNode }) {
  const generatedId = useId();
  const controlId = id ?? generatedId;
  const hintId = hint ? `${controlId}-hint` : undefined;
  const errorId = error ? `${controlId}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={controlId}>{label}</label>
      {control({
        id: controlId,
        name,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': describedBy,
      })}
      <FieldNotes {...{ error, errorId, hint, hintId }} />
    </div>
  );
}

type Without<T> = Omit<T, 'name' | 'id'>;

export function Field({
  label,
  name,
  error,
  hint,
  id,
  ...input
}: FieldFrame & Without<InputHTMLAttributes<HTMLInputElement>>) {
  return (
    <FieldLayout
      {...{ label, name, error, hint, id }}
      control={(props) => <input {...props} {...input} />}
    />
  );
}

export function TextAreaField({
  label,
  name,
  error,
  hint,
  id,
  ...textarea
}: FieldFrame & Without<TextareaHTMLAttributes<HTMLTextAreaElement>>) {
  return (
    <FieldLayout
      {...{ label, name, error, hint, id }}
      control={(props) => <textarea {...props} {...textarea} />}
    />
  );
}

export function SelectField({
  label,
  name,
  error,
  hint,
  id,
  children,
  ...select
}: FieldFrame & Without<SelectHTMLAttributes<HTMLSelectElement>>) {
  return (
    <FieldLayout
      {...{ label, name, error, hint, id }}
      control={(props) => (
        <select {...props} {...select}>
          {children}
        </select>
      )}
    />
  );
}

/** A checkbox with its label beside it, and an error and hint under it. */
export function CheckboxField({
  label,
  name,
  error,
  hint,
  id,
  ...input
}: FieldFrame & Without<InputHTMLAttributes<HTMLInputElement>>) {
  const generatedId = useId();
  const controlId = id ?? generatedId;
  const errorId = error ? `${controlId}-error` : undefined;
  const hintId = hint ? `${controlId}-hint` : undefined;
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label className="choice" htmlFor={controlId}>
        <input
          type="checkbox"
          id={controlId}
          name={name}
          aria-invalid={error ? true : undefined}
          aria-describedby={[errorId, hintId].filter(Boolean).join(' ') || undefined}
          {...input}
        />{' '}
        {label}
      </label>
      <FieldNotes {...{ error, errorId, hint, hintId }} />
    </div>
  );
}

/** An editor's Save button, and Remove (intent `archive`) once the thing exists. */
export function SaveAndRemove({
  save,
  removable,
  busy,
}: {
  save: string;
  removable: boolean;
  busy: boolean;
}) {
  return (
    <div className="button-row">
      <button type="submit" className="button" disabled={busy}>
        {save}
      </button>
      {removable ? (
        <button
          type="submit"
          name="intent"
          value="archive"
          className="button button-danger"
          disabled={busy}
        >
          Remove
        </button>
      ) : null}
    </div>
  );
}

export function FormError({ children }: { children?: ReactNode }) {
  if (!children) return null;
  return (
    <div className="alert alert-error" role="alert">
      {children}
    </div>
  );
}

export function Notice({ children }: { children?: ReactNode }) {
  if (!children) return null;
  return (
    <div className="alert alert-success" role="status">
      {children}
    </div>
  );
}

/** Notices a loader worded for this visit (see moderationNotices). */
export function PageNotices({ notices }: { notices: PageNotice[] }) {
  return notices.map((notice) =>
    notice.tone === 'error' ? (
      <FormError key={notice.text}>{notice.text}</FormError>
    ) : (
      <Notice key={notice.text}>{notice.text}</Notice>
    ),
  );
}
