import type { SlaMetric, TicketPriority } from '#db/schema';

export const priorityLabels: Record<TicketPriority, string> = {
  low: 'Low',
  normal: 'Normal',
  high: 'High',
  urgent: 'Urgent',
};

export const slaMetricLabels: Record<SlaMetric, string> = {
  first_response: 'First reply',
  resolution: 'Solved',
};

export const weekdays = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
] as const;

/** 540 → "09:00": minutes after midnight as a time field shows them. */
export const clockOf = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
