/**
 * Business hours: a time zone and, per weekday (0 = Sunday), the minutes after local midnight
 * the desk opens and closes (null: closed all day). SLA targets count only minutes inside them.
 * Pure functions over Intl's time-zone data, so a test can pass any instant as "now".
 */
export type OpenHours = { open: number; close: number } | null;
export type BusinessHours = { timeZone: string; days: OpenHours[] };

type LocalDate = { year: number; month: number; day: number; weekday: number };
type LocalTime = LocalDate & { minute: number };

const formats = new Map<string, Intl.DateTimeFormat>();
function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timeZone, format);
  }
  return format;
}

/** Whether Intl knows the zone: 'Europe/Berlin' yes, 'Mars/Olympus' no. */
export function isTimeZone(value: string): boolean {
  try {
    formatFor(value);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time in `timeZone` at `instant`. */
export function localTime(instant: Date, timeZone: string): LocalTime & { second: number } {
  const parts = Object.fromEntries(
    formatFor(timeZone)
      .formatToParts(instant)
      .map((part) => [part.type, Number(part.value)]),
  ) as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number>;
  const weekday = new Date(Date.UTC(parts.year, parts.month - 1, parts.day)).getUTCDay();
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    weekday,
    minute: parts.hour * 60 + parts.minute,
    second: parts.second,
  };
}

/** How far `timeZone`'s wall clock is ahead of UTC at `instant`, in minutes. */
function offsetAt(instant: number, timeZone: string): number {
  const local = localTime(new Date(instant), timeZone);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, 0, local.minute, local.second);
  return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / 60_000);
}

/**
 * The instant a wall-clock time in `timeZone` names. A time skipped when the clocks go forward
 * is read with the offset from before the change (02:30 becomes 03:30).
 */
export function instantOf(local: LocalDate & { minute: number }, timeZone: string): Date {
  const wall = Date.UTC(local.year, local.month - 1, local.day, 0, local.minute);
  const first = wall - offsetAt(wall, timeZone) * 60_000;
  const second = wall - offsetAt(first, timeZone) * 60_000;
  return new Date(Math.max(first, second));
}

function nextDay(date: LocalDate): LocalDate {
  const next = new Date(Date.UTC(date.year, date.month - 1, date.day + 1));
  return {
    year: next.getUTCFullYear(),
    month: next.getUTCMonth() + 1,
    day: next.getUTCDate(),
    weekday: next.getUTCDay(),
  };
}

/** The instants one local date's opening hours start and end, or null when closed that day. */
function windowOn(date: LocalDate, hours: BusinessHours): { from: number; to: number } | null {
  const open = hours.days[date.weekday];
  if (!open || open.close <= open.open) return null;
  return {
    from: instantOf({ ...date, minute: open.open }, hours.timeZone).getTime(),
    to: instantOf({ ...date, minute: open.close }, hours.timeZone).getTime(),
  };
}

/**
 * The instant `minutes` business minutes after `start`, or null when the desk is never open.
 * Opening hours are wall-clock times of the business's zone; what counts is the real time
 * between them, so a desk open round the clock has a 23-hour day when the clocks go forward.
 */
export function addBusinessMinutes(
  start: Date,
  minutes: number,
  hours: BusinessHours,
): Date | null {
  if (!hours.days.some((day) => day && day.close > day.open)) return null;
  let remaining = Math.max(0, minutes) * 60_000;
  let date: LocalDate = localTime(start, hours.timeZone);
  for (;;) {
    const window = windowOn(date, hours);
    if (window && window.to > start.getTime()) {
      const cursor = Math.max(window.from, start.getTime());
      if (remaining <= window.to - cursor) return new Date(cursor + remaining);
      remaining -= window.to - cursor;
    }
    date = nextDay(date);
  }
}

/** Business minutes between two instants (0 when `end` is not after `start`). */
export function businessMinutesBetween(start: Date, end: Date, hours: BusinessHours): number {
  if (end <= start) return 0;
  let total = 0;
  let date: LocalDate = localTime(start, hours.timeZone);
  const last = localTime(end, hours.timeZone);
  const isLast = (day: LocalDate) =>
    day.year === last.year && day.month === last.month && day.day === last.day;
  for (;;) {
    const window = windowOn(date, hours);
    if (window) {
      const from = Math.max(window.from, start.getTime());
      const to = Math.min(window.to, end.getTime());
      if (to > from) total += to - from;
    }
    if (isLast(date)) return Math.round(total / 60_000);
    date = nextDay(date);
  }
}
