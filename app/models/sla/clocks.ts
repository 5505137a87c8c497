import type { SlaMetric } from '#db/schema';

export type SlaClock = {
  metric: SlaMetric;
  dueAt: string;
  /** met: done in time; breached: late (done or not); running: not done, not late yet. */
  state: 'met' | 'breached' | 'running';
  /** Minutes until due while running; minutes late when breached. */
  minutes: number;
};

/** What a ticket's SLA clocks say at `now`, for its page and the desk. */
export function slaClocks(
  ticket: {
    first_response_due_at: string | null;
    resolution_due_at: string | null;
    first_responded_at: string | null;
    solved_at: string | null;
    status: string;
  },
  now = new Date(),
): SlaClock[] {
  const clocks: SlaClock[] = [];
  const pairs: [SlaMetric, string | null, string | null][] = [
    // Solving without a public reply also ends the first-reply clock.
    ['first_response', ticket.first_response_due_at, ticket.first_responded_at ?? ticket.solved_at],
    ['resolution', ticket.resolution_due_at, ticket.solved_at],
  ];
  for (const [metric, dueAt, doneAt] of pairs) {
    if (!dueAt) continue;
    const due = new Date(dueAt).getTime();
    const end = doneAt ? new Date(doneAt).getTime() : now.getTime();
    if (!doneAt && ticket.status === 'closed') continue;
    const minutes = Math.round(Math.abs(due - end) / 60_000);
    clocks.push({
      metric,
      dueAt,
      state: end > due ? 'breached' : doneAt ? 'met' : 'running',
      minutes,
    });
  }
  return clocks;
}
