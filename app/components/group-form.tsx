import { Form, useNavigation } from '@remix-run/react';
import { Field, SelectField, TextAreaField } from './forms';
import { joinPolicies, joinPolicyLabels } from '~/models/group-words';

type Values = { name?: string; description?: string; joinPolicy?: string };

export function GroupForm({
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
        maxLength={80}
      />
      <TextAreaField
        label="Description"
        name="description"
        rows={2}
        defaultValue={values?.description}
        error={errors?.description}
        hint="Who the group is for. People who may ask to join read it."
        maxLength={500}
      />
      <SelectField
        label="Joining"
        name="joinPolicy"
        defaultValue={values?.joinPolicy ?? 'closed'}
        error={errors?.joinPolicy}
      >
        {joinPolicies.map((policy) => (
          <option key={policy} value={policy}>
            {joinPolicyLabels[policy]}
          </option>
        ))}
      </SelectField>
      <div>
        <button type="submit" className="button" disabled={busy}>
          {submitLabel}
        </button>
      </div>
    </Form>
  );
}
