import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { safeRedirect } from '~/auth/session.server';
import { requireIdParam } from '~/utils/params';
import { parseForm } from '~/utils/forms.server';
import { slugify } from '~/utils/slug';

describe('slugify', () => {
  test('makes lowercase ASCII words joined by dashes', () => {
    expect(slugify('  Invoices & Payments ')).toBe('invoices-payments');
    expect(slugify('Crème brûlée 101')).toBe('creme-brulee-101');
    expect(slugify('日本語')).toBe('');
  });
});

describe('safeRedirect', () => {
  test('follows paths on this site only', () => {
    expect(safeRedirect('/admin/users?q=a')).toBe('/admin/users?q=a');
    expect(safeRedirect('//evil.example')).toBe('/');
    expect(safeRedirect('/\\evil.example')).toBe('/');
    expect(safeRedirect('https://evil.example')).toBe('/');
    expect(safeRedirect(null, '/home')).toBe('/home');
  });
});

describe('parseForm', () => {
  const schema = z.object({
    name: z.string().min(2, 'Too short.'),
    password: z.string().min(8, 'Weak.'),
  });

  test('returns one message per field and keeps what was typed, except passwords', () => {
    const form = new FormData();
    form.set('name', 'a');
    form.set('password', 'secret');
    const parsed = parseForm(form, schema);
    expect(parsed).toEqual({
      success: false,
      fieldErrors: { name: 'Too short.', password: 'Weak.' },
      values: { name: 'a' },
    });
  });

  test('returns the parsed data when valid', () => {
    const form = new FormData();
    form.set('name', 'Ada');
    form.set('password', 'long enough');
    expect(parseForm(form, schema)).toEqual({
      success: true,
      data: { name: 'Ada', password: 'long enough' },
    });
  });
});

describe('requireIdParam', () => {
  test('accepts positive integers and answers 404 for anything else', () => {
    expect(requireIdParam('42')).toBe(42);
    for (const bad of [undefined, '', '0', '-3', '4.5', '1e2', 'abc', '9'.repeat(20)]) {
      expect(() => requireIdParam(bad)).toThrow(Response);
    }
  });
});
