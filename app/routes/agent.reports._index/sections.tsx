import { Link } from '@remix-run/react';
import { GroupedBarChart, NumbersTable, type Series } from '~/components/charts';
import { barCell, number, shortDay } from '~/components/dashboard';
import { backlogBuckets } from '~/models/analytics/report-stats';
import { priorityLabels, slaMetricLabels } from '~/models/sla/labels';
import { attainmentCell, minutesCell, ReportSection } from './report-parts';
import type { TeamReportData as Report } from './route';

// The reports' sections about tickets: volume, response times, service levels and the backlog.

const volumeSeries: Series[] = [
  { key: 'created', label: 'Created', tone: 'accent' },
  { key: 'solved', label: 'Solved', tone: 'success' },
];

export function VolumeSection({ report, query }: { report: Report; query: string }) {
  const periodLabel = report.bucket === 'day' ? 'Day' : 'Week of';
  return (
    <ReportSection
      id="volume-title"
      title="Tickets created and solved"
      table="volume"
      query={query}
    >
      {report.created + report.solved === 0 ? (
        <p className="empty-state">No ticket was filed or solved in this range.</p>
      ) : (
        <GroupedBarChart
          title={`Tickets per ${report.bucket}`}
          description={report.bucket === 'week' ? 'Weeks start on Monday.' : 'Days are UTC.'}
          series={volumeSeries}
          bars={report.periods.map((period) => ({
            label: shortDay(period.start),
            values: { created: period.created, solved: period.solved },
          }))}
          table={{
            caption: `Tickets created and solved per ${report.bucket}`,
            columns: [periodLabel, 'Created', 'Solved'],
            rows: report.periods.map((period) => [
              shortDay(period.start),
              period.created,
              period.solved,
            ]),
          }}
        />
      )}
    </ReportSection>
  );
}

export function ResponseTimesSection({ report, query }: { report: Report; query: string }) {
  const rows = [
    { label: 'All tickets', first: report.first_response, solved: report.resolution },
    ...report.by_priority.map((row) => ({
      label: priorityLabels[row.priority],
      first: row.first_response,
      solved: row.resolution,
    })),
  ];
  return (
    <ReportSection id="times-title" title="Response times" table="response-times" query={query}>
      <p className="muted">
        Business hours only ({report.time_zone}): the clock stops while the desk is closed. A ticket
        counts in the range its first reply was sent or it was solved.
      </p>
      {report.first_response.tickets + report.resolution.tickets === 0 ? (
        <p className="empty-state">No ticket got a first reply or was solved in this range.</p>
      ) : (
        <div className="table-wrap">
          <NumbersTable
            visible
            labelledBy="times-title"
            table={{
              columns: [
                'Priority',
                'First replies',
                'Median first reply',
                '90% replied within',
                'Solved',
                'Median time to solve',
                '90% solved within',
              ],
              rows: rows.map((row) => [
                row.label,
                row.first.tickets ? number(row.first.tickets) : '—',
                minutesCell(row.first.median),
                minutesCell(row.first.p90),
                row.solved.tickets ? number(row.solved.tickets) : '—',
                minutesCell(row.solved.median),
                minutesCell(row.solved.p90),
              ]),
            }}
          />
        </div>
      )}
    </ReportSection>
  );
}

export function ServiceLevelSection({ report, query }: { report: Report; query: string }) {
  const levels = report.service_levels;
  const due = levels.reduce((sum, level) => sum + level.met + level.breached, 0);
  return (
    <ReportSection id="sla-title" title="Service levels" table="service-levels" query={query}>
      <p className="muted">
        A target counts when it is met, or at its due time when it is missed; a ticket still open
        past its due time is a breach.
      </p>
      {due === 0 ? (
        <p className="empty-state">
          No ticket had a target come due in this range. Targets per priority are set in{' '}
          <Link to="/admin/sla">Administration → Service levels</Link>.
        </p>
      ) : (
        <div className="table-wrap">
          <NumbersTable
            visible
            labelledBy="sla-title"
            table={{
              columns: ['Target', 'Met', 'Breached', 'Breached, still open', 'Attained'],
              rows: levels.map((level) => [
                slaMetricLabels[level.metric],
                number(level.met),
                {
                  className: level.breached > 0 ? 'overdue' : undefined,
                  content: number(level.breached),
                },
                number(level.still_open),
                attainmentCell(level),
              ]),
            }}
          />
        </div>
      )}
    </ReportSection>
  );
}

export function BacklogSection({ report, query }: { report: Report; query: string }) {
  const { backlog } = report;
  const max = Math.max(0, ...backlog.buckets.map((row) => row.tickets));
  const labels = Object.fromEntries(backlogBuckets.map((bucket) => [bucket.key, bucket.label]));
  return (
    <ReportSection id="backlog-title" title="Open tickets by age" table="backlog" query={query}>
      <p className="muted">
        New, open and pending tickets right now, by how long ago they were filed (whatever the
        range).
      </p>
      {backlog.open === 0 ? (
        <p className="empty-state">No ticket is open. The desk is clear.</p>
      ) : (
        <div className="table-wrap">
          <NumbersTable
            visible
            labelledBy="backlog-title"
            table={{
              columns: ['Age', 'Open tickets', 'Urgent or high'],
              rows: backlog.buckets.map((row) => [
                labels[row.bucket] ?? row.bucket,
                barCell(row.tickets, max, row.bucket === 'over_7_days' ? 'danger' : 'accent'),
                row.urgent_or_high ? number(row.urgent_or_high) : '—',
              ]),
            }}
          />
        </div>
      )}
    </ReportSection>
  );
}
