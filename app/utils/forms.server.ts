import { data } from '@remix-run/node';
import type { z } from 'zod';

export type FieldErrors = Record<string, string>;
export type FormValues = Record<string, string>;

export type FormFailure = { fieldErrors: FieldErrors; formError?: string; values: FormValues };

export type ParsedForm<T> = { success: true; data: T } | ({ success: false } & FormFailure);

// Values never echoed back into the page.
const secretFields = new Set(['password', 'currentPassword', 'newPassword']);

/** What the user typed, to put back into the form (everything but passwords). */
export function formValues(formData: FormData): FormValues {
  const values: FormValues = {};
  for (const [key, value] of formData) {
    if (typeof value === 'string' && !secretFields.has(key)) values[key] = value;
  }
  return values;
}

/** Validates a submitted form with a zod schema; on failure, one message per field. */
export function parseForm<S extends z.ZodType>(
  formData: FormData,
  schema: S,
): ParsedForm<z.infer<S>> {
  const input: Record<string, FormDataEntryValue | FormDataEntryValue[]> = {};
  for (const key of new Set(formData.keys())) {
    const all = formData.getAll(key);
    input[key] = all.length > 1 ? all : (all[0] ?? '');
  }
  const result = schema.safeParse(input);
  if (result.success) return { success: true, data: result.data };
  const fieldErrors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? 'form');
    fieldErrors[field] ??= issue.message;
  }
  return { success: false, fieldErrors, values: formValues(formData) };
}

/** The 400 response that puts the form back with its errors and what was typed. */
export function formFailure(failure: FormFailure, status = 400) {
  return data(
    { fieldErrors: failure.fieldErrors, formError: failure.formError, values: failure.values },
    { status },
  );
}
