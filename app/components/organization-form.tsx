import { Form, useNavigation } from '@remix-run/react';
import { Field, TextAreaField } from './forms';

type Values = { name?: string; domains?: string };

export function OrganizationForm({
  values,
  errors,
  submitLabel,
}: {
  values?: Values;
  errors?: Record<string, string>;
  submitLabel: string;
}) {
  const busy = useNavigation().state === 'submitting';
  return (
    <Form method="post" className="stack" noValidate>
      <input type="hidden" name="intent" value="save" />
      <Field
        label="Name"
        name="name"
        defaultValue={values?.name}
        error={errors?.name}
        required
        maxLength={100}
      />
      <TextAreaField
        label="Email domains"
        name="domains"
        rows={2}
        defaultValue={values?.domains}
        error={errors?.domains}
        hint="Separate with commas or spaces, like acme.com, acme.co.uk. People who sign up with one of these domains join this organization."
      />
      <div>
        <button type="submit" className="button" disabled={busy}>
          {submitLabel}
        </button>
      </div>
    </Form>
  );
}
