/**
 * The arithmetic of the team reports, kept pure so a test can check it by hand: percentiles of
 * durations, shares that are null without data, and the age buckets of the backlog.
 */

/**
 * The p-th percentile (0–100) by linear interpolation between the two nearest ranks, as a
 * spreadsheet's PERCENTILE.INC computes it; null for no values.
 */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const below = Math.floor(rank);
  const lower = sorted[below] ?? 0;
  const upper = sorted[Math.min(below + 1, sorted.length - 1)] ?? lower;
  return lower + (upper - lower) * (rank - below);
}

export type Durations = {
  /** How many tickets the figures are of. */
  tickets: number;
  /** Business minutes, rounded to the minute; null without tickets. */
  median: number | null;
  p90: number | null;
};

/** Median and 90th percentile of business minutes, whole minutes. */
export function durations(minutes: number[]): Durations {
  const rounded = (value: number | null) => (value === null ? null : Math.round(value));
  return {
    tickets: minutes.length,
    median: rounded(percentile(minutes, 50)),
    p90: rounded(percentile(minutes, 90)),
  };
}

/** part ÷ whole, or null when there is nothing to divide (no ratings, no targets). */
export const shareOf = (part: number, whole: number): number | null =>
  whole > 0 ? part / whole : null;

export const backlogBuckets = [
  { key: 'under_1_day', label: 'Under a day', maxDays: 1 },
  { key: '1_to_3_days', label: '1–3 days', maxDays: 3 },
  { key: '3_to_7_days', label: '3–7 days', maxDays: 7 },
  { key: 'over_7_days', label: 'Over 7 days', maxDays: Infinity },
] as const;
export type BacklogBucket = (typeof backlogBuckets)[number]['key'];

const dayMs = 86_400_000;

/** The bucket of a ticket filed at `createdAt` and still open at `now` (calendar time). */
export function backlogBucketOf(createdAt: Date, now: Date): BacklogBucket {
  const days = (now.getTime() - createdAt.getTime()) / dayMs;
  const bucket = backlogBuckets.find((candidate) => days < candidate.maxDays);
  return bucket?.key ?? 'over_7_days';
}

/** 45 → "45 min", 135 → "2 h 15 min", 1500 → "25 h": business time as a person reads it. */
export function formatMinutes(minutes: number | null): string {
  if (minutes === null) return '—';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours >= 10 || rest === 0) return `${Math.round(minutes / 60)} h`;
  return `${hours} h ${rest} min`;
}
