import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { requireIdParam } from '~/utils/params';
import { parseForm } from '~/utils/forms.server';
import { refererPath, safeRedirect } from '~/utils/safe-redirect';
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

  // Finding 2 of the outside probe: `/\t/evil.example` got through and Chromium went to evil.example.
  test('refuses targets a browser would read as another host, after tabs, newlines, backslashes and dot segments', () => {
    for (const target of [
      '/\t/evil.example',
      '/\n/evil.example',
      '/\r\n/evil.example',
      '/\t\\evil.example',
      '\\/evil.example',
      '/.//evil.example',
      '/./\\evil.example',
      '/ /evil.example',
      '/%09/evil.example'.replace('%09', '\u0009'),
    ]) {
      const result = safeRedirect(target);
      expect(new URL(result, 'https://help.example').host, JSON.stringify(target)).toBe(
        'help.example',
      );
      expect(result, JSON.stringify(target)).not.toMatch(/^\/\/|^\/\\|[\s]/);
    }
  });

  test('always returns a value that is a valid Location header (ASCII, no control characters)', () => {
    for (const target of [
      '/\n',
      '/questions/ask\r\nSet-Cookie: x=1',
      '/kb/crème-brûlée',
      '/ü/日本語?q=ñ#ä',
    ]) {
      const result = safeRedirect(target);
      expect(result, JSON.stringify(target)).toMatch(/^\/[\x21-\x7e]*$/);
      expect(() => new Headers({ Location: result })).not.toThrow();
    }
    expect(safeRedirect('/kb/crème')).toBe('/kb/cr%C3%A8me');
  });

  test('a Referer is followed only when it is a URL on this site', () => {
    const request = (referer: string) =>
      new Request('https://help.example/warnings', { method: 'POST', headers: { referer } });
    expect(refererPath(request('https://help.example/questions/3?tab=new'))).toBe(
      '/questions/3?tab=new',
    );
    expect(refererPath(request('not a url'))).toBe('/');
    expect(refererPath(request('https://evil.example/questions/3'))).toBe('/');
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

  // Finding 1 of the outside probe: a 20 MB field came back twice in a 42 MB reply.
  test("echoes only the schema's fields, each cut to twice what the field takes (at least 1,000 characters)", () => {
    const limited = z.object({
      login: z.string().trim().max(254, 'Too long.'),
      note: z.string().max(800).optional(),
    });
    const form = new FormData();
    form.set('login', 'a'.repeat(100_000));
    form.set('note', 'b'.repeat(5_000));
    form.set('stranger', 'c'.repeat(1_000));
    const parsed = parseForm(form, limited);
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    expect(parsed.values).toEqual({ login: 'a'.repeat(1_000), note: 'b'.repeat(1_600) });
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
