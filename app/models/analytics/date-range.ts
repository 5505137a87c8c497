import { z } from 'zod';

/** The range of UTC days a dashboard page or API call asks for, and the days in it. */

const dayMs = 86_400_000;
const isoDay = /^\d{4}-\d{2}-\d{2}$/;

export type RangeKey = '7' | '30' | '90' | 'custom';
export type DateRange = { key: RangeKey; from: string; to: string; days: number };

export const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00.000Z`) + days * dayMs).toISOString().slice(0, 10);

/** The first instant of the range and the first instant after it. */
export function rangeBounds(range: DateRange) {
  return { start: `${range.from}T00:00:00.000Z`, end: `${addDays(range.to, 1)}T00:00:00.000Z` };
}

export function daysOf(range: DateRange): string[] {
  return Array.from({ length: range.days }, (_, index) => addDays(range.from, index));
}

const rangeParams = z.object({
  range: z.enum(['7', '30', '90', 'custom']).catch('30'),
  from: z.string().regex(isoDay).optional().catch(undefined),
  to: z.string().regex(isoDay).optional().catch(undefined),
});

/**
 * The range a page or API call asks for: the last 7, 30 or 90 days (today included) or custom
 * days. A custom range that makes no sense falls back to 30 days, with a message saying why.
 */
export function parseRange(
  params: URLSearchParams,
  now = new Date(),
): { range: DateRange; error: string | null } {
  const today = now.toISOString().slice(0, 10);
  const parsed = rangeParams.parse(Object.fromEntries(params));
  const last = (days: 7 | 30 | 90): DateRange => ({
    key: String(days) as RangeKey,
    from: addDays(today, 1 - days),
    to: today,
    days,
  });
  if (parsed.range !== 'custom')
    return { range: last(Number(parsed.range) as 7 | 30 | 90), error: null };
  const { from, to } = parsed;
  const valid = (day: string | undefined): day is string =>
    day !== undefined &&
    !Number.isNaN(Date.parse(`${day}T00:00:00.000Z`)) &&
    addDays(day, 0) === day;
  if (!valid(from) || !valid(to))
    return { range: last(30), error: 'Give both dates of a custom range, like 2026-10-01.' };
  if (from > to) return { range: last(30), error: 'The start of the range is after its end.' };
  const end = to > today ? today : to;
  if (from > end) return { range: last(30), error: 'The range is in the future.' };
  const days = Math.round((Date.parse(end) - Date.parse(from)) / dayMs) + 1;
  if (days > 366) return { range: last(30), error: 'Choose at most a year.' };
  return { range: { key: 'custom', from, to: end, days }, error: null };
}

/** Query-string form of a range, for links that keep it. */
export function rangeQuery(range: DateRange): string {
  return range.key === 'custom'
    ? `range=custom&from=${range.from}&to=${range.to}`
    : `range=${range.key}`;
}
