import type { ExpressionBuilder } from 'kysely';
import type { Database } from '#db/client';
import {
  slaMetrics,
  ticketPriorities,
  type DB,
  type SlaMetric,
  type TicketPriority,
} from '#db/schema';
import { businessMinutesBetween, type BusinessHours } from '~/models/sla/business-hours';
import { slaClocks } from '~/models/sla/clocks';
import { businessHoursOf } from '~/models/sla/targets.server';
import { daysOf, rangeBounds, type DateRange } from './date-range';
import type { TeamReportTable } from './report-labels';
import { backlogBucketOf, backlogBuckets, durations, shareOf } from './report-stats';
import { weekOf } from './rollup.server';
import {
  ratingsIn,
  satisfactionFigures,
  satisfactionOf,
  type RatingFacts,
  type Satisfaction,
} from './satisfaction-figures.server';

/**
 * The team reports (/agent/reports) for a range of UTC days: tickets created and solved, how
 * long first replies and solutions took in business minutes, service levels met, satisfaction,
 * the open backlog by age, per agent and per organisation. Every ticket counts, whoever filed
 * it; a merged ticket counts once, as the ticket it was merged into. Each figure counts on the
 * day its event happened: a solve on the day it was solved, a first reply on the day it was
 * sent, a met target when it was met and a missed one at its due time. Percentiles are
 * computed here, not in SQL, so SQLite and PostgreSQL agree (docs/decisions/029).
 */

type TicketFacts = {
  id: number;
  created_at: string;
  solved_at: string | null;
  first_responded_at: string | null;
  first_response_due_at: string | null;
  resolution_due_at: string | null;
  status: string;
  priority: TicketPriority;
  organization_id: number | null;
  /** The agent who has the ticket, or else the one who solved it. */
  agent_id: number | null;
};

const inRange = (at: string | null, start: string, end: string): at is string =>
  at !== null && at >= start && at < end;

/** Tickets with anything in the range: filed, first answered, solved, or a target due. */
function touchesRange(start: string, end: string) {
  return (eb: ExpressionBuilder<DB, 'tickets'>) =>
    eb.and([
      eb('tickets.merged_into_id', 'is', null),
      eb('tickets.created_at', '<', end),
      eb.or([
        eb('tickets.created_at', '>=', start),
        eb('tickets.solved_at', '>=', start),
        eb('tickets.first_responded_at', '>=', start),
        eb('tickets.first_response_due_at', '>=', start),
        eb('tickets.resolution_due_at', '>=', start),
      ]),
    ]);
}

async function ticketFacts(db: Database, range: DateRange) {
  const { start, end } = rangeBounds(range);
  const [tickets, breaches] = await Promise.all([
    db
      .selectFrom('tickets')
      .leftJoin('resolutions', 'resolutions.ticket_id', 'tickets.id')
      .select((eb) => [
        'tickets.id',
        'tickets.created_at',
        'tickets.solved_at',
        'tickets.first_responded_at',
        'tickets.first_response_due_at',
        'tickets.resolution_due_at',
        'tickets.status',
        'tickets.priority',
        'tickets.organization_id',
        eb.fn.coalesce('tickets.assignee_id', 'resolutions.resolved_by').as('agent_id'),
      ])
      .where(touchesRange(start, end))
      .execute(),
    db
      .selectFrom('sla_breaches')
      .innerJoin('tickets', 'tickets.id', 'sla_breaches.ticket_id')
      .select(['sla_breaches.ticket_id', 'sla_breaches.metric', 'sla_breaches.due_at'])
      .where(touchesRange(start, end))
      .execute(),
  ]);
  const recorded = new Map(breaches.map((row) => [`${row.ticket_id}:${row.metric}`, row.due_at]));
  return { tickets: tickets satisfies TicketFacts[], recorded };
}

type ClockOutcome = { metric: SlaMetric; met: boolean; open: boolean; at: string };

/**
 * The targets a ticket met or missed, and when: met when done by its due time; missed at its
 * due time when done later, still not done, or when the sweep recorded a breach (a breach stays
 * one even if a new priority moved the due time later). Clocks still running count nowhere yet.
 */
function clockOutcomes(
  ticket: TicketFacts,
  recorded: Map<string, string>,
  now: Date,
): ClockOutcome[] {
  const doneAt: Record<SlaMetric, string | null> = {
    first_response: ticket.first_responded_at ?? ticket.solved_at,
    resolution: ticket.solved_at,
  };
  const stillOpen = ticket.status !== 'solved' && ticket.status !== 'closed';
  const outcomes: ClockOutcome[] = [];
  for (const clock of slaClocks(ticket, now)) {
    const breachDue = recorded.get(`${ticket.id}:${clock.metric}`);
    const done = doneAt[clock.metric];
    if (breachDue !== undefined || clock.state === 'breached')
      outcomes.push({
        metric: clock.metric,
        met: false,
        open: done === null && stillOpen,
        at: breachDue ?? clock.dueAt,
      });
    else if (clock.state === 'met' && done !== null)
      outcomes.push({ metric: clock.metric, met: true, open: false, at: done });
  }
  return outcomes;
}

function serviceLevel(outcomes: ClockOutcome[]) {
  const met = outcomes.filter((outcome) => outcome.met).length;
  return {
    met,
    breached: outcomes.length - met,
    /** Missed, and the ticket is still open. */
    still_open: outcomes.filter((outcome) => !outcome.met && outcome.open).length,
    /** met ÷ targets decided in the range, 0–1; null when none was. */
    attainment: shareOf(met, outcomes.length),
  };
}

/** What one ticket adds to the range's figures. */
type TicketInRange = TicketFacts & {
  created: boolean;
  solved: boolean;
  /** Business minutes from filing to the first reply sent in the range. */
  firstResponse: number | null;
  /** Business minutes from filing to a solve in the range. */
  resolution: number | null;
  outcomes: ClockOutcome[];
};

function placeInRange(
  tickets: TicketFacts[],
  recorded: Map<string, string>,
  range: DateRange,
  hours: BusinessHours,
  now: Date,
): TicketInRange[] {
  const { start, end } = rangeBounds(range);
  const minutesTo = (ticket: TicketFacts, at: string | null) =>
    inRange(at, start, end)
      ? businessMinutesBetween(new Date(ticket.created_at), new Date(at), hours)
      : null;
  return tickets.map((ticket) => ({
    ...ticket,
    created: inRange(ticket.created_at, start, end),
    solved: inRange(ticket.solved_at, start, end),
    firstResponse: minutesTo(ticket, ticket.first_responded_at),
    resolution: minutesTo(ticket, ticket.solved_at),
    outcomes: clockOutcomes(ticket, recorded, now).filter((outcome) =>
      inRange(outcome.at, start, end),
    ),
  }));
}

const minutesOf = (tickets: TicketInRange[], key: 'firstResponse' | 'resolution') =>
  tickets.flatMap((ticket) => (ticket[key] === null ? [] : [ticket[key]]));

function volume(tickets: TicketInRange[], range: DateRange) {
  // Up to a month reads best by day; longer ranges by week, as on the gap dashboard.
  const bucket: 'day' | 'week' = range.days <= 31 ? 'day' : 'week';
  const periodOf = (day: string) => (bucket === 'day' ? day : weekOf(day));
  const periods = new Map<string, { start: string; created: number; solved: number }>();
  for (const day of daysOf(range)) {
    const key = periodOf(day);
    if (!periods.has(key)) periods.set(key, { start: key, created: 0, solved: 0 });
  }
  for (const ticket of tickets) {
    if (ticket.created) {
      const period = periods.get(periodOf(ticket.created_at.slice(0, 10)));
      if (period) period.created += 1;
    }
    if (ticket.solved && ticket.solved_at) {
      const period = periods.get(periodOf(ticket.solved_at.slice(0, 10)));
      if (period) period.solved += 1;
    }
  }
  return { bucket, periods: [...periods.values()] };
}

function serviceLevels(tickets: TicketInRange[]) {
  const outcomes = tickets.flatMap((ticket) => ticket.outcomes);
  return slaMetrics.map((metric) => ({
    metric,
    ...serviceLevel(outcomes.filter((outcome) => outcome.metric === metric)),
  }));
}

/** Open tickets at `now` (new, open or pending), by how long ago they were filed. */
async function backlog(db: Database, now: Date) {
  const open = await db
    .selectFrom('tickets')
    .select(['created_at', 'priority'])
    .where('status', 'in', ['new', 'open', 'pending'])
    .where('merged_into_id', 'is', null)
    .where('created_at', '<=', now.toISOString())
    .orderBy('created_at')
    .execute();
  const counts = new Map<string, number>();
  for (const ticket of open) {
    const bucket = backlogBucketOf(new Date(ticket.created_at), now);
    counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
  }
  return {
    open: open.length,
    oldest_created_at: open[0]?.created_at ?? null,
    buckets: backlogBuckets.map((bucket) => ({
      bucket: bucket.key,
      tickets: counts.get(bucket.key) ?? 0,
      urgent_or_high: open.filter(
        (ticket) =>
          (ticket.priority === 'urgent' || ticket.priority === 'high') &&
          backlogBucketOf(new Date(ticket.created_at), now) === bucket.key,
      ).length,
    })),
  };
}

/** Names of people or organisations, by id. */
async function namesOf(db: Database, table: 'users' | 'organizations', ids: number[]) {
  if (ids.length === 0) return new Map<number, string>();
  const rows =
    table === 'users'
      ? await db
          .selectFrom('users')
          .select(['id', 'display_name as name'])
          .where('id', 'in', ids)
          .execute()
      : await db
          .selectFrom('organizations')
          .select(['id', 'name'])
          .where('id', 'in', ids)
          .execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** Rows per key (agent or organisation), for everything that has a figure in the range. */
function groupBy<K>(
  tickets: TicketInRange[],
  ratings: RatingFacts[],
  keyOf: {
    ticket: (ticket: TicketInRange) => K;
    rating: (rating: RatingFacts) => K;
  },
) {
  const groups = new Map<K, { tickets: TicketInRange[]; ratings: RatingFacts[] }>();
  const groupOf = (key: K) => {
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { tickets: [], ratings: [] }));
    return group;
  };
  for (const ticket of tickets) groupOf(keyOf.ticket(ticket)).tickets.push(ticket);
  for (const rating of ratings) groupOf(keyOf.rating(rating)).ratings.push(rating);
  return groups;
}

async function agentRows(db: Database, tickets: TicketInRange[], ratings: RatingFacts[]) {
  // A ticket belongs to the agent who has it (or solved it); a rating to the agent who solved it.
  const counted = tickets.filter(
    (ticket) =>
      ticket.solved ||
      ticket.firstResponse !== null ||
      ticket.resolution !== null ||
      ticket.outcomes.length > 0,
  );
  const groups = groupBy(counted, ratings, {
    ticket: (ticket) => ticket.agent_id,
    rating: (rating) => rating.agent_id,
  });
  const names = await namesOf(
    db,
    'users',
    [...groups.keys()].filter((key): key is number => key !== null),
  );
  return [...groups.entries()]
    .map(([agentId, group]) => ({
      agent_id: agentId,
      agent: agentId === null ? 'Unassigned' : (names.get(agentId) ?? 'Former team member'),
      solved: group.tickets.filter((ticket) => ticket.solved).length,
      first_response: durations(minutesOf(group.tickets, 'firstResponse')),
      resolution: durations(minutesOf(group.tickets, 'resolution')),
      service_level: serviceLevel(group.tickets.flatMap((ticket) => ticket.outcomes)),
      satisfaction: satisfactionOf(group.ratings),
    }))
    .sort(
      (a, b) =>
        Number(a.agent_id === null) - Number(b.agent_id === null) ||
        b.solved - a.solved ||
        a.agent.localeCompare(b.agent),
    );
}

async function organizationRows(db: Database, tickets: TicketInRange[], ratings: RatingFacts[]) {
  const groups = groupBy(
    tickets.filter((ticket) => ticket.created || ticket.solved),
    ratings,
    { ticket: (ticket) => ticket.organization_id, rating: (rating) => rating.organization_id },
  );
  const names = await namesOf(
    db,
    'organizations',
    [...groups.keys()].filter((key): key is number => key !== null),
  );
  return [...groups.entries()]
    .map(([organizationId, group]) => ({
      organization_id: organizationId,
      organization:
        organizationId === null
          ? 'No organisation'
          : (names.get(organizationId) ?? 'Deleted organisation'),
      created: group.tickets.filter((ticket) => ticket.created).length,
      solved: group.tickets.filter((ticket) => ticket.solved).length,
      satisfaction: satisfactionOf(group.ratings),
    }))
    .sort(
      (a, b) =>
        Number(a.organization_id === null) - Number(b.organization_id === null) ||
        b.created - a.created ||
        b.solved - a.solved ||
        a.organization.localeCompare(b.organization),
    );
}

/** Everything /agent/reports shows for a range; the backlog is the one at `now`. */
export async function teamReport(db: Database, range: DateRange, now = new Date()) {
  const [facts, hours, ratings, openNow] = await Promise.all([
    ticketFacts(db, range),
    businessHoursOf(db),
    ratingsIn(db, range),
    backlog(db, now),
  ]);
  const tickets = placeInRange(facts.tickets, facts.recorded, range, hours, now);
  const [satisfaction, agents, organizations] = await Promise.all([
    satisfactionFigures(db, range, ratings),
    agentRows(db, tickets, ratings),
    organizationRows(db, tickets, ratings),
  ]);
  return {
    range,
    time_zone: hours.timeZone,
    created: tickets.filter((ticket) => ticket.created).length,
    solved: tickets.filter((ticket) => ticket.solved).length,
    ...volume(tickets, range),
    first_response: durations(minutesOf(tickets, 'firstResponse')),
    resolution: durations(minutesOf(tickets, 'resolution')),
    by_priority: [...ticketPriorities].reverse().map((priority) => {
      const ofPriority = tickets.filter((ticket) => ticket.priority === priority);
      return {
        priority,
        first_response: durations(minutesOf(ofPriority, 'firstResponse')),
        resolution: durations(minutesOf(ofPriority, 'resolution')),
      };
    }),
    service_levels: serviceLevels(tickets),
    satisfaction,
    backlog: openNow,
    agents,
    organizations,
  };
}

export type TeamReport = Awaited<ReturnType<typeof teamReport>>;

type Cell = string | number | boolean | null;

const percentCell = (share: number | null) => (share === null ? null : Math.round(share * 100));

/** One table of the report as columns and rows, for CSV; durations in business minutes. */
export function teamReportTable(
  report: TeamReport,
  table: TeamReportTable,
): { columns: string[]; rows: Cell[][] } {
  const satisfactionColumns = ['ratings', 'good', 'bad', 'good_percent'];
  const satisfactionCells = (row: Satisfaction): Cell[] => [
    row.ratings,
    row.good,
    row.bad,
    percentCell(row.good_share),
  ];
  switch (table) {
    case 'volume':
      return {
        columns: [report.bucket, 'created', 'solved'],
        rows: report.periods.map((period) => [period.start, period.created, period.solved]),
      };
    case 'response-times':
      return {
        columns: [
          'priority',
          'first_replies',
          'first_reply_median_minutes',
          'first_reply_p90_minutes',
          'solved',
          'resolution_median_minutes',
          'resolution_p90_minutes',
        ],
        rows: [
          { priority: 'all', first_response: report.first_response, resolution: report.resolution },
          ...report.by_priority,
        ].map((row) => [
          row.priority,
          row.first_response.tickets,
          row.first_response.median,
          row.first_response.p90,
          row.resolution.tickets,
          row.resolution.median,
          row.resolution.p90,
        ]),
      };
    case 'service-levels':
      return {
        columns: ['metric', 'met', 'breached', 'breached_still_open', 'attainment_percent'],
        rows: report.service_levels.map((row) => [
          row.metric,
          row.met,
          row.breached,
          row.still_open,
          percentCell(row.attainment),
        ]),
      };
    case 'satisfaction-by-agent':
      return {
        columns: ['agent_id', 'agent', ...satisfactionColumns],
        rows: report.satisfaction.by_agent.map((row) => [
          row.agent_id,
          row.agent,
          ...satisfactionCells(row),
        ]),
      };
    case 'satisfaction-by-category':
      return {
        columns: ['category_id', 'category', ...satisfactionColumns],
        rows: report.satisfaction.by_category.map((row) => [
          row.category_id,
          row.category,
          ...satisfactionCells(row),
        ]),
      };
    case 'satisfaction-by-resolution':
      return {
        columns: ['resolution_kind', ...satisfactionColumns],
        rows: report.satisfaction.by_resolution.map((row) => [row.kind, ...satisfactionCells(row)]),
      };
    case 'backlog':
      return {
        columns: ['age', 'open_tickets', 'urgent_or_high'],
        rows: report.backlog.buckets.map((row) => [row.bucket, row.tickets, row.urgent_or_high]),
      };
    case 'agents':
      return {
        columns: [
          'agent_id',
          'agent',
          'solved',
          'first_reply_median_minutes',
          'resolution_median_minutes',
          'sla_met',
          'sla_breached',
          'sla_attainment_percent',
          ...satisfactionColumns,
        ],
        rows: report.agents.map((row) => [
          row.agent_id,
          row.agent,
          row.solved,
          row.first_response.median,
          row.resolution.median,
          row.service_level.met,
          row.service_level.breached,
          percentCell(row.service_level.attainment),
          ...satisfactionCells(row.satisfaction),
        ]),
      };
    case 'organizations':
      return {
        columns: ['organization_id', 'organization', 'created', 'solved', ...satisfactionColumns],
        rows: report.organizations.map((row) => [
          row.organization_id,
          row.organization,
          row.created,
          row.solved,
          ...satisfactionCells(row.satisfaction),
        ]),
      };
  }
}
