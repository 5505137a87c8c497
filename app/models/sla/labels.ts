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
