import { fieldInputName, optionsOf, type FieldView } from '~/models/ticket-fields/field-values';
import { CheckboxField, Field, SelectField } from './forms';

/**
 * One input per custom ticket field, named `fields.<key>`, for the contact form, the agent's
 * field card and the macro editor. `values` holds what was saved or typed, by input name.
 */
export function TicketFieldInputs({
  fields,
  values,
  errors,
  required,
}: {
  fields: FieldView[];
  values: Record<string, string | undefined>;
  errors?: Record<string, string | undefined>;
  /** Which flag marks a field as required in this form, for its label. */
  required?: 'required_for_customer' | 'required_to_solve';
}) {
  return fields.map((field) => {
    const name = fieldInputName(field.key);
    const label = required && field[required] ? field.label : `${field.label} (optional)`;
    const common = { label, name, error: errors?.[name], hint: field.hint || undefined };
    const value = values[name] ?? '';
    switch (field.type) {
      case 'dropdown':
        return (
          <SelectField key={field.id} {...common} defaultValue={value}>
            <option value="">—</option>
            {optionsOf(field).map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
            {value && !optionsOf(field).includes(value) ? (
              <option value={value}>{value}</option>
            ) : null}
          </SelectField>
        );
      case 'checkbox':
        return (
          <CheckboxField
            key={field.id}
            {...common}
            label={field.label}
            value="1"
            defaultChecked={value !== '' && value !== '0'}
          />
        );
      case 'number':
        return <Field key={field.id} {...common} inputMode="decimal" defaultValue={value} />;
      case 'date':
        return <Field key={field.id} {...common} type="date" defaultValue={value} />;
      default:
        return <Field key={field.id} {...common} maxLength={500} defaultValue={value} />;
    }
  });
}
