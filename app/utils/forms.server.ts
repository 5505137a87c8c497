import { data } from '@remix-run/node';
import { z } from 'zod';

export type FieldErrors = Record<string, string>;
export type FormValues = Record<string, string>;

export type FormFailure = { fieldErrors: FieldErrors; formError?: string; values: FormValues };

export type ParsedForm<T> = { success: true; data: T } | ({ success: false } & FormFailure);

// Values never echoed back into the page.
const secretFields = new Set(['password', 'currentPassword', 'newPassword', 'clientSecret']);

/** The longest text any form takes (an article body); nothing longer is ever echoed back. */
export const longestFieldLength = 60_000;

/** The most characters a field of this schema accepts, looking through optional() and pipes. */
function maxLengthOf(field: z.core.$ZodType): number | null {
  let current: z.core.$ZodType | undefined = field;
  for (let depth = 0; current && depth < 8; depth += 1) {
    if (current instanceof z.ZodString) return current.maxLength;
    const def: z.core.$ZodTypeDef = current._zod.def;
    current =
      'innerType' in def
        ? (def.innerType as z.core.$ZodType)
        : 'in' in def
          ? (def.in as z.core.$ZodType)
          : undefined;
  }
  return null;
}

/**
 * How much of a field comes back to the page: twice what the field takes (at least 1,000
 * characters), so someone who went over the limit gets their text back to shorten, while a
 * stranger's oversized post is not repeated (a failed form is rendered twice: the HTML and the
 * hydration data).
 */
function echoLimit(field: z.core.$ZodType | undefined): number {
  const max = field ? maxLengthOf(field) : null;
  return max === null ? longestFieldLength : Math.min(longestFieldLength, Math.max(1_000, 2 * max));
}

/**
 * What the user typed, to put back into the form (everything but passwords). With a schema, only
 * its own fields come back, each within its echo limit.
 */
export function formValues(formData: FormData, schema?: z.ZodType): FormValues {
  const shape = schema instanceof z.ZodObject ? schema.shape : null;
  const values: FormValues = {};
  for (const [key, value] of formData) {
    if (typeof value !== 'string' || secretFields.has(key)) continue;
    const field = shape ? shape[key] : undefined;
    if (shape && !field) continue;
    values[key] = value.slice(0, echoLimit(field));
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
  return { success: false, fieldErrors, values: formValues(formData, schema) };
}

/**
 * The one shape every form action answers with when it does not redirect, so each page reads its
 * action data one way: a sentence about the whole form (`formError`) or a success `notice`, one
 * message per field, what was typed, and on pages with several forms, which one answered.
 */
export type FormReply = {
  form: string | null;
  formError: string | null;
  notice: string | null;
  fieldErrors: FieldErrors;
  values: FormValues;
};

export function formReply(status: number, reply: Partial<FormReply> = {}, headers?: HeadersInit) {
  const body: FormReply = {
    form: null,
    formError: null,
    notice: null,
    fieldErrors: {},
    values: {},
    ...reply,
  };
  return data(body, { status, headers });
}

/** The 400 response that puts the form back with its errors and what was typed. */
export function formFailure(failure: FormFailure, status = 400) {
  return formReply(status, {
    fieldErrors: failure.fieldErrors,
    formError: failure.formError ?? null,
    values: failure.values,
  });
}

/** A refusal of the whole form (403, 404, a rule that was broken), said in one sentence. */
export function formError(status: number, message: string, form: string | null = null) {
  return formReply(status, { formError: message, form });
}
