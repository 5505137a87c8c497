import type { ReactNode } from 'react';
import { Form, useNavigation } from '@remix-run/react';
import { Field, TextAreaField } from './forms';

type Values = { name?: string; slug?: string; description?: string; position?: string };

export function CategoryForm({
  values,
  errors,
  submitLabel,
  children,
}: {
  values?: Values;
  errors?: Record<string, string>;
  submitLabel: string;
  /** More fields (who may see the category), before the button. */
  children?: ReactNode;
}) {
  const busy = useNavigation().state === 'submitting';
  return (
    <Form method="post" className="stack" noValidate>
      <input type="hidden" name="intent" value="save" />
      <div className="field-row">
        <Field
          label="Name"
          name="name"
          defaultValue={values?.name}
          error={errors?.name}
          required
          maxLength={60}
        />
        <Field
          label="Slug"
          name="slug"
          defaultValue={values?.slug}
          error={errors?.slug}
          hint="Used in links. Leave empty to make one from the name."
          maxLength={60}
        />
      </div>
      <TextAreaField
        label="Description"
        name="description"
        rows={2}
        defaultValue={values?.description}
        error={errors?.description}
        hint="One sentence that tells customers what belongs here."
        maxLength={300}
      />
      <Field
        label="Position"
        name="position"
        type="number"
        inputMode="numeric"
        min={0}
        defaultValue={values?.position ?? '0'}
        error={errors?.position}
        hint="Lower numbers come first."
      />
      {children}
      <div>
        <button type="submit" className="button" disabled={busy}>
          {submitLabel}
        </button>
      </div>
    </Form>
  );
}
