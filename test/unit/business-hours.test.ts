import { describe, expect, test } from 'vitest';
import {
  addBusinessMinutes,
  businessMinutesBetween,
  instantOf,
  isTimeZone,
  type BusinessHours,
} from '~/models/sla/business-hours';

const nineToFive = { open: 9 * 60, close: 17 * 60 };
const berlinWeekdays: BusinessHours = {
  timeZone: 'Europe/Berlin',
  days: [null, nineToFive, nineToFive, nineToFive, nineToFive, nineToFive, null],
};
const at = (iso: string) => new Date(iso);

describe('business hours', () => {
  test('a target that does not fit in Friday continues on Monday morning', () => {
    // Friday 16:00 in Berlin (winter, UTC+1) plus two business hours: Monday 10:00.
    expect(addBusinessMinutes(at('2026-01-16T15:00:00Z'), 120, berlinWeekdays)).toEqual(
      at('2026-01-19T09:00:00Z'),
    );
  });

  test('the weekend the clocks go forward: Monday 10:00 is 08:00 UTC, not 09:00', () => {
    // Berlin moves from UTC+1 to UTC+2 on Sunday 29 March 2026.
    expect(addBusinessMinutes(at('2026-03-27T15:00:00Z'), 120, berlinWeekdays)).toEqual(
      at('2026-03-30T08:00:00Z'),
    );
  });

  test('the weekend the clocks go back: Monday 10:00 is 09:00 UTC', () => {
    // Berlin moves from UTC+2 to UTC+1 on Sunday 25 October 2026.
    expect(addBusinessMinutes(at('2026-10-23T14:00:00Z'), 120, berlinWeekdays)).toEqual(
      at('2026-10-26T09:00:00Z'),
    );
  });

  test('a ticket filed at night starts its clock at the next opening', () => {
    // Tuesday 22:00 Berlin: the first hour ends Wednesday 10:00.
    expect(addBusinessMinutes(at('2026-01-20T21:00:00Z'), 60, berlinWeekdays)).toEqual(
      at('2026-01-21T09:00:00Z'),
    );
  });

  test('a target of several days skips both weekend days', () => {
    // 20 business hours from Thursday 09:00 (8 h a day): Thursday, Friday, then Monday 13:00.
    expect(addBusinessMinutes(at('2026-01-15T08:00:00Z'), 20 * 60, berlinWeekdays)).toEqual(
      at('2026-01-19T12:00:00Z'),
    );
  });

  test('round the clock is plain elapsed time, across a time change too', () => {
    const always: BusinessHours = {
      timeZone: 'America/New_York',
      days: Array.from({ length: 7 }, () => ({ open: 0, close: 24 * 60 })),
    };
    const start = at('2026-03-07T12:00:00Z');
    expect(addBusinessMinutes(start, 48 * 60, always)?.getTime()).toBe(
      start.getTime() + 48 * 3_600_000,
    );
  });

  test('a desk that is never open has no due time', () => {
    expect(
      addBusinessMinutes(at('2026-01-15T08:00:00Z'), 60, { ...berlinWeekdays, days: [] }),
    ).toBe(null);
  });

  test('minutes between two instants count only open hours', () => {
    // Friday 16:00 to Monday 10:00 in Berlin: one hour on Friday and one on Monday.
    expect(
      businessMinutesBetween(
        at('2026-01-16T15:00:00Z'),
        at('2026-01-19T09:00:00Z'),
        berlinWeekdays,
      ),
    ).toBe(120);
    expect(
      businessMinutesBetween(
        at('2026-01-19T09:00:00Z'),
        at('2026-01-16T15:00:00Z'),
        berlinWeekdays,
      ),
    ).toBe(0);
  });

  test('a wall-clock time skipped by the change reads as the hour after', () => {
    expect(
      instantOf({ year: 2026, month: 3, day: 29, weekday: 0, minute: 150 }, 'Europe/Berlin'),
    ).toEqual(at('2026-03-29T01:30:00Z'));
  });

  test('only zones Intl knows are accepted', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
