import { describe, expect, test } from 'vitest';
import {
  jsonFieldValue,
  keyFromLabel,
  parseFieldValue,
  type FieldShape,
} from '~/models/ticket-fields/field-values';

const field = (type: FieldShape['type'], options = ''): FieldShape => ({
  key: 'f',
  label: 'Field',
  type,
  options,
});

describe('custom field values', () => {
  test('numbers come back plain; words, commas and overflow are refused', () => {
    expect(parseFieldValue(field('number'), ' 1e3 ')).toEqual({ ok: true, value: '1000' });
    expect(parseFieldValue(field('number'), '-3.50')).toEqual({ ok: true, value: '-3.5' });
    expect(parseFieldValue(field('number'), 42)).toEqual({ ok: true, value: '42' });
    for (const bad of ['1,5', 'Infinity', 'NaN', '0x10', '1e400', '12 seats'])
      expect(parseFieldValue(field('number'), bad)).toMatchObject({ ok: false });
  });

  test('dates must exist on the calendar', () => {
    expect(parseFieldValue(field('date'), '2028-02-29')).toEqual({ ok: true, value: '2028-02-29' });
    expect(parseFieldValue(field('date'), '2027-02-29')).toMatchObject({ ok: false });
    expect(parseFieldValue(field('date'), '31/12/2026')).toMatchObject({ ok: false });
  });

  test('a dropdown takes one of its choices; a checkbox is ticked or has no value', () => {
    const plan = field('dropdown', 'Starter\n Pro \n');
    expect(parseFieldValue(plan, 'Pro')).toEqual({ ok: true, value: 'Pro' });
    expect(parseFieldValue(plan, 'pro')).toEqual({
      ok: false,
      error: 'Field: choose one of Starter, Pro.',
    });
    expect(parseFieldValue(field('checkbox'), true)).toEqual({ ok: true, value: '1' });
    expect(parseFieldValue(field('checkbox'), 'on')).toEqual({ ok: true, value: '1' });
    expect(parseFieldValue(field('checkbox'), false)).toEqual({ ok: true, value: null });
    expect(parseFieldValue(field('checkbox'), 'maybe')).toMatchObject({ ok: false });
    expect(jsonFieldValue(field('checkbox'), null)).toBe(false);
  });

  test('empty is no value, and text has a limit', () => {
    expect(parseFieldValue(field('text'), '   ')).toEqual({ ok: true, value: null });
    expect(parseFieldValue(field('text'), 'x'.repeat(501))).toMatchObject({ ok: false });
    expect(parseFieldValue(field('text'), { nested: true })).toEqual({
      ok: false,
      error: 'Field: use text.',
    });
  });

  test('keys are made from labels', () => {
    expect(keyFromLabel('Order number')).toBe('order_number');
    expect(keyFromLabel('  2nd Café line! ')).toBe('nd_cafe_line');
    expect(keyFromLabel('日本語')).toBe('field');
  });
});
