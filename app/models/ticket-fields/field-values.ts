import type { TicketFieldType } from '#db/schema';

/**
 * What a custom ticket field accepts, and how its value reads. Pure, so the forms, the server and
 * the API check values the same way. Values are kept as text: '42', 'Pro', '1' (a ticked
 * checkbox; unticked has no value), '2026-12-31'.
 */

export type FieldShape = { key: string; label: string; type: TicketFieldType; options: string };

export const fieldTypeLabels: Record<TicketFieldType, string> = {
  text: 'Text',
  number: 'Number',
  dropdown: 'Dropdown',
  checkbox: 'Checkbox',
  date: 'Date',
};

/** The form input (and field-error key) of a field: `fields.plan`. */
export const fieldInputName = (key: string) => `fields.${key}`;

/** The desk's filter parameter of a field: `?f.plan=Pro`. */
export const fieldParam = (key: string) => `f.${key}`;

export const longestFieldText = 500;

/** A dropdown's choices, one per line. */
export function optionsOf(field: Pick<FieldShape, 'options'>): string[] {
  return field.options
    .split('\n')
    .map((option) => option.trim())
    .filter((option) => option !== '');
}

const isDate = (text: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
};

/**
 * Checks one submitted value against its field. Empty (or an unticked checkbox) is no value:
 * `null`. Numbers come back in their plain form ('1e3' → '1000').
 */
export function parseFieldValue(
  field: FieldShape,
  raw: unknown,
): { ok: true; value: string | null } | { ok: false; error: string } {
  if (raw === undefined || raw === null) return { ok: true, value: null };
  if (field.type === 'checkbox') {
    if (raw === true || raw === 1) return { ok: true, value: '1' };
    if (raw === false || raw === 0) return { ok: true, value: null };
  }
  if (typeof raw === 'number' && field.type === 'number' && Number.isFinite(raw))
    return { ok: true, value: String(raw) };
  if (typeof raw !== 'string') return { ok: false, error: `${field.label}: use text.` };
  const text = raw.trim();
  if (text === '') return { ok: true, value: null };
  switch (field.type) {
    case 'text':
      return text.length > longestFieldText
        ? { ok: false, error: `${field.label}: use at most ${longestFieldText} characters.` }
        : { ok: true, value: text };
    case 'number': {
      const number = Number(text);
      return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text) &&
        Number.isFinite(number) &&
        Math.abs(number) < 1e15
        ? { ok: true, value: String(number) }
        : { ok: false, error: `${field.label}: use a number, like 42 or 3.5.` };
    }
    case 'dropdown': {
      const options = optionsOf(field);
      return options.includes(text)
        ? { ok: true, value: text }
        : { ok: false, error: `${field.label}: choose one of ${options.join(', ')}.` };
    }
    case 'checkbox':
      return ['1', 'on', 'true', 'yes'].includes(text.toLowerCase())
        ? { ok: true, value: '1' }
        : ['0', 'off', 'false', 'no'].includes(text.toLowerCase())
          ? { ok: true, value: null }
          : { ok: false, error: `${field.label}: tick it or leave it unticked.` };
    case 'date':
      return isDate(text)
        ? { ok: true, value: text }
        : { ok: false, error: `${field.label}: use a date like 2026-12-31.` };
  }
}

/** A value as people read it: a ticked checkbox is "Yes". */
export function displayFieldValue(field: Pick<FieldShape, 'type'>, value: string | null): string {
  if (value === null) return '';
  return field.type === 'checkbox' ? (value === '1' ? 'Yes' : '') : value;
}

/** A value as the API and webhooks give it: numbers and checkboxes in their JSON types. */
export function jsonFieldValue(
  field: Pick<FieldShape, 'type'>,
  value: string | null,
): string | number | boolean | null {
  if (field.type === 'checkbox') return value === '1';
  if (value === null) return null;
  return field.type === 'number' ? Number(value) : value;
}

/** A key made from a label: "Order number" → `order_number`. */
export function keyFromLabel(label: string): string {
  const key = label
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+|_+$/g, '')
    .slice(0, 40);
  return key || 'field';
}

/** What forms need of a field (no server types in the browser). */
export type FieldView = FieldShape & {
  id: number;
  hint: string;
  required_for_customer: 0 | 1;
  required_to_solve: 0 | 1;
};
