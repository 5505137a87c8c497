import { describe, expect, test } from 'vitest';
import {
  backlogBucketOf,
  durations,
  formatMinutes,
  percentile,
  shareOf,
} from '~/models/analytics/report-stats';

describe('report arithmetic', () => {
  test('percentiles interpolate between ranks like a spreadsheet’s PERCENTILE.INC', () => {
    const minutes = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    expect(percentile(minutes, 50)).toBe(55);
    expect(percentile(minutes, 90)).toBeCloseTo(91);
    expect(percentile([100, 10, 40], 50)).toBe(40);
    expect(percentile([7], 90)).toBe(7);
    expect(percentile([], 50)).toBe(null);
  });

  test('durations round to whole minutes and say how many tickets they are of', () => {
    expect(durations([30, 45, 120, 600])).toEqual({ tickets: 4, median: 83, p90: 456 });
    expect(durations([])).toEqual({ tickets: 0, median: null, p90: null });
  });

  test('a share of nothing is null, not 0 or NaN', () => {
    expect(shareOf(3, 4)).toBe(0.75);
    expect(shareOf(0, 4)).toBe(0);
    expect(shareOf(0, 0)).toBe(null);
  });

  test('open tickets fall into age buckets by calendar time, edges into the older bucket', () => {
    const now = new Date('2026-03-20T12:00:00Z');
    const ago = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
    expect(backlogBucketOf(ago(23), now)).toBe('under_1_day');
    expect(backlogBucketOf(ago(24), now)).toBe('1_to_3_days');
    expect(backlogBucketOf(ago(71), now)).toBe('1_to_3_days');
    expect(backlogBucketOf(ago(72), now)).toBe('3_to_7_days');
    expect(backlogBucketOf(ago(7 * 24), now)).toBe('over_7_days');
    expect(backlogBucketOf(ago(400 * 24), now)).toBe('over_7_days');
  });

  test('business minutes read as minutes, hours and minutes, or whole hours', () => {
    expect(formatMinutes(null)).toBe('—');
    expect(formatMinutes(0)).toBe('0 min');
    expect(formatMinutes(45)).toBe('45 min');
    expect(formatMinutes(120)).toBe('2 h');
    expect(formatMinutes(135)).toBe('2 h 15 min');
    expect(formatMinutes(1530)).toBe('26 h');
  });
});
